//! The one error type of the HTTP layer.
//!
//! Every handler returns `Result<_, AppError>`. [`AppError::status`] is the single table from
//! error to HTTP status. The response is JSON; for pages, the `ui::render_errors` middleware turns
//! it into an HTML page from the same [`ErrorInfo`]. Internal details go to the log, never to the
//! client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use steward_core::CoreError;
use steward_store::StoreError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is malformed or invalid; `field` names what to fix.
    #[error("{message}")]
    BadRequest {
        /// The field at fault, when one is.
        field: Option<String>,
        /// What is wrong, for people.
        message: String,
    },
    /// No valid session or token.
    #[error("sign in first, or send an API token as 'Authorization: Bearer TOKEN'")]
    Unauthorized,
    /// Signed in, but the role does not allow this.
    #[error("your role does not allow this")]
    Forbidden,
    /// Nothing here, or nothing the caller may see (the two are indistinguishable on purpose).
    #[error("not found")]
    NotFound,
    /// The caller may see the record but may not change it this way.
    #[error("{0}")]
    Refused(String),
    /// The record would clash with an existing one.
    #[error("{message}")]
    Conflict {
        /// The unique field.
        field: String,
        /// What clashed.
        message: String,
    },
    /// Too many attempts; try again later.
    #[error("{0}")]
    TooManyRequests(String),
    /// The request body is larger than the server accepts.
    #[error("the request body is larger than this server accepts (max_body_bytes in the configuration)")]
    PayloadTooLarge,
    /// The form's anti-forgery token is missing or wrong.
    #[error("this form has expired or did not come from Steward; reload the page and try again")]
    Csrf,
    /// Something went wrong inside; the details are in the log.
    #[error("something went wrong on our side; the details are in the server log")]
    Internal(String),
}

/// What a rendered error shows, kept on the response for the page renderer.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorInfo {
    /// Machine-readable code.
    pub code: &'static str,
    /// For people.
    pub message: String,
    /// The field at fault, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl AppError {
    /// The status and code of each error: the one table.
    pub fn status(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::BadRequest { .. } => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::Forbidden | AppError::Refused(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
            AppError::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            AppError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            AppError::Csrf => (StatusCode::FORBIDDEN, "csrf"),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    /// A bad value in a named field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::BadRequest { field: Some(field.to_string()), message: message.into() }
    }

    /// The error as shown to the client.
    pub fn info(&self) -> ErrorInfo {
        let field = match self {
            AppError::BadRequest { field, .. } => field.clone(),
            AppError::Conflict { field, .. } => Some(field.clone()),
            _ => None,
        };
        ErrorInfo { code: self.status().1, message: self.to_string(), field }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let (status, _) = self.status();
        let info = self.info();
        let mut response = (status, axum::Json(serde_json::json!({ "error": &info }))).into_response();
        response.extensions_mut().insert(info);
        response
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => AppError::NotFound,
            StoreError::Conflict { field, .. } => {
                AppError::Conflict { field: field.to_string(), message: e.to_string() }
            }
            StoreError::Invalid(core) => core.into(),
            StoreError::Refused(why) => AppError::Refused(why),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        let field = match &e {
            CoreError::InvalidEmail { .. } => "email",
            CoreError::InvalidOrgKind { .. } => "kind",
            CoreError::InvalidRole { .. } => "role",
            CoreError::InvalidCountry { .. } => "country",
            CoreError::InvalidListKind { .. } => "kind",
            CoreError::InvalidSchema { .. } => "schema",
            CoreError::InvalidLength { field, .. } => field,
            CoreError::InvalidTerm { what, .. } => what,
            CoreError::WeakPassword { .. } => "password",
            CoreError::InvalidTransition { .. } => "status",
            CoreError::InvalidDate { field, .. } => field,
            CoreError::InvalidReference { field, .. } => field,
        };
        AppError::field(field, e.to_string())
    }
}

/// Result alias for handlers.
pub type AppResult<T> = Result<T, AppError>;
