//! `steward tokens create|revoke|list`.

use crate::config::Config;
use anyhow::{Context, Result};
use clap::Subcommand;
use steward_core::audit::Actor;
use steward_core::credential::{generate_token, secret_hash};
use steward_core::email::Email;

#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// Create an API token for a user; prints it alone on the last line (it is not stored)
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// Revoke a token, given the token itself or its id
    Revoke {
        /// The token (stw_...) or its id (from `steward tokens list`)
        token_or_id: String,
    },
    /// List a user's tokens, one a line: id, name, created, status
    List {
        #[arg(long)]
        email: String,
    },
}

pub async fn run(config: &Config, command: TokensCommand) -> Result<()> {
    let store = super::open(config).await?;
    match command {
        TokensCommand::Create { email, name } => {
            let user = store.user_by_email(&Email::parse(&email)?).await?;
            let name = steward_core::user::bounded("token name", &name, 100)?;
            let token = generate_token();
            store.create_token(&Actor::cli(), user.id, &name, &secret_hash(&token)).await?;
            println!("API token '{name}' for {} (shown once; send it as 'Authorization: Bearer TOKEN'):", user.email);
            println!("{token}");
        }
        TokensCommand::Revoke { token_or_id } => {
            let id = if token_or_id.starts_with("stw_") {
                store.token_by_hash(&secret_hash(&token_or_id)).await?.id
            } else {
                token_or_id
                    .parse()
                    .with_context(|| format!("'{token_or_id}' is neither a token (stw_...) nor a token id"))?
            };
            store.revoke_token(&Actor::cli(), id, None).await?;
            println!("Revoked token {id}.");
        }
        TokensCommand::List { email } => {
            let user = store.user_by_email(&Email::parse(&email)?).await?;
            for t in store.tokens_of(user.id).await? {
                let status = if t.revoked_at.is_some() { "revoked" } else { "active" };
                println!("{}\t{}\t{}\t{}", t.id, t.name, steward_core::clock::rfc3339(t.created_at), status);
            }
        }
    }
    store.close().await;
    Ok(())
}
