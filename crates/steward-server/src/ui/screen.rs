//! Screening on the web: upload a supplier file (CSV or spreadsheet), read every row's verdict in
//! a table with filters, download the results, and keep the file as the organisation's registry,
//! re-screened (with alerts) whenever the lists change.

use super::{page, Layout, Signed};
use crate::api::cases::viewer;
use crate::error::{AppError, AppResult};
use crate::registry::{read_table, screen_rows};
use crate::sheets::{self, Sheet};
use crate::state::AppState;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use steward_core::role::Permission;
use steward_screen::batch::ColumnNames;
use steward_screen::batch::OUTPUT_COLUMNS;
use steward_store::{RegistryAlert, Screened};

/// Largest supplier file accepted on the web (the CLI takes any size).
pub const MAX_UPLOAD: usize = 16 * 1024 * 1024;

/// Most rows shown on one page; the downloads carry all of them.
const SHOWN: usize = 1000;

#[derive(Template)]
#[template(path = "screen/index.html")]
struct ScreenPage {
    layout: Layout,
    screenings: Vec<Screened>,
    alerts: Vec<RegistryAlert>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "screen/show.html")]
struct ResultsPage {
    layout: Layout,
    s: Screened,
    /// The status shown, or empty for all.
    status: String,
    /// Column headers, the file's then Steward's.
    columns: Vec<String>,
    /// (row number, cells) of the rows shown.
    rows: Vec<(usize, Vec<String>)>,
    /// Rows matching the filter, before the page limit.
    matching: usize,
}

async fn index_page(state: &AppState, signed: &Signed, error: Option<AppError>) -> AppResult<Response> {
    signed.caller.require(Permission::ScreenSuppliers)?;
    let me = viewer(&signed.caller);
    let status = error.as_ref().map(|e| e.status().0);
    let mut response = page(&ScreenPage {
        layout: Layout::for_user(signed, "screen"),
        screenings: state.store.screenings_of(&me).await?,
        alerts: state.store.registry_alerts_for(&me).await?,
        error: error.map(|e| e.to_string()),
    })?;
    if let Some(status) = status {
        *response.status_mut() = status;
    }
    Ok(response)
}

pub async fn show_index(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    index_page(&state, &signed, None).await
}

/// The upload: read only from those who may screen; a bad file re-renders the page with why.
pub async fn upload(
    State(state): State<AppState>,
    signed: Signed,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    signed.caller.require(Permission::ScreenSuppliers)?;
    let result = async {
        let mut multipart = multipart.map_err(|e| AppError::field("file", e.body_text()))?;
        let bad = |e: axum::extract::multipart::MultipartError| AppError::field("file", e.body_text());
        let (mut file, mut csrf) = (None, String::new());
        let mut given = ColumnNames::default();
        while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
            let named = |text: String| Some(text.trim().to_string()).filter(|t| !t.is_empty() && t.len() <= 200);
            match field.name().unwrap_or_default() {
                "csrf" => csrf = field.text().await.map_err(bad)?,
                "name_column" => given.name = named(field.text().await.map_err(bad)?),
                "aliases_column" => given.aliases = named(field.text().await.map_err(bad)?),
                "country_column" => given.country = named(field.text().await.map_err(bad)?),
                "goods_column" => given.goods = named(field.text().await.map_err(bad)?),
                "hs_column" => given.hs = named(field.text().await.map_err(bad)?),
                "id_column" => given.ids = named(field.text().await.map_err(bad)?),
                "file" => {
                    let name = field.file_name().unwrap_or("suppliers.csv").to_string();
                    let mut bytes = Vec::new();
                    while let Some(chunk) = field.chunk().await.map_err(bad)? {
                        if bytes.len() + chunk.len() > MAX_UPLOAD {
                            return Err(AppError::field(
                                "file",
                                format!(
                                    "{name} is larger than {} MiB; screen it with `steward screen`",
                                    MAX_UPLOAD >> 20
                                ),
                            ));
                        }
                        bytes.extend_from_slice(&chunk);
                    }
                    file = Some((name, bytes));
                }
                _ => {}
            }
        }
        signed.check_csrf(&csrf)?;
        let (name, bytes) =
            file.filter(|(_, b)| !b.is_empty()).ok_or_else(|| AppError::field("file", "choose a file to screen"))?;
        let (headers, rows) = read_table(&name, &bytes)?;
        let (key, kept, results) = screen_rows(&state, &headers, rows, &given).await?;
        let me = viewer(&signed.caller);
        let map = (!given.is_empty())
            .then(|| serde_json::to_string(&given))
            .transpose()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(state
            .store
            .keep_screening(&signed.caller.actor(), &me, &name, &key, &headers, &kept, &results, map.as_deref())
            .await?)
    }
    .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/screen/{id}")).into_response()),
        Err(e @ (AppError::BadRequest { .. } | AppError::PayloadTooLarge)) => {
            index_page(&state, &signed, Some(e)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    status: String,
}

pub async fn show_results(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    signed.caller.require(Permission::ScreenSuppliers)?;
    let s = state.store.screening_for(&viewer(&signed.caller), &id).await?;
    let status = f.status.trim().to_string();
    let all: Vec<(usize, Vec<String>)> = s
        .rows
        .iter()
        .zip(&s.results)
        .enumerate()
        .filter(|(_, (_, r))| status.is_empty() || r.first().map(String::as_str) == Some(status.as_str()))
        .map(|(i, (row, r))| (i + 1, row.iter().chain(r.iter()).cloned().collect()))
        .collect();
    let matching = all.len();
    let rows = all.into_iter().take(SHOWN).collect();
    let columns = s.headers.iter().cloned().chain(OUTPUT_COLUMNS.iter().map(|c| c.to_string())).collect();
    page(&ResultsPage { layout: Layout::for_user(&signed, "screen"), s, status, columns, rows, matching })
}

fn result_sheet(s: &Screened) -> Sheet {
    Sheet {
        name: "Screened".into(),
        header: s.headers.iter().cloned().chain(OUTPUT_COLUMNS.iter().map(|c| c.to_string())).collect(),
        rows: s.rows.iter().zip(&s.results).map(|(r, a)| r.iter().chain(a.iter()).cloned().collect()).collect(),
    }
}

pub async fn results_csv(State(state): State<AppState>, signed: Signed, Path(id): Path<String>) -> AppResult<Response> {
    signed.caller.require(Permission::ScreenSuppliers)?;
    let s = state.store.screening_for(&viewer(&signed.caller), &id).await?;
    Ok(sheets::attachment(sheets::to_csv(&[result_sheet(&s)])?, sheets::CSV, "screened.csv"))
}

pub async fn results_xlsx(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> AppResult<Response> {
    signed.caller.require(Permission::ScreenSuppliers)?;
    let s = state.store.screening_for(&viewer(&signed.caller), &id).await?;
    Ok(sheets::attachment(sheets::to_xlsx(&[result_sheet(&s)])?, sheets::XLSX, "screened.xlsx"))
}

#[derive(Deserialize)]
pub struct SaveForm {
    csrf: String,
    #[serde(default)]
    name: String,
}

pub async fn save(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(f): Form<SaveForm>,
) -> AppResult<Response> {
    signed.check_csrf(&f.csrf)?;
    signed.caller.require(Permission::ScreenSuppliers)?;
    state.store.save_registry(&signed.caller.actor(), &viewer(&signed.caller), &id, &f.name).await?;
    Ok(Redirect::to(&format!("/screen/{id}")).into_response())
}
