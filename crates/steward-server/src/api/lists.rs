//! Official lists: editions and their entries.

use crate::auth::ApiCaller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;
use steward_core::ids::EditionId;
use steward_core::list::{Edition, GoodsRow};
use steward_core::role::Permission;
use utoipa::ToSchema;

/// An edition of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct EditionOut {
    id: String,
    /// The list it belongs to.
    list: String,
    /// `NAME@PUBLISHED`, as the CLI shows it.
    label: String,
    kind: String,
    source: String,
    /// YYYY-MM-DD.
    published: Option<String>,
    imported_at: String,
    /// SHA-256 of the imported file.
    checksum: String,
    rows: i64,
    in_force: bool,
}

/// One good from one country.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoodsRowOut {
    row: usize,
    good: String,
    sector: String,
    /// ISO 3166-1 alpha-2.
    country: String,
    country_name: String,
    child_labor: bool,
    forced_labor: bool,
    forced_child_labor: bool,
    derived: bool,
    derived_input_country: Option<String>,
}

impl From<GoodsRow> for GoodsRowOut {
    fn from(r: GoodsRow) -> Self {
        Self {
            row: r.row,
            good: r.good,
            sector: r.sector,
            country: r.country,
            country_name: r.country_name,
            child_labor: r.child_labor,
            forced_labor: r.forced_labor,
            forced_child_labor: r.forced_child_labor,
            derived: r.derived,
            derived_input_country: r.derived_input_country,
        }
    }
}

fn out(e: &Edition, in_force: bool) -> EditionOut {
    EditionOut {
        id: e.id.to_string(),
        list: e.list_name.clone(),
        label: e.label(),
        kind: e.kind.as_str().into(),
        source: e.source.clone(),
        published: e.published.map(|d| d.to_string()),
        imported_at: steward_core::clock::rfc3339(e.imported_at),
        checksum: e.checksum.clone(),
        rows: e.rows,
        in_force,
    }
}

/// Every edition of every list, with which are in force.
#[utoipa::path(get, path = "/api/v1/lists", tag = "lists",
    responses((status = 200, body = [EditionOut]), (status = 401, description = "No valid token")))]
pub async fn list_editions(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> AppResult<Json<Vec<EditionOut>>> {
    caller.require(Permission::ViewLists)?;
    let in_force = state.store.editions_in_force().await?;
    let all = state.store.editions().await?;
    Ok(Json(all.iter().map(|e| out(e, in_force.iter().any(|f| f.id == e.id))).collect()))
}

/// An edition's rows, in file order.
#[utoipa::path(get, path = "/api/v1/lists/{id}/goods", tag = "lists",
    params(("id" = String, Path, description = "Edition id")),
    responses((status = 200, body = [GoodsRowOut]), (status = 404, description = "No such edition")))]
pub async fn list_goods(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<GoodsRowOut>>> {
    caller.require(Permission::ViewLists)?;
    let id: EditionId = id.parse().map_err(|_| AppError::NotFound)?;
    state.store.edition(id).await?;
    Ok(Json(state.store.edition_goods(id).await?.into_iter().map(GoodsRowOut::from).collect()))
}
