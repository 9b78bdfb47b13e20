//! Reading and verifying the audit trail. Appending happens only in `write.rs`.

use crate::error::StoreResult;
use crate::sql::{Row, Q};
use crate::Store;
use steward_core::audit::{verify_chain, AuditEntry, ChainBreak, GENESIS};

/// A page of the trail, newest first.
#[derive(Debug, Clone)]
pub struct AuditPage {
    /// The entries.
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; `None` at the start of the trail.
    pub next_before: Option<i64>,
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries checked.
    pub entries: i64,
    /// The first break, if any.
    pub broken: Option<ChainBreak>,
}

fn entry_from(row: &Row) -> StoreResult<AuditEntry> {
    let actor_user_id = row.text("actor_user_id")?;
    Ok(AuditEntry {
        seq: row.get("seq")?,
        at: row.get("at")?,
        actor_user_id: Some(actor_user_id).filter(|s| !s.is_empty()),
        actor: row.text("actor")?,
        action: row.text("action")?,
        entity: row.text("entity")?,
        entity_id: row.text("entity_id")?,
        summary: row.text("summary")?,
        prev_hash: row.text("prev_hash")?,
        hash: row.text("hash")?,
    })
}

const PAGE: i64 = 1000;

impl Store {
    /// How many entries the trail holds (its head), without verifying them.
    pub async fn audit_len(&self) -> StoreResult<i64> {
        self.db.one(Q::new("SELECT last_seq FROM audit_head WHERE id = 1")).await?.get("last_seq")
    }
}

impl Store {
    /// Entries older than `before` (all, if `None`), newest first. Entries about cases and alerts
    /// are left out: even their existence is for the case's own readers ([`Store::case_audit`]).
    pub async fn audit_page(&self, before: Option<i64>, limit: i64) -> StoreResult<AuditPage> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT seq, at, actor_user_id, actor, action, entity, entity_id, summary, prev_hash, hash \
                     FROM audit_log WHERE seq < $1 AND entity NOT IN ('case', 'alert') ORDER BY seq DESC LIMIT $2",
                )
                .int(before.unwrap_or(i64::MAX))
                .int(limit.clamp(1, 500)),
            )
            .await?;
        let entries = rows.iter().map(entry_from).collect::<StoreResult<Vec<_>>>()?;
        let next_before = entries.last().map(|e| e.seq).filter(|s| *s > 1);
        Ok(AuditPage { entries, next_before })
    }

    /// The trail of one case (who created, read, changed and exported it), oldest first. The
    /// caller must already have been allowed to see the case.
    pub async fn case_audit(&self, case: &str) -> StoreResult<Vec<AuditEntry>> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT seq, at, actor_user_id, actor, action, entity, entity_id, summary, prev_hash, hash \
                     FROM audit_log WHERE entity = 'case' AND entity_id = $1 ORDER BY seq",
                )
                .text(case),
            )
            .await?;
        rows.iter().map(entry_from).collect()
    }

    /// Checks every entry's hash and link, in pages, then that the chain's recorded head matches
    /// its last entry (which catches entries removed from the end). An entry whose fields can no
    /// longer be read as their types counts as broken.
    pub async fn verify_audit(&self) -> StoreResult<VerifyReport> {
        // The head is read first and only entries up to it are checked: a write committed while
        // the chain is being read adds entries after the head read, which are not a break.
        let head = self.db.one(Q::new("SELECT last_seq, last_hash FROM audit_head WHERE id = 1")).await?;
        let head_seq: i64 = head.get("last_seq")?;
        let head_hash = head.text("last_hash")?;
        let mut last = (0_i64, GENESIS.to_string());
        loop {
            let rows = self
                .db
                .all(
                    Q::new(
                        "SELECT seq, at, actor_user_id, actor, action, entity, entity_id, summary, prev_hash, hash \
                         FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3",
                    )
                    .int(last.0)
                    .int(head_seq)
                    .int(PAGE),
                )
                .await?;
            if rows.is_empty() {
                break;
            }
            let mut entries = Vec::with_capacity(rows.len());
            for row in &rows {
                match entry_from(row) {
                    Ok(e) => entries.push(e),
                    Err(e) => {
                        let seq = row.get::<i64>("seq").unwrap_or(last.0 + 1 + entries.len() as i64);
                        let broken = verify_chain(&entries, last.clone()).err().unwrap_or(ChainBreak {
                            seq,
                            reason: format!("it can no longer be read ({e}); it was edited outside Steward"),
                        });
                        return Ok(VerifyReport { entries: broken.seq - 1, broken: Some(broken) });
                    }
                }
            }
            match verify_chain(&entries, last.clone()) {
                Ok(l) => last = l,
                Err(broken) => return Ok(VerifyReport { entries: broken.seq - 1, broken: Some(broken) }),
            }
        }
        let broken = if head_seq != last.0 || head_hash != last.1 {
            Some(ChainBreak {
                seq: last.0 + 1,
                reason: format!(
                    "the chain's head records {head_seq} entries but {} are present (entries were removed from the end, or the head was edited)",
                    last.0
                ),
            })
        } else {
            None
        };
        Ok(VerifyReport { entries: last.0, broken })
    }
}
