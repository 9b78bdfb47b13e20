//! Installation settings for administrators: which roles must use two-factor sign-in.

use super::{page, Layout, Signed};
use crate::error::AppResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use steward_core::role::{Permission, Role};

#[derive(Template)]
#[template(path = "settings/index.html")]
struct SettingsPage {
    layout: Layout,
    roles: Vec<(&'static str, bool)>,
}

pub async fn show_settings(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    signed.caller.require(Permission::ManageSettings)?;
    let required = state.store.mfa_required_roles().await?;
    page(&SettingsPage {
        layout: Layout::for_user(&signed, "settings"),
        roles: Role::ALL.iter().map(|r| (r.as_str(), required.contains(r))).collect(),
    })
}

/// Checkbox forms repeat a field once per ticked box, so the body is read as pairs.
pub async fn update_settings(
    State(state): State<AppState>,
    signed: Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let csrf = pairs.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or_default();
    signed.check_csrf(csrf)?;
    signed.caller.require(Permission::ManageSettings)?;
    let roles: Vec<Role> = pairs.iter().filter(|(k, _)| k == "mfa_role").filter_map(|(_, v)| v.parse().ok()).collect();
    state.store.set_mfa_required_roles(&signed.caller.actor(), &roles).await?;
    Ok(Redirect::to("/settings").into_response())
}
