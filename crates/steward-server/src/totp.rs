//! Time-based one-time passwords (RFC 6238) through the `totp-rs` crate, and the QR code that
//! enrols an authenticator app.

use totp_rs::{Algorithm, Secret, TOTP};

const ISSUER: &str = "Steward";

fn totp(secret_base32: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_base32.to_string()).to_bytes().ok()?;
    // One step of skew either side allows for clocks a little apart.
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes, Some(ISSUER.into()), account.replace(':', "")).ok()
}

/// A new random secret, base32 as authenticator apps expect.
pub fn new_secret() -> String {
    match Secret::Raw(steward_core::credential::random_bytes(20)).to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(_) => String::new(),
    }
}

/// Whether `code` is valid now for this secret.
pub fn check(secret_base32: &str, account: impl std::fmt::Display, code: &str) -> bool {
    totp(secret_base32, &account.to_string()).and_then(|t| t.check_current(code).ok()).unwrap_or(false)
}

/// The current code, for tests and for showing that enrolment works.
pub fn current(secret_base32: &str, account: &str) -> Option<String> {
    totp(secret_base32, account)?.generate_current().ok()
}

/// The `otpauth://` URL and its QR code as an SVG document.
pub fn enrolment(secret_base32: &str, account: &str) -> Option<(String, String)> {
    let url = totp(secret_base32, account)?.get_url();
    let svg = qrcode::QrCode::new(url.as_bytes())
        .ok()?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Some((url, svg))
}
