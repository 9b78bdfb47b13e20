//! The candidate index: every name and alias of the entity lists in force, prepared once, with
//! postings from words (and their beginnings and ends, for typos) to the names that hold them.
//!
//! A query never meets every entry: it collects the names that share a key with it, ranks them by
//! how rare the shared keys are, and compares only the best few in full. The index is immutable;
//! when a list changes a new one is built and swapped in whole.

use crate::matcher::normalize::{prepare, Prepared};
use crate::matcher::{compare_prepared, Comparison};
use std::collections::HashMap;
use steward_core::list::{EntitySchema, ListEntity};

/// Names compared in full per query, after ranking by shared keys.
const CANDIDATES: usize = 24;

/// Which list an entity came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The list's name.
    pub list: String,
    /// The edition, as people refer to it (`NAME@PUBLISHED`).
    pub edition: String,
}

/// An entity as the index holds it.
#[derive(Debug, Clone)]
pub struct Indexed {
    /// The entity.
    pub entity: ListEntity,
    /// Its list.
    pub source: Source,
    /// Its names (main name first), prepared.
    pub names: Vec<Prepared>,
}

/// What a query asks about.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The name to look for.
    pub name: String,
    /// Other names of the same party.
    pub aliases: Vec<String>,
    /// What kind of party; `LegalEntity` when unknown.
    pub schema: Option<EntitySchema>,
    /// ISO codes of the party's countries.
    pub countries: Vec<String>,
    /// Registration numbers and similar.
    pub identifiers: Vec<String>,
}

/// One entity found for a query.
#[derive(Debug, Clone)]
pub struct Hit<'a> {
    /// The entity and its list.
    pub entry: &'a Indexed,
    /// The final score in [0, 1], evidence included.
    pub score: f64,
    /// The entity's name that matched best.
    pub matched_name: String,
    /// The query name that matched it.
    pub query_name: String,
    /// The name comparison behind the score.
    pub comparison: Comparison,
    /// Country evidence: `Some(true)` agree, `Some(false)` disagree, `None` unknown.
    pub country_agrees: Option<bool>,
    /// An identifier both share.
    pub identifier: Option<String>,
}

impl Hit<'_> {
    /// One sentence a person can check.
    pub fn reason(&self) -> String {
        let mut parts = vec![format!(
            "'{}' ~ '{}' ({:.2}): {}",
            self.query_name, self.matched_name, self.comparison.score, self.comparison.explanation.summary
        )];
        match self.country_agrees {
            Some(true) => parts.push("same country".into()),
            Some(false) => {
                parts.push(format!("different country (listed: {})", self.entry.entity.countries.join(", ")))
            }
            None => {}
        }
        if let Some(id) = &self.identifier {
            parts.push(format!("same identifier {id}"));
        }
        parts.push(format!("list {}", self.entry.source.edition));
        parts.join("; ")
    }
}

/// The searchable form of the lists in force.
#[derive(Debug, Default)]
pub struct Index {
    entries: Vec<Indexed>,
    /// Key → (entry, name) pairs holding it.
    postings: HashMap<String, Vec<(u32, u16)>>,
}

/// The keys a prepared name is found by: its words, and for longer words their first and last
/// four letters, so that one typo still leaves a key in common.
fn keys(p: &Prepared) -> Vec<String> {
    let mut out = Vec::with_capacity(p.core.len() * 3);
    for w in &p.core {
        out.push(format!("w:{w}"));
        if w.len() >= 6 {
            out.push(format!("p:{}", &w[..4]));
            out.push(format!("s:{}", &w[w.len() - 4..]));
        }
    }
    // Words run together ("polysilicon" / "poly silicon") meet through the joined name.
    if p.core.len() > 1 {
        out.push(format!("j:{}", p.core.concat()));
    } else if let Some(w) = p.core.first() {
        out.push(format!("j:{w}"));
    }
    out.sort();
    out.dedup();
    out
}

fn normalize_identifier(id: &str) -> String {
    id.chars().filter(|c| c.is_ascii_alphanumeric()).flat_map(|c| c.to_lowercase()).collect()
}

impl Index {
    /// Builds the index over these entities.
    pub fn build(lists: impl IntoIterator<Item = (Source, Vec<ListEntity>)>) -> Index {
        let mut index = Index::default();
        for (source, entities) in lists {
            for entity in entities {
                let names: Vec<Prepared> =
                    std::iter::once(&entity.name).chain(&entity.aliases).map(|n| prepare(n)).collect();
                let id = index.entries.len() as u32;
                for (n, p) in names.iter().enumerate() {
                    for key in keys(p) {
                        index.postings.entry(key).or_default().push((id, n as u16));
                    }
                }
                index.entries.push(Indexed { entity, source: source.clone(), names });
            }
        }
        index
    }

    /// How many entities the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The names of the lists the index holds.
    pub fn lists(&self) -> impl Iterator<Item = &str> {
        let mut seen: Vec<&str> = self.entries.iter().map(|e| e.source.list.as_str()).collect();
        seen.dedup();
        seen.into_iter()
    }

    /// Whether the index holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best hits for a query, best first, at most `limit`, none below `floor`.
    pub fn search(&self, query: &Query, limit: usize, floor: f64) -> Vec<Hit<'_>> {
        let schema = query.schema.unwrap_or(EntitySchema::LegalEntity);
        let query_names: Vec<Prepared> = std::iter::once(&query.name)
            .chain(&query.aliases)
            .filter(|n| !n.trim().is_empty())
            .map(|n| prepare(n))
            .collect();
        let total = self.entries.len().max(1) as f64;
        let mut votes: HashMap<(u32, u16), f64> = HashMap::new();
        for q in &query_names {
            for key in keys(q) {
                if let Some(posting) = self.postings.get(&key) {
                    // Rare keys say more: inverse document frequency.
                    let idf = (total / posting.len() as f64).ln() + 1.0;
                    for p in posting {
                        *votes.entry(*p).or_default() += idf;
                    }
                }
            }
        }
        let mut ranked: Vec<((u32, u16), f64)> = votes.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(CANDIDATES);

        let query_ids: Vec<String> =
            query.identifiers.iter().map(|i| normalize_identifier(i)).filter(|i| i.len() >= 4).collect();
        let mut best: HashMap<u32, Hit<'_>> = HashMap::new();
        for ((entry_id, name_id), _) in ranked {
            let entry = &self.entries[entry_id as usize];
            let name = &entry.names[name_id as usize];
            for q in &query_names {
                let comparison = compare_prepared(schema, q, name);
                let mut score = comparison.score;
                let country_agrees = (!query.countries.is_empty() && !entry.entity.countries.is_empty())
                    .then(|| query.countries.iter().any(|c| entry.entity.countries.contains(c)));
                match country_agrees {
                    Some(true) => score = (score + 0.05).min(1.0),
                    Some(false) => score *= 0.85,
                    None => {}
                }
                let identifier =
                    entry.entity.identifiers.iter().find(|i| query_ids.contains(&normalize_identifier(i))).cloned();
                if identifier.is_some() {
                    score = score.max(0.95);
                }
                let score = (score * 1000.0).round() / 1000.0;
                if score < floor {
                    continue;
                }
                let hit = Hit {
                    entry,
                    score,
                    matched_name: name.original.clone(),
                    query_name: q.original.clone(),
                    comparison,
                    country_agrees,
                    identifier,
                };
                match best.get(&entry_id) {
                    Some(h) if h.score >= hit.score => {}
                    _ => {
                        best.insert(entry_id, hit);
                    }
                }
            }
        }
        let mut hits: Vec<Hit<'_>> = best.into_values().collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.entry.entity.name.cmp(&b.entry.entity.name)));
        hits.truncate(limit);
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(name: &str, aliases: &[&str], country: &str) -> ListEntity {
        ListEntity {
            row: 2,
            key: name.into(),
            schema: EntitySchema::Company,
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            countries: vec![country.into()],
            identifiers: vec![],
            notes: String::new(),
        }
    }

    fn index() -> Index {
        let source = Source { list: "test".into(), edition: "test@2024-01-01".into() };
        Index::build([(
            source,
            vec![
                entity(
                    "Xinjiang Lianchuang Cotton Textile Co. Ltd.",
                    &["XJ Lianchuang Cotton", "新疆联创棉纺织有限公司"],
                    "CN",
                ),
                entity("Hoshan Polysilicon Industry Co. Ltd.", &["Hoshan Silicon"], "CN"),
                entity("Acme Garment Factory No. 3", &[], "BD"),
            ],
        )])
    }

    fn top(index: &Index, name: &str, country: &str) -> Option<(String, f64)> {
        let q = Query { name: name.into(), countries: vec![country.into()], ..Query::default() };
        index.search(&q, 1, 0.0).first().map(|h| (h.entry.entity.name.clone(), h.score))
    }

    #[test]
    fn finds_entities_behind_variants_typos_and_scripts() {
        let i = index();
        let (name, score) = top(&i, "HOSHAN POLYSILICON INDUSTRY COMPANY LIMITED", "CN").unwrap();
        assert_eq!(name, "Hoshan Polysilicon Industry Co. Ltd.");
        assert!(score >= 0.95);
        let (name, score) = top(&i, "Hoshan Polysilcon Industries", "CN").unwrap();
        assert_eq!(name, "Hoshan Polysilicon Industry Co. Ltd.");
        assert!(score >= 0.8, "{score}");
        let (name, score) = top(&i, "新疆联创棉纺织有限公司", "CN").unwrap();
        assert_eq!(name, "Xinjiang Lianchuang Cotton Textile Co. Ltd.");
        assert!(score >= 0.95, "{score}");
    }

    #[test]
    fn unrelated_names_and_other_sites_stay_below_the_threshold() {
        let i = index();
        assert!(top(&i, "Acme Apparel", "US").is_none_or(|(_, s)| s < 0.6));
        assert!(top(&i, "Acme Garment Factory No. 5", "BD").is_none_or(|(_, s)| s < 0.8));
    }
}
