//! The public alert form, for workers and partners without an account. It asks the minimum,
//! answers with a receipt and a passphrase, and with both shows the status and takes additions.
//! These pages carry no session and show nothing of any other alert or case.

use super::{page, Layout};
use crate::api::alerts::{check_lookup, throttle_intake};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::request::Parts;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use steward_core::alert::{note_text, NewAlert};

#[derive(Template)]
#[template(path = "alert/form.html")]
struct AlertFormPage {
    layout: Layout,
    form: AlertForm,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "alert/receipt.html")]
struct ReceiptPage {
    layout: Layout,
    receipt: String,
    passphrase: String,
}

#[derive(Template)]
#[template(path = "alert/status.html")]
struct StatusPage {
    layout: Layout,
    receipt: String,
    status: Option<(String, String, String)>,
    added: bool,
    error: Option<String>,
}

/// The public form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct AlertForm {
    #[serde(default)]
    summary: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    /// A ticked box: "yes".
    #[serde(default)]
    danger: String,
}

fn opt(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

fn with_status(mut response: Response, bad: bool) -> Response {
    if bad {
        *response.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    response
}

pub async fn show_form() -> AppResult<Response> {
    page(&AlertFormPage { layout: Layout::default(), form: AlertForm::default(), error: None })
}

pub async fn submit(State(state): State<AppState>, parts: Parts, Form(form): Form<AlertForm>) -> AppResult<Response> {
    let new = match NewAlert::new(&form.summary, opt(&form.country), opt(&form.name), opt(&form.contact)) {
        Ok(new) => new.in_danger(form.danger == "yes"),
        Err(e) => {
            let error = Some(AppError::from(e).to_string());
            return Ok(with_status(page(&AlertFormPage { layout: Layout::default(), form, error })?, true));
        }
    };
    throttle_intake(&state, &parts).await?;
    let r = state.store.create_alert(new).await?;
    crate::notify::announce_alert(&state, &r);
    page(&ReceiptPage { layout: Layout::default(), receipt: r.receipt, passphrase: r.passphrase })
}

/// The status form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    receipt: String,
    #[serde(default)]
    passphrase: String,
    #[serde(default)]
    text: String,
}

pub async fn show_status_form() -> AppResult<Response> {
    page(&StatusPage { layout: Layout::default(), receipt: String::new(), status: None, added: false, error: None })
}

pub async fn check_status(
    State(state): State<AppState>,
    parts: Parts,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    let key = check_lookup(&state, &parts).await?;
    let receipt = form.receipt.trim().to_string();
    let mut added = false;
    if !form.text.trim().is_empty() {
        let text = match note_text(&form.text) {
            Ok(t) => t,
            Err(e) => {
                let error = Some(AppError::from(e).to_string());
                let p = StatusPage { layout: Layout::default(), receipt, status: None, added, error };
                return Ok(with_status(page(&p)?, true));
            }
        };
        added = state.store.add_alert_note(&receipt, &form.passphrase, &text).await?;
    }
    let Some(view) = state.store.alert_status(&receipt, &form.passphrase).await? else {
        state.store.record_attempt(&[key]).await?;
        let error = Some("That receipt and passphrase do not match an alert. Check both and try again.".to_string());
        let p = StatusPage { layout: Layout::default(), receipt, status: None, added: false, error };
        return Ok(with_status(page(&p)?, true));
    };
    let status = (
        view.status.to_string(),
        view.status.for_submitter().to_string(),
        steward_core::clock::rfc3339(view.received_at),
    );
    page(&StatusPage { layout: Layout::default(), receipt, status: Some(status), added, error: None })
}
