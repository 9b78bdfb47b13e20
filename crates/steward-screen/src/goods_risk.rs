//! Goods-by-country risk: a supplier's goods, written as free text ("cotton yarn", "polysilicon
//! wafers") or as HS codes (`hs.rs`), joined with its country, against the goods lists in force.
//!
//! A listed good applies when every word of its name appears among the supplier's goods words
//! (after the same folding as names, singular and plural alike), and the list names the
//! supplier's country for it. Words in parentheses on the list ("Pulses (legumes)") are
//! alternatives, not requirements. On the List of Goods every row is there for a reason, so a row
//! without any of the three flags is read as a downstream good made from a listed input.

use crate::matcher::normalize::prepare;
use steward_core::list::GoodsRow;

/// One listed good that applies to a supplier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoodsRisk {
    /// The good as the list names it.
    pub good: String,
    /// ISO code of the country.
    pub country: String,
    /// What the list says of it ("forced labor, child labor").
    pub flags: String,
    /// The list edition (`NAME@PUBLISHED`).
    pub edition: String,
}

/// The goods lists in force, prepared for lookup.
#[derive(Debug, Default)]
pub struct GoodsIndex {
    rows: Vec<(Vec<String>, Vec<String>, GoodsRow, String)>,
}

fn words(text: &str) -> Vec<String> {
    prepare(text).core
}

impl GoodsIndex {
    /// Prepares the rows of goods editions, each with its edition's label.
    pub fn build(editions: impl IntoIterator<Item = (String, Vec<GoodsRow>)>) -> GoodsIndex {
        let mut rows = Vec::new();
        for (label, goods) in editions {
            for row in goods {
                let (main, alternative) = match row.good.split_once('(') {
                    Some((head, tail)) => (words(head), words(tail.trim_end_matches(')'))),
                    None => (words(&row.good), Vec::new()),
                };
                rows.push((main, alternative, row, label.clone()));
            }
        }
        GoodsIndex { rows }
    }

    /// The listed goods that apply to goods described by `text` (words, HS codes, or both), from
    /// `country` (ISO code).
    pub fn risks(&self, text: &str, country: &str) -> Vec<GoodsRisk> {
        let mut described = text.to_string();
        for code in crate::hs::codes_in(text) {
            for good in crate::hs::goods_for(&code) {
                described.push(' ');
                described.push_str(good);
            }
        }
        let supplier = words(&described);
        if supplier.is_empty() || country.is_empty() {
            return Vec::new();
        }
        let has_all = |ws: &[String]| !ws.is_empty() && ws.iter().all(|w| supplier.contains(w));
        self.rows
            .iter()
            .filter(|(_, _, row, _)| row.country == country)
            .filter(|(main, alternative, _, _)| has_all(main) || has_all(alternative))
            .map(|(_, _, row, label)| {
                let listed = row.child_labor || row.forced_labor || row.forced_child_labor;
                let flags = if listed || row.derived { row.flags() } else { "downstream of a listed good".to_string() };
                GoodsRisk { good: row.good.clone(), country: row.country.clone(), flags, edition: label.clone() }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> GoodsIndex {
        let rows = crate::lists::tvpra::parse(crate::DEFAULT_TVPRA).expect("shipped list");
        GoodsIndex::build([("tvpra@2022-09-28".to_string(), rows)])
    }

    #[test]
    fn free_text_goods_meet_the_list() {
        let i = index();
        let cotton = i.risks("Cotton yarn, combed", "CN");
        assert!(cotton.iter().any(|r| r.good == "Cotton" && r.flags.contains("forced labor")), "{cotton:?}");
        let wafers = i.risks("polysilicon for photovoltaic wafers", "CN");
        assert!(wafers.iter().any(|r| r.good == "Polysilicon"));
        assert!(wafers.iter().any(|r| r.good == "Photovoltaic Wafers" && r.flags.contains("downstream")), "{wafers:?}");
        assert!(i.risks("Cotton yarn", "US").is_empty(), "the country must be listed for the good");
        assert!(i.risks("office chairs", "CN").is_empty());
    }

    #[test]
    fn hs_codes_are_read_as_the_goods_they_cover() {
        let idx = index();
        let poly = idx.risks("HS 2804.61", "CN");
        assert!(poly.iter().any(|r| r.good == "Polysilicon"), "{poly:?}");
        let modules = idx.risks("854143", "CN");
        assert!(modules.iter().any(|r| r.good == "Solar Modules"), "derived goods by code too: {modules:?}");
        assert!(idx.risks("854143", "DE").is_empty(), "the country still decides");
        assert!(idx.risks("9999.99", "CN").is_empty());
    }
}
