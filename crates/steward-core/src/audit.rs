//! The audit trail's hash chain.
//!
//! Each entry's hash covers every stored field of the entry and the previous entry's hash, so an
//! entry edited or deleted behind the application's back breaks the chain at that point. The
//! store appends and reads entries; this module alone decides what an entry's hash is and whether
//! a sequence of entries is intact.

use crate::ids::UserId;
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user, if a user did it.
    pub user_id: Option<UserId>,
    /// Who, for people: an email, `cli`, or `system`.
    pub label: String,
}

impl Actor {
    /// Steward itself (first start, scheduled work).
    pub fn system() -> Self {
        Self { user_id: None, label: "system".into() }
    }

    /// An operator at the command line.
    pub fn cli() -> Self {
        let who = std::env::var("USER").unwrap_or_default();
        Self { user_id: None, label: if who.is_empty() { "cli".into() } else { format!("cli:{who}") } }
    }

    /// Someone without an account, using the public alert form (never identified further).
    pub fn public() -> Self {
        Self { user_id: None, label: "public".into() }
    }

    /// A signed-in user or API token holder.
    pub fn user(id: UserId, email: &str) -> Self {
        Self { user_id: Some(id), label: email.to_string() }
    }
}

/// A change about to be recorded.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    /// Who.
    pub actor: Actor,
    /// What was done: `create`, `update`, `disable`, `sign_in`, `view`, ...
    pub action: String,
    /// The kind of record: `user`, `org`, `token`, ...
    pub entity: String,
    /// The record's id.
    pub entity_id: String,
    /// Before and after, as JSON: `{"before": ..., "after": ...}`. Never secrets.
    pub summary: serde_json::Value,
}

impl AuditEvent {
    /// An event with a `before`/`after` summary.
    pub fn new(
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: impl ToString,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Self {
        Self {
            actor: actor.clone(),
            action: action.into(),
            entity: entity.into(),
            entity_id: entity_id.to_string(),
            summary: serde_json::json!({ "before": before, "after": after }),
        }
    }
}

/// A stored entry, as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When.
    pub at: OffsetDateTime,
    /// Acting user, if any.
    pub actor_user_id: Option<String>,
    /// Who, for people.
    pub actor: String,
    /// What was done.
    pub action: String,
    /// Kind of record.
    pub entity: String,
    /// Record id.
    pub entity_id: String,
    /// JSON text of before and after.
    pub summary: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// The hash of an entry with these fields. Fields are length-prefixed so that no two different
/// entries can serialise to the same bytes.
#[allow(clippy::too_many_arguments)]
pub fn entry_hash(
    seq: i64,
    at: OffsetDateTime,
    actor_user_id: &str,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    summary: &str,
    prev_hash: &str,
) -> String {
    let mut h = Sha256::new();
    let at = crate::clock::rfc3339(at);
    let seq = seq.to_string();
    for field in [seq.as_str(), at.as_str(), actor_user_id, actor, action, entity, entity_id, summary, prev_hash] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

impl AuditEntry {
    /// The hash this entry's fields call for.
    pub fn expected_hash(&self) -> String {
        entry_hash(
            self.seq,
            self.at,
            self.actor_user_id.as_deref().unwrap_or(""),
            &self.actor,
            &self.action,
            &self.entity,
            &self.entity_id,
            &self.summary,
            &self.prev_hash,
        )
    }
}

/// Where and why a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit entry {seq} is broken: {reason}")]
pub struct ChainBreak {
    /// The first entry that does not verify.
    pub seq: i64,
    /// What is wrong with it.
    pub reason: String,
}

/// Checks entries in order, continuing from `(last_seq, last_hash)` of the entries before them
/// (`(0, GENESIS)` at the start). Returns the new `(last_seq, last_hash)`, so the chain can be
/// verified in pages.
pub fn verify_chain<'a>(
    entries: impl IntoIterator<Item = &'a AuditEntry>,
    mut last: (i64, String),
) -> Result<(i64, String), ChainBreak> {
    for e in entries {
        if e.seq != last.0 + 1 {
            return Err(ChainBreak { seq: last.0 + 1, reason: format!("missing (the next entry found is {})", e.seq) });
        }
        if e.prev_hash != last.1 {
            return Err(ChainBreak {
                seq: e.seq,
                reason: "it does not link to the entry before it (that entry was changed or removed)".into(),
            });
        }
        if e.hash != e.expected_hash() {
            return Err(ChainBreak {
                seq: e.seq,
                reason: "its content does not match its hash (it was edited outside Steward)".into(),
            });
        }
        last = (e.seq, e.hash.clone());
    }
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    at: crate::clock::now(),
                    actor_user_id: None,
                    actor: "system".into(),
                    action: "create".into(),
                    entity: "org".into(),
                    entity_id: format!("id-{seq}"),
                    summary: "{}".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.expected_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify_chain(&c, (0, GENESIS.into())).map(|l| l.0), Ok(5));
    }

    #[test]
    fn an_edited_entry_is_named() {
        let mut c = chain(5);
        c[2].summary.push('x');
        assert_eq!(verify_chain(&c, (0, GENESIS.into())).map_err(|b| b.seq), Err(3));
    }

    #[test]
    fn a_deleted_entry_is_named() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify_chain(&c, (0, GENESIS.into())).map_err(|b| b.seq), Err(2));
    }

    #[test]
    fn fields_cannot_bleed_into_each_other() {
        let at = crate::clock::now();
        let a = entry_hash(1, at, "", "ab", "c", "e", "i", "s", GENESIS);
        let b = entry_hash(1, at, "", "a", "bc", "e", "i", "s", GENESIS);
        assert_ne!(a, b);
    }
}
