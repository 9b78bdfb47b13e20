//! The audit trail for administrators, with the chain's verification.

use super::{page, Layout, Signed};
use crate::error::AppResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use steward_core::audit::AuditEntry;
use steward_core::role::Permission;

#[derive(Template)]
#[template(path = "audit/list.html")]
struct AuditPage {
    layout: Layout,
    entries: Vec<AuditEntry>,
    next_before: Option<i64>,
    verified: i64,
    broken: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
}

pub async fn list_audit(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    signed.caller.require(Permission::ViewAudit)?;
    let p = state.store.audit_page(q.before, 100).await?;
    let report = state.store.verify_audit().await?;
    page(&AuditPage {
        layout: Layout::for_user(&signed, "audit"),
        entries: p.entries,
        next_before: p.next_before,
        verified: report.entries,
        broken: report.broken.map(|b| b.to_string()),
    })
}

/// Formats a timestamp for the trail.
pub(crate) fn when(t: &time::OffsetDateTime) -> String {
    steward_core::clock::rfc3339(*t).replace('T', " ").chars().take(19).collect::<String>() + " UTC"
}
