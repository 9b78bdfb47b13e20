//! The reports page: counts, medians and overdue clocks over the cases the reader may see, a
//! world map and bar charts (SVG drawn on the server), and the same as CSV or XLSX.

use super::{page, Layout, Signed};
use crate::api::cases::case_sheet;
use crate::api::reports::{report_for, report_sheets};
use crate::charts::{bar_chart, world_map};
use crate::error::AppResult;
use crate::sheets;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use steward_core::report::Report;

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    layout: Layout,
    r: Report,
    /// The world map (SVG, escaped by `charts`).
    map: String,
    /// Title and SVG of each table's chart.
    charts: Vec<(&'static str, String)>,
    /// Median time to acknowledgement, in words.
    to_acknowledge: String,
    /// Median time to first action, in words.
    to_first_action: String,
}

fn hours(h: &Option<f64>) -> String {
    match h {
        Some(h) if *h < 48.0 => format!("{h:.1} hours"),
        Some(h) => format!("{:.1} days", h / 24.0),
        None => "too few to show".into(),
    }
}

pub async fn show_reports(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    let r = report_for(&state, &signed.caller).await?;
    let map = r.table("country").map(world_map).unwrap_or_default();
    let charts = r.tables.iter().map(|t| (t.title, bar_chart(t))).collect();
    let (to_acknowledge, to_first_action) =
        (hours(&r.median_hours_to_acknowledge), hours(&r.median_hours_to_first_action));
    page(&ReportsPage { layout: Layout::for_user(&signed, "reports"), r, map, charts, to_acknowledge, to_first_action })
}

pub async fn report_csv(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    let r = report_for(&state, &signed.caller).await?;
    Ok(sheets::attachment(sheets::to_csv(&report_sheets(&r))?, sheets::CSV, "case-report.csv"))
}

pub async fn report_xlsx(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    let r = report_for(&state, &signed.caller).await?;
    Ok(sheets::attachment(sheets::to_xlsx(&report_sheets(&r))?, sheets::XLSX, "case-report.xlsx"))
}

/// The cases the reader may see, as CSV (audited on each case).
pub async fn cases_csv(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    let sheet = case_sheet(&state, &signed.caller).await?;
    Ok(sheets::attachment(sheets::to_csv(&[sheet])?, sheets::CSV, "cases.csv"))
}

/// The cases the reader may see, as XLSX (audited on each case).
pub async fn cases_xlsx(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    let sheet = case_sheet(&state, &signed.caller).await?;
    Ok(sheets::attachment(sheets::to_xlsx(&[sheet])?, sheets::XLSX, "cases.xlsx"))
}
