//! The audit trail (administrators).

use crate::auth::ApiCaller;
use crate::error::AppResult;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use steward_core::role::Permission;
use utoipa::{IntoParams, ToSchema};

/// One entry of the trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryOut {
    seq: i64,
    at: String,
    actor: String,
    actor_user_id: Option<String>,
    action: String,
    entity: String,
    entity_id: String,
    /// JSON: `{"before": ..., "after": ...}`.
    summary: serde_json::Value,
    prev_hash: String,
    hash: String,
}

/// A page of the trail, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPageOut {
    entries: Vec<AuditEntryOut>,
    /// Pass as `before` for the next page.
    next_before: Option<i64>,
}

/// Paging.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Entries with a sequence number below this.
    before: Option<i64>,
    /// At most this many (1 to 500, default 100).
    limit: Option<i64>,
}

/// The result of verifying the chain.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyOut {
    ok: bool,
    entries: i64,
    /// The first broken entry, if any.
    broken_seq: Option<i64>,
    reason: Option<String>,
}

/// Reads the trail.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPageOut), (status = 403, description = "Not an administrator")))]
pub async fn list_audit(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Query(q): Query<AuditQuery>,
) -> AppResult<Json<AuditPageOut>> {
    caller.require(Permission::ViewAudit)?;
    let page = state.store.audit_page(q.before, q.limit.unwrap_or(100)).await?;
    Ok(Json(AuditPageOut {
        entries: page
            .entries
            .into_iter()
            .map(|e| AuditEntryOut {
                seq: e.seq,
                at: steward_core::clock::rfc3339(e.at),
                summary: serde_json::from_str(&e.summary).unwrap_or(serde_json::Value::String(e.summary)),
                actor: e.actor,
                actor_user_id: e.actor_user_id,
                action: e.action,
                entity: e.entity,
                entity_id: e.entity_id,
                prev_hash: e.prev_hash,
                hash: e.hash,
            })
            .collect(),
        next_before: page.next_before,
    }))
}

/// Verifies the whole chain.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = VerifyOut), (status = 403, description = "Not an administrator")))]
pub async fn verify_audit(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> AppResult<Json<VerifyOut>> {
    caller.require(Permission::ViewAudit)?;
    let r = state.store.verify_audit().await?;
    Ok(Json(VerifyOut {
        ok: r.broken.is_none(),
        entries: r.entries,
        broken_seq: r.broken.as_ref().map(|b| b.seq),
        reason: r.broken.map(|b| b.reason),
    }))
}
