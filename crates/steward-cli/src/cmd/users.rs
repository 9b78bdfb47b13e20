//! `steward users create|list|disable|enable|reset-password`.

use crate::config::Config;
use anyhow::{Context, Result};
use clap::Subcommand;
use std::io::BufRead;
use steward_core::audit::Actor;
use steward_core::credential::{check_new_password, generate_password, hash_password};
use steward_core::email::Email;
use steward_core::role::Role;
use steward_core::user::{display_name, NewUser};

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create a user; prints a one-time password alone on the last line
    Create {
        #[arg(long)]
        email: String,
        /// The organisation's name
        #[arg(long)]
        org: String,
        /// admin, coordinator, analyst, partner or viewer
        #[arg(long)]
        role: String,
        /// Display name (default: the part of the email before @)
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input instead of generating a one-time one
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users, one a line: email, role, organisation, status, name
    List,
    /// Disable a user: no sign-in, no API tokens, sessions ended
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Re-enable a disabled user
    Enable {
        #[arg(long)]
        email: String,
    },
    /// Give a user a new one-time password, printed alone on the last line
    ResetPassword {
        #[arg(long)]
        email: String,
        /// Read the new password from standard input instead
        #[arg(long)]
        password_stdin: bool,
    },
}

fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("could not read the password from standard input")?;
    let pw = line.trim_end_matches(['\n', '\r']).to_string();
    check_new_password(&pw)?;
    Ok(pw)
}

pub async fn run(config: &Config, command: UsersCommand) -> Result<()> {
    let store = super::open(config).await?;
    match command {
        UsersCommand::Create { email, org, role, name, password_stdin } => {
            let email = Email::parse(&email)?;
            let role: Role = role.parse()?;
            let org = store.org_by_name(&org).await.with_context(|| {
                format!(
                    "no organisation named '{org}' (create it with `steward orgs create`, or see `steward orgs list`)"
                )
            })?;
            let (password, one_time) =
                if password_stdin { (read_password()?, false) } else { (generate_password(), true) };
            let new = NewUser {
                display_name: display_name(name.as_deref(), &email)?,
                email,
                org_id: org.id,
                role,
                password_hash: hash_password(&password),
                must_change_password: one_time,
            };
            let user = store.create_user(&Actor::cli(), new).await?;
            println!("Created user {} ({} of {}).", user.email, user.role, org.name);
            if one_time {
                println!("One-time password (shown once; it must be replaced at first sign-in):");
                println!("{password}");
            }
        }
        UsersCommand::List => {
            let orgs = store.orgs().await?;
            for u in store.users().await? {
                let org = orgs.iter().find(|o| o.id == u.org_id).map(|o| o.name.as_str()).unwrap_or("-");
                let status = if u.disabled { "disabled" } else { "active" };
                println!("{}\t{}\t{}\t{}\t{}", u.email, u.role, org, status, u.display_name);
            }
        }
        UsersCommand::Disable { email } => {
            let user = store.user_by_email(&Email::parse(&email)?).await?;
            store.set_user_disabled(&Actor::cli(), user.id, true).await?;
            println!("Disabled {}; their sessions and tokens no longer work.", user.email);
        }
        UsersCommand::Enable { email } => {
            let user = store.user_by_email(&Email::parse(&email)?).await?;
            store.set_user_disabled(&Actor::cli(), user.id, false).await?;
            println!("Enabled {}.", user.email);
        }
        UsersCommand::ResetPassword { email, password_stdin } => {
            let user = store.user_by_email(&Email::parse(&email)?).await?;
            if password_stdin {
                let pw = read_password()?;
                store.set_password(&Actor::cli(), user.id, &hash_password(&pw), false, None).await?;
                println!("Password of {} replaced; their sessions were ended.", user.email);
            } else {
                let pw = generate_password();
                store.set_password(&Actor::cli(), user.id, &hash_password(&pw), true, None).await?;
                println!("One-time password for {} (shown once; it must be replaced at first sign-in):", user.email);
                println!("{pw}");
            }
        }
    }
    store.close().await;
    Ok(())
}
