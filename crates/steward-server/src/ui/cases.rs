//! Case pages: the cases one may see, reporting one, reading one with its own trail, the triage
//! queue of public alerts, and search. Every handler asks the store with the reader as
//! [`Viewer`]; pages never filter what the store returned.

use super::{page, Layout, Signed};
use crate::api::alerts::case_from_alert;
use crate::api::cases::{resolve, viewer, CaseIn, PersonIo};
use crate::api::search::{search_all, SearchHit};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use steward_core::case::{Case, PersonRole, Risk, Visibility};
use steward_core::role::Permission;
use steward_store::Alert;

#[derive(Template)]
#[template(path = "cases/list.html")]
struct CasesPage {
    layout: Layout,
    cases: Vec<Case>,
    can_report: bool,
}

#[derive(Template)]
#[template(path = "cases/new.html")]
struct NewCasePage {
    layout: Layout,
    form: CaseForm,
    error: Option<String>,
    risks: Vec<&'static str>,
    visibilities: Vec<&'static str>,
    roles: Vec<&'static str>,
    /// Every organisation's name, offered for the person's union or group.
    directory: Vec<String>,
}

#[derive(Template)]
#[template(path = "cases/triage.html")]
struct TriagePage {
    layout: Layout,
    alerts: Vec<Alert>,
    /// Cases an alert can be added to: (id, title shown) of those the coordinator manages.
    cases: Vec<(String, String)>,
    /// Cases reported by signed-in users and not yet triaged: (id, title shown, risk,
    /// reported), most at stake first, then oldest.
    untriaged: Vec<(String, String, &'static str, String)>,
    risks: Vec<&'static str>,
    visibilities: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    results: Option<Vec<SearchHit>>,
    error: Option<String>,
}

/// The report form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    risk: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    pseudonym: String,
    #[serde(default)]
    person_name: String,
    #[serde(default)]
    person_role: String,
    #[serde(default)]
    person_organisation: String,
    #[serde(default)]
    person_contact: String,
    #[serde(default)]
    person_other_names: String,
    #[serde(default)]
    person_workplace: String,
    /// Emails, separated by commas or new lines.
    #[serde(default)]
    members: String,
    /// Organisation names, separated by commas or new lines.
    #[serde(default)]
    shared_with: String,
    #[serde(default)]
    csrf: String,
}

fn split_list(text: &str) -> Vec<String> {
    text.split([',', '\n', ';']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

impl CaseForm {
    fn to_input(&self) -> CaseIn {
        let people = some(&self.person_name)
            .map(|name| PersonIo {
                name,
                role: some(&self.person_role),
                organisation: some(&self.person_organisation),
                contact: some(&self.person_contact),
                other_names: some(&self.person_other_names),
                workplace: some(&self.person_workplace),
                sector: None,
                country: None,
                organisation_id: None,
                workplace_link: None,
            })
            .into_iter()
            .collect();
        CaseIn {
            title: self.title.clone(),
            summary: self.summary.clone(),
            country: some(&self.country),
            risk: self.risk.clone(),
            visibility: self.visibility.clone(),
            pseudonym: some(&self.pseudonym),
            people,
            shared_with: split_list(&self.shared_with),
            members: split_list(&self.members),
        }
    }
}

pub(super) fn terms<T: Copy + Into<&'static str>>(all: &[T]) -> Vec<&'static str> {
    all.iter().map(|v| (*v).into()).collect()
}

async fn new_case_page(
    state: &AppState,
    signed: &Signed,
    form: CaseForm,
    error: Option<String>,
) -> AppResult<Response> {
    let bad = error.is_some();
    let directory = state.store.orgs().await?.into_iter().map(|o| o.name).collect();
    let mut response = page(&NewCasePage {
        layout: Layout::for_user(signed, "cases"),
        form,
        error,
        risks: terms(Risk::ALL),
        visibilities: terms(Visibility::ALL),
        roles: terms(PersonRole::ALL),
        directory,
    })?;
    if bad {
        *response.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

pub async fn list_cases(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    let cases = state.store.cases_for(&viewer(&signed.caller)).await?;
    page(&CasesPage {
        layout: Layout::for_user(&signed, "cases"),
        cases,
        can_report: signed.caller.can(Permission::ReportCases),
    })
}

pub async fn new_case(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    signed.caller.require(Permission::ReportCases)?;
    let form = CaseForm { visibility: "restricted".into(), risk: "life".into(), ..Default::default() };
    new_case_page(&state, &signed, form, None).await
}

pub async fn create_case(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<CaseForm>,
) -> AppResult<Response> {
    signed.check_csrf(&form.csrf)?;
    signed.caller.require(Permission::ReportCases)?;
    let resolved = resolve(&state, signed.caller.user.org_id, form.to_input()).await;
    let result = match resolved {
        Ok((new, members, shared)) => state
            .store
            .create_case(&signed.caller.actor(), &viewer(&signed.caller), new, &members, &shared)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(case) => Ok(Redirect::to(&format!("/cases/{}", case.id)).into_response()),
        Err(e @ (AppError::BadRequest { .. } | AppError::Conflict { .. })) => {
            new_case_page(&state, &signed, form, Some(e.to_string())).await
        }
        Err(e) => Err(e),
    }
}

pub async fn triage(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    signed.caller.require(Permission::TriageAlerts)?;
    let alerts = state.store.alerts_for_desk(&signed.caller.actor(), signed.caller.user.org_id).await?;
    let me = viewer(&signed.caller);
    let managed: Vec<_> =
        state.store.cases_for(&me).await?.into_iter().filter(|c| c.may_manage(&me) && c.status.is_open()).collect();
    let cases = managed.iter().map(|c| (c.id.to_string(), c.display_title().to_string())).collect();
    let mut new: Vec<_> = managed.iter().filter(|c| c.status == steward_core::case::CaseStatus::New).collect();
    new.sort_by_key(|c| (Risk::ALL.iter().position(|r| *r == c.risk), c.created_at));
    let untriaged = new
        .into_iter()
        .map(|c| {
            let reported = steward_core::clock::rfc3339(c.created_at);
            (c.id.to_string(), c.display_title().to_string(), c.risk.as_str(), reported)
        })
        .collect();
    page(&TriagePage {
        layout: Layout::for_user(&signed, "triage"),
        alerts,
        cases,
        untriaged,
        risks: terms(Risk::ALL),
        visibilities: terms(Visibility::ALL),
    })
}

#[derive(Debug, Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    risk: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    pseudonym: String,
    #[serde(default)]
    csrf: String,
}

pub async fn open_alert(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<OpenForm>,
) -> AppResult<Response> {
    signed.check_csrf(&form.csrf)?;
    signed.caller.require(Permission::TriageAlerts)?;
    let risk: Risk = form.risk.parse()?;
    let visibility: Visibility = form.visibility.parse()?;
    let alert = state.store.desk_alert(&signed.caller.actor(), signed.caller.user.org_id, &id).await?;
    let new = case_from_alert(&alert, &form.title, risk, visibility, some(&form.pseudonym).as_deref())?;
    let case = state.store.open_case_from_alert(&signed.caller.actor(), &viewer(&signed.caller), &id, new).await?;
    Ok(Redirect::to(&format!("/cases/{}", case.id)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct MergeForm {
    #[serde(default)]
    case: String,
    #[serde(default)]
    csrf: String,
}

pub async fn merge_alert(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<MergeForm>,
) -> AppResult<Response> {
    signed.check_csrf(&form.csrf)?;
    signed.caller.require(Permission::TriageAlerts)?;
    let case = crate::api::casework::case_id(&form.case)?;
    let case = state.store.merge_alert_into_case(&signed.caller.actor(), &viewer(&signed.caller), &id, case).await?;
    Ok(Redirect::to(&format!("/cases/{}", case.id)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn dismiss_alert(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    signed.check_csrf(&form.csrf)?;
    signed.caller.require(Permission::TriageAlerts)?;
    state.store.dismiss_alert(&signed.caller.actor(), signed.caller.user.org_id, &id).await?;
    Ok(Redirect::to("/triage").into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn search(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<SearchQuery>,
) -> AppResult<Response> {
    let q = query.q.trim().to_string();
    let (results, error) = if q.is_empty() {
        (None, None)
    } else {
        match search_all(&state, &signed.caller, &q).await {
            Ok(found) => (Some(found.results), None),
            Err(e @ AppError::BadRequest { .. }) => (None, Some(e.to_string())),
            Err(e) => return Err(e),
        }
    };
    page(&SearchPage { layout: Layout::for_user(&signed, "search"), q, results, error })
}
