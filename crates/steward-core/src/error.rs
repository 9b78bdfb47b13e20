//! Errors for invalid domain values. Each says what was wrong and what would be accepted.

/// A value that the domain rules reject.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CoreError {
    /// An email address that is not of the form `local@domain`.
    #[error("'{value}' is not an email address (expected something like name@example.org)")]
    InvalidEmail {
        /// What was given.
        value: String,
    },
    /// An organisation kind outside the fixed list.
    #[error("'{value}' is not an organisation kind; use one of: government, workers, civil-society, company, philanthropy, multilateral")]
    InvalidOrgKind {
        /// What was given.
        value: String,
    },
    /// A role outside the fixed list.
    #[error("'{value}' is not a role; use one of: admin, coordinator, analyst, partner, viewer")]
    InvalidRole {
        /// What was given.
        value: String,
    },
    /// A country name or code that no ISO 3166-1 entry or known variant matches.
    #[error("'{value}' is not a known country or territory (use an ISO 3166-1 alpha-2 code such as KH, or a name such as Cambodia)")]
    InvalidCountry {
        /// What was given.
        value: String,
    },
    /// A list format Steward does not read.
    #[error("'{value}' is not a list kind Steward reads; use: tvpra, eo13126, uflpa, wro, csv, ftm")]
    InvalidListKind {
        /// What was given.
        value: String,
    },
    /// An entity schema outside FollowTheMoney's party schemas.
    #[error("'{value}' is not an entity schema; use Company, Person, Organization or LegalEntity")]
    InvalidSchema {
        /// What was given.
        value: String,
    },
    /// A name that is empty or too long.
    #[error("{field} must be between 1 and {max} characters")]
    InvalidLength {
        /// Which field.
        field: &'static str,
        /// Its maximum length in characters.
        max: usize,
    },
    /// A term outside one of the closed vocabularies.
    #[error("'{value}' is not a {what}; use one of: {allowed}")]
    InvalidTerm {
        /// Which vocabulary.
        what: &'static str,
        /// What was given (at most 80 characters of it).
        value: String,
        /// The terms accepted.
        allowed: String,
    },
    /// A record cannot move from one status to another.
    #[error("a {what} cannot go from '{from}' to '{to}'")]
    InvalidTransition {
        /// What kind of record.
        what: &'static str,
        /// Its status now.
        from: &'static str,
        /// The status asked for.
        to: &'static str,
    },
    /// A date that is not YYYY, YYYY-MM or YYYY-MM-DD, or a range that ends before it starts.
    #[error("'{value}' is not a date Steward reads for {field}: {reason}")]
    InvalidDate {
        /// Which field.
        field: &'static str,
        /// What was given (at most 80 characters of it).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A value that refers to something the record does not have.
    #[error("{field}: {reason}")]
    InvalidReference {
        /// Which field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A password too short to be safe.
    #[error("the password must be at least {min} characters long")]
    WeakPassword {
        /// The minimum length.
        min: usize,
    },
}

/// Result alias for domain validation.
pub type CoreResult<T> = Result<T, CoreError>;
