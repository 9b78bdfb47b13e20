//! The official lists: editions in force, every edition, and one edition's entries.

use super::{page, Layout, Signed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use steward_core::ids::EditionId;
use steward_core::list::{Edition, GoodsRow, ListEntity};
use steward_core::role::Permission;

#[derive(Template)]
#[template(path = "lists/index.html")]
struct ListsPage {
    layout: Layout,
    in_force: Vec<Edition>,
    editions: Vec<Edition>,
    provenance: &'static str,
}

#[derive(Template)]
#[template(path = "lists/edition.html")]
struct EditionPage {
    layout: Layout,
    edition: Edition,
    in_force: bool,
    rows: Vec<GoodsRow>,
    entities: Vec<ListEntity>,
    total: usize,
    q: String,
    country: String,
    countries: Vec<(String, String)>,
}

pub async fn list_lists(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    signed.caller.require(Permission::ViewLists)?;
    page(&ListsPage {
        layout: Layout::for_user(&signed, "lists"),
        in_force: state.store.editions_in_force().await?,
        editions: state.store.editions().await?,
        provenance: steward_screen::DEFAULT_TVPRA_PROVENANCE,
    })
}

#[derive(Debug, Deserialize)]
pub struct EntryFilter {
    #[serde(default)]
    q: String,
    #[serde(default)]
    country: String,
}

pub async fn show_edition(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(filter): Query<EntryFilter>,
) -> AppResult<Response> {
    signed.caller.require(Permission::ViewLists)?;
    let id: EditionId = id.parse().map_err(|_| AppError::NotFound)?;
    let edition = state.store.edition(id).await?;
    let in_force = state.store.editions_in_force().await?.iter().any(|e| e.id == id);
    let all = state.store.edition_goods(id).await?;
    let q = steward_core::country::fold(&filter.q);
    let entities: Vec<ListEntity> = if edition.kind.holds_entities() {
        state
            .store
            .edition_entities(id)
            .await?
            .into_iter()
            .filter(|e| {
                q.is_empty()
                    || std::iter::once(&e.name).chain(&e.aliases).any(|n| steward_core::country::fold(n).contains(&q))
            })
            .filter(|e| filter.country.is_empty() || e.countries.contains(&filter.country))
            .collect()
    } else {
        Vec::new()
    };
    let mut countries: Vec<(String, String)> =
        all.iter().map(|r| (r.country.clone(), r.country_name.clone())).collect();
    for e in &entities {
        for c in &e.countries {
            let name = steward_core::country::by_alpha2(c).map(|x| x.name.to_string()).unwrap_or_else(|| c.clone());
            countries.push((c.clone(), name));
        }
    }
    countries.sort_by(|a, b| a.1.cmp(&b.1));
    countries.dedup_by(|a, b| a.0 == b.0);
    let rows: Vec<GoodsRow> = all
        .iter()
        .filter(|r| q.is_empty() || steward_core::country::fold(&r.good).contains(&q))
        .filter(|r| filter.country.is_empty() || r.country == filter.country)
        .cloned()
        .collect();
    page(&EditionPage {
        layout: Layout::for_user(&signed, "lists"),
        total: if edition.kind.holds_entities() { edition.rows as usize } else { all.len() },
        entities,
        edition,
        in_force,
        rows,
        q: filter.q,
        country: filter.country,
        countries,
    })
}

#[derive(Template)]
#[template(path = "lists/diff.html")]
struct DiffPage {
    layout: Layout,
    a: Edition,
    b: Edition,
    sections: steward_screen::diff::Sections,
}

#[derive(Debug, Deserialize)]
pub struct DiffQuery {
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
}

/// What changed from edition `a` to edition `b` of a list (goods and countries, or entities).
pub async fn show_diff(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<DiffQuery>,
) -> AppResult<Response> {
    signed.caller.require(Permission::ViewLists)?;
    let all = state.store.editions().await?;
    let find = |field: &str, key: &str| {
        all.iter()
            .find(|e| e.id.to_string() == key.trim() || e.label() == key.trim())
            .cloned()
            .ok_or_else(|| AppError::field(field, format!("no edition '{}'", key.chars().take(80).collect::<String>())))
    };
    let (a, b) = (find("a", &q.a)?, find("b", &q.b)?);
    let sections = if a.kind.holds_entities() || b.kind.holds_entities() {
        steward_screen::diff::diff_entities(
            &state.store.edition_entities(a.id).await?,
            &state.store.edition_entities(b.id).await?,
        )
        .sections()
    } else {
        steward_screen::diff::diff(&state.store.edition_goods(a.id).await?, &state.store.edition_goods(b.id).await?)
            .sections()
    };
    page(&DiffPage { layout: Layout::for_user(&signed, "lists"), a, b, sections })
}
