//! Users: one login each, belonging to one organisation, with one role.

use crate::email::Email;
use crate::error::{CoreError, CoreResult};
use crate::ids::{OrgId, UserId};
use crate::role::Role;
use serde::Serialize;
use time::OffsetDateTime;

/// A stored user, without secrets: password hashes and TOTP secrets never leave the store in this type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// Login and contact address, unique.
    pub email: Email,
    /// Name shown to others.
    pub display_name: String,
    /// The organisation the user belongs to.
    pub org_id: OrgId,
    /// Installation-wide role.
    pub role: Role,
    /// A disabled user can neither sign in nor use tokens.
    pub disabled: bool,
    /// The password is a one-time password that must be replaced at the next sign-in.
    pub must_change_password: bool,
    /// Two-factor sign-in is enrolled.
    pub totp_enabled: bool,
    /// When the account was created.
    pub created_at: OffsetDateTime,
}

/// What is needed to create a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login.
    pub email: Email,
    /// Name shown to others; defaults to the part of the email before the `@`.
    pub display_name: String,
    /// Organisation.
    pub org_id: OrgId,
    /// Role.
    pub role: Role,
    /// Argon2id PHC string of the initial password.
    pub password_hash: String,
    /// Whether the initial password is one-time.
    pub must_change_password: bool,
}

/// Trims `value` and checks it holds 1 to `max` characters.
pub fn bounded(field: &'static str, value: &str, max: usize) -> CoreResult<String> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(CoreError::InvalidLength { field, max });
    }
    Ok(v.to_string())
}

/// A display name from an explicit one or, failing that, the email's local part.
pub fn display_name(explicit: Option<&str>, email: &Email) -> CoreResult<String> {
    match explicit.map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => bounded("display name", name, 120),
        None => Ok(email.as_str().split('@').next().unwrap_or_default().to_string()),
    }
}
