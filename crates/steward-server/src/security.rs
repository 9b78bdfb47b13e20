//! Headers every response carries, and the bound on request bodies.

use crate::error::AppError;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// No inline script anywhere, no framing, no sniffing, no referrer leaks.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    response
}

/// Refuses bodies that announce a length over the limit before reading them (extractors enforce
/// the same limit on bodies that do not announce one).
pub async fn limit_body(limit: usize, request: Request, next: Next) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    // Attachments may be larger than other bodies; their handlers bound what they read.
    let limit =
        if request.uri().path().ends_with("/attachments") { limit.max(crate::api::UPLOAD_BODY_BYTES) } else { limit };
    if announced.is_some_and(|n| n > limit) {
        return AppError::PayloadTooLarge.into_response();
    }
    next.run(request).await
}
