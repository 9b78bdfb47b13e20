//! The screening index a server process holds: built from the entity list editions in force,
//! and rebuilt when they change.
//!
//! Each request reads which editions are in force (one small query) and compares them with the
//! index it holds; when they differ, a new index is built and swapped in whole, so requests never
//! see half an index, and every process behind a load balancer follows the same database.

use crate::error::AppResult;
use crate::state::AppState;
use std::sync::Arc;
use steward_core::ids::EditionId;
use steward_screen::index::{Index, Source};

/// An index and the editions it was built from.
#[derive(Debug)]
pub struct Screening {
    /// The editions, in the store's order.
    pub editions: Vec<EditionId>,
    /// The index over their entities.
    pub index: Index,
}

impl AppState {
    /// The index over the entity lists in force, rebuilt if they changed since it was built.
    pub async fn screening(&self) -> AppResult<Arc<Screening>> {
        let in_force: Vec<_> =
            self.store.editions_in_force().await?.into_iter().filter(|e| e.kind.holds_entities()).collect();
        let ids: Vec<EditionId> = in_force.iter().map(|e| e.id).collect();
        if let Some(current) = self.screening.read().await.as_ref() {
            if current.editions == ids {
                return Ok(current.clone());
            }
        }
        let mut slot = self.screening.write().await;
        if let Some(current) = slot.as_ref() {
            if current.editions == ids {
                return Ok(current.clone());
            }
        }
        let mut lists = Vec::with_capacity(in_force.len());
        for e in &in_force {
            lists.push((
                Source { list: e.list_name.clone(), edition: e.label() },
                self.store.edition_entities(e.id).await?,
            ));
        }
        let built = Arc::new(Screening { editions: ids, index: Index::build(lists) });
        *slot = Some(built.clone());
        Ok(built)
    }
}
