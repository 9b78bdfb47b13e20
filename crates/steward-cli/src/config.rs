//! One typed configuration, layered: defaults, then a TOML file (`--config`), then `STEWARD_*`
//! environment variables and command-line flags (clap reads both; a flag beats its variable).

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// What may appear in the TOML file. Every field is optional; unknown fields are an error so
/// that a typo is not silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub bind: Option<String>,
    pub admin_email: Option<String>,
    pub admin_org: Option<String>,
    pub cookie_secure: Option<bool>,
    pub session_hours: Option<i64>,
    pub max_body_bytes: Option<usize>,
    pub trust_forwarded_for: Option<bool>,
    pub key_file: Option<PathBuf>,
    pub clock_scan_seconds: Option<u64>,
    pub allow_private_webhooks: Option<bool>,
}

/// The effective configuration.
#[derive(Clone)]
pub struct Config {
    /// `sqlite://...` or `postgres://...`; derived from `data_dir` when not given.
    pub database_url: String,
    /// Folder of the embedded database (created when needed).
    pub data_dir: PathBuf,
    pub bind: SocketAddr,
    pub admin_email: String,
    pub admin_org: String,
    pub cookie_secure: bool,
    pub session_hours: i64,
    pub max_body_bytes: usize,
    pub trust_forwarded_for: bool,
    /// Seconds between scans of the response clocks; 0 turns notifications off.
    pub clock_scan_seconds: u64,
    /// Let webhooks point at loopback and private-network addresses.
    pub allow_private_webhooks: bool,
    /// The encryption keys' file (kept outside the database).
    pub key_file: PathBuf,
    /// The keys themselves, when given in `STEWARD_KEYS` instead of a file (never printed).
    pub keys_text: Option<String>,
}

/// Hides the database password, which may be in the URL.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact(&self.database_url))
            .field("data_dir", &self.data_dir)
            .field("bind", &self.bind)
            .field("admin_email", &self.admin_email)
            .field("admin_org", &self.admin_org)
            .field("cookie_secure", &self.cookie_secure)
            .field("session_hours", &self.session_hours)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("clock_scan_seconds", &self.clock_scan_seconds)
            .field("allow_private_webhooks", &self.allow_private_webhooks)
            .field("key_file", &self.key_file)
            .field("keys_text", &self.keys_text.as_ref().map(|_| "(set)"))
            .finish()
    }
}

pub use steward_store::redact;

/// Values given on the command line or in the environment.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub bind: Option<String>,
    pub key_file: Option<PathBuf>,
    pub keys_text: Option<String>,
}

impl Config {
    /// Layers the defaults, the file and the overrides.
    pub fn load(o: &Overrides) -> Result<Config> {
        let file = match &o.config_file {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let data_dir = o.data_dir.clone().or(file.data_dir).unwrap_or_else(|| PathBuf::from("steward-data"));
        let database_url = match o.database_url.clone().or(file.database_url).filter(|u| !u.trim().is_empty()) {
            Some(url) => url,
            None => format!("sqlite://{}", data_dir.join("steward.db").display()),
        };
        let bind_text = o.bind.clone().or(file.bind).unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_text
            .parse()
            .with_context(|| format!("bind address '{bind_text}' is not IP:PORT (for example 127.0.0.1:8080)"))?;
        let session_hours = file.session_hours.unwrap_or(12);
        if !(1..=24 * 30).contains(&session_hours) {
            bail!("session_hours must be between 1 and 720, not {session_hours}");
        }
        let max_body_bytes = file.max_body_bytes.unwrap_or(1024 * 1024);
        if max_body_bytes < 1024 {
            bail!("max_body_bytes must be at least 1024, not {max_body_bytes}");
        }
        let clock_scan_seconds = file.clock_scan_seconds.unwrap_or(60);
        if clock_scan_seconds > 3600 {
            bail!("clock_scan_seconds must be at most 3600 (a one-hour clock needs checking more often), not {clock_scan_seconds}");
        }
        let key_file = o.key_file.clone().or(file.key_file).unwrap_or_else(|| data_dir.join("steward.key"));
        Ok(Config {
            database_url,
            key_file,
            keys_text: o.keys_text.clone().filter(|k| !k.trim().is_empty()),
            data_dir,
            // Browsers refuse Secure cookies over plain HTTP except on loopback, where they are
            // not needed; anywhere else Steward must sit behind TLS, so Secure is the default.
            cookie_secure: file.cookie_secure.unwrap_or(!bind.ip().is_loopback()),
            bind,
            admin_email: file.admin_email.unwrap_or_else(|| "admin@steward.local".into()),
            admin_org: file.admin_org.unwrap_or_else(|| "Steward administrators".into()),
            session_hours,
            max_body_bytes,
            trust_forwarded_for: file.trust_forwarded_for.unwrap_or(false),
            clock_scan_seconds,
            allow_private_webhooks: file.allow_private_webhooks.unwrap_or(false),
        })
    }

    /// Whether the database is the embedded SQLite file.
    pub fn is_embedded(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

fn read_file(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the configuration file {}", path.display()))?;
    toml::from_str(&text)
        .map_err(|e| anyhow::anyhow!("configuration file {}: {}", path.display(), e.to_string().replace('\n', " ")))
}

/// `steward config example`: every setting, commented.
pub const EXAMPLE: &str = r#"# Steward configuration. Pass it with --config FILE (or STEWARD_CONFIG=FILE).
# Precedence: built-in defaults < this file < STEWARD_* environment variables < command-line flags.

# The database. Leave unset to use the embedded SQLite file under data_dir.
# On PostgreSQL, several `steward serve` processes can share one database.
# database_url = "postgres://steward:PASSWORD@127.0.0.1:5432/steward"   # or STEWARD_DATABASE_URL

# Folder of the embedded database (created on first start).          # or STEWARD_DATA_DIR, --data-dir
data_dir = "steward-data"

# Address and port to listen on.                                      # or STEWARD_BIND, --bind
bind = "127.0.0.1:8080"

# The first administrator, created on the very first start with a one-time password printed once.
admin_email = "admin@steward.local"
admin_org = "Steward administrators"

# Mark cookies Secure (HTTPS only). Defaults to true unless bind is a loopback address.
# cookie_secure = true

# How long a sign-in lasts, in hours (1 to 720).
session_hours = 12

# Largest request body accepted, in bytes.
max_body_bytes = 1048576

# Behind a reverse proxy that sets X-Forwarded-For, take the client address from it
# (used to throttle failed sign-ins per address). Never enable without such a proxy.
trust_forwarded_for = false

# How often, in seconds, to check the response clocks and notify (in the application and by
# webhook) when one is due soon or overdue. 0 turns the checks off on this server; with several
# servers on one database any may check: each event is announced once.
clock_scan_seconds = 60

# Organisations' webhooks may not point at this machine or a private network (10.x, 192.168.x,
# localhost...), so that no one can use a webhook to reach internal services. Allow it when the
# receiving systems live on your own network.
allow_private_webhooks = false

# The keys that encrypt case data at rest (names, contacts, narratives). Created on first start.
# Keep it apart from the database and back it up apart from it: without it the sealed data is
# unreadable. `steward keys rotate` replaces the key and re-encrypts. The keys can instead be given
# in the STEWARD_KEYS environment variable (the file's text, lines separated by ';').
# key_file = "steward-data/steward.key"                                # or STEWARD_KEY_FILE, --key-file
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses_and_flags_beat_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("steward.toml");
        std::fs::write(&path, EXAMPLE).unwrap();
        let c = Config::load(&Overrides {
            config_file: Some(path.clone()),
            bind: Some("127.0.0.1:9999".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.bind.port(), 9999);
        assert_eq!(c.database_url, "sqlite://steward-data/steward.db");
        assert!(!c.cookie_secure);
        std::fs::write(&path, "bnd = 1").unwrap();
        let err = Config::load(&Overrides { config_file: Some(path), ..Default::default() }).unwrap_err();
        assert!(format!("{err:#}").contains("unknown field"), "{err:#}");
    }

    #[test]
    fn debug_hides_the_password() {
        let c =
            Config::load(&Overrides { database_url: Some("postgres://u:hunter2@h/db".into()), ..Default::default() })
                .unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
