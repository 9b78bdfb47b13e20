//! `steward audit verify`.

use crate::config::Config;
use anyhow::{bail, Result};

pub async fn verify(config: &Config) -> Result<()> {
    let store = super::open(config).await?;
    let report = store.verify_audit().await?;
    store.close().await;
    match report.broken {
        None => {
            println!("Audit trail intact: {} entries verified.", report.entries);
            Ok(())
        }
        Some(b) => bail!("audit trail BROKEN: {b}; the {} entries before it verify", report.entries),
    }
}
