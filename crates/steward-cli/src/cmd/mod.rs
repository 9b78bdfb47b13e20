//! One module per subcommand.

pub mod audit;
pub mod bench;
pub mod bench_cases;
pub mod bench_match;
pub mod bench_screen;
pub mod compare;
pub mod db;
pub mod demo;
pub mod keys;
pub mod lists;
pub mod orgs;
pub mod screen;
pub mod serve;
pub mod tokens;
pub mod users;

use crate::config::{redact, Config};
use anyhow::{Context, Result};
use steward_store::Store;

/// Opens and migrates the configured database, creating the embedded one's folder if needed.
pub async fn open(config: &Config) -> Result<Store> {
    if config.is_embedded() {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "could not create the data folder {} (check permissions or pass --data-dir)",
                config.data_dir.display()
            )
        })?;
    }
    let store = Store::connect(&config.database_url).await?;
    store
        .migrate()
        .await
        .with_context(|| format!("could not bring the database at {} up to date", redact(&config.database_url)))?;
    let keyring = keys::load_or_create(config, &store).await?;
    Ok(store.with_keyring(keyring))
}

/// Peak resident memory of this process, from the kernel (Linux); `None` elsewhere.
pub fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
