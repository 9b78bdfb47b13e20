//! Joint statement pages: the statements one's organisation drafted or is invited to, one
//! statement with its answers, and the forms to draft, edit, invite, answer and publish.

use super::{page, Layout, Signed};
use crate::api::cases::viewer;
use crate::api::statements::{draft_for, org_ids, statement_out, StatementIn, StatementOut};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use steward_core::role::Permission;
use steward_core::statement::{Answer, StatementText};

#[derive(Template)]
#[template(path = "statements/list.html")]
struct StatementsPage {
    layout: Layout,
    statements: Vec<StatementOut>,
}

#[derive(Template)]
#[template(path = "statements/show.html")]
struct StatementPage {
    layout: Layout,
    s: StatementOut,
    /// The viewer's organisation drafted it (and it is still a draft).
    drafter: bool,
    /// The viewer's organisation is invited (and it is still a draft).
    invited: bool,
    /// The viewer's organisation's current answer, when invited.
    answer: String,
    /// Organisations that could still be invited.
    invitable: Vec<String>,
    error: Option<String>,
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default()
}

fn all(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
}

pub async fn list_statements(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    let mut statements = Vec::new();
    for s in state.store.statements_for(&viewer(&signed.caller)).await? {
        statements.push(statement_out(&state, &signed.caller, &s).await?);
    }
    page(&StatementsPage { layout: Layout::for_user(&signed, "statements"), statements })
}

async fn statement_page(state: &AppState, signed: &Signed, id: &str, error: Option<AppError>) -> AppResult<Response> {
    let me = viewer(&signed.caller);
    let s = state.store.statement_for(&me, id).await?;
    let draft = s.status == steward_core::statement::StatementStatus::Draft;
    let mine = signed.caller.can(Permission::ReportCases);
    let answer = s.invitations.iter().find(|i| i.org == me.org).map(|i| i.answer.to_string()).unwrap_or_default();
    let invitable = state
        .store
        .orgs()
        .await?
        .into_iter()
        .filter(|o| o.id != s.org_id && !s.invites(o.id))
        .map(|o| o.name)
        .collect();
    let out = statement_out(state, &signed.caller, &s).await?;
    let status = error.as_ref().map(|e| e.status().0);
    let mut response = page(&StatementPage {
        layout: Layout::for_user(signed, "statements"),
        drafter: draft && mine && s.org_id == me.org,
        invited: draft && mine && s.invites(me.org),
        answer,
        invitable,
        s: out,
        error: error.map(|e| e.to_string()),
    })?;
    if let Some(status) = status {
        *response.status_mut() = status;
    }
    Ok(response)
}

pub async fn show_statement(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> AppResult<Response> {
    statement_page(&state, &signed, &id, None).await
}

/// After a form: back to the statement, or the statement with the error when it was the user's.
async fn after(state: &AppState, signed: &Signed, id: &str, result: AppResult<()>) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/statements/{id}")).into_response()),
        Err(e @ (AppError::BadRequest { .. } | AppError::Refused(_) | AppError::Forbidden)) => {
            statement_page(state, signed, id, Some(e)).await
        }
        Err(e) => Err(e),
    }
}

/// Drafts a statement from the case page.
pub async fn draft_statement(
    State(state): State<AppState>,
    signed: Signed,
    Path(case): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let body = StatementIn {
        title: field(&pairs, "title").to_string(),
        text: field(&pairs, "text").to_string(),
        invite: all(&pairs, "invite"),
    };
    match draft_for(&state, &signed.caller, &case, body).await {
        Ok(s) => Ok(Redirect::to(&format!("/statements/{}", s.id)).into_response()),
        Err(e @ (AppError::BadRequest { .. } | AppError::Refused(_))) => {
            Err(AppError::field("statement", format!("The statement was not drafted: {e}")))
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_statement(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let result = async {
        signed.caller.require(Permission::ReportCases)?;
        let text = StatementText::new(field(&pairs, "title"), field(&pairs, "text"))?;
        state.store.edit_statement(&signed.caller.actor(), &viewer(&signed.caller), &id, text).await?;
        Ok(())
    }
    .await;
    after(&state, &signed, &id, result).await
}

pub async fn invite(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let result = async {
        signed.caller.require(Permission::ReportCases)?;
        let orgs = org_ids(&state, "invite", &all(&pairs, "invite")).await?;
        state.store.invite_to_statement(&signed.caller.actor(), &viewer(&signed.caller), &id, &orgs).await?;
        Ok(())
    }
    .await;
    after(&state, &signed, &id, result).await
}

pub async fn answer(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let result = async {
        signed.caller.require(Permission::ReportCases)?;
        let answer: Answer = field(&pairs, "answer").parse()?;
        state.store.answer_statement(&signed.caller.actor(), &viewer(&signed.caller), &id, answer).await?;
        Ok(())
    }
    .await;
    after(&state, &signed, &id, result).await
}

pub async fn publish(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    signed.check_csrf(field(&pairs, "csrf"))?;
    let result = async {
        signed.caller.require(Permission::ReportCases)?;
        state.store.publish_statement(&signed.caller.actor(), &viewer(&signed.caller), &id).await?;
        Ok(())
    }
    .await;
    after(&state, &signed, &id, result).await
}
