//! Cases of defenders at risk. What a caller may see is decided by the case's visibility alone:
//! a case outside it answers exactly as a case that does not exist.

use super::ApiJson;
use crate::auth::{ApiCaller, Caller};
use crate::error::{AppError, AppResult};
use crate::sheets::{self, Sheet};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use steward_core::case::{Case, CaseId, NewCase, PersonAtRisk, PersonRole, Risk, Viewer, Visibility};
use steward_core::email::Email;
use steward_core::ids::{OrgId, UserId};
use steward_core::response::{case_clocks, ResponseClocks};
use steward_core::role::Permission;
use utoipa::ToSchema;

/// A person at risk.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonIo {
    /// Name (encrypted at rest).
    pub(crate) name: String,
    /// trade-union leader, organiser, member, labor-rights defender, lawyer, journalist or worker.
    #[serde(default)]
    pub(crate) role: Option<String>,
    /// Their union or group (encrypted at rest).
    #[serde(default)]
    pub(crate) organisation: Option<String>,
    /// How the response team reaches them (encrypted at rest).
    #[serde(default)]
    pub(crate) contact: Option<String>,
    /// Other names they are known by (encrypted at rest).
    #[serde(default)]
    pub(crate) other_names: Option<String>,
    /// Their workplace: a facility or company (encrypted at rest).
    #[serde(default)]
    pub(crate) workplace: Option<String>,
    #[serde(default)]
    pub(crate) sector: Option<String>,
    /// ISO 3166-1 alpha-2 (a name is accepted too).
    #[serde(default)]
    pub(crate) country: Option<String>,
    /// The organisation record their union or group is (`GET /api/v1/orgs`). Given, it is
    /// checked and kept; left out, Steward links the organisation whose name matches
    /// `organisation` closely, if any.
    #[serde(default)]
    pub(crate) organisation_id: Option<String>,
    /// Where the workplace appears in the case organisation's own saved supplier registries, as
    /// Steward's matcher found it when the person was recorded; shown only to that organisation.
    /// Set by Steward: ignored on input.
    #[serde(default)]
    pub(crate) workplace_link: Option<WorkplaceLinkIo>,
}

/// A row of the case organisation's supplier registry that a person's workplace matched.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WorkplaceLinkIo {
    /// The registry's id (its page is `/screen/{registry}`).
    pub(crate) registry: String,
    /// The registry's name.
    pub(crate) registry_name: String,
    /// The registry's row (1 is the first data row).
    pub(crate) row: usize,
    /// The supplier as the registry names it.
    pub(crate) supplier: String,
}

impl PersonIo {
    pub(crate) fn new(p: &PersonAtRisk) -> Self {
        Self {
            name: p.name.clone(),
            role: p.role.map(|r| r.to_string()),
            organisation: p.organisation.clone(),
            contact: p.contact.clone(),
            other_names: p.other_names.clone(),
            workplace: p.workplace.clone(),
            sector: p.sector.clone(),
            country: p.country.clone(),
            organisation_id: p.organisation_id.map(|o| o.to_string()),
            workplace_link: p.workplace_link.as_ref().map(|l| WorkplaceLinkIo {
                registry: l.registry.clone(),
                registry_name: l.registry_name.clone(),
                row: l.row,
                supplier: l.supplier.clone(),
            }),
        }
    }

    pub(crate) fn person(self) -> AppResult<PersonAtRisk> {
        Ok(PersonAtRisk {
            name: self.name,
            role: self.role.filter(|r| !r.trim().is_empty()).map(|r| r.parse::<PersonRole>()).transpose()?,
            organisation: self.organisation,
            contact: self.contact,
            other_names: self.other_names,
            workplace: self.workplace,
            sector: self.sector,
            country: self.country,
            organisation_id: self
                .organisation_id
                .as_deref()
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(|o| {
                    o.parse::<OrgId>()
                        .map_err(|_| AppError::field("organisation_id", format!("'{o}' is not an organisation id")))
                })
                .transpose()?,
            workplace_link: None,
        })
    }
}

/// A new case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseIn {
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) summary: String,
    /// ISO 3166-1 alpha-2 (a name is accepted too).
    #[serde(default)]
    pub(crate) country: Option<String>,
    /// life, liberty, livelihood or other.
    pub(crate) risk: String,
    /// restricted (the members named), partners (shared_with) or internal (your organisation).
    pub(crate) visibility: String,
    /// Shown instead of the title in lists and reports.
    #[serde(default)]
    pub(crate) pseudonym: Option<String>,
    #[serde(default)]
    pub(crate) people: Vec<PersonIo>,
    /// Organisation names, for partners visibility.
    #[serde(default)]
    pub(crate) shared_with: Vec<String>,
    /// Emails of the users who may see a restricted case (you are always included).
    #[serde(default)]
    pub(crate) members: Vec<String>,
}

/// A case, as its readers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseOut {
    pub(crate) id: String,
    pub(crate) title: String,
    /// The pseudonym when there is one, else the title: what lists and reports show.
    pub(crate) display_title: String,
    pub(crate) summary: String,
    pub(crate) pseudonym: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) risk: String,
    /// immediate, high, normal or low, once triaged.
    pub(crate) urgency: Option<String>,
    pub(crate) status: String,
    pub(crate) visibility: String,
    /// The owning organisation's name.
    pub(crate) organisation: String,
    /// The coordinator responsible, by email.
    pub(crate) assignee: Option<String>,
    pub(crate) sector: Option<String>,
    /// The response clocks: acknowledge, then first action.
    pub(crate) clocks: Vec<ClockOut>,
    pub(crate) people: Vec<PersonIo>,
    /// Organisations the case is shared with, by name.
    pub(crate) shared_with: Vec<String>,
    /// Users named on the case, by email.
    pub(crate) members: Vec<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

/// One response clock.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockOut {
    /// acknowledge or first_action.
    pub(crate) name: String,
    /// When it runs out.
    pub(crate) due: String,
    /// When it stopped, if it has.
    pub(crate) stopped_at: Option<String>,
    /// met, met_late, running, due_soon, overdue or stopped.
    pub(crate) state: String,
    /// As shown to people ("due soon").
    pub(crate) label: String,
}

impl ClockOut {
    pub(crate) fn all(case: &Case, clocks: &ResponseClocks) -> Vec<Self> {
        case_clocks(case, clocks, steward_core::clock::now())
            .iter()
            .map(|c| Self {
                name: c.name.to_string(),
                due: steward_core::clock::rfc3339(c.due),
                stopped_at: c.stopped_at.map(steward_core::clock::rfc3339),
                state: serde_json::to_value(c.state)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                label: c.state.label().to_string(),
            })
            .collect()
    }
}

/// A case in a list: no narrative, no people.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseRow {
    id: String,
    /// The pseudonym when there is one, else the title.
    title: String,
    country: Option<String>,
    risk: String,
    status: String,
    visibility: String,
    created_at: String,
}

pub(crate) fn viewer(caller: &Caller) -> Viewer {
    Viewer { user: caller.user.id, org: caller.user.org_id }
}

/// What showing a case needs beyond the case: names for the ids it refers to and the response
/// clocks in force, looked up once per request.
pub(crate) struct Names {
    orgs: HashMap<OrgId, String>,
    users: HashMap<UserId, String>,
    pub(crate) clocks: ResponseClocks,
}

impl Names {
    pub(crate) async fn load(state: &AppState) -> AppResult<Self> {
        let orgs = state.store.orgs().await?.into_iter().map(|o| (o.id, o.name)).collect();
        let users = state.store.users().await?.into_iter().map(|u| (u.id, u.email.to_string())).collect();
        Ok(Self { orgs, users, clocks: state.store.response_clocks().await? })
    }

    pub(crate) fn org(&self, id: OrgId) -> String {
        self.orgs.get(&id).cloned().unwrap_or_else(|| id.to_string())
    }

    pub(crate) fn user(&self, id: UserId) -> String {
        self.users.get(&id).cloned().unwrap_or_else(|| id.to_string())
    }
}

impl CaseOut {
    pub(crate) fn new(case: &Case, names: &Names) -> Self {
        Self {
            id: case.id.to_string(),
            title: case.title.clone(),
            display_title: case.display_title().to_string(),
            summary: case.summary.clone(),
            pseudonym: case.pseudonym.clone(),
            country: case.country.clone(),
            risk: case.risk.to_string(),
            urgency: case.urgency.map(|u| u.to_string()),
            status: case.status.to_string(),
            visibility: case.visibility.to_string(),
            organisation: names.org(case.org_id),
            assignee: case.assignee.map(|u| names.user(u)),
            sector: case.sector.clone(),
            clocks: ClockOut::all(case, &names.clocks),
            people: case.people.iter().map(PersonIo::new).collect(),
            shared_with: case.shared_with.iter().map(|o| names.org(*o)).collect(),
            members: case.members.iter().map(|u| names.user(*u)).collect(),
            created_at: steward_core::clock::rfc3339(case.created_at),
            updated_at: steward_core::clock::rfc3339(case.updated_at),
        }
    }
}

impl CaseRow {
    fn new(case: &Case) -> Self {
        Self {
            id: case.id.to_string(),
            title: case.display_title().to_string(),
            country: case.country.clone(),
            risk: case.risk.to_string(),
            status: case.status.to_string(),
            visibility: case.visibility.to_string(),
            created_at: steward_core::clock::rfc3339(case.created_at),
        }
    }
}

/// A case as given, checked and resolved: the case, the members' ids, the partners' ids.
/// The people are linked to Steward's records as the reporter's organisation, `owner`, sees them.
pub(crate) async fn resolve(
    state: &AppState,
    owner: OrgId,
    body: CaseIn,
) -> AppResult<(NewCase, Vec<UserId>, Vec<OrgId>)> {
    let risk: Risk = body.risk.parse()?;
    let visibility: Visibility = body.visibility.parse()?;
    let mut people = Vec::with_capacity(body.people.len());
    for p in body.people {
        people.push(crate::registry::link_person(state, owner, p.person()?).await?);
    }
    let new = NewCase::new(&body.title, &body.summary, body.country.as_deref(), risk, visibility, people)?
        .with_pseudonym(body.pseudonym.as_deref())?;
    let (members, shared) = resolve_access(state, visibility, &body.members, &body.shared_with).await?;
    Ok((new, members, shared))
}

/// Member emails and partner names to ids, checked against the visibility they go with.
pub(crate) async fn resolve_access(
    state: &AppState,
    visibility: Visibility,
    members: &[String],
    shared_with: &[String],
) -> AppResult<(Vec<UserId>, Vec<OrgId>)> {
    let named = |list: &[String]| list.iter().any(|e| !e.trim().is_empty());
    // Settled before any email is looked up, so a request that could never make a case cannot
    // be used to ask which emails have accounts.
    if visibility != Visibility::Restricted && named(members) {
        return Err(AppError::field(
            "members",
            "members name who may see a restricted case; this case is not restricted",
        ));
    }
    if visibility != Visibility::Partners && named(shared_with) {
        return Err(AppError::field("shared_with", "shared_with names partners of a partners case; this case is not"));
    }
    let mut users = Vec::new();
    for email in members.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
        let parsed = Email::parse(email)?;
        let user = state
            .store
            .user_by_email(&parsed)
            .await
            .map_err(|_| AppError::field("members", format!("no user with the email '{parsed}'")))?;
        users.push(user.id);
    }
    let mut shared = Vec::new();
    for name in shared_with.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let org = state
            .store
            .org_by_name(name)
            .await
            .map_err(|_| AppError::field("shared_with", format!("no organisation named '{name}'")))?;
        shared.push(org.id);
    }
    Ok((users, shared))
}

/// Who may see a case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessIn {
    /// restricted (the members named), partners (shared_with) or internal (your organisation).
    pub(crate) visibility: String,
    /// Emails of the users who may see a restricted case (you stay on it).
    #[serde(default)]
    pub(crate) members: Vec<String>,
    /// Organisation names, for partners visibility.
    #[serde(default)]
    pub(crate) shared_with: Vec<String>,
}

pub(crate) async fn set_access_for(state: &AppState, caller: &Caller, id: &str, body: &AccessIn) -> AppResult<Case> {
    let id = super::casework::case_id(id)?;
    caller.require(Permission::ManageCases)?;
    let visibility: Visibility = body.visibility.parse()?;
    let (members, shared) = resolve_access(state, visibility, &body.members, &body.shared_with).await?;
    Ok(state.store.set_case_access(&caller.actor(), &viewer(caller), id, visibility, &members, &shared).await?)
}

/// Changes who may see a case (coordinators of its organisation). Widening and narrowing are
/// both recorded in the case's history and the audit trail.
#[utoipa::path(put, path = "/api/v1/cases/{id}/access", tag = "cases", request_body = AccessIn,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = CaseOut), (status = 400, description = "Invalid field"), (status = 403, description = "Not a coordinator of the case's organisation"), (status = 404, description = "No such case, or not yours to see")))]
pub async fn set_access(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AccessIn>,
) -> AppResult<Json<CaseOut>> {
    let case = set_access_for(&state, &caller, &id, &body).await?;
    Ok(Json(CaseOut::new(&case, &Names::load(&state).await?)))
}

pub(crate) async fn set_person_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
    number: Option<usize>,
    body: PersonIo,
) -> AppResult<Case> {
    let id = super::casework::case_id(id)?;
    caller.require(Permission::ManageCases)?;
    if number == Some(0) {
        return Err(AppError::field("number", "people are numbered from 1"));
    }
    let me = viewer(caller);
    // Checked first, so a case out of sight answers as a missing one whatever the body says.
    state.store.ensure_case_visible(&me, id).await?;
    let person = crate::registry::link_person(state, caller.user.org_id, body.person()?).await?;
    Ok(state.store.set_person(&caller.actor(), &viewer(caller), id, number.map(|n| n - 1), person).await?)
}

/// Adds a person at risk to a case (coordinators of its organisation).
#[utoipa::path(post, path = "/api/v1/cases/{id}/people", tag = "cases", request_body = PersonIo,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 201, body = CaseOut), (status = 400, description = "Invalid field"), (status = 404, description = "No such case, or not yours to see")))]
pub async fn add_person(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PersonIo>,
) -> AppResult<(StatusCode, Json<CaseOut>)> {
    let case = set_person_for(&state, &caller, &id, None, body).await?;
    Ok((StatusCode::CREATED, Json(CaseOut::new(&case, &Names::load(&state).await?))))
}

/// Replaces what is recorded about the case's person number `n` (1 is the first); each changed
/// field is kept in the case's sealed history.
#[utoipa::path(put, path = "/api/v1/cases/{id}/people/{n}", tag = "cases", request_body = PersonIo,
    params(("id" = String, Path, description = "Case id"), ("n" = usize, Path, description = "Person number, from 1")),
    responses((status = 200, body = CaseOut), (status = 400, description = "Invalid field"), (status = 404, description = "No such case or person, or not yours to see")))]
pub async fn edit_person(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, n)): Path<(String, usize)>,
    ApiJson(body): ApiJson<PersonIo>,
) -> AppResult<Json<CaseOut>> {
    let case = set_person_for(&state, &caller, &id, Some(n), body).await?;
    Ok(Json(CaseOut::new(&case, &Names::load(&state).await?)))
}

/// Alerts the organisations whose saved supplier registries list a workplace named on the case
/// (coordinators of its organisation). The alert carries the workplace, the risk, the kinds of
/// incident, the month and whom to contact; never a name, the case's words or its id.
#[utoipa::path(post, path = "/api/v1/cases/{id}/alert-buyers", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 204, description = "Sent to every registry that lists a workplace (the number is the buyers' business)"), (status = 400, description = "No workplace recorded"), (status = 404, description = "No such case, or not yours to see")))]
pub async fn alert_buyers(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let id = super::casework::case_id(&id)?;
    crate::registry::alert_buyers(&state, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reports a case. It belongs to the caller's organisation, and the caller is always on it.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = CaseIn,
    responses((status = 201, body = CaseOut), (status = 400, description = "Invalid field"), (status = 403, description = "Role may not report cases")))]
pub async fn create_case(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<CaseIn>,
) -> AppResult<(StatusCode, Json<CaseOut>)> {
    caller.require(Permission::ReportCases)?;
    let (new, members, shared) = resolve(&state, caller.user.org_id, body).await?;
    let case = state.store.create_case(&caller.actor(), &viewer(&caller), new, &members, &shared).await?;
    Ok((StatusCode::CREATED, Json(CaseOut::new(&case, &Names::load(&state).await?))))
}

/// The cases the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", responses((status = 200, body = [CaseRow])))]
pub async fn list_cases(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> AppResult<Json<Vec<CaseRow>>> {
    let cases = state.store.cases_for(&viewer(&caller)).await?;
    Ok(Json(cases.iter().map(CaseRow::new).collect()))
}

/// One case; 404, exactly as for a case that does not exist, when the caller may not see it.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = CaseOut), (status = 404, description = "No such case, or not yours to see")))]
pub async fn get_case(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<CaseOut>> {
    let id: CaseId = id.parse().map_err(|_| AppError::NotFound)?;
    let case = state.store.case_for(&caller.actor(), &viewer(&caller), id).await?;
    Ok(Json(CaseOut::new(&case, &Names::load(&state).await?)))
}

/// Every case the caller may see, one row each; taking it is written to each case's audit trail.
pub(crate) async fn case_sheet(state: &AppState, caller: &Caller) -> AppResult<Sheet> {
    let cases = state.store.export_cases(&caller.actor(), &viewer(caller)).await?;
    let names = Names::load(state).await?;
    let header = [
        "id",
        "title",
        "status",
        "risk",
        "country",
        "visibility",
        "organisation",
        "people",
        "summary",
        "created_at",
        "updated_at",
    ];
    let rows = cases
        .iter()
        .map(|case| {
            vec![
                case.id.to_string(),
                case.display_title().to_string(),
                case.status.to_string(),
                case.risk.to_string(),
                case.country.clone().unwrap_or_default(),
                case.visibility.to_string(),
                names.org(case.org_id),
                case.people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("; "),
                case.summary.clone(),
                steward_core::clock::rfc3339(case.created_at),
                steward_core::clock::rfc3339(case.updated_at),
            ]
        })
        .collect();
    Ok(Sheet { name: "Cases".into(), header: header.map(String::from).to_vec(), rows })
}

/// Every case the caller may see, as CSV; the export is written to each case's audit trail.
#[utoipa::path(get, path = "/api/v1/cases/export.csv", tag = "cases",
    responses((status = 200, description = "CSV, one row per case", content_type = "text/csv")))]
pub async fn export_cases(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> AppResult<Response> {
    let sheet = case_sheet(&state, &caller).await?;
    Ok(sheets::attachment(sheets::to_csv(&[sheet])?, sheets::CSV, "cases.csv"))
}

/// Every case the caller may see, as an XLSX workbook; audited like the CSV.
#[utoipa::path(get, path = "/api/v1/cases/export.xlsx", tag = "cases",
    responses((status = 200, description = "XLSX, one row per case", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_cases_xlsx(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> AppResult<Response> {
    let sheet = case_sheet(&state, &caller).await?;
    Ok(sheets::attachment(sheets::to_xlsx(&[sheet])?, sheets::XLSX, "cases.xlsx"))
}
