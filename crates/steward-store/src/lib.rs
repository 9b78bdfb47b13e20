//! Steward's storage: the only crate that knows SQL.
//!
//! One [`Store`] runs on an embedded SQLite file or on PostgreSQL, chosen at runtime by the URL.
//! Queries are written once in the SQL both share (see `sql.rs`); only the migrations differ by
//! dialect. Every change goes through a [`write`](Store) transaction that appends to the audit
//! chain in the same transaction, so a change without its audit entry cannot be committed.
//!
//! Nothing here caches state in memory: several server processes on one PostgreSQL database see
//! the same sessions, throttles and settings.

mod actions;
mod alerts;
mod audit;
mod case_edits;
#[macro_use]
mod cases;
mod connect;
mod editions;
mod error;
mod highlights;
mod incidents;
mod keys;
mod notices;
mod notifications;
mod orgs;
mod registries;
mod reports;
mod sessions;
mod settings;
mod sources;
mod sql;
mod statements;
#[doc(hidden)]
pub mod testing;
mod throttle;
mod tokens;
mod users;
mod write;

pub use actions::ActionDraft;
pub use alerts::{Alert, AlertReceipt, AlertView};
pub use audit::{AuditPage, VerifyReport};
pub use case_edits::Revision;
pub use cases::Opened;
pub use connect::{redact, Backend};
pub use editions::{EditionRows, Imported};
pub use error::{StoreError, StoreResult};
pub use notices::{Notice, NoticeKind};
pub use notifications::{ClockEvent, Delivery, Notification, Recorded, Webhook, WebhookTarget, MAX_WEBHOOK_URL};
pub use registries::{RegistryAlert, Screened};
pub use sessions::{NewSession, Session};
pub use statements::MAX_INVITED;
pub use tokens::ApiToken;
pub use users::UserCredentials;

use sql::Db;
use std::sync::Arc;
use steward_core::seal::Keyring;

/// Steward's database, on either backend.
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
    /// Seals and opens sensitive fields; set by the binary from a key kept outside the database.
    keyring: Option<Arc<Keyring>>,
}

impl Store {
    /// The store, sealing and opening sensitive fields with `keyring`.
    pub fn with_keyring(mut self, keyring: Arc<Keyring>) -> Self {
        self.keyring = Some(keyring);
        self
    }

    pub(crate) fn keyring(&self) -> StoreResult<&Keyring> {
        self.keyring.as_deref().ok_or(StoreError::NoKeyring)
    }
}
