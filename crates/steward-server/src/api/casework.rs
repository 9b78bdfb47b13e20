//! Working a case over the API: triage and edits, incidents, actions, soft deletion, the case's
//! history and the queue of cases whose response clocks need attention.
//!
//! Every handler names the case by id and gets a 404, exactly as for a missing case, when the
//! caller may not see it; the store decides, with the caller as viewer.

use super::cases::{viewer, CaseOut, ClockOut, Names};
use super::ApiJson;
use crate::auth::{ApiCaller, Caller};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use steward_core::action::{parse_day, Action, ActionProgress, ActionStatus, ActionType};
use steward_core::case::{Case, CaseId, CaseStatus, CaseUpdate, Risk, Urgency, Viewer};
use steward_core::email::Email;
use steward_core::huridocs;
use steward_core::incident::{Incident, IncidentType, NewIncident, PerpetratorType};
use steward_core::response::{case_clocks, ClockState, ResponseClocks};
use steward_core::role::Permission;
use steward_store::{ActionDraft, Revision};
use utoipa::ToSchema;

pub(crate) fn case_id(id: &str) -> AppResult<CaseId> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// A change to a case: each field given replaces the stored one; `null` clears the optional ones.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseUpdateIn {
    /// new, triaged, responding, monitoring, closed or reopened.
    #[serde(default)]
    pub(crate) status: Option<String>,
    /// life, liberty, livelihood or other.
    #[serde(default)]
    pub(crate) risk: Option<String>,
    /// immediate, high, normal or low.
    #[serde(default)]
    pub(crate) urgency: Option<String>,
    /// The coordinator responsible, by email; "" unassigns.
    #[serde(default)]
    pub(crate) assignee: Option<String>,
    /// The economic sector; "" clears.
    #[serde(default)]
    pub(crate) sector: Option<String>,
    #[serde(default)]
    pub(crate) title: Option<String>,
    #[serde(default)]
    pub(crate) summary: Option<String>,
    /// "" clears.
    #[serde(default)]
    pub(crate) pseudonym: Option<String>,
}

fn blank_is_none(text: String) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// The user an assignee or a person responsible names. An email with no account is refused in
/// exactly the words of an account that may not see the case, so these fields cannot be used to
/// learn who has an account.
async fn user_by_email(state: &AppState, field: &'static str, email: &str) -> AppResult<steward_core::ids::UserId> {
    let parsed = Email::parse(email).map_err(|e| AppError::field(field, e.to_string()))?;
    let reason = match field {
        "assignee" => "the person assigned must be able to see the case",
        _ => "the person responsible must belong to the owning organisation and be able to see the case",
    };
    let unknown = || AppError::from(steward_core::CoreError::InvalidReference { field, reason: reason.into() });
    let user = state.store.user_by_email(&parsed).await.map_err(|_| unknown())?;
    if user.disabled {
        return Err(unknown());
    }
    Ok(user.id)
}

impl CaseUpdateIn {
    pub(crate) async fn resolve(self, state: &AppState) -> AppResult<CaseUpdate> {
        let assignee = match self.assignee {
            None => None,
            Some(email) => match blank_is_none(email) {
                None => Some(None),
                Some(email) => Some(Some(user_by_email(state, "assignee", &email).await?)),
            },
        };
        Ok(CaseUpdate {
            status: self.status.map(|s| s.parse::<CaseStatus>()).transpose()?,
            risk: self.risk.map(|s| s.parse::<Risk>()).transpose()?,
            urgency: self.urgency.map(|s| s.parse::<Urgency>()).transpose()?,
            assignee,
            sector: self.sector.map(blank_is_none),
            title: self.title,
            summary: self.summary,
            pseudonym: self.pseudonym.map(blank_is_none),
        })
    }
}

/// Why a record is deleted (kept, sealed, with the record).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteIn {
    pub(crate) reason: String,
}

/// An incident.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentIo {
    /// Set by Steward.
    #[serde(default)]
    pub(crate) id: Option<String>,
    /// killing, attempted killing, physical assault, abduction or enforced disappearance, arbitrary
    /// arrest or detention, judicial harassment or criminalisation, threat or intimidation,
    /// surveillance, smear campaign, anti-union dismissal or blacklisting, travel ban, raid of a
    /// union office, deregistration or refusal to register a union, violent dispersal of a strike
    /// or assembly, sexual violence or harassment.
    pub(crate) kind: String,
    /// YYYY, YYYY-MM or YYYY-MM-DD: as precisely as it is known.
    #[serde(default)]
    pub(crate) date: Option<String>,
    /// When it ended, for acts that last.
    #[serde(default)]
    pub(crate) until: Option<String>,
    /// Encrypted at rest.
    #[serde(default)]
    pub(crate) place: Option<String>,
    /// police or security forces, military, judiciary or prosecutor, other state official,
    /// employer or management, private security, armed group, unknown.
    #[serde(default)]
    pub(crate) perpetrator: Option<String>,
    /// Encrypted at rest.
    #[serde(default)]
    pub(crate) perpetrator_names: Vec<String>,
    /// Encrypted at rest.
    #[serde(default)]
    pub(crate) description: Option<String>,
    /// The case's people it was done to, by position (1 is the first person).
    #[serde(default)]
    pub(crate) victims: Vec<usize>,
    /// The nearest HURIDOCS "types of acts" code (set by Steward).
    #[serde(default)]
    pub(crate) huridocs_act: Option<String>,
    /// The nearest HURIDOCS "types of perpetrators" code (set by Steward).
    #[serde(default)]
    pub(crate) huridocs_perpetrator: Option<String>,
}

impl IncidentIo {
    pub(crate) fn new(i: &Incident) -> Self {
        Self {
            id: Some(i.id.clone()),
            kind: i.kind.to_string(),
            date: i.date.map(|d| d.to_string()),
            until: i.until.map(|d| d.to_string()),
            place: i.place.clone(),
            perpetrator: i.perpetrator.map(|p| p.to_string()),
            perpetrator_names: i.perpetrator_names.clone(),
            description: i.description.clone(),
            victims: i.victims.iter().map(|v| v + 1).collect(),
            huridocs_act: Some(huridocs::act(i.kind).code.to_string()),
            huridocs_perpetrator: i.perpetrator.map(|p| huridocs::perpetrator(p).code.to_string()),
        }
    }

    pub(crate) fn validate(&self, people: usize) -> AppResult<NewIncident> {
        let kind: IncidentType = self.kind.parse()?;
        let perpetrator = self
            .perpetrator
            .as_deref()
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.parse::<PerpetratorType>())
            .transpose()?;
        if self.victims.contains(&0) {
            return Err(AppError::field("victims", "people are numbered from 1"));
        }
        let victims: Vec<usize> = self.victims.iter().map(|v| v - 1).collect();
        Ok(NewIncident::new(
            kind,
            self.date.as_deref(),
            self.until.as_deref(),
            self.place.as_deref(),
            perpetrator,
            &self.perpetrator_names,
            self.description.as_deref(),
            &victims,
            people,
        )?)
    }
}

/// A new action.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionIn {
    /// public statement, private diplomatic engagement, meeting with authorities, embassy or trial
    /// observation, joint coalition statement, emergency protection or relocation support, legal
    /// aid, medical or psychosocial support, complaint support to the ILO Committee on Freedom of
    /// Association, company or buyer engagement, visa-restriction referral, sanctions referral,
    /// trade-enforcement referral.
    pub(crate) kind: String,
    /// The organisation responsible, by name (yours when not given). It must be able to see the case.
    #[serde(default)]
    pub(crate) owner: Option<String>,
    /// The person responsible, by email.
    #[serde(default)]
    pub(crate) owner_user: Option<String>,
    /// proposed (the default), approved or in progress.
    #[serde(default)]
    pub(crate) status: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub(crate) due: Option<String>,
    /// Encrypted at rest.
    #[serde(default)]
    pub(crate) description: Option<String>,
}

/// An action.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionOut {
    pub(crate) id: String,
    pub(crate) kind: String,
    /// The owning organisation's name.
    pub(crate) owner: String,
    /// The person responsible, by email.
    pub(crate) owner_user: Option<String>,
    pub(crate) status: String,
    pub(crate) due: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) outcome: Option<String>,
    pub(crate) outcome_date: Option<String>,
    /// The nearest HURIDOCS "types of intervention" code.
    pub(crate) huridocs_intervention: String,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl ActionOut {
    pub(crate) fn new(a: &Action, names: &Names) -> Self {
        Self {
            id: a.id.clone(),
            kind: a.kind.to_string(),
            owner: names.org(a.owner_org),
            owner_user: a.owner_user.map(|u| names.user(u)),
            status: a.status.to_string(),
            due: a.due.map(|d| d.to_string()),
            description: a.description.clone(),
            outcome: a.outcome.clone(),
            outcome_date: a.outcome_date.map(|d| d.to_string()),
            huridocs_intervention: huridocs::intervention(a.kind).code.to_string(),
            created_at: steward_core::clock::rfc3339(a.created_at),
            updated_at: steward_core::clock::rfc3339(a.updated_at),
        }
    }
}

/// Moving an action on.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressIn {
    /// approved, in progress, done or declined.
    pub(crate) status: String,
    /// What came of it (encrypted at rest).
    #[serde(default)]
    pub(crate) outcome: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub(crate) outcome_date: Option<String>,
}

impl ProgressIn {
    pub(crate) fn validate(&self) -> AppResult<ActionProgress> {
        let status: ActionStatus = self.status.parse()?;
        let date = self
            .outcome_date
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .map(|d| parse_day("outcome_date", d))
            .transpose()?;
        Ok(ActionProgress::new(status, self.outcome.as_deref(), date)?)
    }
}

/// One edited field, as the case's readers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionOut {
    pub(crate) at: String,
    pub(crate) actor: String,
    /// case, "incident ID" or "action ID".
    pub(crate) record: String,
    pub(crate) field: String,
    pub(crate) before: Option<String>,
    pub(crate) after: Option<String>,
}

impl RevisionOut {
    pub(crate) fn new(r: &Revision) -> Self {
        Self {
            at: steward_core::clock::rfc3339(r.at),
            actor: r.actor.clone(),
            record: r.record.clone(),
            field: r.field.clone(),
            before: r.before.clone(),
            after: r.after.clone(),
        }
    }
}

/// A case whose clocks need attention.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueRow {
    pub(crate) id: String,
    /// The pseudonym when there is one, else the title.
    pub(crate) title: String,
    pub(crate) risk: String,
    pub(crate) urgency: Option<String>,
    pub(crate) status: String,
    pub(crate) country: Option<String>,
    /// The clock that needs attention first.
    pub(crate) clock: String,
    /// due_soon or overdue.
    pub(crate) state: String,
    pub(crate) due: String,
    /// Negative when overdue.
    pub(crate) minutes_left: i64,
    /// Both clocks.
    pub(crate) clocks: Vec<ClockOut>,
}

/// The cases `caller` may see whose clocks are due soon or overdue, most urgent first.
pub(crate) async fn due_cases(state: &AppState, caller: &Caller) -> AppResult<Vec<DueRow>> {
    let cases = state.store.cases_for(&viewer(caller)).await?;
    let clocks = state.store.response_clocks().await?;
    Ok(due_rows(&cases, &clocks))
}

pub(crate) fn due_rows(cases: &[Case], clocks: &ResponseClocks) -> Vec<DueRow> {
    let now = steward_core::clock::now();
    let mut rows: Vec<DueRow> = cases
        .iter()
        .filter_map(|case| {
            let urgent = case_clocks(case, clocks, now)
                .into_iter()
                .filter(|c| c.state.needs_attention())
                .min_by_key(|c| c.due)?;
            Some(DueRow {
                id: case.id.to_string(),
                title: case.display_title().to_string(),
                risk: case.risk.to_string(),
                urgency: case.urgency.map(|u| u.to_string()),
                status: case.status.to_string(),
                country: case.country.clone(),
                clock: urgent.name.to_string(),
                state: if urgent.state == ClockState::Overdue { "overdue" } else { "due_soon" }.to_string(),
                due: steward_core::clock::rfc3339(urgent.due),
                minutes_left: urgent.minutes_left(now),
                clocks: ClockOut::all(case, clocks),
            })
        })
        .collect();
    rows.sort_by_key(|r| r.minutes_left);
    rows
}

/// Triage and edits: status, risk, urgency, assignee, sector, title, summary, pseudonym. For
/// coordinators of the case's own organisation; every change is kept in the case's history.
#[utoipa::path(patch, path = "/api/v1/cases/{id}", tag = "cases", request_body = CaseUpdateIn,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = CaseOut), (status = 400, description = "Invalid field or status change"),
        (status = 403, description = "Not a coordinator of the case's organisation"), (status = 404, description = "No such case, or not yours to see")))]
pub async fn update_case(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CaseUpdateIn>,
) -> AppResult<Json<CaseOut>> {
    let id = case_id(&id)?;
    caller.require(Permission::ManageCases)?;
    let update = body.resolve(&state).await?;
    let case = state.store.update_case(&caller.actor(), &viewer(&caller), id, update).await?;
    Ok(Json(CaseOut::new(&case, &Names::load(&state).await?)))
}

/// Deletes a case softly: it disappears everywhere and is kept, with the reason, in the database.
#[utoipa::path(post, path = "/api/v1/cases/{id}/delete", tag = "cases", request_body = DeleteIn,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "No such case, or not yours to see")))]
pub async fn delete_case(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DeleteIn>,
) -> AppResult<StatusCode> {
    let id = case_id(&id)?;
    caller.require(Permission::ManageCases)?;
    state.store.delete_case(&caller.actor(), &viewer(&caller), id, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Something the sender of a public alert wrote, through the alert's receipt and passphrase.
#[derive(Debug, Serialize, ToSchema)]
pub struct SenderNoteOut {
    pub(crate) at: String,
    pub(crate) text: String,
}

/// What the senders of the public alerts behind this case wrote, oldest first, including what
/// they added after the case was opened.
#[utoipa::path(get, path = "/api/v1/cases/{id}/sender-notes", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = [SenderNoteOut]), (status = 404, description = "No such case, or not yours to see")))]
pub async fn sender_notes(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<SenderNoteOut>>> {
    let opened = state.store.open_case(&caller.actor(), &viewer(&caller), case_id(&id)?).await?;
    let notes = state.store.sender_notes(&opened).await?;
    Ok(Json(notes.into_iter().map(|(at, text)| SenderNoteOut { at: steward_core::clock::rfc3339(at), text }).collect()))
}

/// Every edit of the case and its parts, oldest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/history", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = [RevisionOut]), (status = 404, description = "No such case, or not yours to see")))]
pub async fn case_history(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<RevisionOut>>> {
    let opened = state.store.open_case(&caller.actor(), &viewer(&caller), case_id(&id)?).await?;
    let history = state.store.case_history(&opened).await?;
    Ok(Json(history.iter().map(RevisionOut::new).collect()))
}

/// The case's incidents, in the order they happened.
#[utoipa::path(get, path = "/api/v1/cases/{id}/incidents", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = [IncidentIo]), (status = 404, description = "No such case, or not yours to see")))]
pub async fn list_incidents(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<IncidentIo>>> {
    let opened = state.store.open_case(&caller.actor(), &viewer(&caller), case_id(&id)?).await?;
    let incidents = state.store.incidents_for(&opened).await?;
    Ok(Json(incidents.iter().map(IncidentIo::new).collect()))
}

/// Records an incident on a case the caller may see.
#[utoipa::path(post, path = "/api/v1/cases/{id}/incidents", tag = "cases", request_body = IncidentIo,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 201, body = IncidentIo), (status = 400, description = "Invalid field"), (status = 404, description = "No such case, or not yours to see")))]
pub async fn add_incident(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<IncidentIo>,
) -> AppResult<(StatusCode, Json<IncidentIo>)> {
    let incident = add_incident_for(&state, &caller, &id, &body).await?;
    Ok((StatusCode::CREATED, Json(IncidentIo::new(&incident))))
}

pub(crate) async fn add_incident_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: &IncidentIo,
) -> AppResult<Incident> {
    let id = case_id(id)?;
    caller.require(Permission::ReportCases)?;
    // The body is checked on its own here; the store checks the victims against the case's
    // people once it knows the caller may see the case, so no answer depends on a hidden case.
    let new = body.validate(usize::MAX)?;
    Ok(state.store.add_incident(&caller.actor(), &viewer(caller), id, new).await?)
}

/// Replaces what is recorded about an incident (the case's own organisation); each changed field
/// is kept, with its old value, in the case's sealed history.
#[utoipa::path(put, path = "/api/v1/cases/{id}/incidents/{incident}", tag = "cases", request_body = IncidentIo,
    params(("id" = String, Path, description = "Case id"), ("incident" = String, Path, description = "Incident id")),
    responses((status = 200, body = IncidentIo), (status = 400, description = "Invalid field"), (status = 404, description = "No such case or incident, or not yours to see")))]
pub async fn edit_incident(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, incident)): Path<(String, String)>,
    ApiJson(body): ApiJson<IncidentIo>,
) -> AppResult<Json<IncidentIo>> {
    let incident = edit_incident_for(&state, &caller, &id, &incident, &body).await?;
    Ok(Json(IncidentIo::new(&incident)))
}

pub(crate) async fn edit_incident_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
    incident: &str,
    body: &IncidentIo,
) -> AppResult<Incident> {
    let id = case_id(id)?;
    caller.require(Permission::ManageCases)?;
    let new = body.validate(usize::MAX)?;
    Ok(state.store.edit_incident(&caller.actor(), &viewer(caller), id, incident, new).await?)
}

/// Deletes an incident softly, with the reason.
#[utoipa::path(post, path = "/api/v1/cases/{id}/incidents/{incident}/delete", tag = "cases", request_body = DeleteIn,
    params(("id" = String, Path, description = "Case id"), ("incident" = String, Path, description = "Incident id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "No such case or incident, or not yours to see")))]
pub async fn delete_incident(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, incident)): Path<(String, String)>,
    ApiJson(body): ApiJson<DeleteIn>,
) -> AppResult<StatusCode> {
    let id = case_id(&id)?;
    caller.require(Permission::ManageCases)?;
    state.store.delete_incident(&caller.actor(), &viewer(&caller), id, &incident, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The case's actions, oldest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/actions", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = [ActionOut]), (status = 404, description = "No such case, or not yours to see")))]
pub async fn list_actions(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<ActionOut>>> {
    let opened = state.store.open_case(&caller.actor(), &viewer(&caller), case_id(&id)?).await?;
    let actions = state.store.actions_for(&opened).await?;
    let names = Names::load(&state).await?;
    Ok(Json(actions.iter().map(|a| ActionOut::new(a, &names)).collect()))
}

/// Proposes (or records) an action, owned by an organisation that can see the case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/actions", tag = "cases", request_body = ActionIn,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 201, body = ActionOut), (status = 400, description = "Invalid field, or an owner who cannot see the case"), (status = 404, description = "No such case, or not yours to see")))]
pub async fn add_action(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ActionIn>,
) -> AppResult<(StatusCode, Json<ActionOut>)> {
    let action = add_action_for(&state, &caller, &id, body).await?;
    Ok((StatusCode::CREATED, Json(ActionOut::new(&action, &Names::load(&state).await?))))
}

pub(crate) async fn add_action_for(state: &AppState, caller: &Caller, id: &str, body: ActionIn) -> AppResult<Action> {
    let id = case_id(id)?;
    let me = viewer(caller);
    caller.require(Permission::ReportCases)?;
    let draft = draft_from(state, &me, body).await?;
    Ok(state.store.add_action(&caller.actor(), &me, id, draft).await?)
}

/// An action as the API and the case page give it, owners resolved.
async fn draft_from(state: &AppState, me: &Viewer, body: ActionIn) -> AppResult<ActionDraft> {
    let owner_org = match body.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        None => me.org,
        Some(name) => {
            state
                .store
                .org_by_name(name)
                .await
                .map_err(|_| AppError::field("owner", format!("no organisation named '{name}'")))?
                .id
        }
    };
    let owner_user = match body.owner_user.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        None => None,
        Some(email) => Some(user_by_email(state, "owner_user", email).await?),
    };
    let status = match body.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => ActionStatus::Proposed,
        Some(s) => s.parse()?,
    };
    let due = body.due.as_deref().filter(|d| !d.trim().is_empty()).map(|d| parse_day("due", d)).transpose()?;
    Ok(ActionDraft {
        kind: body.kind.parse::<ActionType>()?,
        owner_org,
        owner_user,
        status,
        due,
        description: body.description,
    })
}

/// Replaces an action's kind, owner, due date and description (the case's organisation or the
/// action's owner); its status moves with `POST .../status`. Each changed field is kept in the
/// case's sealed history.
#[utoipa::path(put, path = "/api/v1/cases/{id}/actions/{action}", tag = "cases", request_body = ActionIn,
    params(("id" = String, Path, description = "Case id"), ("action" = String, Path, description = "Action id")),
    responses((status = 200, body = ActionOut), (status = 400, description = "Invalid field"), (status = 404, description = "No such case or action, or not yours to see")))]
pub async fn edit_action(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, action)): Path<(String, String)>,
    ApiJson(body): ApiJson<ActionIn>,
) -> AppResult<Json<ActionOut>> {
    let action = edit_action_for(&state, &caller, &id, &action, body).await?;
    Ok(Json(ActionOut::new(&action, &Names::load(&state).await?)))
}

pub(crate) async fn edit_action_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
    action: &str,
    body: ActionIn,
) -> AppResult<Action> {
    let case = case_id(id)?;
    caller.require(Permission::ReportCases)?;
    if body.status.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        return Err(AppError::field(
            "status",
            "an action's status moves with POST /api/v1/cases/{id}/actions/{action}/status",
        ));
    }
    let me = viewer(caller);
    let draft = draft_from(state, &me, body).await?;
    Ok(state.store.edit_action(&caller.actor(), &me, case, action, draft).await?)
}

/// Moves an action on: approved, in progress, done or declined, with its outcome. For the case's
/// organisation and the action's owner.
#[utoipa::path(post, path = "/api/v1/cases/{id}/actions/{action}/status", tag = "cases", request_body = ProgressIn,
    params(("id" = String, Path, description = "Case id"), ("action" = String, Path, description = "Action id")),
    responses((status = 200, body = ActionOut), (status = 400, description = "Invalid field or status change"), (status = 404, description = "No such case or action, or not yours to see")))]
pub async fn progress_action(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, action)): Path<(String, String)>,
    ApiJson(body): ApiJson<ProgressIn>,
) -> AppResult<Json<ActionOut>> {
    let id = case_id(&id)?;
    caller.require(Permission::ReportCases)?;
    let progress = body.validate()?;
    let action = state.store.progress_action(&caller.actor(), &viewer(&caller), id, &action, progress).await?;
    Ok(Json(ActionOut::new(&action, &Names::load(&state).await?)))
}

/// Deletes an action softly, with the reason.
#[utoipa::path(post, path = "/api/v1/cases/{id}/actions/{action}/delete", tag = "cases", request_body = DeleteIn,
    params(("id" = String, Path, description = "Case id"), ("action" = String, Path, description = "Action id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "No such case or action, or not yours to see")))]
pub async fn delete_action(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, action)): Path<(String, String)>,
    ApiJson(body): ApiJson<DeleteIn>,
) -> AppResult<StatusCode> {
    let id = case_id(&id)?;
    caller.require(Permission::ManageCases)?;
    state.store.delete_action(&caller.actor(), &viewer(&caller), id, &action, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The cases the caller may see whose response clocks are due soon or overdue, most urgent first.
#[utoipa::path(get, path = "/api/v1/cases/due", tag = "cases", responses((status = 200, body = [DueRow])))]
pub async fn list_due(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> AppResult<Json<Vec<DueRow>>> {
    Ok(Json(due_cases(&state, &caller).await?))
}
