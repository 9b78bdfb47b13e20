//! Users (administrators), and each user's own record.

use super::ApiJson;
use crate::auth::ApiCaller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use steward_core::credential::{generate_password, hash_password};
use steward_core::email::Email;
use steward_core::ids::UserId;
use steward_core::role::{Permission, Role};
use steward_core::user::{display_name, NewUser, User};
use utoipa::ToSchema;

/// A user, without secrets.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    id: String,
    email: String,
    display_name: String,
    org_id: String,
    org_name: String,
    /// admin, coordinator, analyst, partner or viewer.
    role: String,
    disabled: bool,
    /// Shown to administrators and to the user only.
    #[serde(skip_serializing_if = "Option::is_none")]
    totp_enabled: Option<bool>,
    created_at: String,
}

impl UserOut {
    /// The record as colleagues see it: without the state of the account's security.
    pub(crate) fn for_colleagues(mut self) -> Self {
        self.totp_enabled = None;
        self
    }

    pub(crate) fn new(u: &User, org_name: &str) -> Self {
        Self {
            id: u.id.to_string(),
            email: u.email.to_string(),
            display_name: u.display_name.clone(),
            org_id: u.org_id.to_string(),
            org_name: org_name.to_string(),
            role: u.role.to_string(),
            disabled: u.disabled,
            totp_enabled: Some(u.totp_enabled),
            created_at: steward_core::clock::rfc3339(u.created_at),
        }
    }
}

/// A new user.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserIn {
    email: String,
    /// The organisation's name or id.
    org: String,
    /// admin, coordinator, analyst, partner or viewer.
    role: String,
    #[serde(default)]
    display_name: Option<String>,
}

/// The new user and their one-time password, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    user: UserOut,
    one_time_password: String,
}

async fn org_name(state: &AppState, u: &User) -> AppResult<String> {
    Ok(state.store.org(u.org_id).await?.name)
}

/// All users (administrators).
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts",
    responses((status = 200, body = [UserOut]), (status = 403, description = "Not an administrator")))]
pub async fn list_users(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> AppResult<Json<Vec<UserOut>>> {
    caller.require(Permission::ManageUsers)?;
    let orgs = state.store.orgs().await?;
    let users = state.store.users().await?;
    Ok(Json(
        users
            .iter()
            .map(|u| {
                UserOut::new(u, orgs.iter().find(|o| o.id == u.org_id).map(|o| o.name.as_str()).unwrap_or_default())
            })
            .collect(),
    ))
}

/// Creates a user with a one-time password (administrators).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = UserIn,
    responses((status = 201, body = CreatedUser), (status = 400, description = "Invalid field"), (status = 409, description = "Email taken")))]
pub async fn create_user(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<UserIn>,
) -> AppResult<(StatusCode, Json<CreatedUser>)> {
    caller.require(Permission::ManageUsers)?;
    let email = Email::parse(&body.email)?;
    let role: Role = body.role.parse()?;
    let org = match body.org.parse() {
        Ok(id) => state.store.org(id).await,
        Err(_) => state.store.org_by_name(&body.org).await,
    }
    .map_err(|_| AppError::field("org", format!("no organisation '{}'", body.org)))?;
    let password = generate_password();
    let new = NewUser {
        display_name: display_name(body.display_name.as_deref(), &email)?,
        email,
        org_id: org.id,
        role,
        password_hash: hash_password(&password),
        must_change_password: true,
    };
    let user = state.store.create_user(&caller.actor(), new).await?;
    Ok((StatusCode::CREATED, Json(CreatedUser { user: UserOut::new(&user, &org.name), one_time_password: password })))
}

/// One user: administrators see anyone, others only themselves.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "accounts",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = UserOut), (status = 404, description = "No such user, or not yours to see")))]
pub async fn get_user(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<UserOut>> {
    let id: UserId = id.parse().map_err(|_| AppError::NotFound)?;
    if id != caller.user.id && !caller.can(Permission::ManageUsers) {
        return Err(AppError::NotFound);
    }
    let user = state.store.user(id).await?;
    Ok(Json(UserOut::new(&user, &org_name(&state, &user).await?)))
}

async fn set_disabled(
    state: &AppState,
    caller: &crate::auth::Caller,
    id: &str,
    disabled: bool,
) -> AppResult<Json<UserOut>> {
    caller.require(Permission::ManageUsers)?;
    let id: UserId = id.parse().map_err(|_| AppError::NotFound)?;
    if disabled && id == caller.user.id {
        return Err(AppError::field("id", "you cannot disable your own account"));
    }
    let user = state.store.set_user_disabled(&caller.actor(), id, disabled).await?;
    Ok(Json(UserOut::new(&user, &org_name(state, &user).await?)))
}

/// Disables a user: no sign-in, no tokens, sessions ended (administrators).
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "accounts",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = UserOut), (status = 404, description = "No such user")))]
pub async fn disable_user(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<UserOut>> {
    set_disabled(&state, &caller, &id, true).await
}

/// Re-enables a user (administrators).
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", tag = "accounts",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = UserOut), (status = 404, description = "No such user")))]
pub async fn enable_user(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<UserOut>> {
    set_disabled(&state, &caller, &id, false).await
}
