//! Field encryption: sensitive values are sealed before they reach the database.
//!
//! Each value is encrypted with XChaCha20-Poly1305 (RustCrypto's audited `chacha20poly1305`) under
//! the keyring's current key, with a fresh random 192-bit nonce, and bound to where it belongs by
//! associated data (`table/record/field`): a ciphertext copied into another record or field fails
//! to open instead of showing the wrong person's name. The sealed form names its key, so a
//! keyring holding old and new keys opens both while `steward keys rotate` re-seals.
//!
//! The keys live outside the database (a key file or an environment variable, read by the binary);
//! this module only parses their text, so it stays free of IO.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use std::fmt;

/// The prefix of every sealed value, with the format's version.
const PREFIX: &str = "s1";
/// The first word of each line of a key file.
const KEY_LINE: &str = "steward-key";
const NONCE_LEN: usize = 24;

/// Why a keyring or a sealed value could not be used.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum SealError {
    /// The key text is not a Steward keyring.
    #[error("the encryption keys are not readable: {0}")]
    BadKeyring(String),
    /// The value was sealed under a key this keyring does not hold.
    #[error("a value is sealed under key {0}, which the keyring does not hold (was a key file replaced?)")]
    UnknownKey(u32),
    /// The value is not in the sealed format.
    #[error("a stored value is not a sealed value")]
    Malformed,
    /// Authentication failed: wrong key, tampered ciphertext, or a value moved between records.
    #[error("a sealed value failed authentication (tampered, or moved from another record)")]
    Tampered,
}

/// Where a sealed value belongs; bound into its ciphertext as associated data.
#[derive(Debug, Clone, Copy)]
pub struct Slot<'a> {
    /// The table, such as `cases`.
    pub table: &'a str,
    /// The record's id.
    pub record: &'a str,
    /// The column, such as `title`.
    pub field: &'a str,
}

impl Slot<'_> {
    fn aad(&self) -> Vec<u8> {
        format!("steward/{}/{}/{}", self.table, self.record, self.field).into_bytes()
    }
}

/// The keys that seal and open values. The newest key seals; every key opens.
#[derive(Clone)]
pub struct Keyring {
    /// `(id, key)`, oldest first; the last one is current.
    keys: Vec<(u32, Key)>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the keys themselves.
        f.debug_struct("Keyring").field("key_ids", &self.key_ids()).finish()
    }
}

impl Keyring {
    /// A keyring with one fresh random key.
    pub fn generate() -> Self {
        Self { keys: vec![(1, XChaCha20Poly1305::generate_key(&mut OsRng))] }
    }

    /// Reads a key file's text: one `steward-key ID BASE64` line per key, the last one current.
    /// Blank lines and lines starting with `#` are ignored; `;` may separate keys on one line,
    /// so a keyring fits in one environment variable.
    pub fn parse(text: &str) -> Result<Self, SealError> {
        let mut keys: Vec<(u32, Key)> = Vec::new();
        let entries = text.lines().map(str::trim).filter(|l| !l.starts_with('#')).flat_map(|l| l.split(';'));
        for (n, line) in entries.map(str::trim).filter(|l| !l.is_empty()).enumerate() {
            let bad = |why: &str| SealError::BadKeyring(format!("entry {}: {why}", n + 1));
            let mut words = line.split_whitespace();
            if words.next() != Some(KEY_LINE) {
                return Err(bad("expected 'steward-key ID BASE64'"));
            }
            let id: u32 = words.next().and_then(|w| w.parse().ok()).ok_or_else(|| bad("the key id is not a number"))?;
            let bytes = words
                .next()
                .and_then(|w| STANDARD.decode(w).ok())
                .filter(|b| b.len() == 32)
                .ok_or_else(|| bad("the key is not 32 bytes of base64"))?;
            if keys.iter().any(|(k, _)| *k == id) {
                return Err(bad("the key id is used twice"));
            }
            keys.push((id, *Key::from_slice(&bytes)));
        }
        if keys.is_empty() {
            return Err(SealError::BadKeyring("no keys".into()));
        }
        Ok(Self { keys })
    }

    /// The keyring as key-file text (secret: write it with owner-only permissions).
    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "# Steward's encryption keys. Without this file the sealed case data cannot be read:\n\
             # back it up apart from the database. The last key seals; all of them open.\n",
        );
        for (id, key) in &self.keys {
            out.push_str(&format!("{KEY_LINE} {id} {}\n", STANDARD.encode(key.as_slice())));
        }
        out
    }

    /// The same keyring with a new current key added.
    pub fn with_new_key(&self) -> Self {
        let next = self.keys.iter().map(|(id, _)| *id).max().unwrap_or(0) + 1;
        let mut keys = self.keys.clone();
        keys.push((next, XChaCha20Poly1305::generate_key(&mut OsRng)));
        Self { keys }
    }

    /// Only the current key: what remains once every value has been re-sealed under it.
    pub fn current_only(&self) -> Self {
        Self { keys: self.keys.last().cloned().into_iter().collect() }
    }

    /// The ids of the keys held, oldest first.
    pub fn key_ids(&self) -> Vec<u32> {
        self.keys.iter().map(|(id, _)| *id).collect()
    }

    /// The id of the key that seals.
    pub fn current_id(&self) -> u32 {
        self.keys.last().map(|(id, _)| *id).unwrap_or(0)
    }

    /// Seals `plaintext` for `slot`.
    pub fn seal(&self, slot: Slot<'_>, plaintext: &str) -> String {
        let Some((id, key)) = self.keys.last() else {
            // Unreachable: a keyring is never built empty.
            return String::new();
        };
        let cipher = XChaCha20Poly1305::new(key);
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = slot.aad();
        // Encryption with a valid key and nonce only fails for messages beyond 256 GiB.
        let sealed = cipher.encrypt(&nonce, Payload { msg: plaintext.as_bytes(), aad: &aad }).unwrap_or_default();
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&sealed);
        format!("{PREFIX}.{id}.{}", URL_SAFE_NO_PAD.encode(blob))
    }

    /// Opens a value sealed for `slot`.
    pub fn open(&self, slot: Slot<'_>, sealed: &str) -> Result<String, SealError> {
        let (id, blob) = parse_sealed(sealed)?;
        let key = self.keys.iter().find(|(k, _)| *k == id).map(|(_, key)| key).ok_or(SealError::UnknownKey(id))?;
        if blob.len() < NONCE_LEN {
            return Err(SealError::Malformed);
        }
        let (nonce, ciphertext) = blob.split_at(NONCE_LEN);
        let aad = slot.aad();
        let plain = XChaCha20Poly1305::new(key)
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: &aad })
            .map_err(|_| SealError::Tampered)?;
        String::from_utf8(plain).map_err(|_| SealError::Tampered)
    }

    /// Whether a sealed value was sealed under an older key than the current one.
    pub fn is_stale(&self, sealed: &str) -> bool {
        parse_sealed(sealed).map(|(id, _)| id != self.current_id()).unwrap_or(false)
    }
}

fn parse_sealed(sealed: &str) -> Result<(u32, Vec<u8>), SealError> {
    let mut parts = sealed.splitn(3, '.');
    if parts.next() != Some(PREFIX) {
        return Err(SealError::Malformed);
    }
    let id = parts.next().and_then(|p| p.parse().ok()).ok_or(SealError::Malformed)?;
    let blob = parts.next().and_then(|p| URL_SAFE_NO_PAD.decode(p).ok()).ok_or(SealError::Malformed)?;
    Ok((id, blob))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(record: &str) -> Slot<'_> {
        Slot { table: "cases", record, field: "title" }
    }

    #[test]
    fn sealed_values_open_only_in_their_own_slot() {
        let ring = Keyring::generate();
        let sealed = ring.seal(slot("a"), "Qorvantha Zellibrück");
        assert!(!sealed.contains("Qorvantha"));
        assert_eq!(ring.open(slot("a"), &sealed).unwrap(), "Qorvantha Zellibrück");
        assert_eq!(ring.open(slot("b"), &sealed), Err(SealError::Tampered));
        let other_field = Slot { field: "summary", ..slot("a") };
        assert_eq!(ring.open(other_field, &sealed), Err(SealError::Tampered));
        // Two seals of one value differ (fresh nonces), so equal names are not visible as equal.
        assert_ne!(sealed, ring.seal(slot("a"), "Qorvantha Zellibrück"));
    }

    #[test]
    fn a_flipped_bit_is_caught() {
        let ring = Keyring::generate();
        let sealed = ring.seal(slot("a"), "text");
        let (head, body) = sealed.rsplit_once('.').unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(body).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let forged = format!("{head}.{}", URL_SAFE_NO_PAD.encode(bytes));
        assert_eq!(ring.open(slot("a"), &forged), Err(SealError::Tampered));
        assert_eq!(ring.open(slot("a"), "plain text"), Err(SealError::Malformed));
    }

    #[test]
    fn rotation_keeps_old_values_readable_until_resealed() {
        let old = Keyring::generate();
        let sealed = old.seal(slot("a"), "name");
        let rotated = Keyring::parse(&old.with_new_key().to_text()).unwrap();
        assert_eq!(rotated.key_ids(), vec![1, 2]);
        assert!(rotated.is_stale(&sealed));
        assert_eq!(rotated.open(slot("a"), &sealed).unwrap(), "name");
        let resealed = rotated.seal(slot("a"), "name");
        assert!(!rotated.is_stale(&resealed));
        let retired = rotated.current_only();
        assert_eq!(retired.open(slot("a"), &resealed).unwrap(), "name");
        assert_eq!(retired.open(slot("a"), &sealed), Err(SealError::UnknownKey(1)));
    }

    #[test]
    fn key_text_is_checked() {
        assert!(Keyring::parse("").is_err());
        assert!(Keyring::parse("steward-key 1 c2hvcnQ=").is_err());
        assert!(Keyring::parse("nonsense").is_err());
        let one = Keyring::generate().to_text();
        let line = one.lines().last().unwrap();
        assert!(Keyring::parse(&format!("{line}\n{line}")).is_err(), "duplicate ids");
        assert_eq!(Keyring::parse(&format!("# comment\n{line};")).unwrap().key_ids(), vec![1]);
        assert!(!format!("{:?}", Keyring::generate()).contains('='), "Debug never shows key bytes");
    }
}
