//! Writing transactions, each carrying its audit entries.
//!
//! A [`Write`] begins by touching the single `audit_head` row. On PostgreSQL that row lock
//! serialises writers; on SQLite the write takes the database's write lock at once (so no read
//! snapshot can go stale). Either way the chain never forks, and entries are appended in the same
//! transaction as the change they describe.

use crate::error::StoreResult;
use crate::sql::{Tx, Q};
use crate::Store;
use steward_core::audit::{entry_hash, AuditEvent};

/// A writing transaction with its place in the audit chain.
pub(crate) struct Write {
    pub(crate) tx: Tx,
    last_seq: i64,
    last_hash: String,
    dirty: bool,
}

impl Store {
    /// Begins a writing transaction.
    pub(crate) async fn write(&self) -> StoreResult<Write> {
        let mut tx = self.db.begin().await?;
        tx.exec(Q::new("UPDATE audit_head SET last_seq = last_seq WHERE id = 1")).await?;
        let head = tx.one(Q::new("SELECT last_seq, last_hash FROM audit_head WHERE id = 1")).await?;
        // Under the writers' lock, so a rotation (one write) is wholly before or after: a process
        // still holding only the keys a rotation retired must not seal anything with them.
        if let Some(ring) = self.keyring.as_deref() {
            if !crate::keys::keyring_is_current(ring, &mut tx).await? {
                return Err(crate::error::StoreError::KeysRotated);
            }
        }
        Ok(Write { tx, last_seq: head.get("last_seq")?, last_hash: head.text("last_hash")?, dirty: false })
    }
}

impl Write {
    /// Appends an audit entry for a change made (or about to be made) in this transaction.
    pub(crate) async fn audit(&mut self, event: AuditEvent) -> StoreResult<()> {
        let seq = self.last_seq + 1;
        let at = steward_core::clock::now();
        let actor_user_id = event.actor.user_id.map(|u| u.to_string()).unwrap_or_default();
        let summary = event.summary.to_string();
        let hash = entry_hash(
            seq,
            at,
            &actor_user_id,
            &event.actor.label,
            &event.action,
            &event.entity,
            &event.entity_id,
            &summary,
            &self.last_hash,
        );
        self.tx
            .exec(
                Q::new(
                    "INSERT INTO audit_log (seq, at, actor_user_id, actor, action, entity, entity_id, summary, prev_hash, hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .int(seq)
                .time(at)
                .text(actor_user_id)
                .text(event.actor.label)
                .text(event.action)
                .text(event.entity)
                .text(event.entity_id)
                .text(summary)
                .text(self.last_hash.clone())
                .text(hash.clone()),
            )
            .await?;
        self.last_seq = seq;
        self.last_hash = hash;
        self.dirty = true;
        Ok(())
    }

    /// Commits the change and its audit entries together.
    pub(crate) async fn commit(mut self) -> StoreResult<()> {
        if self.dirty {
            self.tx
                .exec(
                    Q::new("UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1")
                        .int(self.last_seq)
                        .text(self.last_hash.clone()),
                )
                .await?;
        }
        self.tx.commit().await
    }
}
