//! Key rotation: every sealed value re-sealed under the keyring's current key.

use crate::cases::SEALED;
use crate::error::{StoreError, StoreResult};
use crate::sql::Q;
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::seal::{Keyring, Slot};

/// The settings row holding a value sealed under the database's keys, so that a key file that
/// does not belong to this database is caught at start, before anything is sealed with it.
const KEY_CHECK: &str = "key_check";
const KEY_CHECK_TEXT: &str = "steward key check";

/// Whether `ring` opens the database's key check: false once a rotation has re-sealed it under
/// a key `ring` does not hold.
pub(crate) async fn keyring_is_current(ring: &Keyring, tx: &mut crate::sql::Tx) -> StoreResult<bool> {
    let row = tx.opt(Q::new("SELECT value FROM settings WHERE key = $1").text(KEY_CHECK)).await?;
    match row {
        // A database whose keys were never checked has nothing sealed to protect yet.
        None => Ok(true),
        Some(row) => Ok(ring.open(key_check_slot(), &row.text("value")?).is_ok()),
    }
}

fn key_check_slot() -> Slot<'static> {
    Slot { table: "settings", record: KEY_CHECK, field: "value" }
}

impl Store {
    /// Whether keys were ever used with this database: then a missing key file is a lost key, never a reason
    /// to make a new one.
    pub async fn holds_sealed_data(&self) -> StoreResult<bool> {
        let n: i64 = self
            .db
            .one(Q::new(
                "SELECT (SELECT COUNT(*) FROM cases) + (SELECT COUNT(*) FROM alerts) \
                 + (SELECT COUNT(*) FROM settings WHERE key = 'key_check') AS n",
            ))
            .await?
            .get("n")?;
        Ok(n > 0)
    }

    /// Checks that `ring` is the database's keyring; on a database that has none yet, records it.
    /// Several processes starting at once agree: the first record wins, the others are checked
    /// against it.
    pub async fn check_keyring(&self, ring: &Keyring) -> StoreResult<()> {
        self.db
            .exec(
                Q::new(
                    "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
                )
                .text(KEY_CHECK)
                .text(ring.seal(key_check_slot(), KEY_CHECK_TEXT))
                .time(steward_core::clock::now()),
            )
            .await?;
        let stored =
            self.db.one(Q::new("SELECT value FROM settings WHERE key = $1").text(KEY_CHECK)).await?.text("value")?;
        match ring.open(key_check_slot(), &stored) {
            Ok(text) if text == KEY_CHECK_TEXT => {}
            _ => return Err(StoreError::WrongKeyring),
        }
        self.seal_plain_totp_secrets(ring).await
    }

    /// Seals second-factor secrets written before they were sealed; once done, finds nothing.
    async fn seal_plain_totp_secrets(&self, ring: &Keyring) -> StoreResult<()> {
        let rows = self.db.all(Q::new("SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL")).await?;
        let plain: Vec<_> = rows
            .iter()
            .map(|r| Ok((r.text("id")?, r.text("totp_secret")?)))
            .collect::<StoreResult<Vec<(String, String)>>>()?
            .into_iter()
            .filter(|(_, secret)| !crate::users::is_sealed(secret))
            .collect();
        if plain.is_empty() {
            return Ok(());
        }
        let mut w = self.write().await?;
        for (id, secret) in &plain {
            // Only if still as read: a secret replaced meanwhile is sealed already.
            w.tx.exec(
                Q::new("UPDATE users SET totp_secret = $1 WHERE id = $2 AND totp_secret = $3")
                    .text(ring.seal(crate::users::totp_slot(id), secret))
                    .text(id.clone())
                    .text(secret.clone()),
            )
            .await?;
        }
        w.commit().await
    }

    /// Re-seals, in one transaction, every sealed value not already under the current key. The
    /// store's keyring must hold the old keys as well as the new one. Returns how many values
    /// were re-sealed; run again, it finds nothing to do.
    pub async fn reseal_all(&self, actor: &Actor) -> StoreResult<u64> {
        let ring = self.keyring()?;
        let mut w = self.write().await?;
        let mut changed = 0u64;
        for col in SEALED {
            let rows = w.tx.all(Q::new(col.select)).await?;
            for row in rows {
                let id = row.text("id")?;
                let sealed = row.text("v")?;
                if !ring.is_stale(&sealed) {
                    continue;
                }
                let slot = Slot { table: col.table, record: &id, field: col.column };
                let plain = ring.open(slot, &sealed).map_err(StoreError::Sealed)?;
                w.tx.exec(Q::new(col.update).text(ring.seal(slot, &plain)).text(id)).await?;
                changed += 1;
            }
        }
        // The key check, sealed under the new key, is what tells a process still holding only
        // the old keys to stop writing (see `keyring_is_current`).
        w.tx.exec(
            Q::new(
                "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .text(KEY_CHECK)
            .text(ring.seal(key_check_slot(), KEY_CHECK_TEXT))
            .time(steward_core::clock::now()),
        )
        .await?;
        w.audit(AuditEvent::new(
            actor,
            "rotate",
            "keys",
            ring.current_id(),
            None,
            Some(json!({ "resealed": changed, "key": ring.current_id() })),
        ))
        .await?;
        w.commit().await?;
        Ok(changed)
    }
}
