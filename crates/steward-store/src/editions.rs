//! List editions and their rows. An edition is stored whole or not at all, in one transaction with
//! its audit entry; the same file imported again under the same list is recognised by its
//! checksum and stored only once.

use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::ids::EditionId;
use steward_core::list::{Edition, GoodsRow, NewEdition};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// A new edition was stored.
    New(Edition),
    /// This file was already stored as this edition; nothing changed.
    AlreadyPresent(Edition),
}

impl Imported {
    /// The edition either way.
    pub fn edition(&self) -> &Edition {
        match self {
            Imported::New(e) | Imported::AlreadyPresent(e) => e,
        }
    }
}

macro_rules! select_editions {
    ($rest:literal) => {
        concat!(
            "SELECT id, list_name, kind, source, published, imported_at, checksum, row_count FROM list_editions ",
            $rest
        )
    };
}

const DATE: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

fn edition_from(row: &Row) -> StoreResult<Edition> {
    let published: Option<String> = row.get("published")?;
    Ok(Edition {
        id: row.parse("id")?,
        list_name: row.text("list_name")?,
        kind: row.parse("kind")?,
        source: row.text("source")?,
        published: published
            .map(|p| time::Date::parse(&p, DATE).map_err(|e| StoreError::Corrupt(format!("published '{p}': {e}"))))
            .transpose()?,
        imported_at: row.get("imported_at")?,
        checksum: row.text("checksum")?,
        rows: row.get("row_count")?,
    })
}

fn goods_from(row: &Row) -> StoreResult<GoodsRow> {
    Ok(GoodsRow {
        row: usize::try_from(row.get::<i64>("row_no")?).unwrap_or_default(),
        good: row.text("good")?,
        sector: row.text("sector")?,
        country: row.text("country")?,
        country_name: row.text("country_name")?,
        child_labor: row.get("child_labor")?,
        forced_labor: row.get("forced_labor")?,
        forced_child_labor: row.get("forced_child_labor")?,
        derived: row.get("derived")?,
        derived_input_country: row.get("derived_input_country")?,
    })
}

impl Store {
    /// Stores an edition of a goods list with its rows, unless this list already holds a file with
    /// the same checksum.
    pub async fn import_goods_edition(
        &self,
        actor: &Actor,
        new: NewEdition,
        rows: &[GoodsRow],
    ) -> StoreResult<Imported> {
        let mut w = self.write().await?;
        let existing =
            w.tx.opt(
                Q::new(select_editions!("WHERE list_name = $1 AND checksum = $2"))
                    .text(new.list_name.clone())
                    .text(new.checksum.clone()),
            )
            .await?;
        if let Some(row) = existing {
            return Ok(Imported::AlreadyPresent(edition_from(&row)?));
        }
        let edition = Edition {
            id: EditionId::new(),
            list_name: new.list_name,
            kind: new.kind,
            source: new.source,
            published: new.published,
            imported_at: steward_core::clock::now(),
            checksum: new.checksum,
            rows: rows.len() as i64,
        };
        w.tx.exec(
            Q::new(
                "INSERT INTO list_editions (id, list_name, kind, source, published, imported_at, checksum, row_count) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .text(edition.id.to_string())
            .text(edition.list_name.clone())
            .text(edition.kind.as_str())
            .text(edition.source.clone())
            .opt_text(edition.published.map(|d| d.to_string()))
            .time(edition.imported_at)
            .text(edition.checksum.clone())
            .int(edition.rows),
        )
        .await?;
        for r in rows {
            w.tx.exec(
                Q::new(
                    "INSERT INTO list_goods (edition_id, row_no, good, sector, country, country_name, child_labor, forced_labor, \
                     forced_child_labor, derived, derived_input_country) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .text(edition.id.to_string())
                .int(r.row as i64)
                .text(r.good.clone())
                .text(r.sector.clone())
                .text(r.country.clone())
                .text(r.country_name.clone())
                .boolean(r.child_labor)
                .boolean(r.forced_labor)
                .boolean(r.forced_child_labor)
                .boolean(r.derived)
                .opt_text(r.derived_input_country.clone()),
            )
            .await?;
        }
        let summary = json!({
            "list": edition.list_name, "kind": edition.kind.as_str(), "source": edition.source,
            "published": edition.published.map(|d| d.to_string()), "checksum": edition.checksum, "rows": edition.rows,
        });
        w.audit(AuditEvent::new(actor, "import", "list_edition", edition.id, None, Some(summary))).await?;
        w.commit().await?;
        Ok(Imported::New(edition))
    }

    /// Every edition, newest first within each list.
    pub async fn editions(&self) -> StoreResult<Vec<Edition>> {
        let rows =
            self.db.all(Q::new(select_editions!("ORDER BY list_name, published DESC, imported_at DESC"))).await?;
        rows.iter().map(edition_from).collect()
    }

    /// The edition in force of each list: the latest published, then the latest imported.
    pub async fn editions_in_force(&self) -> StoreResult<Vec<Edition>> {
        let mut out: Vec<Edition> = Vec::new();
        for e in self.editions().await? {
            if out.last().is_none_or(|last| last.list_name != e.list_name) {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// One edition.
    pub async fn edition(&self, id: EditionId) -> StoreResult<Edition> {
        let row = self
            .db
            .opt(Q::new(select_editions!("WHERE id = $1")).text(id.to_string()))
            .await?
            .ok_or_else(|| StoreError::NotFound { entity: "list edition", key: id.to_string() })?;
        edition_from(&row)
    }

    /// An edition's rows, in file order.
    pub async fn edition_goods(&self, id: EditionId) -> StoreResult<Vec<GoodsRow>> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT row_no, good, sector, country, country_name, child_labor, forced_labor, forced_child_labor, derived, \
                     derived_input_country FROM list_goods WHERE edition_id = $1 ORDER BY row_no",
                )
                .text(id.to_string()),
            )
            .await?;
        rows.iter().map(goods_from).collect()
    }
}
