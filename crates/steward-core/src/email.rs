//! Email addresses: the login name of every user.

use crate::error::{CoreError, CoreResult};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A syntactically plausible email address, trimmed and lower-cased so that logins are
/// case-insensitive. Steward does not send mail to it, so no deeper check is made.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Validates and normalises `value`.
    pub fn parse(value: &str) -> CoreResult<Self> {
        let v = value.trim().to_lowercase();
        let invalid = || CoreError::InvalidEmail { value: value.to_string() };
        let (local, domain) = v.split_once('@').ok_or_else(invalid)?;
        let ok = !local.is_empty()
            && local.len() <= 64
            && v.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !v.chars().any(|c| c.is_whitespace() || c.is_control() || "<>\"'(),;:\\[]".contains(c))
            && !domain.contains('@');
        if ok {
            Ok(Self(v))
        } else {
            Err(invalid())
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Email {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Email {
    type Error = CoreError;
    fn try_from(value: String) -> CoreResult<Self> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check() {
        for (input, expected) in [
            ("Ana.Silva@Example.ORG ", Some("ana.silva@example.org")),
            ("bars.viewer@example.org", Some("bars.viewer@example.org")),
            ("no-at-sign", None),
            ("a@b", None),
            ("a b@example.org", None),
            ("<script>@x.org", None),
            ("@example.org", None),
        ] {
            assert_eq!(Email::parse(input).ok().map(|e| e.0), expected.map(String::from), "{input}");
        }
    }
}
