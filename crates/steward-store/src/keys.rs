//! Key rotation: every sealed value re-sealed under the keyring's current key.

use crate::cases::SEALED;
use crate::error::{StoreError, StoreResult};
use crate::sql::Q;
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::seal::Slot;

impl Store {
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
