//! `steward serve`: migrate, create the first administrator once, listen, serve until a signal.

use crate::config::{redact, Config};
use anyhow::{Context, Result};
use steward_core::credential::{generate_password, hash_password};
use steward_core::email::Email;
use steward_core::org::{NewOrg, OrgKind};
use steward_core::role::Role;
use steward_core::user::{display_name, NewUser};
use steward_server::{AppState, ServerConfig};

pub async fn run(config: &Config) -> Result<()> {
    let store = super::open(config).await?;
    first_start(config, &store).await?;
    if let Some(e) = super::lists::ensure_default(&store).await? {
        println!("Loaded the shipped {} ({} rows).", e.label(), e.rows);
    }
    let listener = tokio::net::TcpListener::bind(config.bind).await.map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::AddrInUse => {
                "the port is already in use (is another Steward running? choose another with --bind)"
            }
            std::io::ErrorKind::PermissionDenied => {
                "permission denied (ports below 1024 need privileges; choose another with --bind)"
            }
            _ => "check the address with --bind",
        };
        anyhow::anyhow!("could not listen on {}: {e}; {hint}", config.bind)
    })?;
    let server_config = ServerConfig {
        cookie_secure: config.cookie_secure,
        session_hours: config.session_hours,
        max_body_bytes: config.max_body_bytes,
        trust_forwarded_for: config.trust_forwarded_for,
        clock_scan_seconds: config.clock_scan_seconds,
        allow_private_webhooks: config.allow_private_webhooks,
        ..ServerConfig::default()
    };
    println!("Steward is serving at http://{} on {}", config.bind, redact(&config.database_url));
    tracing::info!(?config, "serving");
    steward_server::serve(listener, AppState::new(store.clone(), server_config), shutdown_signal())
        .await
        .context("the server stopped with an error")?;
    store.close().await;
    Ok(())
}

/// On the very first start, creates the first administrator and prints the login and a
/// one-time password, once. Later starts find users and do nothing.
async fn first_start(config: &Config, store: &steward_store::Store) -> Result<()> {
    let email = Email::parse(&config.admin_email).context("admin_email in the configuration")?;
    let org = NewOrg::new(&config.admin_org, OrgKind::Multilateral, None).context("admin_org in the configuration")?;
    let password = generate_password();
    let name = display_name(Some("Administrator"), &email)?;
    let created = store
        .bootstrap_admin(org, |org_id| NewUser {
            email: email.clone(),
            display_name: name,
            org_id,
            role: Role::Admin,
            password_hash: hash_password(&password),
            must_change_password: true,
        })
        .await?;
    if let Some(admin) = created {
        println!("First start: created the administrator account.");
        println!("  login:    {}", admin.email);
        println!("  one-time password (shown only now; you will choose your own at first sign-in):");
        println!("{password}");
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
