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

/// The time step (30-second window) that `code` belongs to, if it is valid now or one step either
/// side; callers store the step so that a code cannot be used twice.
pub fn matching_step(secret_base32: &str, account: impl std::fmt::Display, code: &str) -> Option<u64> {
    let bytes = Secret::Encoded(secret_base32.to_string()).to_bytes().ok()?;
    let exact =
        TOTP::new(Algorithm::SHA1, 6, 0, 30, bytes, Some(ISSUER.into()), account.to_string().replace(':', "")).ok()?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    [now, now.saturating_sub(30), now + 30].into_iter().find(|t| exact.check(code, *t)).map(|t| t / 30)
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
