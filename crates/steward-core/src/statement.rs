//! Joint statements: drafted on a case by its organisation, co-signed by invited organisations,
//! frozen when published.
//!
//! A statement is written for publication, so invited organisations read its text and see who
//! has joined, but nothing of the case it came from: an invitation never widens who may see a
//! case. Editing the text after someone has joined puts their answer back to "no answer", so no
//! organisation is ever shown as signing words it has not read.

use crate::case::{CaseId, MAX_SUMMARY, MAX_TITLE};
use crate::error::{CoreError, CoreResult};
use crate::ids::{OrgId, UserId};
use crate::vocab::vocabulary;
use serde::Serialize;
use time::OffsetDateTime;

vocabulary!(
    /// An invited organisation's answer.
    Answer, "answer" {
        /// Not answered yet (or the text changed since).
        NoAnswer = "no answer" | "pending",
        /// Signs the statement.
        Joined = "joined" | "join" | "sign" | "signed",
        /// Will not sign.
        Declined = "declined" | "decline",
    }
);

vocabulary!(
    /// Where a statement stands.
    StatementStatus, "statement status" {
        /// Being written and co-signed.
        Draft = "draft",
        /// Published: text and signatories frozen.
        Published = "published",
    }
);

/// A statement's title and text, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementText {
    /// Its title.
    pub title: String,
    /// Its text.
    pub body: String,
}

impl StatementText {
    /// Checks lengths and trims.
    pub fn new(title: &str, body: &str) -> CoreResult<Self> {
        let title = title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(CoreError::InvalidLength { field: "title", max: MAX_TITLE });
        }
        let body = body.trim();
        if body.is_empty() || body.chars().count() > MAX_SUMMARY {
            return Err(CoreError::InvalidLength { field: "text", max: MAX_SUMMARY });
        }
        Ok(Self { title: title.to_string(), body: body.to_string() })
    }
}

/// One invited organisation and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitation {
    /// The organisation.
    pub org: OrgId,
    /// Its answer.
    pub answer: Answer,
    /// When it answered.
    #[serde(with = "time::serde::rfc3339::option")]
    pub answered_at: Option<OffsetDateTime>,
    /// Who answered for it.
    pub answered_by: Option<UserId>,
}

/// A joint statement as its readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// Its id.
    pub id: String,
    /// The case it was drafted on (shown only to the case's readers).
    pub case_id: CaseId,
    /// The drafting organisation (always a signatory).
    pub org_id: OrgId,
    /// Where it stands.
    pub status: StatementStatus,
    /// Title and text (frozen once published).
    pub text: StatementText,
    /// The organisations invited, with their answers.
    pub invitations: Vec<Invitation>,
    /// Once published: the drafting organisation and those that had joined, frozen.
    pub signatories: Vec<OrgId>,
    /// When it was drafted.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// When it was published.
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<OffsetDateTime>,
}

impl Statement {
    /// Who would sign if it were published now: the drafting organisation, then those that
    /// have joined, in the order invited.
    pub fn signing_now(&self) -> Vec<OrgId> {
        std::iter::once(self.org_id)
            .chain(self.invitations.iter().filter(|i| i.answer == Answer::Joined).map(|i| i.org))
            .collect()
    }

    /// Whether `org` was invited.
    pub fn invites(&self, org: OrgId) -> bool {
        self.invitations.iter().any(|i| i.org == org)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_checked_and_answers_read() {
        assert!(StatementText::new(" ", "x").is_err());
        assert!(StatementText::new("t", " ").is_err());
        assert_eq!(StatementText::new(" Free Ana ", " We call ").unwrap().body, "We call");
        assert_eq!("Join".parse::<Answer>().unwrap(), Answer::Joined);
        assert_eq!("no answer".parse::<Answer>().unwrap(), Answer::NoAnswer);
    }
}
