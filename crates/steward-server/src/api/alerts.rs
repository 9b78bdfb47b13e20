//! Public alerts: intake and the submitter's status need no account; the triage queue is for the
//! host organisation's coordinators.

use super::cases::{viewer, CaseOut, Names};
use super::ApiJson;
use crate::auth::ApiCaller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use steward_core::alert::{note_text, NewAlert};
use steward_core::case::{NewCase, PersonAtRisk, Risk, Visibility};
use steward_core::role::Permission;
use steward_store::Alert;
use time::Duration;
use utoipa::ToSchema;

/// Alerts one address may send per hour.
const ALERTS_PER_HOUR: i64 = 10;
/// Wrong receipt-and-passphrase pairs one address may try per 15 minutes.
const LOOKUPS_PER_QUARTER: i64 = 20;

/// An alert from the public form.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertIn {
    /// What happened, in your words.
    summary: String,
    /// Where (a code such as KH, or a name).
    #[serde(default)]
    country: Option<String>,
    /// Who is at risk, if you want to say.
    #[serde(default)]
    name: Option<String>,
    /// How the response team can reach you safely.
    #[serde(default)]
    contact: Option<String>,
    /// Someone's life or freedom is in danger right now: the team sees this alert first.
    #[serde(default)]
    danger: bool,
}

/// What the submitter keeps.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertReceiptOut {
    /// Quote it to see the status or add information.
    receipt: String,
    /// Shown once; keep it safe. With the receipt it opens the alert's status.
    passphrase: String,
    /// Always `received`.
    status: &'static str,
    message: &'static str,
}

/// A receipt and passphrase, with text to add when adding information.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertKey {
    receipt: String,
    passphrase: String,
    /// Information to add (for `/api/v1/alerts/notes`).
    #[serde(default)]
    text: Option<String>,
}

/// What a submitter may see: the status, and nothing else.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertStatusOut {
    status: String,
    message: String,
    received_at: String,
    updated_at: String,
    /// How many times information was added.
    additions: i64,
}

/// An alert in the triage queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertOut {
    id: String,
    receipt: String,
    status: String,
    country: Option<String>,
    summary: String,
    name: Option<String>,
    contact: Option<String>,
    /// What the submitter added later.
    notes: Vec<String>,
    created_at: String,
    /// The sender says someone is in danger right now (such alerts come first).
    danger: bool,
}

impl AlertOut {
    fn new(a: &Alert) -> Self {
        Self {
            id: a.id.clone(),
            receipt: a.receipt.clone(),
            status: a.status.to_string(),
            country: a.country.clone(),
            summary: a.summary.clone(),
            name: a.name.clone(),
            contact: a.contact.clone(),
            notes: a.notes.iter().map(|(_, n)| n.clone()).collect(),
            created_at: steward_core::clock::rfc3339(a.created_at),
            danger: a.danger,
        }
    }
}

/// A case opened from an alert.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenCaseIn {
    title: String,
    /// life, liberty, livelihood or other.
    risk: String,
    /// restricted, partners or internal (default restricted).
    #[serde(default)]
    visibility: Option<String>,
    #[serde(default)]
    pseudonym: Option<String>,
}

/// Counts one throttled attempt under `key` and refuses when there were already `max` within `window`.
async fn throttle(state: &AppState, key: String, max: i64, window: Duration) -> AppResult<()> {
    let since = steward_core::clock::now() - window;
    if state.store.attempts_since(&key, since).await? >= max {
        return Err(AppError::TooManyRequests(
            "too many attempts from this address; wait a while and try again".into(),
        ));
    }
    state.store.record_attempt(&[key]).await?;
    Ok(())
}

/// Counts one alert from the caller's address, refusing beyond [`ALERTS_PER_HOUR`].
pub(crate) async fn throttle_intake(state: &AppState, parts: &Parts) -> AppResult<()> {
    let key = crate::ui::login::address_key(parts, state, "alert");
    throttle(state, key, ALERTS_PER_HOUR, Duration::hours(1)).await
}

/// Takes a public alert (no account needed) and answers with its receipt and passphrase.
#[utoipa::path(post, path = "/api/v1/alerts", tag = "alerts", request_body = AlertIn, security(()),
    responses((status = 201, body = AlertReceiptOut), (status = 400, description = "Invalid field"), (status = 429, description = "Too many alerts from this address")))]
pub async fn create_alert(
    State(state): State<AppState>,
    parts: Parts,
    ApiJson(body): ApiJson<AlertIn>,
) -> AppResult<(StatusCode, Json<AlertReceiptOut>)> {
    let new = NewAlert::new(&body.summary, body.country.as_deref(), body.name.as_deref(), body.contact.as_deref())?
        .in_danger(body.danger);
    throttle_intake(&state, &parts).await?;
    let r = state.store.create_alert(new).await?;
    crate::notify::announce_alert(&state, &r);
    Ok((
        StatusCode::CREATED,
        Json(AlertReceiptOut {
            receipt: r.receipt,
            passphrase: r.passphrase,
            status: "received",
            message: "Keep the receipt and passphrase safe: together they show the alert's status and let you add information.",
        }),
    ))
}

/// Refuses an address that has guessed wrong too often; otherwise the key under which to count
/// a wrong guess.
pub(crate) async fn check_lookup(state: &AppState, parts: &Parts) -> AppResult<String> {
    let key = crate::ui::login::address_key(parts, state, "alert-lookup");
    let since = steward_core::clock::now() - Duration::minutes(15);
    if state.store.attempts_since(&key, since).await? >= LOOKUPS_PER_QUARTER {
        return Err(AppError::TooManyRequests("too many wrong receipts or passphrases; wait 15 minutes".into()));
    }
    Ok(key)
}

/// The status of one's alert, given its receipt and passphrase.
#[utoipa::path(post, path = "/api/v1/alerts/status", tag = "alerts", request_body = AlertKey, security(()),
    responses((status = 200, body = AlertStatusOut), (status = 404, description = "Receipt and passphrase do not match")))]
pub async fn alert_status(
    State(state): State<AppState>,
    parts: Parts,
    ApiJson(body): ApiJson<AlertKey>,
) -> AppResult<Json<AlertStatusOut>> {
    let key = check_lookup(&state, &parts).await?;
    let Some(view) = state.store.alert_status(&body.receipt, &body.passphrase).await? else {
        state.store.record_attempt(&[key]).await?;
        return Err(AppError::NotFound);
    };
    Ok(Json(AlertStatusOut {
        status: view.status.to_string(),
        message: view.status.for_submitter().to_string(),
        received_at: steward_core::clock::rfc3339(view.received_at),
        updated_at: steward_core::clock::rfc3339(view.updated_at),
        additions: view.additions,
    }))
}

/// Adds information to one's alert, given its receipt and passphrase.
#[utoipa::path(post, path = "/api/v1/alerts/notes", tag = "alerts", request_body = AlertKey, security(()),
    responses((status = 204, description = "Added"), (status = 404, description = "Receipt and passphrase do not match")))]
pub async fn add_alert_note(
    State(state): State<AppState>,
    parts: Parts,
    ApiJson(body): ApiJson<AlertKey>,
) -> AppResult<StatusCode> {
    let text = note_text(body.text.as_deref().unwrap_or_default())?;
    let key = check_lookup(&state, &parts).await?;
    if !state.store.add_alert_note(&body.receipt, &body.passphrase, &text).await? {
        state.store.record_attempt(&[key]).await?;
        return Err(AppError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The triage queue: alerts waiting at the caller's organisation (coordinators).
#[utoipa::path(get, path = "/api/v1/alerts", tag = "alerts",
    responses((status = 200, body = [AlertOut]), (status = 403, description = "Not a coordinator")))]
pub async fn list_alerts(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> AppResult<Json<Vec<AlertOut>>> {
    caller.require(Permission::TriageAlerts)?;
    let alerts = state.store.alerts_for_desk(&caller.actor(), caller.user.org_id).await?;
    Ok(Json(alerts.iter().map(AlertOut::new).collect()))
}

/// The case an alert becomes: its text as the summary, its person as the person at risk.
pub(crate) fn case_from_alert(
    alert: &Alert,
    title: &str,
    risk: Risk,
    visibility: Visibility,
    pseudonym: Option<&str>,
) -> AppResult<NewCase> {
    let mut summary = alert.summary.clone();
    for (at, note) in &alert.notes {
        summary.push_str(&format!("\n\nAdded by the submitter on {}:\n{note}", steward_core::clock::rfc3339(*at)));
    }
    let people: Vec<PersonAtRisk> = alert
        .name
        .iter()
        .map(|n| PersonAtRisk { name: n.clone(), contact: alert.contact.clone(), ..Default::default() })
        .collect();
    let mut new = NewCase::new(title, &summary, alert.country.as_deref(), risk, visibility, people)?;
    if alert.name.is_none() {
        if let Some(contact) = &alert.contact {
            new.summary.push_str(&format!("\n\nContact given: {contact}"));
        }
    }
    Ok(new.with_pseudonym(pseudonym)?)
}

/// Opens a case from a waiting alert (coordinators of the alert's desk).
#[utoipa::path(post, path = "/api/v1/alerts/{id}/case", tag = "alerts", request_body = OpenCaseIn,
    params(("id" = String, Path, description = "Alert id")),
    responses((status = 201, body = CaseOut), (status = 404, description = "No such waiting alert at your desk")))]
pub async fn open_case(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OpenCaseIn>,
) -> AppResult<(StatusCode, Json<CaseOut>)> {
    caller.require(Permission::TriageAlerts)?;
    let risk: Risk = body.risk.parse()?;
    let visibility: Visibility = body.visibility.as_deref().unwrap_or("restricted").parse()?;
    let alert = state.store.desk_alert(&caller.actor(), caller.user.org_id, &id).await?;
    let new = case_from_alert(&alert, &body.title, risk, visibility, body.pseudonym.as_deref())?;
    let case = state.store.open_case_from_alert(&caller.actor(), &viewer(&caller), &id, new).await?;
    Ok((StatusCode::CREATED, Json(CaseOut::new(&case, &Names::load(&state).await?))))
}

/// Which case an alert is added to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeIn {
    /// The case's id.
    case: String,
}

/// Adds a waiting alert to an existing case of the coordinator's organisation: the alert's text
/// joins the case's summary (kept in its history) and the person it names joins the people at risk.
#[utoipa::path(post, path = "/api/v1/alerts/{id}/merge", tag = "alerts", request_body = MergeIn,
    params(("id" = String, Path, description = "Alert id")),
    responses((status = 200, body = CaseOut), (status = 404, description = "No such waiting alert at your desk, or no such case you may see")))]
pub async fn merge_alert(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MergeIn>,
) -> AppResult<Json<CaseOut>> {
    caller.require(Permission::TriageAlerts)?;
    let case = super::casework::case_id(&body.case)?;
    let case = state.store.merge_alert_into_case(&caller.actor(), &viewer(&caller), &id, case).await?;
    Ok(Json(CaseOut::new(&case, &Names::load(&state).await?)))
}

/// Marks a waiting alert as not needing a response (coordinators of the alert's desk).
#[utoipa::path(post, path = "/api/v1/alerts/{id}/dismiss", tag = "alerts",
    params(("id" = String, Path, description = "Alert id")),
    responses((status = 204, description = "Dismissed"), (status = 404, description = "No such waiting alert at your desk")))]
pub async fn dismiss_alert(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    caller.require(Permission::TriageAlerts)?;
    state.store.dismiss_alert(&caller.actor(), caller.user.org_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
