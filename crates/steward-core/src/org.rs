//! Organisations: every user belongs to exactly one.

use crate::error::{CoreError, CoreResult};
use crate::ids::OrgId;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;

/// What kind of body an organisation is. The list is closed: reports group by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrgKind {
    /// A ministry, agency or embassy.
    Government,
    /// A workers' organisation: a union or federation.
    Workers,
    /// A civil-society organisation.
    CivilSociety,
    /// A company.
    Company,
    /// A philanthropy or funder.
    Philanthropy,
    /// A multilateral body, such as a partnership secretariat.
    Multilateral,
}

impl OrgKind {
    /// Every kind, in display order.
    pub const ALL: [OrgKind; 6] = [
        OrgKind::Government,
        OrgKind::Workers,
        OrgKind::CivilSociety,
        OrgKind::Company,
        OrgKind::Philanthropy,
        OrgKind::Multilateral,
    ];

    /// The kind as typed on the command line and stored.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Government => "government",
            OrgKind::Workers => "workers",
            OrgKind::CivilSociety => "civil-society",
            OrgKind::Company => "company",
            OrgKind::Philanthropy => "philanthropy",
            OrgKind::Multilateral => "multilateral",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Government => "Government",
            OrgKind::Workers => "Workers' organisation",
            OrgKind::CivilSociety => "Civil-society organisation",
            OrgKind::Company => "Company",
            OrgKind::Philanthropy => "Philanthropy",
            OrgKind::Multilateral => "Multilateral body",
        }
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrgKind {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        let wanted = s.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == wanted)
            .ok_or_else(|| CoreError::InvalidOrgKind { value: s.to_string() })
    }
}

/// A stored organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Org {
    /// Its id.
    pub id: OrgId,
    /// Its unique name.
    pub name: String,
    /// Its kind.
    pub kind: OrgKind,
    /// ISO 3166-1 alpha-2 code of its home country, if any.
    pub country: Option<String>,
    /// When it was created.
    pub created_at: OffsetDateTime,
}

/// What is needed to create an organisation.
#[derive(Debug, Clone)]
pub struct NewOrg {
    /// Unique name, 1 to 200 characters.
    pub name: String,
    /// Its kind.
    pub kind: OrgKind,
    /// Home country (alpha-2), if any.
    pub country: Option<String>,
}

impl NewOrg {
    /// A validated new organisation: the name trimmed and bounded, the country resolved to alpha-2.
    pub fn new(name: &str, kind: OrgKind, country: Option<&str>) -> CoreResult<Self> {
        let name = crate::user::bounded("name", name, 200)?;
        let country = match country.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => Some(crate::country::resolve(c)?.alpha2.to_string()),
            None => None,
        };
        Ok(Self { name, kind, country })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_in_the_forms_people_type() {
        assert_eq!("civil-society".parse(), Ok(OrgKind::CivilSociety));
        assert_eq!("Civil Society".parse(), Ok(OrgKind::CivilSociety));
        assert_eq!("workers".parse(), Ok(OrgKind::Workers));
        assert!("union".parse::<OrgKind>().is_err());
    }

    #[test]
    fn new_org_resolves_country_names() {
        let org = NewOrg::new("  Bars Union ", OrgKind::Workers, Some("Burma")).unwrap();
        assert_eq!(org.name, "Bars Union");
        assert_eq!(org.country.as_deref(), Some("MM"));
        assert!(NewOrg::new("", OrgKind::Workers, None).is_err());
    }
}
