//! The store's errors: what the caller did wrong apart from what went wrong inside.

/// A failed store operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No record of this kind with this key.
    #[error("no {entity} '{key}'")]
    NotFound {
        /// Kind of record.
        entity: &'static str,
        /// The key that was looked up.
        key: String,
    },
    /// A unique field already holds this value.
    #[error("{entity} with this {field} already exists: '{value}'")]
    Conflict {
        /// Kind of record.
        entity: &'static str,
        /// The field that must be unique.
        field: &'static str,
        /// The value given.
        value: String,
    },
    /// The database URL is not one Steward understands.
    #[error("'{0}' is not a database URL Steward understands (use sqlite://PATH or postgres://USER@HOST/DB)")]
    UnsupportedUrl(String),
    /// The database could not be reached or opened.
    #[error("could not connect to the database at {target}: {reason}")]
    Connect {
        /// The database, without credentials.
        target: String,
        /// Why.
        reason: String,
    },
    /// A migration failed; nothing of it was applied.
    #[error("database migration failed (nothing of it was applied): {0}")]
    Migrate(String),
    /// A stored value could not be read back as the domain expects.
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    /// A sealed value could not be opened (wrong key file, or tampering).
    #[error("{0}")]
    Sealed(#[from] steward_core::seal::SealError),
    /// Sensitive data was touched but no encryption keys were loaded.
    #[error("this operation needs the encryption keys (key_file in the configuration), and none are loaded")]
    NoKeyring,
    /// The keys loaded are not the ones this database's data is sealed with.
    #[error("the encryption keys loaded (key file or STEWARD_KEYS) are not this database's keys; use the key file made with this database")]
    WrongKeyring,
    /// The keys were rotated (`steward keys rotate`) while this process ran with the old ones:
    /// what it would seal now could not be opened once the old key is retired.
    #[error("the encryption keys were rotated while this server ran; restart it so that it loads the new key file (nothing was written)")]
    KeysRotated,
    /// The change breaks a domain rule (a status that cannot follow, a victim not on the case).
    #[error("{0}")]
    Invalid(#[from] steward_core::CoreError),
    /// The caller may see the record but not change it this way; says why.
    #[error("{0}")]
    Refused(String),
    /// Anything else the database reported.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// Whether this is the caller's mistake (not found, conflict) rather than the system's.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            StoreError::NotFound { .. } | StoreError::Conflict { .. } | StoreError::Invalid(_) | StoreError::Refused(_)
        )
    }
}

/// Result alias for the store.
pub type StoreResult<T> = Result<T, StoreError>;

/// Maps a unique-constraint violation to [`StoreError::Conflict`], leaving other errors alone.
pub(crate) fn conflict_on<'a>(
    entity: &'static str,
    field: &'static str,
    value: &'a str,
) -> impl FnOnce(StoreError) -> StoreError + 'a {
    move |e| match &e {
        StoreError::Database(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            StoreError::Conflict { entity, field, value: value.to_string() }
        }
        _ => e,
    }
}
