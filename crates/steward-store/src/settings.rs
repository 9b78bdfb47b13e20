//! Installation settings that administrators change at runtime, kept in the database so every
//! server process reads the same value.

use crate::error::{StoreError, StoreResult};
use crate::sql::Q;
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::response::ResponseClocks;
use steward_core::role::Role;

const MFA_REQUIRED: &str = "mfa_required_roles";
const RESPONSE_CLOCKS: &str = "response_clocks";

impl Store {
    /// The roles that must use two-factor sign-in.
    pub async fn mfa_required_roles(&self) -> StoreResult<Vec<Role>> {
        let row = self.db.opt(Q::new("SELECT value FROM settings WHERE key = $1").text(MFA_REQUIRED)).await?;
        let Some(row) = row else { return Ok(Vec::new()) };
        let value = row.text("value")?;
        Ok(value.split(',').filter_map(|r| r.parse().ok()).collect())
    }

    /// Sets the roles that must use two-factor sign-in.
    pub async fn set_mfa_required_roles(&self, actor: &Actor, roles: &[Role]) -> StoreResult<()> {
        let value = roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",");
        self.set_setting(actor, MFA_REQUIRED, value).await
    }

    /// How soon cases must be acknowledged and acted on, by risk (the defaults unless changed).
    pub async fn response_clocks(&self) -> StoreResult<ResponseClocks> {
        let row = self.db.opt(Q::new("SELECT value FROM settings WHERE key = $1").text(RESPONSE_CLOCKS)).await?;
        match row {
            None => Ok(ResponseClocks::default()),
            Some(row) => ResponseClocks::parse(&row.text("value")?)
                .map_err(|e| StoreError::Corrupt(format!("setting {RESPONSE_CLOCKS}: {e}"))),
        }
    }

    /// Sets the response clocks.
    pub async fn set_response_clocks(&self, actor: &Actor, clocks: &ResponseClocks) -> StoreResult<()> {
        self.set_setting(actor, RESPONSE_CLOCKS, clocks.to_string()).await
    }

    pub(crate) async fn set_setting(&self, actor: &Actor, key: &'static str, value: String) -> StoreResult<()> {
        let mut w = self.write().await?;
        // Read inside the write, so "before" is what this change replaced.
        let before =
            w.tx.opt(Q::new("SELECT value FROM settings WHERE key = $1").text(key))
                .await?
                .map(|r| r.text("value"))
                .transpose()?
                .unwrap_or_default();
        w.tx.exec(
            Q::new(
                "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .text(key)
            .text(value.clone())
            .time(steward_core::clock::now()),
        )
        .await?;
        w.audit(AuditEvent::new(actor, "update", "setting", key, Some(json!(before)), Some(json!(value)))).await?;
        w.commit().await
    }
}
