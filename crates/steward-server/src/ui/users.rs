//! User management for administrators.

use super::{page, Layout, Signed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use steward_core::credential::{generate_password, hash_password};
use steward_core::email::Email;
use steward_core::ids::UserId;
use steward_core::org::Org;
use steward_core::role::{Permission, Role};
use steward_core::user::{display_name, NewUser, User};

#[derive(Template)]
#[template(path = "users/list.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<(User, String)>,
    orgs: Vec<Org>,
    roles: Vec<&'static str>,
    form: UserForm,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "users/password.html")]
struct PasswordPage {
    layout: Layout,
    user: User,
    password: String,
    created: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    csrf: String,
}

async fn users_page(state: &AppState, signed: &Signed, form: UserForm, error: Option<String>) -> AppResult<Response> {
    signed.caller.require(Permission::ManageUsers)?;
    let orgs = state.store.orgs().await?;
    let users = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| {
            let org = orgs.iter().find(|o| o.id == u.org_id).map(|o| o.name.clone()).unwrap_or_default();
            (u, org)
        })
        .collect();
    let mut response = page(&UsersPage {
        layout: Layout::for_user(signed, "users"),
        users,
        orgs,
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        form,
        error: error.clone(),
    })?;
    if error.is_some() {
        *response.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

pub async fn list_users(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    users_page(&state, &signed, UserForm::default(), None).await
}

pub async fn create_user(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<UserForm>,
) -> AppResult<Response> {
    signed.check_csrf(&form.csrf)?;
    signed.caller.require(Permission::ManageUsers)?;
    let password = generate_password();
    let result = async {
        let email = Email::parse(&form.email)?;
        let role: Role = form.role.parse()?;
        let org_id = form.org.parse().map_err(|_| AppError::field("org", "choose an organisation"))?;
        let org = state.store.org(org_id).await.map_err(|_| AppError::field("org", "choose an organisation"))?;
        let new = NewUser {
            display_name: display_name(Some(&form.display_name), &email)?,
            email,
            org_id: org.id,
            role,
            password_hash: hash_password(&password),
            must_change_password: true,
        };
        Ok::<_, AppError>(state.store.create_user(&signed.caller.actor(), new).await?)
    }
    .await;
    match result {
        Ok(user) => page(&PasswordPage { layout: Layout::for_user(&signed, "users"), user, password, created: true }),
        Err(e @ (AppError::BadRequest { .. } | AppError::Conflict { .. })) => {
            users_page(&state, &signed, form, Some(e.to_string())).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn target(state: &AppState, signed: &Signed, id: &str, csrf: &str) -> AppResult<UserId> {
    signed.check_csrf(csrf)?;
    signed.caller.require(Permission::ManageUsers)?;
    let id: UserId = id.parse().map_err(|_| AppError::NotFound)?;
    state.store.user(id).await?;
    Ok(id)
}

pub async fn disable_user(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    let id = target(&state, &signed, &id, &form.csrf).await?;
    if id == signed.caller.user.id {
        return Err(AppError::field("user", "you cannot disable your own account"));
    }
    state.store.set_user_disabled(&signed.caller.actor(), id, true).await?;
    Ok(Redirect::to("/users").into_response())
}

pub async fn enable_user(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    let id = target(&state, &signed, &id, &form.csrf).await?;
    state.store.set_user_disabled(&signed.caller.actor(), id, false).await?;
    Ok(Redirect::to("/users").into_response())
}

pub async fn reset_password(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    let id = target(&state, &signed, &id, &form.csrf).await?;
    let password = generate_password();
    let user = state.store.set_password(&signed.caller.actor(), id, &hash_password(&password), true, None).await?;
    page(&PasswordPage { layout: Layout::for_user(&signed, "users"), user, password, created: false })
}
