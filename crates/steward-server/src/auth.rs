//! Who is calling: API tokens for programs, session cookies for people.
//!
//! Both resolve to a [`Caller`]. Whether the caller may do a thing is then asked of
//! [`Caller::require`], which consults the one permission table in `steward-core`.

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use steward_core::audit::Actor;
use steward_core::credential::secret_hash;
use steward_core::role::Permission;
use steward_core::user::User;
use steward_store::Session;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "steward_session";

/// An authenticated user.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user.
    pub user: User,
}

impl Caller {
    /// Fails with 403 unless the caller's role has `permission`.
    pub fn require(&self, permission: Permission) -> AppResult<()> {
        if self.user.role.can(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Whether the caller's role has `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.user.role.can(permission)
    }

    /// The caller as recorded in the audit trail.
    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, self.user.email.as_str())
    }
}

/// The token in `Authorization: Bearer TOKEN` or `Authorization: ApiKey TOKEN` (the form yente
/// clients send).
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("apikey"))
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// A program calling the API with a token.
#[derive(Debug, Clone)]
pub struct ApiCaller(pub Caller);

impl<S> FromRequestParts<S> for ApiCaller
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> AppResult<Self> {
        let state = AppState::from_ref(state);
        let token = bearer(parts).ok_or(AppError::Unauthorized)?;
        let (_, user) = state.store.token_user(&secret_hash(token)).await?.ok_or(AppError::Unauthorized)?;
        Ok(ApiCaller(Caller { user }))
    }
}

/// The session id from the cookie header, if any.
pub fn session_cookie(parts: &Parts) -> Option<String> {
    crate::cookies::get_cookie(parts, SESSION_COOKIE)
}

/// A person with a live session (which may still await its second factor).
#[derive(Debug, Clone)]
pub struct SessionCaller {
    /// The user.
    pub caller: Caller,
    /// The session.
    pub session: Session,
}

impl SessionCaller {
    /// Looks up the session named by the request's cookie.
    pub async fn from_parts(parts: &Parts, state: &AppState) -> AppResult<Option<SessionCaller>> {
        let Some(id) = session_cookie(parts) else { return Ok(None) };
        Ok(state
            .store
            .session(&secret_hash(&id))
            .await?
            .map(|(session, user)| SessionCaller { caller: Caller { user }, session }))
    }
}
