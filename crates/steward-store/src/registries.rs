//! Screened supplier files and saved registries, by organisation, and the alerts raised when a
//! re-screen after a list change finds new or removed hits.

use crate::cases::{open_opt, open_text, seal, seal_opt};
use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::Store;
use serde_json::json;
use std::collections::BTreeMap;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::case::Viewer;
use steward_core::ids::OrgId;
use time::OffsetDateTime;

const TABLE: &str = "registries";

/// A file's screening as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screened {
    /// Its id.
    pub id: String,
    /// The organisation it belongs to.
    pub org_id: OrgId,
    /// The file's name.
    pub filename: String,
    /// The registry's name, once saved.
    pub name: Option<String>,
    /// Kept as a registry (re-screened when lists change).
    pub saved: bool,
    /// When uploaded.
    pub created_at: OffsetDateTime,
    /// When last screened.
    pub screened_at: OffsetDateTime,
    /// The editions it was last screened against.
    pub editions: String,
    /// Rows by status.
    pub counts: BTreeMap<String, usize>,
    /// The file's header.
    pub headers: Vec<String>,
    /// The file's rows.
    pub rows: Vec<Vec<String>>,
    /// What Steward added to each row.
    pub results: Vec<Vec<String>>,
    /// The columns the uploader named (JSON, role to header), when the headers were not enough.
    pub column_map: Option<String>,
}

/// A hit that appeared or went away when a registry was re-screened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryAlert {
    /// Its id.
    pub id: String,
    /// The registry.
    pub registry_id: String,
    /// `new` or `removed`.
    pub change: String,
    /// The row in the registry (1 is the first data row).
    pub row: usize,
    /// The supplier and the listed entity, in words.
    pub detail: String,
    /// When.
    pub created_at: OffsetDateTime,
    /// When read.
    pub read_at: Option<OffsetDateTime>,
}

/// One alert on a registry, its detail sealed, inside the caller's write.
#[allow(clippy::too_many_arguments)] // the alert's fields, each needed
async fn insert_alert(
    ring: &steward_core::seal::Keyring,
    w: &mut crate::write::Write,
    registry: &str,
    org: OrgId,
    change: &str,
    row: usize,
    detail: &str,
    now: OffsetDateTime,
) -> StoreResult<()> {
    let id = uuid::Uuid::now_v7().to_string();
    w.tx.exec(
        Q::new(
            "INSERT INTO registry_alerts (id, registry_id, org_id, created_at, change, row_no, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .text(id.clone())
        .text(registry)
        .text(org.to_string())
        .time(now)
        .text(change)
        .int(i64::try_from(row).unwrap_or(i64::MAX))
        .text(seal(ring, "registry_alerts", &id, "detail", detail)),
    )
    .await?;
    Ok(())
}

fn counts(results: &[Vec<String>]) -> BTreeMap<String, usize> {
    let mut c = BTreeMap::new();
    for r in results {
        *c.entry(r.first().cloned().unwrap_or_default()).or_insert(0) += 1;
    }
    c
}

fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(field: &str, text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("registries.{field}: {e}")))
}

impl Store {
    /// Keeps a file's screening for `viewer`'s organisation; answers its id.
    #[allow(clippy::too_many_arguments)] // a file's parts, each needed, none optional
    pub async fn keep_screening(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        filename: &str,
        editions: &str,
        headers: &[String],
        rows: &[Vec<String>],
        results: &[Vec<String>],
        column_map: Option<&str>,
    ) -> StoreResult<String> {
        let ring = self.keyring()?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = steward_core::clock::now();
        let mut w = self.write().await?;
        w.tx.exec(
            Q::new(
                "INSERT INTO registries (id, org_id, created_by, filename, saved, created_at, screened_at, editions, counts, \
                 headers, rows_json, results, column_map) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11, $12)",
            )
            .text(id.clone())
            .text(viewer.org.to_string())
            .text(viewer.user.to_string())
            .text(seal(ring, TABLE, &id, "filename", filename))
            .boolean(false)
            .time(now)
            .text(editions)
            .text(to_json(&counts(results))?)
            .text(seal(ring, TABLE, &id, "headers", &to_json(&headers)?))
            .text(seal(ring, TABLE, &id, "rows_json", &to_json(&rows)?))
            .text(seal(ring, TABLE, &id, "results", &to_json(&results)?))
            .opt_text(seal_opt(ring, TABLE, &id, "column_map", column_map)),
        )
        .await?;
        let summary = json!({ "screening": id, "rows": rows.len() });
        w.audit(AuditEvent::new(actor, "screen file", "org", viewer.org, None, Some(summary))).await?;
        w.commit().await?;
        Ok(id)
    }

    /// A screening of `viewer`'s organisation; another organisation's answers as missing.
    pub async fn screening_for(&self, viewer: &Viewer, id: &str) -> StoreResult<Screened> {
        let row = self
            .db
            .opt(Q::new("SELECT * FROM registries WHERE id = $1 AND org_id = $2").text(id).text(viewer.org.to_string()))
            .await?
            .ok_or_else(|| StoreError::NotFound { entity: "screening", key: id.to_string() })?;
        self.screened_from(&row)
    }

    /// `viewer`'s organisation's screenings and registries, newest first (without their rows).
    pub async fn screenings_of(&self, viewer: &Viewer) -> StoreResult<Vec<Screened>> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT id, org_id, filename, name, saved, created_at, screened_at, editions, counts FROM registries \
                     WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT 200",
                )
                .text(viewer.org.to_string()),
            )
            .await?;
        let ring = self.keyring()?;
        rows.iter()
            .map(|r| {
                let id = r.text("id")?;
                Ok(Screened {
                    org_id: r.parse("org_id")?,
                    filename: open_text(ring, TABLE, &id, "filename", &r.text("filename")?)?,
                    name: open_opt(ring, TABLE, &id, "name", r.get("name")?)?,
                    saved: r.get("saved")?,
                    created_at: r.get("created_at")?,
                    screened_at: r.get("screened_at")?,
                    editions: r.text("editions")?,
                    counts: from_json("counts", &r.text("counts")?)?,
                    headers: Vec::new(),
                    rows: Vec::new(),
                    results: Vec::new(),
                    column_map: None,
                    id,
                })
            })
            .collect()
    }

    /// Keeps a screening as a registry of `viewer`'s organisation, under `name`.
    pub async fn save_registry(&self, actor: &Actor, viewer: &Viewer, id: &str, name: &str) -> StoreResult<()> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(steward_core::CoreError::InvalidLength { field: "name", max: 200 }.into());
        }
        let ring = self.keyring()?;
        let mut w = self.write().await?;
        let done =
            w.tx.exec(
                Q::new("UPDATE registries SET saved = $1, name = $2 WHERE id = $3 AND org_id = $4")
                    .boolean(true)
                    .text(seal(ring, TABLE, id, "name", name))
                    .text(id)
                    .text(viewer.org.to_string()),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound { entity: "screening", key: id.to_string() });
        }
        w.audit(AuditEvent::new(actor, "save registry", "org", viewer.org, None, Some(json!({ "registry": id }))))
            .await?;
        w.commit().await
    }

    /// Every saved registry with the editions it was last screened against: for the re-screen.
    pub async fn saved_registries(&self) -> StoreResult<Vec<(String, OrgId, String)>> {
        let rows = self
            .db
            .all(Q::new("SELECT id, org_id, editions FROM registries WHERE saved = $1 ORDER BY id").boolean(true))
            .await?;
        rows.iter().map(|r| Ok((r.text("id")?, r.parse("org_id")?, r.text("editions")?))).collect()
    }

    /// A registry's rows, for the re-screen (system use: no viewer).
    pub async fn registry_rows(&self, id: &str) -> StoreResult<Screened> {
        let row = self
            .db
            .opt(Q::new("SELECT * FROM registries WHERE id = $1").text(id))
            .await?
            .ok_or_else(|| StoreError::NotFound { entity: "registry", key: id.to_string() })?;
        self.screened_from(&row)
    }

    /// Stores a re-screen's results and the alerts it raised, in one write.
    pub async fn rescreened(
        &self,
        id: &str,
        org: OrgId,
        editions: &str,
        results: &[Vec<String>],
        alerts: &[(String, usize, String)],
    ) -> StoreResult<()> {
        let ring = self.keyring()?;
        let now = steward_core::clock::now();
        let mut w = self.write().await?;
        w.tx.exec(
            Q::new("UPDATE registries SET editions = $1, counts = $2, results = $3, screened_at = $4 WHERE id = $5")
                .text(editions)
                .text(to_json(&counts(results))?)
                .text(seal(ring, TABLE, id, "results", &to_json(&results)?))
                .time(now)
                .text(id),
        )
        .await?;
        for (change, row, detail) in alerts {
            insert_alert(ring, &mut w, id, org, change, *row, detail, now).await?;
        }
        let summary = json!({ "registry": id, "alerts": alerts.len() });
        w.audit(AuditEvent::new(&Actor::system(), "rescreen registry", "org", org, None, Some(summary))).await?;
        w.commit().await
    }

    /// Adds alerts to registries (each `(registry, org, change, row, detail)`), in one write, and
    /// records on the case that its organisation alerted buyers (never who or how many: that is
    /// the buyers' business). An alert already given to that registry row in the same words is
    /// not given again, so pressing the button twice does not tell a buyer twice.
    pub async fn add_registry_alerts(
        &self,
        actor: &Actor,
        case: steward_core::case::CaseId,
        alerts: &[(String, OrgId, String, usize, String)],
    ) -> StoreResult<()> {
        let ring = self.keyring()?;
        let now = steward_core::clock::now();
        let mut w = self.write().await?;
        for (registry, org, change, row, detail) in alerts {
            let earlier =
                w.tx.all(
                    Q::new(
                        "SELECT id, detail FROM registry_alerts \
                         WHERE registry_id = $1 AND org_id = $2 AND change = $3 AND row_no = $4",
                    )
                    .text(registry.clone())
                    .text(org.to_string())
                    .text(change.clone())
                    .int(i64::try_from(*row).unwrap_or(i64::MAX)),
                )
                .await?;
            let mut given = false;
            for r in &earlier {
                given |= open_text(ring, "registry_alerts", &r.text("id")?, "detail", &r.text("detail")?)? == *detail;
            }
            if !given {
                insert_alert(ring, &mut w, registry, *org, change, *row, detail, now).await?;
            }
        }
        w.audit(AuditEvent::new(actor, "alert buyers", "case", case, None, None)).await?;
        w.commit().await
    }

    /// `viewer`'s organisation's registry alerts, newest first.
    pub async fn registry_alerts_for(&self, viewer: &Viewer) -> StoreResult<Vec<RegistryAlert>> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT id, registry_id, change, row_no, detail, created_at, read_at FROM registry_alerts \
                     WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT 500",
                )
                .text(viewer.org.to_string()),
            )
            .await?;
        let ring = self.keyring()?;
        rows.iter()
            .map(|r| {
                let id = r.text("id")?;
                Ok(RegistryAlert {
                    registry_id: r.text("registry_id")?,
                    change: r.text("change")?,
                    row: usize::try_from(r.get::<i64>("row_no")?).unwrap_or_default(),
                    detail: open_text(ring, "registry_alerts", &id, "detail", &r.text("detail")?)?,
                    created_at: r.get("created_at")?,
                    read_at: r.get("read_at")?,
                    id,
                })
            })
            .collect()
    }

    fn screened_from(&self, r: &Row) -> StoreResult<Screened> {
        let ring = self.keyring()?;
        let id = r.text("id")?;
        let open = |field: &str| -> StoreResult<String> { open_text(ring, TABLE, &id, field, &r.text(field)?) };
        Ok(Screened {
            org_id: r.parse("org_id")?,
            filename: open("filename")?,
            name: open_opt(ring, TABLE, &id, "name", r.get("name")?)?,
            saved: r.get("saved")?,
            created_at: r.get("created_at")?,
            screened_at: r.get("screened_at")?,
            editions: r.text("editions")?,
            counts: from_json("counts", &r.text("counts")?)?,
            headers: from_json("headers", &open("headers")?)?,
            rows: from_json("rows_json", &open("rows_json")?)?,
            results: from_json("results", &open("results")?)?,
            column_map: open_opt(ring, TABLE, &id, "column_map", r.get("column_map")?)?,
            id,
        })
    }
}
