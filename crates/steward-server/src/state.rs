//! What every handler can reach: the store and the server's settings. All state lives in the
//! database, so any number of server processes can serve the same users; the one thing held in
//! memory, the screening index, is a cache rebuilt whenever the lists in force change.

use std::sync::Arc;
use steward_store::Store;

/// Settings the server needs, given by the binary (libraries never read the environment).
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Mark cookies `Secure`. Off only for plain HTTP on a loopback address.
    pub cookie_secure: bool,
    /// How long a session lasts, in hours.
    pub session_hours: i64,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Failed sign-ins allowed per account in 15 minutes.
    pub max_failures_per_account: i64,
    /// Failed sign-ins allowed per address in 15 minutes.
    pub max_failures_per_address: i64,
    /// Seconds between scans of the response clocks (notifications and webhooks); 0 scans never.
    pub clock_scan_seconds: u64,
    /// Let organisations point webhooks at loopback and private-network addresses (an
    /// installation whose receivers live on its own network). Off by default, so that a webhook
    /// cannot be used to make the server call its own internal services.
    pub allow_private_webhooks: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            cookie_secure: true,
            session_hours: 12,
            max_body_bytes: 1024 * 1024,
            trust_forwarded_for: false,
            max_failures_per_account: 5,
            max_failures_per_address: 50,
            clock_scan_seconds: 60,
            allow_private_webhooks: false,
        }
    }
}

/// Shared by all handlers; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Server settings.
    pub config: Arc<ServerConfig>,
    /// The screening index, a cache of the lists in force (see `screening.rs`).
    pub(crate) screening: Arc<tokio::sync::RwLock<Option<Arc<crate::screening::Screening>>>>,
    /// This process's key for writing callers' network addresses as keyed hashes (see
    /// `ui::login::address_key`): made at start and never stored, so the counters kept in the
    /// database cannot be turned back into who sent an alert from where.
    pub(crate) address_secret: Arc<[u8; 32]>,
}

impl AppState {
    /// State over `store` with `config`.
    pub fn new(store: Store, config: ServerConfig) -> Self {
        Self { store, config: Arc::new(config), screening: Arc::default(), address_secret: Arc::new(rand::random()) }
    }
}
