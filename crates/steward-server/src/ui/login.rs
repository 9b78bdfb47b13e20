//! Signing in (password, then the second factor where enrolled) and out.

use super::{page, Layout};
use crate::auth::{SessionCaller, SESSION_COOKIE};
use crate::cookies::{get_cookie, set_cookie};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};
use steward_core::audit::Actor;
use steward_core::credential::{
    generate_session_secret, secret_hash, secrets_equal, verify_dummy_password, verify_password,
};
use steward_core::email::Email;
use steward_core::user::User;
use steward_store::NewSession;
use time::Duration;

/// The double-submit cookie that protects the sign-in form, which has no session yet.
const LOGIN_CSRF_COOKIE: &str = "steward_login_csrf";
const THROTTLE_WINDOW: Duration = Duration::minutes(15);

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "mfa.html")]
struct MfaPage {
    layout: Layout,
    csrf: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

/// Only same-site paths, so the sign-in page cannot be used to send people elsewhere.
fn safe_next(next: &str) -> String {
    // Browsers drop tabs and newlines from URLs and read a backslash as "/", so any of them could turn a
    // path into "//elsewhere"; a path that contains one is not followed.
    let odd = next.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if next.starts_with('/') && !next.starts_with("//") && !odd {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// The client's address for throttling: the socket's peer, or, behind a trusted proxy, the
/// `X-Forwarded-For` entry that proxy added (the last one: earlier entries are the client's to
/// write). IPv6 addresses count by their /64, which is what one subscriber usually holds.
/// The key under which attempts from the caller's address are counted for `purpose`: a keyed
/// hash of the address, never the address itself. A public alert's sender must not be placed by
/// the database's rate-limit table; with the key kept only in this process's memory, the counts
/// cannot be reversed by anyone holding the database or the key file. (Several servers on one
/// database therefore count apart, each to the same limit.)
pub(crate) fn address_key(parts: &Parts, state: &AppState, purpose: &str) -> String {
    use hmac::{Hmac, Mac};
    let address = client_address(parts, state);
    // HMAC takes keys of any length: `new_from_slice` cannot fail.
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(state.address_secret.as_slice()) else {
        return format!("{purpose}:unkeyed");
    };
    mac.update(address.as_bytes());
    format!("{purpose}:{}", hex::encode(&mac.finalize().into_bytes()[..16]))
}

fn client_address(parts: &Parts, state: &AppState) -> String {
    let forwarded = state
        .config
        .trust_forwarded_for
        .then(|| parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).next_back())
        .flatten()
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    let ip = forwarded.or_else(|| parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()));
    match ip {
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Some(ip) => ip.to_string(),
        None => "unknown".into(),
    }
}

pub async fn show_login(
    State(state): State<AppState>,
    parts: Parts,
    axum::extract::Query(q): axum::extract::Query<LoginQuery>,
) -> AppResult<Response> {
    if let Some(s) = SessionCaller::from_parts(&parts, &state).await? {
        if !s.session.mfa_pending {
            return Ok(Redirect::to("/").into_response());
        }
    }
    login_form(&state, &parts, String::new(), safe_next(&q.next), None, StatusCode::OK)
}

fn login_form(
    state: &AppState,
    parts: &Parts,
    email: String,
    next: String,
    error: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let csrf = get_cookie(parts, LOGIN_CSRF_COOKIE).unwrap_or_else(generate_session_secret);
    let mut response = page(&LoginPage { layout: Layout::default(), csrf: csrf.clone(), email, next, error })?;
    *response.status_mut() = status;
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(&state.config, LOGIN_CSRF_COOKIE, &csrf, Some(Duration::hours(2))));
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

pub async fn sign_in(State(state): State<AppState>, parts: Parts, Form(form): Form<LoginForm>) -> AppResult<Response> {
    let cookie = get_cookie(&parts, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if cookie.is_empty() || !secrets_equal(&cookie, &form.csrf) {
        return Err(AppError::Csrf);
    }
    let next = safe_next(&form.next);
    let email_key = format!("email:{}", form.email.trim().to_lowercase());
    let address_key = address_key(&parts, &state, "ip");
    // The attempt counts before the password is checked, so parallel guesses cannot all slip
    // under the limit; a successful sign-in takes it back.
    let attempt = state.store.record_attempt(&[email_key.clone(), address_key.clone()]).await?;
    throttle(&state, &email_key, &address_key).await?;

    let wrong = || Some("The email or password is wrong.".to_string());
    let Ok(email) = Email::parse(&form.email) else {
        verify_dummy_password(&form.password);
        return login_form(&state, &parts, form.email, next, wrong(), StatusCode::UNAUTHORIZED);
    };
    let creds = state.store.credentials(&email).await?;
    // The same work and the same answer whether the account exists, is disabled, or the password is wrong.
    let ok = match &creds {
        Some(c) => verify_password(&form.password, &c.password_hash) && !c.user.disabled,
        None => {
            verify_dummy_password(&form.password);
            false
        }
    };
    let Some(creds) = creds.filter(|_| ok) else {
        return login_form(&state, &parts, form.email, next, wrong(), StatusCode::UNAUTHORIZED);
    };
    state.store.clear_attempts(&email_key).await?;
    state.store.forgive_attempt(&address_key, attempt).await?;
    let pending = creds.user.totp_enabled;
    let cookie = start_session(&state, &creds.user, pending, None).await?;
    let to = if pending { "/login/mfa".to_string() } else { next };
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&to)).into_response())
}

/// Refuses when the attempts recorded under either key, this one included, exceed the limits.
async fn throttle(state: &AppState, account_key: &str, address_key: &str) -> AppResult<()> {
    let since = steward_core::clock::now() - THROTTLE_WINDOW;
    let by_account = state.store.attempts_since(account_key, since).await?;
    let by_address = state.store.attempts_since(address_key, since).await?;
    if by_account > state.config.max_failures_per_account || by_address > state.config.max_failures_per_address {
        return Err(AppError::TooManyRequests(
            "Too many failed sign-in attempts. Wait 15 minutes and try again, or ask an administrator to reset your password.".into(),
        ));
    }
    Ok(())
}

/// Stores a new session and returns its cookie. `replaces` is the pending session it supersedes.
async fn start_session(
    state: &AppState,
    user: &User,
    mfa_pending: bool,
    replaces: Option<&str>,
) -> AppResult<axum::http::HeaderValue> {
    let id = generate_session_secret();
    let hours = if mfa_pending { 1 } else { state.config.session_hours };
    let new = NewSession {
        id_hash: secret_hash(&id),
        user_id: user.id,
        csrf_token: generate_session_secret(),
        mfa_pending,
        expires_at: steward_core::clock::now() + Duration::hours(hours),
    };
    state.store.create_session(&Actor::user(user.id, user.email.as_str()), new, replaces).await?;
    Ok(set_cookie(&state.config, SESSION_COOKIE, &id, Some(Duration::hours(hours))))
}

pub async fn show_mfa(State(state): State<AppState>, parts: Parts) -> AppResult<Response> {
    match SessionCaller::from_parts(&parts, &state).await? {
        Some(s) if s.session.mfa_pending => {
            page(&MfaPage { layout: Layout::default(), csrf: s.session.csrf_token, error: None })
        }
        Some(_) => Ok(Redirect::to("/").into_response()),
        None => Ok(Redirect::to("/login").into_response()),
    }
}

#[derive(Debug, Deserialize)]
pub struct MfaForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

pub async fn verify_mfa(State(state): State<AppState>, parts: Parts, Form(form): Form<MfaForm>) -> AppResult<Response> {
    let Some(s) = SessionCaller::from_parts(&parts, &state).await?.filter(|s| s.session.mfa_pending) else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !secrets_equal(&form.csrf, &s.session.csrf_token) {
        return Err(AppError::Csrf);
    }
    let user = s.caller.user.clone();
    // Second-factor attempts count under their own key, which a correct password does not clear.
    let mfa_key = format!("mfa:{}", user.id);
    let address_key = address_key(&parts, &state, "ip");
    let attempt = state.store.record_attempt(&[mfa_key.clone(), address_key.clone()]).await?;
    throttle(&state, &mfa_key, &address_key).await?;
    let code: String = form.code.chars().filter(|c| !c.is_whitespace()).collect();
    let creds = state.store.credentials(&user.email).await?;
    let secret = creds.and_then(|c| c.totp_secret).unwrap_or_default();
    let ok = if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
        // Each code works once: its time step must be newer than the last one used.
        match crate::totp::matching_step(&secret, &user.email, &code) {
            Some(step) => state.store.use_totp_step(user.id, step).await?,
            None => false,
        }
    } else {
        state.store.use_recovery_code(&s.caller.actor(), user.id, &secret_hash(&code.to_lowercase())).await?
    };
    if !ok {
        let mut r = page(&MfaPage {
            layout: Layout::default(),
            csrf: s.session.csrf_token,
            error: Some(
                "That code is not right. Use the current code from your authenticator app, or a recovery code.".into(),
            ),
        })?;
        *r.status_mut() = StatusCode::UNAUTHORIZED;
        return Ok(r);
    }
    state.store.clear_attempts(&mfa_key).await?;
    state.store.forgive_attempt(&address_key, attempt).await?;
    let cookie = start_session(&state, &user, false, Some(&s.session.id_hash)).await?;
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn sign_out(State(state): State<AppState>, parts: Parts, Form(form): Form<CsrfForm>) -> AppResult<Response> {
    if let Some(s) = SessionCaller::from_parts(&parts, &state).await? {
        if !secrets_equal(&form.csrf, &s.session.csrf_token) {
            return Err(AppError::Csrf);
        }
        state.store.end_session(&s.caller.actor(), &s.session.id_hash).await?;
    }
    let clear = set_cookie(&state.config, SESSION_COOKIE, "", None);
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_on_site() {
        assert_eq!(super::safe_next("/orgs?x=1"), "/orgs?x=1");
        assert_eq!(super::safe_next("//evil.example"), "/");
        assert_eq!(super::safe_next("https://evil.example"), "/");
        assert_eq!(super::safe_next("/\\evil.example"), "/");
        assert_eq!(super::safe_next("/\t/evil.example"), "/");
        assert_eq!(super::safe_next("/%09/evil.example"), "/%09/evil.example", "encoded stays a path");
    }
}
