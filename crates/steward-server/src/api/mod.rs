//! The JSON API under `/api/v1`, described by the OpenAPI document it serves.
//!
//! Every route but the document itself needs an API token (`Authorization: Bearer TOKEN` or
//! `Authorization: ApiKey TOKEN`). Request bodies go through [`ApiJson`], which names the field
//! at fault when a body does not parse.

pub(crate) mod alerts;
mod audit;
pub(crate) mod cases;
pub(crate) mod casework;
mod countries;
pub(crate) mod esf;
pub(crate) mod highlights;
mod lists;
mod matching;
mod me;
pub(crate) mod notifications;
mod orgs;
mod reconcile;
pub(crate) mod reports;
mod screen;
pub(crate) mod search;
pub(crate) mod sources;
pub(crate) mod statements;
mod users;

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// Largest upload body: one attachment and the form around it.
pub const UPLOAD_BODY_BYTES: usize = steward_core::source::MAX_ATTACHMENT + 64 * 1024;

/// The API routes, relative to the site root.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/me", get(me::get_me))
        .route("/api/v1/orgs", get(orgs::list_orgs).post(orgs::create_org))
        .route("/api/v1/orgs/{id}", get(orgs::get_org))
        .route("/api/v1/users", get(users::list_users).post(users::create_user))
        .route("/api/v1/users/{id}", get(users::get_user))
        .route("/api/v1/users/{id}/disable", post(users::disable_user))
        .route("/api/v1/users/{id}/enable", post(users::enable_user))
        .route("/api/v1/audit", get(audit::list_audit))
        .route("/api/v1/audit/verify", get(audit::verify_audit))
        .route("/api/v1/countries", get(countries::list_countries))
        .route("/api/v1/lists", get(lists::list_editions))
        .route("/api/v1/lists/{id}/goods", get(lists::list_goods))
        .route("/api/v1/match/{dataset}", post(matching::match_entities))
        .route(
            "/api/v1/screen",
            post(screen::screen_file).layer(axum::extract::DefaultBodyLimit::max(crate::ui::SCREEN_BODY_BYTES)),
        )
        .route("/api/v1/cases", get(cases::list_cases).post(cases::create_case))
        .route("/api/v1/cases/export.csv", get(cases::export_cases))
        .route("/api/v1/cases/export.xlsx", get(cases::export_cases_xlsx))
        .route("/api/v1/reports/cases", get(reports::case_report))
        .route("/api/v1/reports/cases.csv", get(reports::case_report_csv))
        .route("/api/v1/reports/cases.xlsx", get(reports::case_report_xlsx))
        .route("/api/v1/cases/due", get(casework::list_due))
        .route("/api/v1/cases/{id}", get(cases::get_case).patch(casework::update_case))
        .route("/api/v1/cases/{id}/delete", post(casework::delete_case))
        .route("/api/v1/cases/{id}/access", put(cases::set_access))
        .route("/api/v1/cases/{id}/people", post(cases::add_person))
        .route("/api/v1/cases/{id}/alert-buyers", post(cases::alert_buyers))
        .route("/api/v1/cases/{id}/people/{n}", put(cases::edit_person))
        .route("/api/v1/cases/{id}/history", get(casework::case_history))
        .route("/api/v1/cases/{id}/sender-notes", get(casework::sender_notes))
        .route("/api/v1/cases/{id}/incidents", get(casework::list_incidents).post(casework::add_incident))
        .route("/api/v1/cases/{id}/incidents/{incident}", put(casework::edit_incident))
        .route("/api/v1/cases/{id}/incidents/{incident}/delete", post(casework::delete_incident))
        .route("/api/v1/cases/{id}/actions", get(casework::list_actions).post(casework::add_action))
        .route("/api/v1/cases/{id}/actions/{action}", put(casework::edit_action))
        .route("/api/v1/cases/{id}/actions/{action}/status", post(casework::progress_action))
        .route("/api/v1/cases/{id}/actions/{action}/delete", post(casework::delete_action))
        .route("/api/v1/cases/{id}/sources", get(sources::list_sources).post(sources::add_source))
        .route("/api/v1/cases/{id}/sources/{source}", put(sources::edit_source))
        .route("/api/v1/cases/{id}/sources/{source}/delete", post(sources::delete_source))
        .route(
            "/api/v1/cases/{id}/attachments",
            get(sources::list_attachments)
                .post(sources::add_attachment)
                .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_BODY_BYTES)),
        )
        .route("/api/v1/cases/{id}/attachments/{attachment}", get(sources::get_attachment))
        .route("/api/v1/cases/{id}/attachments/{attachment}/delete", post(sources::delete_attachment))
        .route("/api/v1/cases/{id}/evidence", get(sources::get_evidence))
        .route("/api/v1/cases/{id}/esf", get(esf::get_esf))
        .route("/api/v1/cases/{id}/highlight", post(highlights::publish))
        .route("/api/v1/cases/{id}/highlight/withdraw", post(highlights::withdraw))
        .route("/api/v1/cases/{id}/highlights", get(highlights::list_for_case))
        .route("/api/v1/highlights", get(highlights::list_public))
        .route("/api/v1/cases/{id}/statements", post(statements::draft_statement))
        .route("/api/v1/statements", get(statements::list_statements))
        .route("/api/v1/statements/{id}", get(statements::get_statement).patch(statements::edit_statement))
        .route("/api/v1/statements/{id}/invite", post(statements::invite))
        .route("/api/v1/statements/{id}/answer", post(statements::answer))
        .route("/api/v1/statements/{id}/publish", post(statements::publish))
        .route("/api/v1/notifications", get(notifications::list_notifications))
        .route("/api/v1/notifications/read", post(notifications::mark_read))
        .route(
            "/api/v1/webhook",
            put(notifications::set_webhook).get(notifications::get_webhook).delete(notifications::remove_webhook),
        )
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/alerts", get(alerts::list_alerts).post(alerts::create_alert))
        .route("/api/v1/alerts/status", post(alerts::alert_status))
        .route("/api/v1/alerts/notes", post(alerts::add_alert_note))
        .route("/api/v1/alerts/{id}/case", post(alerts::open_case))
        .route("/api/v1/alerts/{id}/dismiss", post(alerts::dismiss_alert))
        .route("/api/v1/alerts/{id}/merge", post(alerts::merge_alert))
        .route("/reconcile", get(reconcile::get_reconcile).post(reconcile::post_reconcile))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Steward API", description = "Steward's JSON API. Authenticate with an API token from `steward tokens create` or your account page."),
    paths(
        me::get_me,
        orgs::list_orgs, orgs::create_org, orgs::get_org,
        users::list_users, users::create_user, users::get_user, users::disable_user, users::enable_user,
        audit::list_audit, audit::verify_audit,
        countries::list_countries,
        lists::list_editions, lists::list_goods,
        matching::match_entities,
        screen::screen_file,
        cases::create_case, cases::list_cases, cases::get_case, cases::export_cases, cases::export_cases_xlsx, cases::set_access, cases::add_person, cases::edit_person, cases::alert_buyers,
        reports::case_report, reports::case_report_csv, reports::case_report_xlsx,
        casework::update_case, casework::delete_case, casework::case_history, casework::sender_notes, casework::list_incidents,
        casework::add_incident, casework::edit_incident, casework::delete_incident, casework::list_actions, casework::add_action, casework::edit_action,
        casework::progress_action, casework::delete_action, casework::list_due,
        sources::add_source, sources::edit_source, sources::list_sources, sources::delete_source, sources::add_attachment,
        sources::list_attachments, sources::get_attachment, sources::delete_attachment, sources::get_evidence, esf::get_esf,
        highlights::publish, highlights::withdraw, highlights::list_for_case, highlights::list_public,
        statements::draft_statement, statements::list_statements, statements::get_statement, statements::edit_statement,
        statements::invite, statements::answer, statements::publish,
        notifications::list_notifications, notifications::mark_read,
        notifications::get_webhook, notifications::set_webhook, notifications::remove_webhook,
        search::search,
        alerts::create_alert, alerts::alert_status, alerts::add_alert_note, alerts::list_alerts, alerts::open_case, alerts::dismiss_alert, alerts::merge_alert,
    ),
    modifiers(&Security),
    security(("bearer" = []), ("apiKey" = [])),
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "apiKey",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "The token as 'ApiKey TOKEN'",
            ))),
        );
    }
}

/// The OpenAPI document (public, so tools can discover the API before they hold a token).
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The OpenAPI document, for tests and tools.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `Json<T>` whose rejections are Steward's errors: 400 naming the field, 413 when too large.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_error(rejection)),
        }
    }
}

fn json_error(rejection: JsonRejection) -> AppError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::PayloadTooLarge;
    }
    let text = rejection.body_text();
    // serde's messages name the path: "name: missing field `kind`" or "kind: unknown variant ...".
    let field = match &rejection {
        JsonRejection::JsonDataError(_) => text
            .rsplit_once(": ")
            .map(|(head, _)| head.rsplit(": ").next().unwrap_or(head).to_string())
            .filter(|f| !f.contains(' ')),
        _ => None,
    };
    AppError::BadRequest { field, message: text }
}
