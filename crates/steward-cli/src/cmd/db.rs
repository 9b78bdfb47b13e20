//! `steward db migrate`.

use crate::config::{redact, Config};
use anyhow::Result;

pub async fn migrate(config: &Config) -> Result<()> {
    let store = super::open(config).await?;
    store.close().await;
    println!("Database at {} is up to date.", redact(&config.database_url));
    Ok(())
}
