//! API tokens for programs. Only the token's SHA-256 is stored; the token is shown once.

use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::users::user_from;
use crate::Store;
use serde::Serialize;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::ids::{TokenId, UserId};
use steward_core::user::User;
use time::OffsetDateTime;

/// A stored API token (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    /// Its id, for revocation.
    pub id: TokenId,
    /// Whose.
    pub user_id: UserId,
    /// What it is for, as its owner named it.
    pub name: String,
    /// When created.
    pub created_at: OffsetDateTime,
    /// When revoked, if it was.
    pub revoked_at: Option<OffsetDateTime>,
}

fn token_from(row: &Row) -> StoreResult<ApiToken> {
    Ok(ApiToken {
        id: row.parse("token_id")?,
        user_id: row.parse("token_user_id")?,
        name: row.text("name")?,
        created_at: row.get("token_created_at")?,
        revoked_at: row.get("revoked_at")?,
    })
}

impl Store {
    /// Stores a token's hash for a user.
    pub async fn create_token(
        &self,
        actor: &Actor,
        user_id: UserId,
        name: &str,
        token_hash: &str,
    ) -> StoreResult<ApiToken> {
        let mut w = self.write().await?;
        let token = ApiToken {
            id: TokenId::new(),
            user_id,
            name: name.to_string(),
            created_at: steward_core::clock::now(),
            revoked_at: None,
        };
        w.tx.exec(
            Q::new("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
                .text(token.id.to_string())
                .text(user_id.to_string())
                .text(token.name.clone())
                .text(token_hash)
                .time(token.created_at),
        )
        .await?;
        w.audit(AuditEvent::new(
            actor,
            "create",
            "token",
            token.id,
            None,
            Some(json!({ "user_id": user_id.to_string(), "name": name })),
        ))
        .await?;
        w.commit().await?;
        Ok(token)
    }

    /// The live token with this hash and its user, if neither is revoked or disabled.
    pub async fn token_user(&self, token_hash: &str) -> StoreResult<Option<(ApiToken, User)>> {
        let row = self
            .db
            .opt(
                Q::new(
                    "SELECT t.id AS token_id, t.user_id AS token_user_id, t.name, t.created_at AS token_created_at, t.revoked_at, \
                     u.id, u.email, u.display_name, u.org_id, u.role, u.disabled, u.must_change_password, u.totp_enabled, u.created_at \
                     FROM api_tokens t JOIN users u ON u.id = t.user_id \
                     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = FALSE",
                )
                .text(token_hash),
            )
            .await?;
        row.map(|r| Ok((token_from(&r)?, user_from(&r)?))).transpose()
    }

    /// A user's tokens, newest first.
    pub async fn tokens_of(&self, user_id: UserId) -> StoreResult<Vec<ApiToken>> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT id AS token_id, user_id AS token_user_id, name, created_at AS token_created_at, revoked_at \
                     FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC",
                )
                .text(user_id.to_string()),
            )
            .await?;
        rows.iter().map(token_from).collect()
    }

    /// The token with this hash, revoked or not.
    pub async fn token_by_hash(&self, token_hash: &str) -> StoreResult<ApiToken> {
        let row = self
            .db
            .opt(
                Q::new(
                    "SELECT id AS token_id, user_id AS token_user_id, name, created_at AS token_created_at, revoked_at \
                     FROM api_tokens WHERE token_hash = $1",
                )
                .text(token_hash),
            )
            .await?
            .ok_or_else(|| StoreError::NotFound { entity: "token", key: "(the given token)".into() })?;
        token_from(&row)
    }

    /// Revokes a token. `owner`, when given, must own it (users revoke only their own).
    pub async fn revoke_token(&self, actor: &Actor, id: TokenId, owner: Option<UserId>) -> StoreResult<()> {
        let mut w = self.write().await?;
        let now = steward_core::clock::now();
        let changed = w
            .tx
            .exec(
                Q::new("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL AND ($3 = '' OR user_id = $3)")
                    .time(now)
                    .text(id.to_string())
                    .text(owner.map(|o| o.to_string()).unwrap_or_default()),
            )
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound { entity: "active token", key: id.to_string() });
        }
        w.audit(AuditEvent::new(actor, "revoke", "token", id, None, None)).await?;
        w.commit().await
    }
}
