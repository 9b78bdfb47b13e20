//! `steward orgs create|list`.

use crate::config::Config;
use anyhow::Result;
use clap::Subcommand;
use steward_core::audit::Actor;
use steward_core::org::{NewOrg, OrgKind};

#[derive(Debug, Subcommand)]
pub enum OrgsCommand {
    /// Create an organisation
    Create {
        /// Unique name
        #[arg(long)]
        name: String,
        /// government, workers, civil-society, company, philanthropy or multilateral
        #[arg(long)]
        kind: String,
        /// Home country: ISO code or name
        #[arg(long)]
        country: Option<String>,
    },
    /// List organisations, one a line: name, kind, country, id
    List,
}

pub async fn run(config: &Config, command: OrgsCommand) -> Result<()> {
    let store = super::open(config).await?;
    match command {
        OrgsCommand::Create { name, kind, country } => {
            let kind: OrgKind = kind.parse()?;
            let org = store.create_org(&Actor::cli(), NewOrg::new(&name, kind, country.as_deref())?).await?;
            println!("Created organisation '{}' ({}), id {}", org.name, org.kind, org.id);
        }
        OrgsCommand::List => {
            for o in store.orgs().await? {
                println!("{}\t{}\t{}\t{}", o.name, o.kind, o.country.as_deref().unwrap_or("-"), o.id);
            }
        }
    }
    store.close().await;
    Ok(())
}
