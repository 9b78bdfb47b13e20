//! List editions and their rows. An edition is stored whole or not at all, in one transaction with
//! its audit entry; the same file imported again under the same list is recognised by its
//! checksum and stored only once.

use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::ids::EditionId;
use steward_core::list::{Edition, EntitySchema, GoodsRow, ListEntity, NewEdition};

/// The rows of an edition, by the kind of list.
#[derive(Debug, Clone, Copy)]
pub enum EditionRows<'a> {
    /// A goods list: goods by country.
    Goods(&'a [GoodsRow]),
    /// An entity list: companies, people, organisations.
    Entities(&'a [ListEntity]),
}

impl EditionRows<'_> {
    fn len(&self) -> usize {
        match self {
            EditionRows::Goods(r) => r.len(),
            EditionRows::Entities(r) => r.len(),
        }
    }
}

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
    /// Stores an edition of a goods list with its rows (see [`Store::import_edition`]).
    pub async fn import_goods_edition(
        &self,
        actor: &Actor,
        new: NewEdition,
        rows: &[GoodsRow],
    ) -> StoreResult<Imported> {
        self.import_edition(actor, new, EditionRows::Goods(rows)).await
    }

    /// Stores an edition with its rows, unless this list already holds a file with the same
    /// checksum. All of it is stored, with its audit entry, or none of it.
    pub async fn import_edition(&self, actor: &Actor, new: NewEdition, rows: EditionRows<'_>) -> StoreResult<Imported> {
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
        let goods: &[GoodsRow] = match rows {
            EditionRows::Goods(g) => g,
            EditionRows::Entities(_) => &[],
        };
        for r in goods {
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
        if let EditionRows::Entities(entities) = rows {
            let list = |v: &[String]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
            // One source line may name several entities (a WRO row does), so entries are numbered
            // by their place in the edition; the source line is kept in the order.
            for (position, e) in entities.iter().enumerate() {
                w.tx.exec(
                    Q::new(
                        "INSERT INTO list_entities (edition_id, row_no, entity_key, schema, name, aliases, countries, identifiers, notes) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .text(edition.id.to_string())
                    .int(i64::try_from(position + 1).unwrap_or(i64::MAX))
                    .text(e.key.clone())
                    .text(e.schema.as_str())
                    .text(e.name.clone())
                    .text(list(&e.aliases))
                    .text(list(&e.countries))
                    .text(list(&e.identifiers))
                    .text(e.notes.clone()),
                )
                .await?;
            }
        }
        let summary = json!({
            "list": edition.list_name, "kind": edition.kind.as_str(), "source": edition.source,
            "published": edition.published.map(|d| d.to_string()), "checksum": edition.checksum, "rows": edition.rows,
        });
        w.audit(AuditEvent::new(actor, "import", "list_edition", edition.id, None, Some(summary))).await?;
        w.commit().await?;
        Ok(Imported::New(edition))
    }

    /// Every edition, newest first within each list. An edition without a publication date counts
    /// as published on the day it was imported, so a file imported today without `--published`
    /// comes into force. (Sorted here rather than in SQL, where the backends order NULLs apart.)
    pub async fn editions(&self) -> StoreResult<Vec<Edition>> {
        let rows = self.db.all(Q::new(select_editions!(""))).await?;
        let mut editions = rows.iter().map(edition_from).collect::<StoreResult<Vec<_>>>()?;
        editions.sort_by(|a, b| {
            let effective = |e: &Edition| e.published.unwrap_or(e.imported_at.date());
            a.list_name.cmp(&b.list_name).then(effective(b).cmp(&effective(a))).then(b.imported_at.cmp(&a.imported_at))
        });
        Ok(editions)
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

    /// An entity list edition's entities, in file order.
    pub async fn edition_entities(&self, id: EditionId) -> StoreResult<Vec<ListEntity>> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT row_no, entity_key, schema, name, aliases, countries, identifiers, notes \
                     FROM list_entities WHERE edition_id = $1 ORDER BY row_no",
                )
                .text(id.to_string()),
            )
            .await?;
        rows.iter().map(entity_from).collect()
    }
}

fn entity_from(row: &Row) -> StoreResult<ListEntity> {
    let list = |col: &str| -> StoreResult<Vec<String>> {
        let raw = row.text(col)?;
        serde_json::from_str(&raw).map_err(|e| StoreError::Corrupt(format!("{col} '{raw}': {e}")))
    };
    Ok(ListEntity {
        row: usize::try_from(row.get::<i64>("row_no")?).unwrap_or_default(),
        key: row.text("entity_key")?,
        schema: row.parse::<EntitySchema>("schema")?,
        name: row.text("name")?,
        aliases: list("aliases")?,
        countries: list("countries")?,
        identifiers: list("identifiers")?,
        notes: row.text("notes")?,
    })
}
