//! Organisations.

use crate::error::{conflict_on, StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::country::fold;
use steward_core::ids::OrgId;
use steward_core::org::{NewOrg, Org, OrgKind};

/// A query on `orgs` reading the columns [`org_from`] expects.
macro_rules! select_orgs {
    ($rest:literal) => {
        concat!("SELECT id, name, kind, country, created_at FROM orgs ", $rest)
    };
}

pub(crate) fn org_from(row: &Row) -> StoreResult<Org> {
    Ok(Org {
        id: row.parse("id")?,
        name: row.text("name")?,
        kind: row.parse::<OrgKind>("kind")?,
        country: row.get("country")?,
        created_at: row.get("created_at")?,
    })
}

/// Names are unique regardless of case, accents and punctuation, so "Bars Union" and
/// "bars union." cannot both exist.
pub(crate) fn name_key(name: &str) -> String {
    fold(name)
}

fn summary(org: &Org) -> serde_json::Value {
    json!({ "name": org.name, "kind": org.kind.as_str(), "country": org.country })
}

impl Store {
    /// Creates an organisation.
    pub async fn create_org(&self, actor: &Actor, new: NewOrg) -> StoreResult<Org> {
        let mut w = self.write().await?;
        let org = insert_org(&mut w, actor, new).await?;
        w.commit().await?;
        Ok(org)
    }

    /// All organisations, by name.
    pub async fn orgs(&self) -> StoreResult<Vec<Org>> {
        let rows = self.db.all(Q::new(select_orgs!("ORDER BY name_key"))).await?;
        rows.iter().map(org_from).collect()
    }

    /// One organisation by id.
    pub async fn org(&self, id: OrgId) -> StoreResult<Org> {
        let row = self
            .db
            .opt(Q::new(select_orgs!("WHERE id = $1")).text(id.to_string()))
            .await?
            .ok_or_else(|| StoreError::NotFound { entity: "organisation", key: id.to_string() })?;
        org_from(&row)
    }

    /// One organisation by name, compared as [`name_key`] does.
    pub async fn org_by_name(&self, name: &str) -> StoreResult<Org> {
        let row = self
            .db
            .opt(Q::new(select_orgs!("WHERE name_key = $1")).text(name_key(name)))
            .await?
            .ok_or_else(|| StoreError::NotFound { entity: "organisation", key: name.to_string() })?;
        org_from(&row)
    }
}

/// Inserts within an open write, for callers that create several records at once.
pub(crate) async fn insert_org(w: &mut crate::write::Write, actor: &Actor, new: NewOrg) -> StoreResult<Org> {
    let now = steward_core::clock::now();
    let org = Org { id: OrgId::new(), name: new.name, kind: new.kind, country: new.country, created_at: now };
    w.tx.exec(
        Q::new("INSERT INTO orgs (id, name, name_key, kind, country, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)")
            .text(org.id.to_string())
            .text(org.name.clone())
            .text(name_key(&org.name))
            .text(org.kind.as_str())
            .opt_text(org.country.clone())
            .time(now),
    )
    .await
    .map_err(conflict_on("organisation", "name", &org.name))?;
    w.audit(AuditEvent::new(actor, "create", "org", org.id, None, Some(summary(&org)))).await?;
    Ok(org)
}
