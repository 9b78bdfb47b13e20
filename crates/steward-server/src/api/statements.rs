//! Joint statements over the API: drafted on a case, co-signed by invited organisations,
//! frozen on publication. Invited organisations read the statement, never the case behind it.

use super::cases::{viewer, Names};
use super::casework::case_id;
use super::ApiJson;
use crate::auth::{ApiCaller, Caller};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use steward_core::ids::OrgId;
use steward_core::role::Permission;
use steward_core::statement::{Answer, Statement, StatementStatus, StatementText};
use utoipa::ToSchema;

/// A new statement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementIn {
    pub(crate) title: String,
    pub(crate) text: String,
    /// Organisations invited to co-sign, by name. They will read the statement, not the case.
    #[serde(default)]
    pub(crate) invite: Vec<String>,
}

/// A new text for a draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementEditIn {
    pub(crate) title: String,
    pub(crate) text: String,
}

/// Organisations to invite, by name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteIn {
    pub(crate) organisations: Vec<String>,
}

/// An invited organisation's answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerIn {
    /// joined or declined.
    pub(crate) answer: String,
}

/// One invitation and its answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationOut {
    pub(crate) organisation: String,
    /// no answer, joined or declined.
    pub(crate) answer: String,
    pub(crate) answered_at: Option<String>,
    /// Who answered, by email.
    pub(crate) answered_by: Option<String>,
}

/// A statement.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementOut {
    pub(crate) id: String,
    /// The case it was drafted on; only for readers of that case.
    pub(crate) case: Option<String>,
    /// The drafting organisation.
    pub(crate) organisation: String,
    /// draft or published.
    pub(crate) status: String,
    pub(crate) title: String,
    pub(crate) text: String,
    pub(crate) invitations: Vec<InvitationOut>,
    /// Published: the frozen signatories. Draft: who would sign if it were published now.
    pub(crate) signatories: Vec<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    pub(crate) published_at: Option<String>,
}

impl StatementOut {
    pub(crate) fn new(s: &Statement, case_visible: bool, names: &Names) -> Self {
        let signatories = if s.status == StatementStatus::Published { s.signatories.clone() } else { s.signing_now() };
        Self {
            id: s.id.clone(),
            case: case_visible.then(|| s.case_id.to_string()),
            organisation: names.org(s.org_id),
            status: s.status.to_string(),
            title: s.text.title.clone(),
            text: s.text.body.clone(),
            invitations: s
                .invitations
                .iter()
                .map(|i| InvitationOut {
                    organisation: names.org(i.org),
                    answer: i.answer.to_string(),
                    answered_at: i.answered_at.map(steward_core::clock::rfc3339),
                    answered_by: i.answered_by.map(|u| names.user(u)),
                })
                .collect(),
            signatories: signatories.iter().map(|o| names.org(*o)).collect(),
            created_at: steward_core::clock::rfc3339(s.created_at),
            updated_at: steward_core::clock::rfc3339(s.updated_at),
            published_at: s.published_at.map(steward_core::clock::rfc3339),
        }
    }
}

/// A statement as `caller` may see it.
pub(crate) async fn statement_out(state: &AppState, caller: &Caller, s: &Statement) -> AppResult<StatementOut> {
    let visible = state.store.statement_case_visible(&viewer(caller), s).await?;
    Ok(StatementOut::new(s, visible, &Names::load(state).await?))
}

/// Organisation names to ids, naming the one not found.
pub(crate) async fn org_ids(state: &AppState, field: &str, names: &[String]) -> AppResult<Vec<OrgId>> {
    let mut out = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let org = state
            .store
            .org_by_name(name)
            .await
            .map_err(|_| AppError::field(field, format!("no organisation named '{name}'")))?;
        out.push(org.id);
    }
    Ok(out)
}

/// Drafts a joint statement on a case (the case's own organisation).
#[utoipa::path(post, path = "/api/v1/cases/{id}/statements", tag = "statements", request_body = StatementIn,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 201, body = StatementOut), (status = 404, description = "No such case, or not yours to see")))]
pub async fn draft_statement(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StatementIn>,
) -> AppResult<(StatusCode, Json<StatementOut>)> {
    let statement = draft_for(&state, &caller, &id, body).await?;
    Ok((StatusCode::CREATED, Json(statement_out(&state, &caller, &statement).await?)))
}

pub(crate) async fn draft_for(state: &AppState, caller: &Caller, id: &str, body: StatementIn) -> AppResult<Statement> {
    let id = case_id(id)?;
    caller.require(Permission::ReportCases)?;
    let text = StatementText::new(&body.title, &body.text)?;
    let invite = org_ids(state, "invite", &body.invite).await?;
    Ok(state.store.draft_statement(&caller.actor(), &viewer(caller), id, text, &invite).await?)
}

/// The statements the caller's organisation drafted or is invited to, newest first.
#[utoipa::path(get, path = "/api/v1/statements", tag = "statements", responses((status = 200, body = [StatementOut])))]
pub async fn list_statements(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> AppResult<Json<Vec<StatementOut>>> {
    let mut out = Vec::new();
    for s in state.store.statements_for(&viewer(&caller)).await? {
        out.push(statement_out(&state, &caller, &s).await?);
    }
    Ok(Json(out))
}

/// One statement; 404 when the caller's organisation neither drafted it nor is invited.
#[utoipa::path(get, path = "/api/v1/statements/{id}", tag = "statements",
    params(("id" = String, Path, description = "Statement id")),
    responses((status = 200, body = StatementOut), (status = 404, description = "No such statement, or not yours to see")))]
pub async fn get_statement(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<StatementOut>> {
    let s = state.store.statement_for(&viewer(&caller), &id).await?;
    Ok(Json(statement_out(&state, &caller, &s).await?))
}

/// Rewrites a draft; answers already given go back to "no answer".
#[utoipa::path(patch, path = "/api/v1/statements/{id}", tag = "statements", request_body = StatementEditIn,
    params(("id" = String, Path, description = "Statement id")),
    responses((status = 200, body = StatementOut), (status = 403, description = "Not the drafting organisation, or published"), (status = 404, description = "No such statement, or not yours to see")))]
pub async fn edit_statement(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StatementEditIn>,
) -> AppResult<Json<StatementOut>> {
    caller.require(Permission::ReportCases)?;
    let text = StatementText::new(&body.title, &body.text)?;
    let s = state.store.edit_statement(&caller.actor(), &viewer(&caller), &id, text).await?;
    Ok(Json(statement_out(&state, &caller, &s).await?))
}

/// Invites more organisations to co-sign a draft.
#[utoipa::path(post, path = "/api/v1/statements/{id}/invite", tag = "statements", request_body = InviteIn,
    params(("id" = String, Path, description = "Statement id")),
    responses((status = 200, body = StatementOut), (status = 404, description = "No such statement, or not yours to see")))]
pub async fn invite(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<InviteIn>,
) -> AppResult<Json<StatementOut>> {
    caller.require(Permission::ReportCases)?;
    let orgs = org_ids(&state, "organisations", &body.organisations).await?;
    let s = state.store.invite_to_statement(&caller.actor(), &viewer(&caller), &id, &orgs).await?;
    Ok(Json(statement_out(&state, &caller, &s).await?))
}

/// The caller's organisation joins or declines; the answer and its time are recorded.
#[utoipa::path(post, path = "/api/v1/statements/{id}/answer", tag = "statements", request_body = AnswerIn,
    params(("id" = String, Path, description = "Statement id")),
    responses((status = 200, body = StatementOut), (status = 403, description = "Not invited, or published"), (status = 404, description = "No such statement, or not yours to see")))]
pub async fn answer(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AnswerIn>,
) -> AppResult<Json<StatementOut>> {
    caller.require(Permission::ReportCases)?;
    let answer: Answer = body.answer.parse()?;
    let s = state.store.answer_statement(&caller.actor(), &viewer(&caller), &id, answer).await?;
    Ok(Json(statement_out(&state, &caller, &s).await?))
}

/// Publishes a draft: text and signatories are frozen.
#[utoipa::path(post, path = "/api/v1/statements/{id}/publish", tag = "statements",
    params(("id" = String, Path, description = "Statement id")),
    responses((status = 200, body = StatementOut), (status = 403, description = "Not the drafting organisation, or already published"), (status = 404, description = "No such statement, or not yours to see")))]
pub async fn publish(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<StatementOut>> {
    caller.require(Permission::ReportCases)?;
    let s = state.store.publish_statement(&caller.actor(), &viewer(&caller), &id).await?;
    Ok(Json(statement_out(&state, &caller, &s).await?))
}
