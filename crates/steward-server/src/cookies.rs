//! Setting and clearing cookies with the attributes Steward always wants.

use crate::state::ServerConfig;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use cookie::{Cookie, SameSite};

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure unless configured off, lasting
/// `max_age` (or removing the cookie when `None`).
pub fn set_cookie(config: &ServerConfig, name: &str, value: &str, max_age: Option<time::Duration>) -> HeaderValue {
    let mut c = Cookie::build((name.to_string(), value.to_string()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.cookie_secure)
        .path("/")
        .build();
    match max_age {
        Some(age) => c.set_max_age(age),
        None => c.make_removal(),
    }
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The value of cookie `name` in the request, if present.
pub fn get_cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}
