//! The screening index a server process holds: built from the list editions in force (entities
//! by name, goods by country), and rebuilt when they change.
//!
//! Each request reads which editions are in force (one small query) and compares them with the
//! index it holds; when they differ, a new index is built and swapped in whole, so requests never
//! see half an index, and every process behind a load balancer follows the same database.

use crate::error::AppResult;
use crate::state::AppState;
use std::sync::Arc;
use steward_core::ids::EditionId;
use steward_screen::goods_risk::GoodsIndex;
use steward_screen::index::{Index, Source};

/// An index and the editions it was built from.
#[derive(Debug)]
pub struct Screening {
    /// The editions in force, in the store's order (entity and goods lists).
    pub editions: Vec<EditionId>,
    /// The index over their entities.
    pub index: Index,
    /// The goods-by-country lists.
    pub goods: GoodsIndex,
}

impl Screening {
    /// The editions as one text, to tell later whether the lists have changed since.
    pub fn key(&self) -> String {
        self.editions.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(",")
    }
}

impl AppState {
    /// The index over the entity lists in force, rebuilt if they changed since it was built.
    pub async fn screening(&self) -> AppResult<Arc<Screening>> {
        let in_force = self.store.editions_in_force().await?;
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
        let mut goods = Vec::new();
        for e in &in_force {
            if e.kind.holds_entities() {
                lists.push((
                    Source { list: e.list_name.clone(), edition: e.label() },
                    self.store.edition_entities(e.id).await?,
                ));
            } else {
                goods.push((e.label(), self.store.edition_goods(e.id).await?));
            }
        }
        let built = Arc::new(Screening { editions: ids, index: Index::build(lists), goods: GoodsIndex::build(goods) });
        *slot = Some(built.clone());
        Ok(built)
    }
}
