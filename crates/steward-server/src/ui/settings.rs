//! Installation settings for administrators: which roles must use two-factor sign-in, and the
//! response clocks that say how soon cases must be acknowledged and acted on.

use super::{page, Layout, Signed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use steward_core::case::Risk;
use steward_core::response::{show_duration, ResponseClocks};
use steward_core::role::{Permission, Role};

#[derive(Template)]
#[template(path = "settings/index.html")]
struct SettingsPage {
    layout: Layout,
    roles: Vec<(&'static str, bool)>,
    /// Risk, acknowledge limit, first-action limit, as typed (`1h`, `7d`).
    clocks: Vec<(&'static str, String, String)>,
    /// The smallest count reports show.
    min_count: u64,
    /// Organisations (id, name) and which one receives public alerts.
    orgs: Vec<(String, String)>,
    desk: String,
    error: Option<String>,
}

pub async fn show_settings(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    signed.caller.require(Permission::ManageSettings)?;
    settings_page(&state, &signed, None).await
}

async fn settings_page(state: &AppState, signed: &Signed, error: Option<AppError>) -> AppResult<Response> {
    let required = state.store.mfa_required_roles().await?;
    let clocks = state.store.response_clocks().await?;
    let status = error.as_ref().map(|e| e.status().0);
    let mut response = page(&SettingsPage {
        layout: Layout::for_user(signed, "settings"),
        roles: Role::ALL.iter().map(|r| (r.as_str(), required.contains(r))).collect(),
        clocks: Risk::ALL
            .iter()
            .map(|r| {
                let l = clocks.for_risk(*r);
                (r.as_str(), show_duration(l.acknowledge), show_duration(l.first_action))
            })
            .collect(),
        min_count: state.store.report_min_count().await?,
        orgs: state.store.orgs().await?.into_iter().map(|o| (o.id.to_string(), o.name)).collect(),
        desk: state.store.alert_desk().await?.to_string(),
        error: error.map(|e| e.to_string()),
    })?;
    if let Some(status) = status {
        *response.status_mut() = status;
    }
    Ok(response)
}

/// The response clocks, one pair of limits per risk.
pub async fn update_clocks(
    State(state): State<AppState>,
    signed: Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let field =
        |name: String| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    signed.check_csrf(&field("csrf".into()))?;
    signed.caller.require(Permission::ManageSettings)?;
    let text = Risk::ALL
        .iter()
        .map(|r| format!("{r}={}/{}", field(format!("ack_{r}")), field(format!("first_{r}"))))
        .collect::<Vec<_>>()
        .join("; ");
    match ResponseClocks::parse(&text) {
        Ok(clocks) => {
            state.store.set_response_clocks(&signed.caller.actor(), &clocks).await?;
            Ok(Redirect::to("/settings").into_response())
        }
        Err(e) => settings_page(&state, &signed, Some(e.into())).await,
    }
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

/// Which organisation's coordinators receive public alerts.
pub async fn update_alert_desk(
    State(state): State<AppState>,
    signed: Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or_default();
    signed.check_csrf(field("csrf"))?;
    signed.caller.require(Permission::ManageSettings)?;
    let result = match field("desk").parse::<steward_core::ids::OrgId>() {
        Ok(org) => state.store.set_alert_desk(&signed.caller.actor(), org).await.map_err(|e| match e {
            steward_store::StoreError::NotFound { .. } => AppError::field("desk", "no such organisation"),
            other => other.into(),
        }),
        Err(_) => Err(AppError::field("desk", "choose the organisation whose coordinators receive public alerts")),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/settings").into_response()),
        Err(e) => settings_page(&state, &signed, Some(e)).await,
    }
}

/// The smallest count reports show.
pub async fn update_report_threshold(
    State(state): State<AppState>,
    signed: Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or_default();
    signed.check_csrf(field("csrf"))?;
    signed.caller.require(Permission::ManageSettings)?;
    let result = match field("min_count").parse::<u64>() {
        Ok(n) => state.store.set_report_min_count(&signed.caller.actor(), n).await.map_err(AppError::from),
        Err(_) => Err(AppError::field("min_count", "write a whole number between 2 and 100")),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/settings").into_response()),
        Err(e) => settings_page(&state, &signed, Some(e)).await,
    }
}
