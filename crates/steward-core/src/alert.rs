//! Alerts from the public form: what a worker or partner can send without an account.
//!
//! The form asks the minimum. The submitter gets a receipt code and a passphrase; with both they
//! can see the alert's status and add information, and nothing else.

use crate::country;
use crate::error::{CoreError, CoreResult};
use crate::vocab::vocabulary;

/// Longest alert text, in characters.
pub const MAX_ALERT_TEXT: usize = 10_000;
/// Longest name or contact, in characters.
pub const MAX_ALERT_SHORT: usize = 300;

vocabulary!(
    /// Where an alert stands, as its submitter may see it.
    AlertStatus, "alert status" {
        /// Waiting in the triage queue.
        Received = "received",
        /// A case was opened from it, or it was added to an existing case.
        Accepted = "accepted",
        /// Triaged as not needing a response from this network.
        Dismissed = "dismissed",
    }
);

impl AlertStatus {
    /// What the submitter is told.
    pub fn for_submitter(self) -> &'static str {
        match self {
            AlertStatus::Received => "Received. A coordinator will look at it; you can add information at any time.",
            AlertStatus::Accepted => "A response team is working on it.",
            AlertStatus::Dismissed => "The team looked at it and did not open a case. If you add information, it goes back to the team to look at again.",
        }
    }
}

/// A public alert, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlert {
    /// What happened (sensitive).
    pub summary: String,
    /// ISO 3166-1 alpha-2, when given.
    pub country: Option<String>,
    /// Who is at risk, when given (sensitive).
    pub name: Option<String>,
    /// How to reach the submitter or the person (sensitive).
    pub contact: Option<String>,
    /// The sender says someone's life or freedom is in danger right now.
    pub danger: bool,
}

fn short(field: &'static str, value: Option<&str>) -> CoreResult<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) if v.chars().count() > MAX_ALERT_SHORT => Err(CoreError::InvalidLength { field, max: MAX_ALERT_SHORT }),
        v => Ok(v.map(str::to_string)),
    }
}

impl NewAlert {
    /// Validates an alert as typed into the public form.
    pub fn new(summary: &str, country: Option<&str>, name: Option<&str>, contact: Option<&str>) -> CoreResult<Self> {
        let summary = summary.trim();
        if summary.is_empty() || summary.chars().count() > MAX_ALERT_TEXT {
            return Err(CoreError::InvalidLength { field: "summary", max: MAX_ALERT_TEXT });
        }
        let country = country
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| country::resolve(c).map(|c| c.alpha2.to_string()))
            .transpose()?;
        Ok(Self {
            summary: summary.to_string(),
            country,
            name: short("name", name)?,
            contact: short("contact", contact)?,
            danger: false,
        })
    }

    /// The alert, marked as saying that someone is in danger right now (or not).
    pub fn in_danger(mut self, danger: bool) -> Self {
        self.danger = danger;
        self
    }
}

/// Text a submitter adds later, validated.
pub fn note_text(text: &str) -> CoreResult<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_ALERT_TEXT {
        return Err(CoreError::InvalidLength { field: "text", max: MAX_ALERT_TEXT });
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_need_a_summary_and_a_real_country() {
        let a = NewAlert::new("  Organiser threatened ", Some("Cambodia"), None, Some(" ")).unwrap();
        assert_eq!(a.summary, "Organiser threatened");
        assert_eq!(a.country.as_deref(), Some("KH"));
        assert_eq!(a.contact, None);
        assert!(NewAlert::new(" ", None, None, None).is_err());
        assert!(NewAlert::new("x", Some("Nowhere"), None, None).is_err());
        assert!(NewAlert::new("x", None, Some(&"n".repeat(MAX_ALERT_SHORT + 1)), None).is_err());
        assert_eq!("ACCEPTED".parse::<AlertStatus>().unwrap(), AlertStatus::Accepted);
    }
}
