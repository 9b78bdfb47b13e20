//! Secrets: passwords, API tokens, session ids and recovery codes.
//!
//! Passwords are hashed with Argon2id (slow on purpose). Tokens, session ids and recovery codes
//! are long random strings, so a fast SHA-256 is enough to keep a stolen database from yielding
//! usable credentials; the store only ever sees these hashes.

use crate::error::{CoreError, CoreResult};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::distributions::{Distribution, Uniform};
use rand::Rng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Shortest password accepted when a person chooses one.
pub const MIN_PASSWORD_LEN: usize = 12;

/// Letters and digits without look-alikes (no 0/O, 1/l/I), for passwords people must type.
const TYPABLE: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const URL_SAFE: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

fn random_string(alphabet: &[u8], len: usize) -> String {
    let dist = Uniform::from(0..alphabet.len());
    let mut rng = rand::rngs::OsRng;
    (0..len).map(|_| alphabet[dist.sample(&mut rng)] as char).collect()
}

/// A one-time password for a new account: 20 typable characters (about 114 bits).
pub fn generate_password() -> String {
    random_string(TYPABLE, 20)
}

/// A new API token: a recognisable prefix (so leaked tokens can be found by scanners) and 40 random characters.
pub fn generate_token() -> String {
    format!("stw_{}", random_string(URL_SAFE, 40))
}

/// A new session id or CSRF token.
pub fn generate_session_secret() -> String {
    random_string(URL_SAFE, 43)
}

/// Ten recovery codes of the form `xxxxx-xxxxx`.
pub fn generate_recovery_codes() -> Vec<String> {
    let alphabet = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..10).map(|_| format!("{}-{}", random_string(alphabet, 5), random_string(alphabet, 5))).collect()
}

/// A public alert's receipt code, `R-XXXX-XXXX-XXXX` (about 62 bits): what a submitter quotes.
pub fn generate_receipt() -> String {
    let alphabet = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    format!("R-{}-{}-{}", random_string(alphabet, 4), random_string(alphabet, 4), random_string(alphabet, 4))
}

/// A public alert's passphrase: five groups of five letters and digits (about 124 bits), easy to
/// copy down by hand. Stored only as an Argon2 hash.
pub fn generate_passphrase() -> String {
    let alphabet = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..5).map(|_| random_string(alphabet, 5)).collect::<Vec<_>>().join("-")
}

/// Hex SHA-256 of a high-entropy secret (token, session id, recovery code), as stored.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.trim().as_bytes()))
}

/// Checks a password a person chose.
pub fn check_new_password(password: &str) -> CoreResult<()> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(CoreError::WeakPassword { min: MIN_PASSWORD_LEN });
    }
    Ok(())
}

/// Argon2id PHC string for `password`.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        // Hashing with default parameters and a fresh salt cannot fail; keep a safe fallback anyway.
        .unwrap_or_else(|_| String::from("!"))
}

/// Whether `password` matches the stored PHC string. A malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
}

/// Spends as long as a real verification, so an unknown account answers no faster than a wrong password.
pub fn verify_dummy_password(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash_password(&generate_password()));
    let _ = verify_password(password, phc);
}

/// Constant-time comparison of two secrets (CSRF tokens).
pub fn secrets_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Random bytes, for TOTP secrets.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut rng = rand::rngs::OsRng;
    (0..n).map(|_| rng.gen()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_and_hashes_are_salted() {
        let pw = generate_password();
        let a = hash_password(&pw);
        let b = hash_password(&pw);
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(verify_password(&pw, &a));
        assert!(!verify_password("wrong password!", &a));
        assert!(!verify_password(&pw, "not a hash"));
    }

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let t = generate_token();
        assert!(t.starts_with("stw_") && t.len() == 44);
        assert_ne!(t, generate_token());
        assert_eq!(secret_hash(&t).len(), 64);
        assert_eq!(secret_hash(&t), secret_hash(&format!(" {t}\n")));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("a long enough passphrase").is_ok());
    }
}
