//! The notifications page: response clocks running out on cases the reader can act on, and,
//! for coordinators, their organisation's webhook with its latest deliveries.

use super::{page, Layout, Signed};
use crate::api::cases::viewer;
use crate::api::notifications::{webhook_out, NoticeOut, NotificationOut, WebhookOut};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use steward_core::role::Permission;

#[derive(Template)]
#[template(path = "notifications/index.html")]
struct NotificationsPage {
    layout: Layout,
    notifications: Vec<NotificationOut>,
    notices: Vec<NoticeOut>,
    /// The organisation's webhook, for coordinators.
    webhook: Option<WebhookOut>,
    error: Option<String>,
}

async fn notifications_page(
    state: &AppState,
    signed: &Signed,
    secret: Option<String>,
    error: Option<AppError>,
) -> AppResult<Response> {
    let notifications = state.store.notifications_for(&viewer(&signed.caller)).await?;
    let notices = state.store.notices_for(&viewer(&signed.caller)).await?;
    let webhook = if signed.caller.can(Permission::ManageCases) {
        Some(webhook_out(state, &signed.caller, secret).await?)
    } else {
        None
    };
    let status = error.as_ref().map(|e| e.status().0);
    let mut response = page(&NotificationsPage {
        layout: Layout::for_user(signed, "notifications"),
        notifications: notifications.iter().map(NotificationOut::from).collect(),
        notices: notices.iter().map(NoticeOut::from).collect(),
        webhook,
        error: error.map(|e| e.to_string()),
    })?;
    if let Some(status) = status {
        *response.status_mut() = status;
    }
    Ok(response)
}

pub async fn show_notifications(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    notifications_page(&state, &signed, None, None).await
}

#[derive(Deserialize)]
pub struct MarkForm {
    csrf: String,
    #[serde(default)]
    id: Option<String>,
}

pub async fn mark_read(State(state): State<AppState>, signed: Signed, Form(f): Form<MarkForm>) -> AppResult<Response> {
    signed.check_csrf(&f.csrf)?;
    let id = f.id.filter(|i| !i.is_empty());
    let me = viewer(&signed.caller);
    state.store.mark_notifications_read(&me, id.as_deref()).await?;
    state.store.mark_notices_read(&me, id.as_deref()).await?;
    Ok(Redirect::to("/notifications").into_response())
}

#[derive(Deserialize)]
pub struct WebhookForm {
    csrf: String,
    #[serde(default)]
    url: String,
}

/// Sets the webhook and shows its secret on the page, this once.
pub async fn set_webhook(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<WebhookForm>,
) -> AppResult<Response> {
    signed.check_csrf(&f.csrf)?;
    signed.caller.require(Permission::ManageCases)?;
    if let Err(m) = crate::notify::check_webhook_target(&f.url, state.config.allow_private_webhooks) {
        return notifications_page(&state, &signed, None, Some(AppError::field("url", m))).await;
    }
    match state.store.set_webhook(&signed.caller.actor(), signed.caller.user.org_id, &f.url).await {
        Ok(secret) => notifications_page(&state, &signed, Some(secret), None).await,
        Err(e) => notifications_page(&state, &signed, None, Some(e.into())).await,
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn remove_webhook(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<CsrfForm>,
) -> AppResult<Response> {
    signed.check_csrf(&f.csrf)?;
    signed.caller.require(Permission::ManageCases)?;
    state.store.remove_webhook(&signed.caller.actor(), signed.caller.user.org_id).await?;
    Ok(Redirect::to("/notifications").into_response())
}
