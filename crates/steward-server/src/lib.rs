//! Steward's HTTP face: the JSON API under `/api/v1` and the server-rendered web interface.
//!
//! This is the only crate that knows HTTP and HTML. It holds no state of its own: sessions,
//! throttles and settings live in the store, so several `steward serve` processes behind a load
//! balancer behave as one service. Authorisation is asked of `steward-core`'s permission table
//! by each handler (see `auth.rs`); errors are one enum (`error.rs`).

pub mod api;
pub mod auth;
pub mod charts;
mod cookies;
pub mod error;
pub mod notify;
pub mod registry;
mod screening;
mod security;
pub mod sheets;
pub mod state;
pub mod totp;
pub mod ui;

pub use state::{AppState, ServerConfig};

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// The whole application: API, pages, health check, and the layers every response passes.
pub fn router(state: AppState) -> Router {
    let limit = state.config.max_body_bytes;
    Router::new()
        .route("/healthz", get(healthz))
        .merge(api::routes())
        .merge(ui::routes())
        .fallback(ui::not_found)
        .layer(axum::middleware::from_fn(ui::render_errors))
        .layer(axum::middleware::from_fn(move |req, next| security::limit_body(limit, req, next)))
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    if state.store.ping().await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let scanner = (state.config.clock_scan_seconds > 0).then(|| {
        notify::spawn_clock_scanner(state.clone(), std::time::Duration::from_secs(state.config.clock_scan_seconds))
    });
    let served = axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await;
    if let Some(scanner) = scanner {
        scanner.abort();
    }
    served
}
