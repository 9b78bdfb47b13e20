//! Screening on the web: upload a supplier file (CSV or spreadsheet), read every row's verdict in
//! a table with filters, download the results, and keep the file as the organisation's registry,
//! re-screened (with alerts) whenever the lists change.

use super::{page, Layout, Signed};
use crate::api::cases::viewer;
use crate::error::{AppError, AppResult};
use crate::sheets::{self, Sheet};
use crate::state::AppState;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use steward_core::role::Permission;
use steward_screen::batch::OUTPUT_COLUMNS;
use steward_store::{RegistryAlert, Screened};

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
        let upload = crate::registry::read_upload(multipart).await?;
        signed.check_csrf(upload.field("csrf").unwrap_or_default())?;
        let screened = crate::registry::screen_upload(&state, upload).await?;
        crate::registry::keep(&state, &signed.caller, &screened).await
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
