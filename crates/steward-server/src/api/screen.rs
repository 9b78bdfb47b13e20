//! Screening a supplier file over the API: the same verdicts as `steward screen` and the web
//! page, for scripts and the tools a compliance team already runs.

use crate::auth::ApiCaller;
use crate::error::{AppError, AppResult};
use crate::registry::{keep, read_upload, screen_upload, ScreenedFile};
use crate::sheets::{self, Sheet};
use crate::state::AppState;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use steward_core::role::Permission;
use steward_screen::batch::OUTPUT_COLUMNS;
use utoipa::{IntoParams, ToSchema};

/// How the screened file comes back.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ScreenQuery {
    /// `json` (the default), `jsonl` (one object per row), `csv` or `xlsx`: every input row and
    /// column, in order, with Steward's columns added.
    #[serde(default)]
    format: Option<String>,
}

/// A screened file as JSON.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScreenOut {
    /// The file's name.
    filename: String,
    /// The editions it was screened against.
    editions: String,
    /// Rows by `steward_status`.
    counts: BTreeMap<String, usize>,
    /// The file's columns, then Steward's (`steward_status`, `steward_score`, ...).
    columns: Vec<String>,
    /// Every row, in order, as long as `columns`.
    rows: Vec<Vec<String>>,
    /// The registry it was saved as (when `save` named one): re-screened when the lists change.
    registry: Option<String>,
}

/// Screens a supplier file (multipart field `file`: CSV in any common encoding and delimiter, or
/// XLSX, at most 16 MiB) against the lists in force. Columns are found by their headers; name
/// them with the fields `name_column`, `aliases_column`, `country_column`, `goods_column`,
/// `hs_column`, `id_column` when they are not recognised. A field `save` keeps the file as the
/// organisation's supplier registry of that name, re-screened whenever a list changes, each new
/// or removed hit an alert. A row that cannot be screened is returned with `error` and why.
#[utoipa::path(post, path = "/api/v1/screen", tag = "screening",
    params(ScreenQuery),
    request_body(content_type = "multipart/form-data", description = "file; optionally name_column, aliases_column, country_column, goods_column, hs_column, id_column, save (a registry name)"),
    responses((status = 200, body = ScreenOut, description = "Every row with its verdict (or CSV, XLSX, JSON lines by format)"),
        (status = 400, description = "No file, a file that cannot be read, no column to screen, or an unknown format"),
        (status = 403, description = "Your role does not screen suppliers")))]
pub async fn screen_file(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Query(q): Query<ScreenQuery>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    caller.require(Permission::ScreenSuppliers)?;
    let format = q.format.as_deref().map(str::trim).unwrap_or("json").to_ascii_lowercase();
    if !matches!(format.as_str(), "json" | "jsonl" | "csv" | "xlsx") {
        return Err(AppError::field("format", format!("'{format}' is not a format; use json, jsonl, csv or xlsx")));
    }
    let upload = read_upload(multipart).await?;
    let save = upload.field("save").map(str::to_string);
    let screened = screen_upload(&state, upload).await?;
    let registry = match save {
        Some(name) => {
            let id = keep(&state, &caller, &screened).await?;
            let me = crate::api::cases::viewer(&caller);
            state.store.save_registry(&caller.actor(), &me, &id, &name).await?;
            Some(id)
        }
        None => None,
    };
    let columns: Vec<String> =
        screened.headers.iter().cloned().chain(OUTPUT_COLUMNS.iter().map(|c| c.to_string())).collect();
    let mut response = match format.as_str() {
        "csv" => sheets::attachment(sheets::to_csv(&[sheet(&screened, columns)])?, sheets::CSV, "screened.csv"),
        "xlsx" => sheets::attachment(sheets::to_xlsx(&[sheet(&screened, columns)])?, sheets::XLSX, "screened.xlsx"),
        "jsonl" => json_lines(&screened, &columns)?,
        _ => {
            let mut counts = BTreeMap::new();
            for r in &screened.results {
                *counts.entry(r.first().cloned().unwrap_or_default()).or_insert(0) += 1;
            }
            let rows = rows(&screened).collect();
            let out = ScreenOut {
                filename: screened.filename,
                editions: screened.key,
                counts,
                columns,
                rows,
                registry: registry.clone(),
            };
            (StatusCode::OK, Json(out)).into_response()
        }
    };
    if let Some(id) = registry.and_then(|id| header::HeaderValue::from_str(&format!("/screen/{id}")).ok()) {
        response.headers_mut().insert(header::CONTENT_LOCATION, id);
    }
    Ok(response)
}

fn rows(f: &ScreenedFile) -> impl Iterator<Item = Vec<String>> + '_ {
    f.rows.iter().zip(&f.results).map(|(r, a)| r.iter().chain(a).cloned().collect())
}

fn sheet(f: &ScreenedFile, header: Vec<String>) -> Sheet {
    Sheet { name: "Screened".into(), header, rows: rows(f).collect() }
}

/// One JSON object per row, keyed by column, as `steward screen -o FILE.jsonl` writes them.
fn json_lines(f: &ScreenedFile, columns: &[String]) -> AppResult<Response> {
    let mut out = Vec::new();
    for row in rows(f) {
        let obj: serde_json::Map<String, serde_json::Value> =
            columns.iter().cloned().zip(row.into_iter().map(serde_json::Value::String)).collect();
        serde_json::to_writer(&mut out, &obj).map_err(|e| AppError::Internal(e.to_string()))?;
        out.push(b'\n');
    }
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8")], out).into_response())
}
