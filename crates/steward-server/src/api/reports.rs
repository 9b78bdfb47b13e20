//! Reports over the API: the counts and medians of the cases the caller may see, with small
//! counts suppressed, as JSON, CSV or XLSX; and the case export as XLSX.

use super::cases::viewer;
use crate::auth::{ApiCaller, Caller};
use crate::error::AppResult;
use crate::sheets::{self, Sheet};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use steward_core::report::Report;

/// The report over what `caller` may see (anyone may ask: it counts only their own cases).
pub(crate) async fn report_for(state: &AppState, caller: &Caller) -> AppResult<Report> {
    let facts = state.store.report_facts(&viewer(caller)).await?;
    let min = state.store.report_min_count().await?;
    let clocks = state.store.response_clocks().await?;
    Ok(Report::build(&facts, min, &clocks, steward_core::clock::now()))
}

/// The report as sheets: a summary, then one sheet per table.
pub(crate) fn report_sheets(r: &Report) -> Vec<Sheet> {
    let header = ["table", "key", "label", "cases"].map(String::from).to_vec();
    let hours = |h: Option<f64>| h.map(|h| format!("{h:.1}")).unwrap_or_else(|| "suppressed".into());
    let summary = Sheet {
        name: "Summary".into(),
        header: header.clone(),
        rows: vec![
            vec!["summary".into(), "cases".into(), "Cases".into(), r.cases.to_string()],
            vec!["summary".into(), "open".into(), "Open cases".into(), r.open.to_string()],
            vec![
                "summary".into(),
                "overdue_acknowledge".into(),
                "Open cases not acknowledged in time".into(),
                r.overdue_acknowledge.to_string(),
            ],
            vec![
                "summary".into(),
                "overdue_first_action".into(),
                "Open cases without a first action in time".into(),
                r.overdue_first_action.to_string(),
            ],
            vec![
                "summary".into(),
                "median_hours_to_acknowledge".into(),
                "Median hours to acknowledgement".into(),
                hours(r.median_hours_to_acknowledge),
            ],
            vec![
                "summary".into(),
                "median_hours_to_first_action".into(),
                "Median hours to first action".into(),
                hours(r.median_hours_to_first_action),
            ],
            vec!["summary".into(), "min_count".into(), "Smallest count shown".into(), r.min_count.to_string()],
        ],
    };
    std::iter::once(summary)
        .chain(r.tables.iter().map(|t| {
            Sheet {
                name: t.title.trim_start_matches("Cases by ").to_string(),
                header: header.clone(),
                rows: t
                    .rows
                    .iter()
                    .map(|row| vec![t.dimension.to_string(), row.key.clone(), row.label.clone(), row.cases.to_string()])
                    .collect(),
            }
        }))
        .collect()
}

/// Counts of the cases the caller may see by country, incident type, perpetrator type, sector,
/// year and risk; medians to acknowledgement and first action; overdue clocks. Counts below the
/// installation's threshold are "suppressed", and so are those that would let them be worked out.
#[utoipa::path(get, path = "/api/v1/reports/cases", tag = "reports",
    responses((status = 200, description = "The report (counts are numbers or \"suppressed\")")))]
pub async fn case_report(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> AppResult<Json<Report>> {
    Ok(Json(report_for(&state, &caller).await?))
}

/// The report as CSV (columns table, key, label, cases).
#[utoipa::path(get, path = "/api/v1/reports/cases.csv", tag = "reports",
    responses((status = 200, description = "CSV", content_type = "text/csv")))]
pub async fn case_report_csv(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> AppResult<Response> {
    let r = report_for(&state, &caller).await?;
    Ok(sheets::attachment(sheets::to_csv(&report_sheets(&r))?, sheets::CSV, "case-report.csv"))
}

/// The report as an XLSX workbook, one worksheet per table.
#[utoipa::path(get, path = "/api/v1/reports/cases.xlsx", tag = "reports",
    responses((status = 200, description = "XLSX", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn case_report_xlsx(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> AppResult<Response> {
    let r = report_for(&state, &caller).await?;
    Ok(sheets::attachment(sheets::to_xlsx(&report_sheets(&r))?, sheets::XLSX, "case-report.xlsx"))
}
