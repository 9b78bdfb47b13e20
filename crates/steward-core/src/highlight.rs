//! Public highlights: a case's story told publicly, only with the consent of the person at risk
//! or of their organisation, recorded with who gave it and when, and only in the words approved
//! for publication. Withdrawing consent takes the story down at once.

use crate::case::{MAX_SHORT, MAX_SUMMARY, MAX_TITLE};
use crate::error::{CoreError, CoreResult};
use crate::vocab::vocabulary;
use serde::Serialize;
use time::{Date, OffsetDateTime};

vocabulary!(
    /// Whose consent a publication rests on.
    ConsentFrom, "consent from" {
        /// The person at risk themselves.
        Person = "person at risk" | "person",
        /// Their union or organisation, on their behalf.
        Organisation = "their organisation" | "organisation" | "organization",
    }
);

/// A publication as a coordinator records it, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHighlight {
    /// Whose consent.
    pub consent_from: ConsentFrom,
    /// Who gave it (sensitive: a name or a role in the organisation).
    pub consent_by: String,
    /// When it was given.
    pub consent_on: Date,
    /// The approved title.
    pub title: String,
    /// The approved summary: the only words of the case the public sees.
    pub summary: String,
}

impl NewHighlight {
    /// Checks lengths and that consent is not dated in the future.
    pub fn new(
        consent_from: ConsentFrom,
        consent_by: &str,
        consent_on: Date,
        title: &str,
        summary: &str,
        today: Date,
    ) -> CoreResult<Self> {
        let bounded = |field: &'static str, v: &str, max: usize| {
            let v = v.trim();
            if v.is_empty() || v.chars().count() > max {
                Err(CoreError::InvalidLength { field, max })
            } else {
                Ok(v.to_string())
            }
        };
        if consent_on > today {
            return Err(CoreError::InvalidDate {
                field: "consent_on",
                value: consent_on.to_string(),
                reason: "consent cannot be dated in the future",
            });
        }
        Ok(Self {
            consent_from,
            consent_by: bounded("consent_by", consent_by, MAX_SHORT)?,
            consent_on,
            title: bounded("title", title, MAX_TITLE)?,
            summary: bounded("summary", summary, MAX_SUMMARY)?,
        })
    }
}

/// A highlight as the case's readers see it, consent included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Highlight {
    /// Its id (also its public address).
    pub id: String,
    /// Whose consent.
    pub consent_from: ConsentFrom,
    /// Who gave it.
    pub consent_by: String,
    /// When.
    pub consent_on: Date,
    /// The approved title.
    pub title: String,
    /// The approved summary.
    pub summary: String,
    /// When it went up.
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    /// When consent was withdrawn, if it was.
    #[serde(with = "time::serde::rfc3339::option")]
    pub withdrawn_at: Option<OffsetDateTime>,
}

/// What the public page shows: the approved words, the country, the month. Nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicHighlight {
    /// Its id.
    pub id: String,
    /// The approved title.
    pub title: String,
    /// The approved summary.
    pub summary: String,
    /// ISO alpha-2, if the case has one.
    pub country: Option<String>,
    /// When it went up.
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn consent_is_recorded_and_never_in_the_future() {
        let today = date!(2026 - 11 - 23);
        let ok = NewHighlight::new(ConsentFrom::Person, " Lina ", date!(2026 - 11 - 20), "T", "S", today).unwrap();
        assert_eq!(ok.consent_by, "Lina");
        let later = NewHighlight::new(ConsentFrom::Organisation, "Union", date!(2026 - 12 - 01), "T", "S", today);
        assert!(later.unwrap_err().to_string().contains("future"));
        assert!(NewHighlight::new(ConsentFrom::Person, "", date!(2026 - 11 - 20), "T", "S", today).is_err());
        assert_eq!("their organisation".parse::<ConsentFrom>().unwrap(), ConsentFrom::Organisation);
    }
}
