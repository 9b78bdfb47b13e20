//! Notifications over the API (response clocks running out on cases the caller can act on) and
//! the caller's organisation's webhook.

use super::cases::viewer;
use super::ApiJson;
use crate::auth::{ApiCaller, Caller};
use crate::error::AppResult;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use steward_core::role::Permission;
use steward_store::{Notice, Notification};
use utoipa::ToSchema;

/// One notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationOut {
    pub(crate) id: String,
    /// The case.
    pub(crate) case: String,
    /// The case's title, or its pseudonym when it has one.
    pub(crate) case_title: String,
    /// acknowledge or first_action.
    pub(crate) clock: String,
    /// due_soon or overdue.
    pub(crate) state: String,
    /// When the clock runs (or ran) out.
    pub(crate) due: String,
    /// When it was noticed.
    pub(crate) at: String,
    pub(crate) read_at: Option<String>,
}

impl From<&Notification> for NotificationOut {
    fn from(n: &Notification) -> Self {
        Self {
            id: n.id.clone(),
            case: n.case.id.to_string(),
            case_title: n.case.display_title().to_string(),
            clock: n.event.clock.clone(),
            state: n.event.state.as_str().to_string(),
            due: steward_core::clock::rfc3339(n.event.due),
            at: steward_core::clock::rfc3339(n.event.at),
            read_at: n.read_at.map(steward_core::clock::rfc3339),
        }
    }
}

/// One notice: an alert waiting at the caller's desk, an invitation to co-sign, an action or a
/// case given to the caller. It names nothing of the record; its link leads there.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeOut {
    pub(crate) id: String,
    /// alert, statement, action or assigned.
    pub(crate) kind: &'static str,
    /// What happened, in words.
    pub(crate) text: &'static str,
    /// Where to act on it.
    pub(crate) link: String,
    pub(crate) at: String,
    pub(crate) read_at: Option<String>,
}

impl From<&Notice> for NoticeOut {
    fn from(n: &Notice) -> Self {
        Self {
            id: n.id.clone(),
            kind: n.kind.as_str(),
            text: n.kind.sentence(),
            link: n.link(),
            at: steward_core::clock::rfc3339(n.created_at),
            read_at: n.read_at.map(steward_core::clock::rfc3339),
        }
    }
}

/// The caller's notifications.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationsOut {
    /// How many are unread, notices included.
    pub(crate) unread: i64,
    /// Response clocks, newest first.
    pub(crate) notifications: Vec<NotificationOut>,
    /// Notices, newest first.
    pub(crate) notices: Vec<NoticeOut>,
}

/// Unread clock notifications and notices together: the number beside "Notifications".
pub(crate) async fn unread(state: &AppState, me: &steward_core::case::Viewer) -> AppResult<i64> {
    Ok(state.store.unread_notifications(me).await? + state.store.unread_notices(me).await?)
}

/// Which notifications to mark read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkReadIn {
    /// One notification; all of the caller's when absent.
    #[serde(default)]
    pub(crate) id: Option<String>,
}

/// How many were marked.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarkedOut {
    pub(crate) marked: u64,
}

/// An organisation's webhook address.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookIn {
    /// https:// (or http:// on a private network) address that receives signed payloads.
    pub(crate) url: String,
}

/// The organisation's webhook, with its latest deliveries.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookOut {
    pub(crate) url: Option<String>,
    pub(crate) created_at: Option<String>,
    /// The signing secret: present only in the answer that set it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) secret: Option<String>,
    pub(crate) deliveries: Vec<DeliveryOut>,
}

/// One delivery attempt.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryOut {
    pub(crate) event: String,
    pub(crate) at: String,
    pub(crate) status: Option<i64>,
    pub(crate) error: Option<String>,
}

/// The caller's notifications, on cases they may still see, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", responses((status = 200, body = NotificationsOut)))]
pub async fn list_notifications(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> AppResult<Json<NotificationsOut>> {
    let me = viewer(&caller);
    let notifications = state.store.notifications_for(&me).await?;
    let notices = state.store.notices_for(&me).await?;
    Ok(Json(NotificationsOut {
        unread: unread(&state, &me).await?,
        notifications: notifications.iter().map(NotificationOut::from).collect(),
        notices: notices.iter().map(NoticeOut::from).collect(),
    }))
}

/// Marks one notification, or all of them, read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", request_body = MarkReadIn,
    responses((status = 200, body = MarkedOut)))]
pub async fn mark_read(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<MarkReadIn>,
) -> AppResult<Json<MarkedOut>> {
    let me = viewer(&caller);
    let marked = state.store.mark_notifications_read(&me, body.id.as_deref()).await?
        + state.store.mark_notices_read(&me, body.id.as_deref()).await?;
    Ok(Json(MarkedOut { marked }))
}

/// The caller's organisation's webhook, for its coordinators.
pub(crate) async fn webhook_out(state: &AppState, caller: &Caller, secret: Option<String>) -> AppResult<WebhookOut> {
    caller.require(Permission::ManageCases)?;
    let org = caller.user.org_id;
    let hook = state.store.webhook_of(org).await?;
    let deliveries = state
        .store
        .deliveries_of(org, 20)
        .await?
        .into_iter()
        .map(|d| DeliveryOut {
            event: d.event_id,
            at: steward_core::clock::rfc3339(d.at),
            status: d.status,
            error: d.error,
        })
        .collect();
    Ok(WebhookOut {
        url: hook.as_ref().map(|h| h.url.clone()),
        created_at: hook.map(|h| steward_core::clock::rfc3339(h.created_at)),
        secret,
        deliveries,
    })
}

/// The caller's organisation's webhook and its latest deliveries (coordinators).
#[utoipa::path(get, path = "/api/v1/webhook", tag = "notifications",
    responses((status = 200, body = WebhookOut), (status = 403, description = "Not a coordinator")))]
pub async fn get_webhook(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> AppResult<Json<WebhookOut>> {
    Ok(Json(webhook_out(&state, &caller, None).await?))
}

/// Sets the caller's organisation's webhook; the answer carries the signing secret, once.
#[utoipa::path(put, path = "/api/v1/webhook", tag = "notifications", request_body = WebhookIn,
    responses((status = 200, body = WebhookOut), (status = 403, description = "Not a coordinator")))]
pub async fn set_webhook(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<WebhookIn>,
) -> AppResult<Json<WebhookOut>> {
    caller.require(Permission::ManageCases)?;
    crate::notify::check_webhook_target(&body.url, state.config.allow_private_webhooks)
        .map_err(|m| crate::error::AppError::field("url", m))?;
    let secret = state.store.set_webhook(&caller.actor(), caller.user.org_id, &body.url).await?;
    Ok(Json(webhook_out(&state, &caller, Some(secret)).await?))
}

/// Removes the caller's organisation's webhook.
#[utoipa::path(delete, path = "/api/v1/webhook", tag = "notifications",
    responses((status = 204, description = "Removed"), (status = 403, description = "Not a coordinator")))]
pub async fn remove_webhook(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> AppResult<StatusCode> {
    caller.require(Permission::ManageCases)?;
    state.store.remove_webhook(&caller.actor(), caller.user.org_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
