//! What changed between two editions of a goods list.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use steward_core::list::{GoodsRow, ListEntity};

/// The difference from edition A to edition B.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GoodsDiff {
    /// (good, country) pairs in B only.
    pub added: Vec<GoodsRow>,
    /// Pairs in A only.
    pub removed: Vec<GoodsRow>,
    /// Pairs in both whose flags changed: (in A, in B).
    pub changed: Vec<(GoodsRow, GoodsRow)>,
    /// Goods named in B only.
    pub goods_added: Vec<String>,
    /// Goods named in A only.
    pub goods_removed: Vec<String>,
    /// Countries (ISO codes) in B only.
    pub countries_added: Vec<String>,
    /// Countries in A only.
    pub countries_removed: Vec<String>,
}

fn flags(r: &GoodsRow) -> (bool, bool, bool, bool) {
    (r.child_labor, r.forced_labor, r.forced_child_labor, r.derived)
}

/// Compares two editions. Goods are matched by their folded names (case, accents and punctuation
/// do not make a good new), countries by ISO code.
pub fn diff(a: &[GoodsRow], b: &[GoodsRow]) -> GoodsDiff {
    let index = |rows: &[GoodsRow]| rows.iter().map(|r| (r.key(), r.clone())).collect::<BTreeMap<_, _>>();
    let (ia, ib) = (index(a), index(b));
    let mut d = GoodsDiff::default();
    for (k, rb) in &ib {
        match ia.get(k) {
            None => d.added.push(rb.clone()),
            Some(ra) if flags(ra) != flags(rb) => d.changed.push((ra.clone(), rb.clone())),
            Some(_) => {}
        }
    }
    d.removed = ia.iter().filter(|(k, _)| !ib.contains_key(*k)).map(|(_, r)| r.clone()).collect();
    let goods = |rows: &[GoodsRow]| {
        rows.iter().map(|r| (steward_core::country::fold(&r.good), r.good.clone())).collect::<BTreeMap<_, _>>()
    };
    let (ga, gb) = (goods(a), goods(b));
    d.goods_added = gb.iter().filter(|(k, _)| !ga.contains_key(*k)).map(|(_, v)| v.clone()).collect();
    d.goods_removed = ga.iter().filter(|(k, _)| !gb.contains_key(*k)).map(|(_, v)| v.clone()).collect();
    let countries = |rows: &[GoodsRow]| rows.iter().map(|r| r.country.clone()).collect::<BTreeSet<_>>();
    let (ca, cb) = (countries(a), countries(b));
    d.countries_added = cb.difference(&ca).cloned().collect();
    d.countries_removed = ca.difference(&cb).cloned().collect();
    d
}

/// The difference between two editions of an entity list, entities matched by their key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EntityDiff {
    /// Entities in B only.
    pub added: Vec<ListEntity>,
    /// Entities in A only.
    pub removed: Vec<ListEntity>,
    /// Entities in both whose names, aliases, countries or identifiers changed: (in A, in B).
    pub changed: Vec<(ListEntity, ListEntity)>,
}

/// Compares two editions of an entity list.
pub fn diff_entities(a: &[ListEntity], b: &[ListEntity]) -> EntityDiff {
    let index = |rows: &[ListEntity]| rows.iter().map(|e| (e.key.clone(), e.clone())).collect::<BTreeMap<_, _>>();
    let (ia, ib) = (index(a), index(b));
    let same = |x: &ListEntity, y: &ListEntity| {
        x.name == y.name
            && x.aliases == y.aliases
            && x.countries == y.countries
            && x.identifiers == y.identifiers
            && x.schema == y.schema
    };
    EntityDiff {
        added: ib.iter().filter(|(k, _)| !ia.contains_key(*k)).map(|(_, e)| e.clone()).collect(),
        removed: ia.iter().filter(|(k, _)| !ib.contains_key(*k)).map(|(_, e)| e.clone()).collect(),
        changed: ib
            .iter()
            .filter_map(|(k, eb)| ia.get(k).filter(|ea| !same(ea, eb)).map(|ea| (ea.clone(), eb.clone())))
            .collect(),
    }
}

/// A diff as titled sections of lines, as `steward lists diff` prints them and the web shows them.
pub type Sections = Vec<(&'static str, Vec<String>)>;

impl GoodsDiff {
    /// Titled sections: goods, countries, pairs added and removed, flags changed.
    pub fn sections(&self) -> Sections {
        let country = |c: &String| {
            steward_core::country::by_alpha2(c).map(|x| format!("{} ({c})", x.name)).unwrap_or_else(|| c.clone())
        };
        vec![
            ("Goods added", self.goods_added.clone()),
            ("Goods removed", self.goods_removed.clone()),
            ("Countries added", self.countries_added.iter().map(country).collect()),
            ("Countries removed", self.countries_removed.iter().map(country).collect()),
            (
                "Goods and countries added",
                self.added.iter().map(|r| format!("+ {} / {} ({})", r.good, r.country_name, r.flags())).collect(),
            ),
            (
                "Goods and countries removed",
                self.removed.iter().map(|r| format!("- {} / {} ({})", r.good, r.country_name, r.flags())).collect(),
            ),
            (
                "Flags changed",
                self.changed
                    .iter()
                    .map(|(x, y)| format!("~ {} / {}: {} -> {}", y.good, y.country_name, x.flags(), y.flags()))
                    .collect(),
            ),
        ]
    }
}

impl EntityDiff {
    /// Titled sections: entities added, removed and changed.
    pub fn sections(&self) -> Sections {
        vec![
            (
                "Entities added",
                self.added.iter().map(|e| format!("+ {} [{}]", e.name, e.countries.join(", "))).collect(),
            ),
            (
                "Entities removed",
                self.removed.iter().map(|e| format!("- {} [{}]", e.name, e.countries.join(", "))).collect(),
            ),
            ("Entities changed", self.changed.iter().map(|(_, e)| format!("~ {}", e.name)).collect()),
        ]
    }
}
