//! Server-side sessions: the cookie holds a random id, the table holds its hash, so every
//! replica sees every session and signing out ends it everywhere.

use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::users::user_from;
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::ids::UserId;
use steward_core::user::User;
use time::OffsetDateTime;

/// A session about to be stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the cookie's session id.
    pub id_hash: String,
    /// Whose.
    pub user_id: UserId,
    /// The token every form of this session must carry.
    pub csrf_token: String,
    /// Signed in with a password only; the second factor is still to come.
    pub mfa_pending: bool,
    /// When it ends regardless of use.
    pub expires_at: OffsetDateTime,
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the cookie's session id.
    pub id_hash: String,
    /// The token every form of this session must carry.
    pub csrf_token: String,
    /// The second factor is still to come.
    pub mfa_pending: bool,
    /// When it ends.
    pub expires_at: OffsetDateTime,
}

fn session_from(row: &Row) -> StoreResult<Session> {
    Ok(Session {
        id_hash: row.text("id_hash")?,
        csrf_token: row.text("csrf_token")?,
        mfa_pending: row.get("mfa_pending")?,
        expires_at: row.get("expires_at")?,
    })
}

impl Store {
    /// Stores a new session and records the sign-in. `replaces` (a pending session that the second
    /// factor completed) is deleted in the same step, so a session id never survives a change of
    /// privilege.
    pub async fn create_session(&self, actor: &Actor, new: NewSession, replaces: Option<&str>) -> StoreResult<()> {
        let mut w = self.write().await?;
        let now = steward_core::clock::now();
        if let Some(old) = replaces {
            // Two submissions of the same second factor race here: only the first may win.
            if w.tx.exec(Q::new("DELETE FROM sessions WHERE id_hash = $1").text(old)).await? == 0 {
                return Err(StoreError::NotFound { entity: "session", key: "(pending sign-in)".into() });
            }
        }
        // Expired sessions are swept here rather than by a timer, so no process needs to own one.
        w.tx.exec(Q::new("DELETE FROM sessions WHERE expires_at < $1").time(now)).await?;
        w.tx.exec(
            Q::new(
                "INSERT INTO sessions (id_hash, user_id, csrf_token, mfa_pending, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .text(new.id_hash)
            .text(new.user_id.to_string())
            .text(new.csrf_token)
            .boolean(new.mfa_pending)
            .time(now)
            .time(new.expires_at),
        )
        .await?;
        let action = if new.mfa_pending { "sign_in_password" } else { "sign_in" };
        w.audit(AuditEvent::new(
            actor,
            action,
            "user",
            new.user_id,
            None,
            Some(json!({ "expires_at": steward_core::clock::rfc3339(new.expires_at) })),
        ))
        .await?;
        w.commit().await
    }

    /// The live session with this id hash and its user, if the session has not expired and the
    /// user is not disabled.
    pub async fn session(&self, id_hash: &str) -> StoreResult<Option<(Session, User)>> {
        let row = self
            .db
            .opt(
                Q::new(
                    "SELECT s.id_hash, s.csrf_token, s.mfa_pending, s.expires_at, \
                     u.id, u.email, u.display_name, u.org_id, u.role, u.disabled, u.must_change_password, u.totp_enabled, u.created_at \
                     FROM sessions s JOIN users u ON u.id = s.user_id \
                     WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled = FALSE",
                )
                .text(id_hash)
                .time(steward_core::clock::now()),
            )
            .await?;
        row.map(|r| Ok((session_from(&r)?, user_from(&r)?))).transpose()
    }

    /// Ends a session (sign-out).
    pub async fn end_session(&self, actor: &Actor, id_hash: &str) -> StoreResult<()> {
        let mut w = self.write().await?;
        let ended = w.tx.exec(Q::new("DELETE FROM sessions WHERE id_hash = $1").text(id_hash)).await?;
        if ended > 0 {
            let who = actor.user_id.map(|u| u.to_string()).unwrap_or_default();
            w.audit(AuditEvent::new(actor, "sign_out", "user", who, None, None)).await?;
        }
        w.commit().await
    }
}
