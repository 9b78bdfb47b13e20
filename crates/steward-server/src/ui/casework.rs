//! The case page and the forms on it: triage, incidents, actions, deletion; and the queue of
//! cases whose response clocks need attention. Forms post to the same store calls the API uses;
//! a refused or invalid form re-renders the case page with the reason and a 400 or 403.

use super::cases::terms;
use super::{page, Layout, Signed};
use crate::api::cases::{set_access_for, set_person_for, viewer, AccessIn, CaseOut, Names, PersonIo};
use crate::api::casework::{
    add_action_for, add_incident_for, case_id, due_cases, edit_action_for, edit_incident_for, ActionIn, ActionOut,
    CaseUpdateIn, DueRow, IncidentIo, ProgressIn, RevisionOut,
};
use crate::api::highlights::HighlightOut;
use crate::api::sources::{
    add_attachment_for, add_source_for, download, edit_source_for, evidence_for, may_attach, read_upload,
    AttachmentOut, Evidence, EvidenceQuery, SourceIn, SourceOut,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use steward_core::action::{ActionStatus, ActionType};
use steward_core::audit::AuditEntry;
use steward_core::case::{CaseId, CaseStatus, Risk, Urgency, Viewer};
use steward_core::incident::{IncidentType, PerpetratorType};
use steward_core::role::Permission;
use steward_core::source::{Credibility, Reliability, SourceChannel};

/// The choices the case page's forms offer.
struct Choices {
    statuses: Vec<&'static str>,
    risks: Vec<&'static str>,
    urgencies: Vec<&'static str>,
    incident_types: Vec<&'static str>,
    perpetrators: Vec<&'static str>,
    action_types: Vec<&'static str>,
    action_statuses: Vec<&'static str>,
    channels: Vec<&'static str>,
    roles: Vec<&'static str>,
    reliabilities: Vec<(&'static str, &'static str)>,
    credibilities: Vec<(&'static str, &'static str)>,
    /// Emails of the users who can see the case (assignees and action owners).
    readers: Vec<String>,
    /// Organisations that may own an action on the case.
    owners: Vec<String>,
    /// Every organisation's name, offered for a person's union or group: one chosen is linked
    /// to its record.
    directory: Vec<String>,
}

#[derive(Template)]
#[template(path = "cases/show.html")]
struct CasePage {
    layout: Layout,
    case: CaseOut,
    incidents: Vec<IncidentIo>,
    sources: Vec<SourceOut>,
    attachments: Vec<AttachmentOut>,
    /// The publication now on the public page, if any.
    live: Option<HighlightOut>,
    /// Publications withdrawn or replaced, newest first.
    earlier: Vec<HighlightOut>,
    actions: Vec<ActionOut>,
    history: Vec<RevisionOut>,
    /// What the senders of the case's public alerts wrote (time, text).
    sender_notes: Vec<(String, String)>,
    /// The case's joint statements: id, title, status, who signs.
    statements: Vec<(String, String, String, String)>,
    /// Organisations a new statement can invite (all but the case's own).
    invitable: Vec<String>,
    /// Organisations the case could be shared with, and whether it is.
    shareable: Vec<(String, bool)>,
    trail: Vec<AuditEntry>,
    choices: Choices,
    /// May triage, edit and delete (a coordinator of the owning organisation).
    manage: bool,
    /// May add incidents and actions.
    work: bool,
    /// Belongs to the case's organisation, which drafts its statements.
    manage_statements: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "cases/due.html")]
struct DuePage {
    layout: Layout,
    rows: Vec<DueRow>,
}

/// Renders a case page, with `error` when a form on it failed.
async fn case_page(state: &AppState, signed: &Signed, id: CaseId, error: Option<AppError>) -> AppResult<Response> {
    let me = viewer(&signed.caller);
    let opened = state.store.open_case(&signed.caller.actor(), &me, id).await?;
    let incidents = state.store.incidents_for(&opened).await?.iter().map(IncidentIo::new).collect();
    let sources = state.store.sources_for(&opened).await?.iter().map(SourceOut::new).collect();
    let attachments = state.store.attachments_for(&opened).await?.iter().map(AttachmentOut::new).collect();
    let (live, earlier): (Vec<HighlightOut>, Vec<HighlightOut>) =
        state.store.highlights_of(&opened).await?.iter().map(HighlightOut::new).partition(|h| h.withdrawn_at.is_none());
    let live = live.into_iter().next();
    let names = Names::load(state).await?;
    let actions = state.store.actions_for(&opened).await?.iter().map(|a| ActionOut::new(a, &names)).collect();
    let history = state.store.case_history(&opened).await?.iter().map(RevisionOut::new).collect();
    let sender_notes = state
        .store
        .sender_notes(&opened)
        .await?
        .into_iter()
        .map(|(at, text)| (steward_core::clock::rfc3339(at), text))
        .collect();
    let case = opened.into_case();
    let trail = state.store.case_audit(&id.to_string()).await?;
    let statements = state
        .store
        .statements_for(&me)
        .await?
        .into_iter()
        .filter(|s| s.case_id == id)
        .map(|s| {
            let signing = s.signing_now().iter().map(|o| names.org(*o)).collect::<Vec<_>>().join(", ");
            (s.id, s.text.title, s.status.to_string(), signing)
        })
        .collect();
    let orgs = state.store.orgs().await?;
    let directory: Vec<String> = orgs.iter().map(|o| o.name.clone()).collect();
    let others: Vec<String> = orgs.into_iter().filter(|o| o.id != case.org_id).map(|o| o.name).collect();
    let shareable = others.iter().map(|n| (n.clone(), case.shared_with.iter().any(|o| names.org(*o) == *n))).collect();
    let invitable = others;
    let access = case.access();
    let users = state.store.users().await?;
    let readers: Vec<_> =
        users.iter().filter(|u| !u.disabled && access.permits(&Viewer { user: u.id, org: u.org_id })).collect();
    let mut owners: Vec<String> = std::iter::once(case.org_id)
        .chain(case.shared_with.iter().copied())
        .chain(readers.iter().map(|u| u.org_id))
        .map(|o| names.org(o))
        .collect();
    owners.dedup();
    owners.sort();
    owners.dedup();
    let choices = Choices {
        statuses: status_choices(case.status),
        risks: terms(Risk::ALL),
        urgencies: terms(Urgency::ALL),
        incident_types: terms(IncidentType::ALL),
        perpetrators: terms(PerpetratorType::ALL),
        action_types: terms(ActionType::ALL),
        action_statuses: terms(ActionStatus::ALL),
        channels: terms(SourceChannel::ALL),
        roles: terms(steward_core::case::PersonRole::ALL),
        reliabilities: Reliability::ALL.iter().map(|r| (r.as_str(), r.meaning())).collect(),
        credibilities: Credibility::ALL.iter().map(|c| (c.as_str(), c.meaning())).collect(),
        readers: readers.iter().map(|u| u.email.to_string()).collect(),
        owners,
        directory,
    };
    let manage = signed.caller.can(Permission::ManageCases) && case.may_manage(&me);
    let case_org = case.org_id;
    let work = signed.caller.can(Permission::ReportCases);
    let status = match &error {
        Some(e) => e.status().0,
        None => StatusCode::OK,
    };
    let mut response = page(&CasePage {
        layout: Layout::for_user(signed, "cases"),
        case: CaseOut::new(&case, &names),
        incidents,
        sources,
        attachments,
        live,
        earlier,
        actions,
        history,
        sender_notes,
        statements,
        invitable,
        shareable,
        trail,
        choices,
        manage,
        work,
        manage_statements: me.org == case_org,
        error: error.map(|e| e.to_string()),
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// The case's status and those it may move to.
fn status_choices(now: CaseStatus) -> Vec<&'static str> {
    CaseStatus::ALL.iter().filter(|s| **s == now || now.can_become(**s)).map(|s| s.as_str()).collect()
}

pub async fn show_case(State(state): State<AppState>, signed: Signed, Path(id): Path<String>) -> AppResult<Response> {
    case_page(&state, &signed, case_id(&id)?, None).await
}

/// After a form: back to the case, or the case again with the error when it was the user's.
pub(crate) async fn after(state: &AppState, signed: &Signed, id: CaseId, result: AppResult<()>) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        Err(
            e @ (AppError::BadRequest { .. } | AppError::Conflict { .. } | AppError::Refused(_) | AppError::Forbidden),
        ) => case_page(state, signed, id, Some(e)).await,
        Err(e) => Err(e),
    }
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default()
}

fn opt(pairs: &[(String, String)], name: &str) -> Option<String> {
    Some(field(pairs, name).trim().to_string()).filter(|v| !v.is_empty())
}

pub async fn triage_case(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let id = case_id(&id)?;
    let result = async {
        signed.caller.require(Permission::ManageCases)?;
        let body = CaseUpdateIn {
            status: opt(&pairs, "status"),
            risk: opt(&pairs, "risk"),
            urgency: opt(&pairs, "urgency"),
            assignee: Some(field(&pairs, "assignee").to_string()),
            sector: Some(field(&pairs, "sector").to_string()),
            ..Default::default()
        };
        let update = body.resolve(&state).await?;
        state.store.update_case(&signed.caller.actor(), &viewer(&signed.caller), id, update).await?;
        Ok(())
    }
    .await;
    after(&state, &signed, id, result).await
}

pub async fn add_incident(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let case = case_id(&id)?;
    let result = async {
        let body = incident_from(&pairs)?;
        add_incident_for(&state, &signed.caller, &id, &body).await.map(|_| ())
    }
    .await;
    after(&state, &signed, case, result).await
}

/// An incident as the case page's forms give it.
fn incident_from(pairs: &[(String, String)]) -> AppResult<IncidentIo> {
    let victims = pairs
        .iter()
        .filter(|(k, _)| k == "victim")
        .map(|(_, v)| v.parse::<usize>().map_err(|_| AppError::field("victims", "choose people from the list")))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(IncidentIo {
        id: None,
        kind: field(pairs, "kind").to_string(),
        date: opt(pairs, "date"),
        until: opt(pairs, "until"),
        place: opt(pairs, "place"),
        perpetrator: opt(pairs, "perpetrator"),
        perpetrator_names: field(pairs, "perpetrator_names").lines().map(str::to_string).collect(),
        description: opt(pairs, "description"),
        victims,
        huridocs_act: None,
        huridocs_perpetrator: None,
    })
}

pub async fn edit_incident(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, incident)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let case = case_id(&id)?;
    let result = async {
        let body = incident_from(&pairs)?;
        edit_incident_for(&state, &signed.caller, &id, &incident, &body).await.map(|_| ())
    }
    .await;
    after(&state, &signed, case, result).await
}

/// A source as the case page's forms give it.
fn source_from(pairs: &[(String, String)]) -> SourceIn {
    SourceIn {
        reporter: opt(pairs, "reporter"),
        channel: field(pairs, "channel").to_string(),
        reported_on: opt(pairs, "reported_on"),
        reliability: field(pairs, "reliability").to_string(),
        credibility: field(pairs, "credibility").to_string(),
        notes: opt(pairs, "notes"),
    }
}

pub async fn edit_source(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, source)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let case = case_id(&id)?;
    let result = edit_source_for(&state, &signed.caller, &id, &source, &source_from(&pairs)).await.map(|_| ());
    after(&state, &signed, case, result).await
}

fn person_from(pairs: &[(String, String)]) -> PersonIo {
    PersonIo {
        name: field(pairs, "name").to_string(),
        role: opt(pairs, "role"),
        organisation: opt(pairs, "organisation"),
        contact: opt(pairs, "contact"),
        other_names: opt(pairs, "other_names"),
        workplace: opt(pairs, "workplace"),
        sector: opt(pairs, "sector"),
        country: opt(pairs, "country"),
        organisation_id: None,
        workplace_link: None,
    }
}

pub async fn alert_buyers(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let case = case_id(&id)?;
    let result = crate::registry::alert_buyers(&state, &signed.caller, case).await;
    after(&state, &signed, case, result).await
}

pub async fn add_person(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let case = case_id(&id)?;
    let result = set_person_for(&state, &signed.caller, &id, None, person_from(&pairs)).await.map(|_| ());
    after(&state, &signed, case, result).await
}

pub async fn edit_person(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, n)): Path<(String, usize)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let case = case_id(&id)?;
    let result = set_person_for(&state, &signed.caller, &id, Some(n), person_from(&pairs)).await.map(|_| ());
    after(&state, &signed, case, result).await
}

/// Who may see the case: visibility, partner organisations (ticked boxes), named users.
pub async fn set_access(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let case = case_id(&id)?;
    let visibility = field(&pairs, "visibility").to_string();
    let body = AccessIn {
        shared_with: if visibility == "partners" {
            pairs.iter().filter(|(k, _)| k == "shared_with").map(|(_, v)| v.clone()).collect()
        } else {
            Vec::new()
        },
        members: if visibility == "restricted" {
            field(&pairs, "members")
                .split([',', '\n', ';'])
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .collect()
        } else {
            Vec::new()
        },
        visibility,
    };
    let result = set_access_for(&state, &signed.caller, &id, &body).await.map(|_| ());
    after(&state, &signed, case, result).await
}

pub async fn add_source(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let case = case_id(&id)?;
    let result = add_source_for(&state, &signed.caller, &id, &source_from(&pairs)).await.map(|_| ());
    after(&state, &signed, case, result).await
}

/// A file from the case page's upload form (multipart, with the CSRF token as a field).
pub async fn add_attachment(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let case = case_id(&id)?;
    let result = async {
        may_attach(&state, &signed.caller, case).await?;
        let upload = read_upload(multipart).await?;
        signed.check_csrf(&upload.csrf)?;
        add_attachment_for(&state, &signed.caller, case, upload).await.map(|_| ())
    }
    .await;
    after(&state, &signed, case, result).await
}

/// Downloads a file of a case the reader may see; audited.
pub async fn get_attachment(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, attachment)): Path<(String, String)>,
) -> AppResult<Response> {
    let me = viewer(&signed.caller);
    let (meta, bytes) = state.store.attachment_content(&signed.caller.actor(), &me, case_id(&id)?, &attachment).await?;
    Ok(download(&meta, bytes))
}

#[derive(Template)]
#[template(path = "cases/evidence.html")]
struct EvidencePage {
    layout: Layout,
    e: Evidence,
    reporters: bool,
    pseudonyms: bool,
}

/// The evidence bundle, printable (to PDF from the browser), with links to the same as JSON.
pub async fn show_evidence(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(q): Query<EvidenceQuery>,
) -> AppResult<Response> {
    let e = evidence_for(&state, &signed.caller, &id, &q).await?;
    let reporters = q.reporters.as_deref() == Some("include");
    let pseudonyms = q.people.as_deref() == Some("pseudonyms");
    page(&EvidencePage { layout: Layout::for_user(&signed, "cases"), e, reporters, pseudonyms })
}

/// The same bundle as JSON, for the session (the page's download link).
pub async fn evidence_json(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(q): Query<EvidenceQuery>,
) -> AppResult<Response> {
    let e = evidence_for(&state, &signed.caller, &id, &q).await?;
    let bytes = serde_json::to_vec(&e).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(crate::sheets::attachment(bytes, crate::sheets::JSON, &format!("evidence-{id}.json")))
}

/// The case in HURIDOCS ESF, as a JSON download for the session.
pub async fn esf_json(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Query(q): Query<EvidenceQuery>,
) -> AppResult<Response> {
    let esf = crate::api::esf::esf_for(&state, &signed.caller, &id, &q).await?;
    let bytes = serde_json::to_vec(&esf).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(crate::sheets::attachment(bytes, crate::sheets::JSON, &format!("case-{id}.esf.json")))
}

pub async fn add_action(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let case = case_id(&id)?;
    let body = ActionIn {
        kind: field(&pairs, "kind").to_string(),
        owner: opt(&pairs, "owner"),
        owner_user: opt(&pairs, "owner_user"),
        status: opt(&pairs, "status"),
        due: opt(&pairs, "due"),
        description: opt(&pairs, "description"),
    };
    let result = add_action_for(&state, &signed.caller, &id, body).await.map(|_| ());
    after(&state, &signed, case, result).await
}

pub async fn edit_action(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, action)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let case = case_id(&id)?;
    let body = ActionIn {
        kind: field(&pairs, "kind").to_string(),
        owner: opt(&pairs, "owner"),
        owner_user: opt(&pairs, "owner_user"),
        status: None,
        due: opt(&pairs, "due"),
        description: opt(&pairs, "description"),
    };
    let result = edit_action_for(&state, &signed.caller, &id, &action, body).await.map(|_| ());
    after(&state, &signed, case, result).await
}

#[derive(Debug, Deserialize)]
pub struct ProgressForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    outcome_date: String,
    #[serde(default)]
    csrf: String,
}

pub async fn progress_action(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ProgressForm>,
) -> AppResult<Response> {
    signed.check_csrf(&form.csrf)?;
    let case = case_id(&id)?;
    let result = async {
        signed.caller.require(Permission::ReportCases)?;
        let body =
            ProgressIn { status: form.status, outcome: Some(form.outcome), outcome_date: Some(form.outcome_date) };
        let progress = body.validate()?;
        state.store.progress_action(&signed.caller.actor(), &viewer(&signed.caller), case, &action, progress).await?;
        Ok(())
    }
    .await;
    after(&state, &signed, case, result).await
}

#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    csrf: String,
}

pub async fn delete_case(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<DeleteForm>,
) -> AppResult<Response> {
    signed.check_csrf(&form.csrf)?;
    let case = case_id(&id)?;
    let result = async {
        signed.caller.require(Permission::ManageCases)?;
        state.store.delete_case(&signed.caller.actor(), &viewer(&signed.caller), case, &form.reason).await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/cases").into_response()),
        Err(e) => after(&state, &signed, case, Err(e)).await,
    }
}

pub async fn list_due(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    let rows = due_cases(&state, &signed.caller).await?;
    page(&DuePage { layout: Layout::for_user(&signed, "due"), rows })
}
