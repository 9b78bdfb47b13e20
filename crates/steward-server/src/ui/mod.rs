//! The web interface: server-rendered pages that work without JavaScript.
//!
//! Templates mirror handlers: `templates/<area>/<page>.html` belongs to `ui/<area>.rs`. Every page
//! struct carries a [`Layout`] for the navigation. Every form posts a CSRF token that must match
//! the session's; pages never decide authorisation by hiding links alone (handlers check again).

mod account;
mod alert;
mod audit;
mod cases;
mod casework;
mod highlights;
mod home;
mod lists;
pub(crate) mod login;
mod notifications;
mod orgs;
mod reports;
mod screen;
mod settings;
mod statements;
mod users;

use crate::auth::{Caller, SessionCaller};
use crate::error::{AppError, AppResult, ErrorInfo};
use crate::state::AppState;
use askama::Template;
use axum::extract::{FromRef, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use steward_core::role::Permission;

/// Largest body of a supplier file upload.
pub const SCREEN_BODY_BYTES: usize = crate::registry::MAX_UPLOAD + 64 * 1024;

/// The page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show_home))
        .route("/login", get(login::show_login).post(login::sign_in))
        .route("/login/mfa", get(login::show_mfa).post(login::verify_mfa))
        .route("/logout", post(login::sign_out))
        .route("/orgs", get(orgs::list_orgs).post(orgs::create_org))
        .route("/orgs/{id}", get(orgs::show_org))
        .route("/users", get(users::list_users).post(users::create_user))
        .route("/users/{id}/disable", post(users::disable_user))
        .route("/users/{id}/enable", post(users::enable_user))
        .route("/users/{id}/reset-password", post(users::reset_password))
        .route("/lists", get(lists::list_lists))
        .route("/lists/diff", get(lists::show_diff))
        .route("/lists/{id}", get(lists::show_edition))
        .route("/audit", get(audit::list_audit))
        .route("/settings", get(settings::show_settings).post(settings::update_settings))
        .route("/settings/clocks", post(settings::update_clocks))
        .route("/settings/reports", post(settings::update_report_threshold))
        .route("/settings/alert-desk", post(settings::update_alert_desk))
        .route("/account", get(account::show_account))
        .route("/account/password", get(account::show_password).post(account::change_password))
        .route("/account/2fa", get(account::show_totp).post(account::enable_totp))
        .route("/account/2fa/disable", post(account::disable_totp))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/cases", get(cases::list_cases).post(cases::create_case))
        .route("/cases/new", get(cases::new_case))
        .route("/cases/export.csv", get(reports::cases_csv))
        .route("/cases/export.xlsx", get(reports::cases_xlsx))
        .route("/reports", get(reports::show_reports))
        .route("/reports/cases.csv", get(reports::report_csv))
        .route("/reports/cases.xlsx", get(reports::report_xlsx))
        .route("/cases/due", get(casework::list_due))
        .route("/cases/{id}", get(casework::show_case))
        .route("/cases/{id}/triage", post(casework::triage_case))
        .route("/cases/{id}/access", post(casework::set_access))
        .route("/cases/{id}/people", post(casework::add_person))
        .route("/cases/{id}/alert-buyers", post(casework::alert_buyers))
        .route("/cases/{id}/people/{n}", post(casework::edit_person))
        .route("/cases/{id}/incidents", post(casework::add_incident))
        .route("/cases/{id}/incidents/{incident}", post(casework::edit_incident))
        .route("/cases/{id}/actions", post(casework::add_action))
        .route("/cases/{id}/sources", post(casework::add_source))
        .route("/cases/{id}/sources/{source}", post(casework::edit_source))
        .route(
            "/cases/{id}/attachments",
            post(casework::add_attachment).layer(axum::extract::DefaultBodyLimit::max(crate::api::UPLOAD_BODY_BYTES)),
        )
        .route("/cases/{id}/attachments/{attachment}", get(casework::get_attachment))
        .route("/cases/{id}/evidence", get(casework::show_evidence))
        .route("/cases/{id}/highlight", post(highlights::publish))
        .route("/cases/{id}/highlight/withdraw", post(highlights::withdraw))
        .route("/highlights", get(highlights::show_public))
        .route("/cases/{id}/evidence.json", get(casework::evidence_json))
        .route("/cases/{id}/esf.json", get(casework::esf_json))
        .route("/cases/{id}/actions/{action}", post(casework::edit_action))
        .route("/cases/{id}/actions/{action}/status", post(casework::progress_action))
        .route("/cases/{id}/delete", post(casework::delete_case))
        .route("/cases/{id}/statements", post(statements::draft_statement))
        .route("/statements", get(statements::list_statements))
        .route("/statements/{id}", get(statements::show_statement))
        .route("/statements/{id}/edit", post(statements::edit_statement))
        .route("/statements/{id}/invite", post(statements::invite))
        .route("/statements/{id}/answer", post(statements::answer))
        .route("/statements/{id}/publish", post(statements::publish))
        .route("/notifications", get(notifications::show_notifications))
        .route("/notifications/read", post(notifications::mark_read))
        .route("/notifications/webhook", post(notifications::set_webhook))
        .route("/notifications/webhook/remove", post(notifications::remove_webhook))
        .route("/triage", get(cases::triage))
        .route("/triage/{id}/case", post(cases::open_alert))
        .route("/triage/{id}/dismiss", post(cases::dismiss_alert))
        .route("/triage/{id}/merge", post(cases::merge_alert))
        .route("/search", get(cases::search))
        .route("/alert", get(alert::show_form).post(alert::submit))
        .route("/alert/status", get(alert::show_status_form).post(alert::check_status))
        .route(
            "/screen",
            get(screen::show_index).post(screen::upload).layer(axum::extract::DefaultBodyLimit::max(SCREEN_BODY_BYTES)),
        )
        .route("/screen/{id}", get(screen::show_results))
        .route("/screen/{id}/results.csv", get(screen::results_csv))
        .route("/screen/{id}/results.xlsx", get(screen::results_xlsx))
        .route("/screen/{id}/save", post(screen::save))
        .route("/assets/style.css", get(style))
        .route("/assets/progress.js", get(progress_js))
}

async fn progress_js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../assets/progress.js"),
    )
}

async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../assets/style.css"),
    )
}

/// What the navigation needs on every page.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Signed-in user's email, if any.
    pub email: Option<String>,
    /// Signed-in user's display name.
    pub name: String,
    /// The session's CSRF token, for the sign-out form.
    pub csrf: String,
    /// Show administration links.
    pub admin: bool,
    /// Show the audit link.
    pub audit: bool,
    /// Show the triage queue link.
    pub triage: bool,
    /// Show the screening link.
    pub screen: bool,
    /// Which navigation item is current.
    pub current: &'static str,
    /// Unread notifications.
    pub unread: i64,
    /// Public alerts waiting in the triage queue (for those who triage).
    pub waiting: i64,
}

impl Layout {
    /// The layout for a signed-in user on the page `current`.
    pub fn for_user(signed: &Signed, current: &'static str) -> Self {
        Layout {
            email: Some(signed.caller.user.email.to_string()),
            name: signed.caller.user.display_name.clone(),
            csrf: signed.session.csrf_token.clone(),
            admin: signed.caller.can(Permission::ManageUsers),
            audit: signed.caller.can(Permission::ViewAudit),
            triage: signed.caller.can(Permission::TriageAlerts),
            screen: signed.caller.can(Permission::ScreenSuppliers),
            current,
            unread: signed.unread,
            waiting: signed.waiting,
        }
    }
}

/// Renders a template as an HTML response; private data pages are never cached.
pub fn page<T: Template>(t: &T) -> AppResult<Response> {
    let html = t.render().map_err(|e| AppError::Internal(format!("template: {e}")))?;
    let mut response = Html(html).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// A person with a complete session: password, second factor where required, and no one-time
/// password left to replace. Anything less redirects to the step still missing.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The user.
    pub caller: Caller,
    /// The session.
    pub session: steward_store::Session,
    /// Unread notifications, for the navigation.
    pub unread: i64,
    /// Public alerts waiting at the user's organisation's desk, when they may triage them.
    pub waiting: i64,
}

impl Signed {
    /// Fails unless `token` is this session's CSRF token.
    pub fn check_csrf(&self, token: &str) -> AppResult<()> {
        if steward_core::credential::secrets_equal(token, &self.session.csrf_token) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }
}

/// Paths a user may reach before finishing the steps the account still owes.
const SETUP_PATHS: &[&str] = &["/account/password", "/account/2fa", "/logout", "/assets/style.css"];

impl<S> FromRequestParts<S> for Signed
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let state = AppState::from_ref(state);
        let path = parts.uri.path().to_string();
        let found = SessionCaller::from_parts(parts, &state).await.map_err(IntoResponse::into_response)?;
        let Some(SessionCaller { caller, session }) = found else {
            let next =
                serde_urlencoded::to_string([("next", parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"))])
                    .unwrap_or_default();
            return Err(Redirect::to(&format!("/login?{next}")).into_response());
        };
        if session.mfa_pending {
            return Err(Redirect::to("/login/mfa").into_response());
        }
        let setup = SETUP_PATHS.contains(&path.as_str());
        if caller.user.must_change_password && !setup {
            return Err(Redirect::to("/account/password").into_response());
        }
        if !caller.user.totp_enabled && !setup {
            let required = state.store.mfa_required_roles().await.map_err(|e| AppError::from(e).into_response())?;
            if required.contains(&caller.user.role) {
                return Err(Redirect::to("/account/2fa").into_response());
            }
        }
        let me = steward_core::case::Viewer { user: caller.user.id, org: caller.user.org_id };
        let unread = crate::api::notifications::unread(&state, &me).await.map_err(IntoResponse::into_response)?;
        let waiting = if caller.can(Permission::TriageAlerts) {
            state.store.alerts_waiting(me.org).await.map_err(|e| AppError::from(e).into_response())?
        } else {
            0
        };
        Ok(Signed { caller, session, unread, waiting })
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    title: String,
    message: String,
}

/// Turns the JSON error responses of page routes into HTML pages with the same status.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/") || request.uri().path().starts_with("/reconcile");
    let response = next.run(request).await;
    if is_api {
        return response;
    }
    let Some(info) = response.extensions().get::<ErrorInfo>().cloned() else {
        return response;
    };
    let status = response.status();
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::BAD_REQUEST => "Please check what you entered",
        StatusCode::PAYLOAD_TOO_LARGE => "Too large",
        StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
        _ => "Something went wrong",
    };
    let page =
        ErrorPage { layout: Layout::default(), status: status.as_u16(), title: title.into(), message: info.message };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => response,
    }
}

/// 404 for anything unrouted: JSON under /api, a page elsewhere (via [`render_errors`]).
pub async fn not_found() -> AppError {
    AppError::NotFound
}
