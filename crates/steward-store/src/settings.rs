//! Installation settings that administrators change at runtime, kept in the database so every
//! server process reads the same value.

use crate::error::{StoreError, StoreResult};
use crate::sql::Q;
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::ids::OrgId;
use steward_core::response::ResponseClocks;
use steward_core::role::Role;

const MFA_REQUIRED: &str = "mfa_required_roles";
const RESPONSE_CLOCKS: &str = "response_clocks";
const ALERT_DESK: &str = "alert_desk";

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

    /// The organisation whose coordinators receive public alerts: the one chosen in the
    /// settings, or else the installation's host (the first organisation created).
    pub async fn alert_desk(&self) -> StoreResult<OrgId> {
        let chosen = self
            .db
            .opt(Q::new("SELECT o.id FROM settings s JOIN orgs o ON o.id = s.value WHERE s.key = 'alert_desk'"))
            .await?;
        let row = match chosen {
            Some(row) => row,
            None => self
                .db
                .opt(Q::new("SELECT id FROM orgs ORDER BY created_at, id LIMIT 1"))
                .await?
                .ok_or_else(|| StoreError::NotFound { entity: "organisation", key: "host organisation".into() })?,
        };
        let id = row.text("id")?;
        id.parse().map_err(|_| StoreError::Corrupt(format!("organisation id '{id}'")))
    }

    /// Makes `org` the alert desk. Alerts still waiting move with it, so none is left at a desk
    /// no one watches any more; alerts already handled stay where they were handled.
    pub async fn set_alert_desk(&self, actor: &Actor, org: OrgId) -> StoreResult<()> {
        let mut w = self.write().await?;
        let exists = w.tx.opt(Q::new("SELECT id FROM orgs WHERE id = $1").text(org.to_string())).await?;
        if exists.is_none() {
            return Err(StoreError::NotFound { entity: "organisation", key: org.to_string() });
        }
        let before =
            w.tx.opt(Q::new("SELECT value FROM settings WHERE key = $1").text(ALERT_DESK))
                .await?
                .map(|r| r.text("value"))
                .transpose()?
                .unwrap_or_default();
        w.tx.exec(
            Q::new(
                "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .text(ALERT_DESK)
            .text(org.to_string())
            .time(steward_core::clock::now()),
        )
        .await?;
        let moved =
            w.tx.exec(
                Q::new("UPDATE alerts SET desk_org_id = $1 WHERE status = 'received' AND desk_org_id <> $1")
                    .text(org.to_string()),
            )
            .await?;
        let after = json!({ "desk": org.to_string(), "waiting_alerts_moved": moved });
        w.audit(AuditEvent::new(actor, "update", "setting", ALERT_DESK, Some(json!(before)), Some(after))).await?;
        w.commit().await
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
