//! Public highlights over the API: published and withdrawn by the case's organisation, listed
//! publicly (no account) with only the approved words.

use super::cases::viewer;
use super::casework::{case_id, DeleteIn};
use super::ApiJson;
use crate::auth::{ApiCaller, Caller};
use crate::error::AppResult;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use steward_core::highlight::{Highlight, NewHighlight, PublicHighlight};
use steward_core::role::Permission;
use utoipa::ToSchema;

/// A publication, with the consent it rests on.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HighlightIn {
    /// person at risk, or their organisation.
    pub(crate) consent_from: String,
    /// Who gave consent (encrypted at rest; never shown publicly).
    pub(crate) consent_by: String,
    /// When, YYYY-MM-DD.
    pub(crate) consent_on: String,
    /// The title approved for publication.
    pub(crate) title: String,
    /// The summary approved for publication: the only words of the case the public sees.
    pub(crate) summary: String,
}

impl HighlightIn {
    pub(crate) fn validate(&self) -> AppResult<NewHighlight> {
        let today = steward_core::clock::now().date();
        Ok(NewHighlight::new(
            self.consent_from.parse()?,
            &self.consent_by,
            steward_core::action::parse_day("consent_on", &self.consent_on)?,
            &self.title,
            &self.summary,
            today,
        )?)
    }
}

/// A publication as the case's readers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct HighlightOut {
    pub(crate) id: String,
    pub(crate) consent_from: String,
    pub(crate) consent_by: String,
    pub(crate) consent_on: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) published_at: String,
    /// Set once consent was withdrawn: no longer public.
    pub(crate) withdrawn_at: Option<String>,
}

impl HighlightOut {
    pub(crate) fn new(h: &Highlight) -> Self {
        Self {
            id: h.id.clone(),
            consent_from: h.consent_from.to_string(),
            consent_by: h.consent_by.clone(),
            consent_on: h.consent_on.to_string(),
            title: h.title.clone(),
            summary: h.summary.clone(),
            published_at: steward_core::clock::rfc3339(h.published_at),
            withdrawn_at: h.withdrawn_at.map(steward_core::clock::rfc3339),
        }
    }
}

/// A highlight as the public sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicHighlightOut {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) country: Option<String>,
    /// The month it was published, YYYY-MM.
    pub(crate) published: String,
}

impl PublicHighlightOut {
    pub(crate) fn new(h: &PublicHighlight) -> Self {
        Self {
            id: h.id.clone(),
            title: h.title.clone(),
            summary: h.summary.clone(),
            country: h.country.clone(),
            published: format!("{:04}-{:02}", h.published_at.year(), u8::from(h.published_at.month())),
        }
    }
}

pub(crate) async fn publish_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: &HighlightIn,
) -> AppResult<Highlight> {
    let id = case_id(id)?;
    caller.require(Permission::ManageCases)?;
    let new = body.validate()?;
    Ok(state.store.publish_highlight(&caller.actor(), &viewer(caller), id, new).await?)
}

/// Publishes the case's approved story on the public page (coordinators of its organisation),
/// replacing any earlier publication.
#[utoipa::path(post, path = "/api/v1/cases/{id}/highlight", tag = "highlights", request_body = HighlightIn,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 201, body = HighlightOut), (status = 400, description = "Invalid field"), (status = 403, description = "Not a coordinator of the case's organisation"), (status = 404, description = "No such case, or not yours to see")))]
pub async fn publish(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<HighlightIn>,
) -> AppResult<(StatusCode, Json<HighlightOut>)> {
    let h = publish_for(&state, &caller, &id, &body).await?;
    Ok((StatusCode::CREATED, Json(HighlightOut::new(&h))))
}

/// Withdraws the case's highlight at once, with the reason.
#[utoipa::path(post, path = "/api/v1/cases/{id}/highlight/withdraw", tag = "highlights", request_body = DeleteIn,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 204, description = "Withdrawn"), (status = 404, description = "No such case or no live highlight, or not yours to see")))]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DeleteIn>,
) -> AppResult<StatusCode> {
    let id = case_id(&id)?;
    caller.require(Permission::ManageCases)?;
    state.store.withdraw_highlight(&caller.actor(), &viewer(&caller), id, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The case's publications, with their consent, newest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/highlights", tag = "highlights",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = [HighlightOut]), (status = 404, description = "No such case, or not yours to see")))]
pub async fn list_for_case(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<HighlightOut>>> {
    let opened = state.store.open_case(&caller.actor(), &viewer(&caller), case_id(&id)?).await?;
    let all = state.store.highlights_of(&opened).await?;
    Ok(Json(all.iter().map(HighlightOut::new).collect()))
}

/// The public highlights (no account needed): approved words, country and month only.
#[utoipa::path(get, path = "/api/v1/highlights", tag = "highlights", security(()),
    responses((status = 200, body = [PublicHighlightOut])))]
pub async fn list_public(State(state): State<AppState>) -> AppResult<Json<Vec<PublicHighlightOut>>> {
    let all = state.store.public_highlights().await?;
    Ok(Json(all.iter().map(PublicHighlightOut::new).collect()))
}
