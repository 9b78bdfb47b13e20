//! The public highlights page (no account), and the case page's forms to publish a case's
//! approved story with the consent it rests on, or withdraw it.

use super::{page, Layout, Signed};
use crate::api::cases::viewer;
use crate::api::casework::case_id;
use crate::api::highlights::{publish_for, HighlightIn, PublicHighlightOut};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use steward_core::role::Permission;

#[derive(Template)]
#[template(path = "highlights.html")]
struct HighlightsPage {
    layout: Layout,
    highlights: Vec<PublicHighlightOut>,
}

/// Public: the stories published with consent. Signed-in or not, everyone sees the same page.
pub async fn show_public(State(state): State<AppState>) -> AppResult<Response> {
    let highlights = state.store.public_highlights().await?.iter().map(PublicHighlightOut::new).collect();
    page(&HighlightsPage { layout: Layout::default(), highlights })
}

#[derive(Deserialize)]
pub struct PublishForm {
    csrf: String,
    #[serde(default)]
    consent_from: String,
    #[serde(default)]
    consent_by: String,
    #[serde(default)]
    consent_on: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
}

pub async fn publish(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(f): Form<PublishForm>,
) -> AppResult<Response> {
    signed.check_csrf(&f.csrf)?;
    let body = HighlightIn {
        consent_from: f.consent_from,
        consent_by: f.consent_by,
        consent_on: f.consent_on,
        title: f.title,
        summary: f.summary,
    };
    let result = publish_for(&state, &signed.caller, &id, &body).await.map(|_| ());
    super::casework::after(&state, &signed, case_id(&id)?, result).await
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

pub async fn withdraw(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(f): Form<WithdrawForm>,
) -> AppResult<Response> {
    signed.check_csrf(&f.csrf)?;
    let case = case_id(&id)?;
    let result: AppResult<()> = async {
        signed.caller.require(Permission::ManageCases)?;
        state.store.withdraw_highlight(&signed.caller.actor(), &viewer(&signed.caller), case, &f.reason).await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{case}#highlight")).into_response()),
        Err(e @ AppError::NotFound) => Err(e),
        Err(e) => super::casework::after(&state, &signed, case, Err(e)).await,
    }
}
