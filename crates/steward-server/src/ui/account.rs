//! The signed-in user's own account: password, two-factor sign-in, API tokens.

use super::{page, Layout, Signed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use steward_core::credential::{
    check_new_password, generate_recovery_codes, generate_token, hash_password, secret_hash, verify_password,
};
use steward_core::role::Permission;
use steward_store::ApiToken;

#[derive(Template)]
#[template(path = "account/index.html")]
struct AccountPage {
    layout: Layout,
    org_name: String,
    role: String,
    totp_enabled: bool,
    recovery_left: i64,
    can_tokens: bool,
    tokens: Vec<ApiToken>,
    new_token: Option<String>,
}

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    layout: Layout,
    forced: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "account/2fa.html")]
struct TotpPage {
    layout: Layout,
    required: bool,
    secret: String,
    qr_svg: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "account/recovery.html")]
struct RecoveryPage {
    layout: Layout,
    codes: Vec<String>,
}

async fn account_page(state: &AppState, signed: &Signed, new_token: Option<String>) -> AppResult<Response> {
    let user = &signed.caller.user;
    let org = state.store.org(user.org_id).await?;
    page(&AccountPage {
        layout: Layout::for_user(signed, "account"),
        org_name: org.name,
        role: user.role.to_string(),
        totp_enabled: user.totp_enabled,
        recovery_left: state.store.recovery_codes_left(user.id).await?,
        can_tokens: signed.caller.can(Permission::ManageOwnTokens),
        tokens: state.store.tokens_of(user.id).await?,
        new_token,
    })
}

pub async fn show_account(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    account_page(&state, &signed, None).await
}

pub async fn show_password(signed: Signed) -> AppResult<Response> {
    page(&PasswordPage {
        forced: signed.caller.user.must_change_password,
        layout: Layout::for_user(&signed, "account"),
        error: None,
    })
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    csrf: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    signed.check_csrf(&form.csrf)?;
    let user = &signed.caller.user;
    let creds = state.store.credentials(&user.email).await?.ok_or(AppError::NotFound)?;
    let problem = if !verify_password(&form.current, &creds.password_hash) {
        Some("Your current password is not right.".to_string())
    } else if form.password != form.confirm {
        Some("The new password and its confirmation differ.".to_string())
    } else if form.password == form.current {
        Some("Choose a password different from the current one.".to_string())
    } else {
        check_new_password(&form.password).err().map(|e| e.to_string())
    };
    if let Some(problem) = problem {
        let mut r = page(&PasswordPage {
            forced: user.must_change_password,
            layout: Layout::for_user(&signed, "account"),
            error: Some(problem),
        })?;
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
        return Ok(r);
    }
    state
        .store
        .set_password(
            &signed.caller.actor(),
            user.id,
            &hash_password(&form.password),
            false,
            Some(&signed.session.id_hash),
        )
        .await?;
    Ok(Redirect::to("/").into_response())
}

/// Shows the enrolment page, starting a fresh pending secret unless one is already pending.
pub async fn show_totp(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    let user = &signed.caller.user;
    if user.totp_enabled {
        return Ok(Redirect::to("/account").into_response());
    }
    let creds = state.store.credentials(&user.email).await?.ok_or(AppError::NotFound)?;
    let secret = match creds.totp_secret {
        Some(s) => s,
        None => {
            let s = crate::totp::new_secret();
            state.store.set_pending_totp(&signed.caller.actor(), user.id, &s).await?;
            s
        }
    };
    totp_page(&state, &signed, secret, None).await
}

async fn totp_page(state: &AppState, signed: &Signed, secret: String, error: Option<String>) -> AppResult<Response> {
    let user = &signed.caller.user;
    let (_, qr_svg) = crate::totp::enrolment(&secret, user.email.as_str())
        .ok_or_else(|| AppError::Internal("could not build the TOTP enrolment".into()))?;
    let required = state.store.mfa_required_roles().await?.contains(&user.role);
    let mut r = page(&TotpPage {
        layout: Layout::for_user(signed, "account"),
        required,
        secret,
        qr_svg,
        error: error.clone(),
    })?;
    if error.is_some() {
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(r)
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

pub async fn enable_totp(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    signed.check_csrf(&form.csrf)?;
    let user = &signed.caller.user;
    let creds = state.store.credentials(&user.email).await?.ok_or(AppError::NotFound)?;
    let Some(secret) = creds.totp_secret else {
        return Ok(Redirect::to("/account/2fa").into_response());
    };
    let code: String = form.code.chars().filter(|c| !c.is_whitespace()).collect();
    if !crate::totp::check(&secret, &user.email, &code) {
        return totp_page(
            &state,
            &signed,
            secret,
            Some("That code is not right; enter the 6 digits your app shows now.".into()),
        )
        .await;
    }
    let codes = generate_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| secret_hash(c)).collect();
    state.store.enable_totp(&signed.caller.actor(), user.id, &hashes, Some(&signed.session.id_hash)).await?;
    page(&RecoveryPage { layout: Layout::for_user(&signed, "account"), codes })
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub async fn disable_totp(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<ConfirmForm>,
) -> AppResult<Response> {
    signed.check_csrf(&form.csrf)?;
    let user = &signed.caller.user;
    if state.store.mfa_required_roles().await?.contains(&user.role) {
        return Err(AppError::field("totp", "two-factor sign-in is required for your role; it cannot be turned off"));
    }
    let creds = state.store.credentials(&user.email).await?.ok_or(AppError::NotFound)?;
    if !verify_password(&form.password, &creds.password_hash) {
        return Err(AppError::field("password", "your password is not right"));
    }
    state.store.disable_totp(&signed.caller.actor(), user.id).await?;
    Ok(Redirect::to("/account").into_response())
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    csrf: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<TokenForm>,
) -> AppResult<Response> {
    signed.check_csrf(&form.csrf)?;
    signed.caller.require(Permission::ManageOwnTokens)?;
    let name = steward_core::user::bounded("token name", &form.name, 100)?;
    let token = generate_token();
    state.store.create_token(&signed.caller.actor(), signed.caller.user.id, &name, &secret_hash(&token)).await?;
    account_page(&state, &signed, Some(token)).await
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn revoke_token(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    signed.check_csrf(&form.csrf)?;
    let id = id.parse().map_err(|_| AppError::NotFound)?;
    state.store.revoke_token(&signed.caller.actor(), id, Some(signed.caller.user.id)).await?;
    Ok(Redirect::to("/account").into_response())
}
