//! The candidate index: every name and alias of the entity lists in force, prepared once, with
//! postings from keys to the names that hold them.
//!
//! A query never meets every entry. Names are found by their words, pairs of nearby words, and
//! the whole name run together. A query word that is not listed, or is misspelt, is first
//! corrected to the listed words one typo away (every listed word is also filed under each
//! spelling of it with one letter dropped), so a typo on either side still meets the name, and
//! still forms pairs with its neighbours. Only selective keys — held by few names — propose
//! candidates: a common word ("cotton", "trading") alone never makes a name worth comparing, but
//! two common words side by side often do, which is what the pair keys are for. Candidates are
//! ranked by the rarity of the keys they share and only the best few are compared in full, so the
//! work per query is bounded by the selective postings, not by the size of the lists.
//!
//! The index is immutable; when a list changes a new one is built and swapped in whole.

use crate::matcher::normalize::{prepare, words, Prepared};
use crate::matcher::{compare_prepared, score_prepared, Comparison};
use rustc_hash::{FxHashMap, FxHasher};
use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use steward_core::list::{EntitySchema, ListEntity};

/// Names compared in full per query, after ranking by shared keys.
const CANDIDATES: usize = 24;

/// Keys held by more names than this (or, in smaller indexes, by more than one name in 32)
/// propose no candidates.
const SELECTIVE: usize = 2048;

/// Listed words within one typo of a query word that are tried, commonest first.
const NEIGHBOURS: usize = 16;

/// Of these, how many (the word itself first) form pair keys with the neighbouring words.
const PAIR_ALTERNATIVES: usize = 6;

/// Names first met once every key still to read could not lift them to this share of the best
/// vote so far are not worth proposing.
const OUTSIDER_SHARE: f32 = 0.5;

/// Names first met once every key still to read could not give them this share of all the
/// query's keys are not worth proposing either: they lack most of the query.
const LEAST_SHARE: f32 = 0.3;

/// The share of a word's credit a listed word one typo away earns.
const TYPO_CREDIT: f32 = 0.8;

/// The share of its rarity a pair of words earns: a pair restates two words already credited.
const PAIR_CREDIT: f32 = 0.5;

/// Words shorter than this get no typo keys: dropping a letter from a short word meets too many
/// others, and the matcher does not forgive typos in them either.
const TYPO_MIN_LEN: usize = 5;

/// Words this far apart or closer form pair keys.
const PAIR_WINDOW: usize = 2;

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
    /// Its list (shared by every entity of the list).
    pub source: Arc<Source>,
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
    /// Every indexed name: (entry, position among the entry's names).
    names: Vec<(u32, u16)>,
    /// Every word of every indexed name, numbered.
    vocabulary: FxHashMap<String, u32>,
    /// Key (a word, a pair of words or a joined name; see [`word_key`]) → the range of
    /// `postings` listing the names that hold it, in ascending order.
    keys: FxHashMap<u64, (u32, u32)>,
    postings: Vec<u32>,
    /// Typo key → the range of `typo_words` listing the words that have it.
    typos: FxHashMap<u64, (u32, u32)>,
    typo_words: Vec<u32>,
}

/// Keys of three kinds share one map, told apart by their top bits: a word (`10`), a pair of
/// words (`00`, the two ids side by side) and a joined name (`11`, a hash).
fn word_key(word: u32) -> u64 {
    1 << 63 | u64::from(word)
}

fn pair_key(a: u32, b: u32) -> u64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    // Ids stay below 2^31 (see `Index::build`), so the top bits stay clear.
    u64::from(lo) << 32 | u64::from(hi)
}

fn joined_key(words: &[String]) -> u64 {
    let mut h = FxHasher::default();
    words.concat().hash(&mut h);
    h.finish() | 3 << 62
}

fn typo_key(spelling: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    spelling.hash(&mut h);
    h.finish()
}

/// The word and each spelling of it with one letter dropped: two words within one edit
/// (substitution, insertion, deletion or swap of neighbours) always share one of these.
fn typo_keys(word: &str, mut out: impl FnMut(u64)) {
    let bytes = word.as_bytes();
    if bytes.len() < TYPO_MIN_LEN || bytes.len() > 64 {
        return;
    }
    out(typo_key(bytes));
    let mut buf = [0u8; 64];
    for i in 0..bytes.len() {
        // Dropping either of two equal neighbours gives the same spelling.
        if i > 0 && bytes[i] == bytes[i - 1] {
            continue;
        }
        buf[..i].copy_from_slice(&bytes[..i]);
        buf[i..bytes.len() - 1].copy_from_slice(&bytes[i + 1..]);
        out(typo_key(&buf[..bytes.len() - 1]));
    }
}

/// The words keys are made from: the core, or the words as written for a bare legal form.
fn key_words(p: &Prepared) -> Vec<String> {
    let mut ws = if p.core.is_empty() { words(&p.original) } else { p.core.clone() };
    // A name in Chinese characters is also found by its syllables two at a time, as Latin
    // spellings run them together ("新疆" is "xin jiang", and "Xinjiang" in English names).
    if p.han {
        let syllable = |w: &String| w.len() <= 6 && w.bytes().all(|b| b.is_ascii_lowercase());
        let joined: Vec<String> = ws.windows(2).filter(|w| w.iter().all(syllable)).map(|w| w.concat()).collect();
        ws.extend(joined);
    }
    ws.dedup();
    ws
}

/// Every key an indexed name is found by: its words, pairs of words at most [`PAIR_WINDOW`]
/// apart, and the whole name run together.
fn name_keys(ids: &[u32], joined: u64, out: &mut Vec<u64>) {
    out.clear();
    for (i, &a) in ids.iter().enumerate() {
        out.push(word_key(a));
        for &b in ids.iter().skip(i + 1).take(PAIR_WINDOW) {
            if a != b {
                out.push(pair_key(a, b));
            }
        }
    }
    if !ids.is_empty() {
        out.push(joined);
    }
    out.sort_unstable();
    out.dedup();
}

/// Posting lists laid out end to end in two passes, counting then filling, so that they need
/// neither sorting nor a vector per key.
struct Layout {
    ranges: FxHashMap<u64, (u32, u32)>,
}

impl Layout {
    fn new() -> Layout {
        Layout { ranges: FxHashMap::default() }
    }

    fn count(&mut self, key: u64) {
        self.ranges.entry(key).or_default().1 += 1;
    }

    /// Gives each key its place and returns the space needed.
    fn plan(&mut self) -> Vec<u32> {
        let mut offset = 0u32;
        for range in self.ranges.values_mut() {
            range.0 = offset;
            offset += range.1;
            range.1 = 0;
        }
        vec![0; offset as usize]
    }

    fn place(&mut self, key: u64, value: u32, out: &mut [u32]) {
        if let Some(range) = self.ranges.get_mut(&key) {
            out[(range.0 + range.1) as usize] = value;
            range.1 += 1;
        }
    }

    fn finish(mut self) -> FxHashMap<u64, (u32, u32)> {
        self.ranges.shrink_to_fit();
        self.ranges
    }
}

/// Per-thread working memory of a search: a vote per indexed name, and the names voted for, so
/// that a search costs what its postings cost, not what the whole index would to clear.
#[derive(Default)]
struct Scratch {
    /// Per name: the last slot that credited it (so a slot's keys credit it once) and its vote,
    /// side by side so that a posting costs one cache line, not two.
    votes: Vec<(u32, f32)>,
    touched: Vec<u32>,
    clock: u32,
}

impl Scratch {
    fn ready(&mut self, names: usize) {
        if self.votes.len() < names {
            self.votes.resize(names, (0, 0.0));
        }
    }

    fn next_stamp(&mut self) -> u32 {
        if self.clock == u32::MAX {
            self.votes.iter_mut().for_each(|v| v.0 = 0);
            self.clock = 0;
        }
        self.clock += 1;
        self.clock
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn normalize_identifier(id: &str) -> String {
    id.chars().filter(|c| c.is_ascii_alphanumeric()).flat_map(|c| c.to_lowercase()).collect()
}

/// A posting list a query reads, with the credit each name on it earns and the slot it earns it in.
struct Read<'a> {
    slot: u32,
    postings: &'a [u32],
    weight: f32,
}

impl Index {
    /// Builds the index over these entities.
    pub fn build(lists: impl IntoIterator<Item = (Source, Vec<ListEntity>)>) -> Index {
        let mut index = Index::default();
        for (source, entities) in lists {
            let source = Arc::new(source);
            for entity in entities {
                let names: Vec<Prepared> =
                    std::iter::once(&entity.name).chain(&entity.aliases).map(|n| prepare(n)).collect();
                let id = index.entries.len() as u32;
                index.names.extend((0..names.len()).map(|n| (id, n as u16)));
                index.entries.push(Indexed { entity, source: source.clone(), names });
            }
        }

        // Number the words, and keep each name's word ids and joined key for the passes below.
        let mut name_words: Vec<u32> = Vec::new();
        let mut name_start: Vec<u32> = Vec::with_capacity(index.names.len() + 1);
        let mut name_joined: Vec<u64> = Vec::with_capacity(index.names.len());
        for &(e, n) in &index.names {
            let ws = key_words(&index.entries[e as usize].names[n as usize]);
            name_start.push(name_words.len() as u32);
            name_joined.push(joined_key(&ws));
            for w in ws {
                let next = index.vocabulary.len() as u32;
                name_words.push(*index.vocabulary.entry(w).or_insert(next));
            }
        }
        name_start.push(name_words.len() as u32);
        let ids = |name: usize| &name_words[name_start[name] as usize..name_start[name + 1] as usize];

        let mut layout = Layout::new();
        let mut keys = Vec::new();
        for (name, &joined) in name_joined.iter().enumerate() {
            name_keys(ids(name), joined, &mut keys);
            keys.iter().for_each(|&k| layout.count(k));
        }
        let mut postings = layout.plan();
        for (name, &joined) in name_joined.iter().enumerate() {
            name_keys(ids(name), joined, &mut keys);
            keys.iter().for_each(|&k| layout.place(k, name as u32, &mut postings));
        }
        index.keys = layout.finish();
        index.postings = postings;

        // Typo keys point at words, not names: a misspelt word of a query is first corrected to
        // the listed words it could be, which then find their names through word and pair keys.
        let mut layout = Layout::new();
        for word in index.vocabulary.keys() {
            typo_keys(word, |k| layout.count(k));
        }
        let mut typo_words = layout.plan();
        for (word, &id) in &index.vocabulary {
            typo_keys(word, |k| layout.place(k, id, &mut typo_words));
        }
        index.typos = layout.finish();
        index.typo_words = typo_words;
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

    fn posting(&self, key: u64) -> &[u32] {
        match self.keys.get(&key) {
            Some(&(start, len)) => &self.postings[start as usize..(start + len) as usize],
            None => &[],
        }
    }

    /// The listed words a query word may stand for: itself, if listed, then words one typo
    /// away, commonest first, with the share of credit each earns.
    fn alternatives(&self, word: &str) -> Vec<(u32, f32)> {
        let exact = self.vocabulary.get(word).copied();
        let mut near: Vec<u32> = Vec::new();
        typo_keys(word, |k| {
            if let Some(&(start, len)) = self.typos.get(&k) {
                near.extend_from_slice(&self.typo_words[start as usize..(start + len) as usize]);
            }
        });
        near.sort_unstable();
        near.dedup();
        near.retain(|id| Some(*id) != exact);
        near.sort_by_key(|id| std::cmp::Reverse(self.posting(word_key(*id)).len()));
        near.truncate(NEIGHBOURS);
        exact.map(|id| (id, 1.0)).into_iter().chain(near.into_iter().map(|id| (id, TYPO_CREDIT))).collect()
    }

    /// The posting lists a query reads, each in the slot it credits.
    fn reads(&self, query_names: &[Prepared]) -> Vec<Read<'_>> {
        let total = self.names.len().max(1) as f32;
        let mut reads = Vec::new();
        let mut slot = 0;
        for q in query_names {
            let ws = key_words(q);
            let alternatives: Vec<Vec<(u32, f32)>> = ws.iter().map(|w| self.alternatives(w)).collect();
            for alts in &alternatives {
                // A listed word spelt as the query spells it stands alone; the listed words a typo
                // away then only count through their pairs, so a common spelling does not pull in
                // every near spelling's holders.
                let exact = alts.first().is_some_and(|(_, factor)| *factor == 1.0);
                for &(id, factor) in alts.iter().take(if exact { 1 } else { alts.len() }) {
                    let postings = self.posting(word_key(id));
                    reads.push(Read {
                        slot,
                        postings,
                        weight: factor * ((total / postings.len().max(1) as f32).ln() + 1.0),
                    });
                }
                slot += 1;
            }
            for (i, left) in alternatives.iter().enumerate() {
                for right in alternatives.iter().skip(i + 1).take(PAIR_WINDOW) {
                    for &(a, fa) in left.iter().take(PAIR_ALTERNATIVES) {
                        for &(b, fb) in right.iter().take(PAIR_ALTERNATIVES) {
                            let postings = self.posting(pair_key(a, b));
                            let weight = PAIR_CREDIT * fa * fb * ((total / postings.len().max(1) as f32).ln() + 1.0);
                            reads.push(Read { slot, postings, weight });
                        }
                    }
                    slot += 1;
                }
            }
            if !ws.is_empty() {
                let postings = self.posting(joined_key(&ws));
                reads.push(Read { slot, postings, weight: (total / postings.len().max(1) as f32).ln() + 1.0 });
                slot += 1;
            }
        }
        reads.retain(|r| !r.postings.is_empty());
        reads
    }

    /// The indexed names worth comparing with these query names, best first.
    fn candidates(&self, query_names: &[Prepared], wanted: usize) -> Vec<u32> {
        let mut reads = self.reads(query_names);
        // A name sharing nothing but common keys with the query (its city, its trade) is not
        // proposed: among thousands of such names nothing would tell the right one apart. The
        // whole name run together is a key of its own, so a listed name spelt exactly as the
        // query still is found however common its words.
        // In a small index a key held by a large share of the names says little too.
        let selective = SELECTIVE.min((self.names.len() / 32).max(256));
        reads.retain(|r| r.postings.len() <= selective);
        // Slots are read rarest first, each slot's reads together (so a slot credits a name once)
        // and its best credit first (so that is the credit that counts).
        let mut rarest: FxHashMap<u32, usize> = FxHashMap::default();
        for r in &reads {
            let least = rarest.entry(r.slot).or_insert(usize::MAX);
            *least = (*least).min(r.postings.len());
        }
        reads.sort_by(|a, b| {
            (rarest[&a.slot], a.slot).cmp(&(rarest[&b.slot], b.slot)).then(b.weight.total_cmp(&a.weight))
        });
        // What a name not yet voted for could still earn, from each read on: the best credit of
        // every slot still to come.
        let mut still = vec![0.0f32; reads.len() + 1];
        for i in (0..reads.len()).rev() {
            let opens_slot = i == 0 || reads[i - 1].slot != reads[i].slot;
            let slot_best = if opens_slot { reads[i].weight } else { 0.0 };
            still[i] = still[i + 1] + slot_best;
        }

        SCRATCH.with(|scratch| {
            let mut s = scratch.borrow_mut();
            s.ready(self.names.len());
            let mut slot = u32::MAX;
            let mut stamp = 0;
            let mut best = 0.0f32;
            for (i, read) in reads.iter().enumerate() {
                if read.slot != slot {
                    slot = read.slot;
                    stamp = s.next_stamp();
                }
                let Scratch { votes, touched, .. } = &mut *s;
                // Once no newcomer could come near the best name so far, later keys only add to
                // the names already found: looked up one by one when they are few.
                let admit = still[i] >= (OUTSIDER_SHARE * best).max(LEAST_SHARE * still[0]);
                if !admit && touched.len() * 16 < read.postings.len() {
                    for &name in touched.iter() {
                        let vote = &mut votes[name as usize];
                        if vote.0 != stamp && read.postings.binary_search(&name).is_ok() {
                            *vote = (stamp, vote.1 + read.weight);
                            best = best.max(vote.1);
                        }
                    }
                    continue;
                }
                for &name in read.postings {
                    let Some(vote) = votes.get_mut(name as usize) else { continue };
                    if vote.0 == stamp || (!admit && vote.1 == 0.0) {
                        continue;
                    }
                    if vote.1 == 0.0 {
                        touched.push(name);
                    }
                    *vote = (stamp, vote.1 + read.weight);
                    best = best.max(vote.1);
                }
            }
            let Scratch { votes, touched, .. } = &mut *s;
            let mut ranked: Vec<(u32, f32)> = touched.iter().map(|&n| (n, votes[n as usize].1)).collect();
            for &n in touched.iter() {
                votes[n as usize].1 = 0.0;
            }
            touched.clear();
            let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            if ranked.len() > wanted {
                ranked.select_nth_unstable_by(wanted, order);
                ranked.truncate(wanted);
            }
            ranked.sort_by(order);
            ranked.into_iter().map(|(n, _)| n).collect()
        })
    }

    /// The best hits for a query, best first, at most `limit`, none below `floor`.
    pub fn search(&self, query: &Query, limit: usize, floor: f64) -> Vec<Hit<'_>> {
        let schema = query.schema.unwrap_or(EntitySchema::LegalEntity);
        let query_names: Vec<Prepared> = std::iter::once(&query.name)
            .chain(&query.aliases)
            .filter(|n| !n.trim().is_empty())
            .map(|n| prepare(n))
            .collect();
        let query_ids: Vec<String> =
            query.identifiers.iter().map(|i| normalize_identifier(i)).filter(|i| i.len() >= 4).collect();

        // Score every candidate cheaply; explanations are written for the hits returned only.
        struct Scored {
            entry: u32,
            name: u16,
            query: usize,
            score: f64,
            /// Whether the legal forms are the same, which decides between names of equal score.
            same_form: bool,
            country_agrees: Option<bool>,
            identifier: Option<String>,
        }
        let mut best: FxHashMap<u32, Scored> = FxHashMap::default();
        for candidate in self.candidates(&query_names, CANDIDATES.max(limit.min(200))) {
            let (entry_id, name_id) = self.names[candidate as usize];
            let entry = &self.entries[entry_id as usize];
            let name = &entry.names[name_id as usize];
            let country_agrees = (!query.countries.is_empty() && !entry.entity.countries.is_empty())
                .then(|| query.countries.iter().any(|c| entry.entity.countries.contains(c)));
            let identifier =
                entry.entity.identifiers.iter().find(|i| query_ids.contains(&normalize_identifier(i))).cloned();
            for (qi, q) in query_names.iter().enumerate() {
                let mut score = score_prepared(schema, q, name);
                match country_agrees {
                    Some(true) => score = (score + 0.05).min(1.0),
                    Some(false) => score *= 0.85,
                    None => {}
                }
                if identifier.is_some() {
                    score = score.max(0.95);
                }
                let score = (score * 1000.0).round() / 1000.0;
                if score < floor || best.get(&entry_id).is_some_and(|b| b.score >= score) {
                    continue;
                }
                best.insert(
                    entry_id,
                    Scored {
                        entry: entry_id,
                        name: name_id,
                        query: qi,
                        score,
                        same_form: q.legal_forms == name.legal_forms,
                        country_agrees,
                        identifier: identifier.clone(),
                    },
                );
            }
        }
        let mut scored: Vec<Scored> = best.into_values().collect();
        let name_of = |s: &Scored| &self.entries[s.entry as usize].entity.name;
        scored.sort_by(|a, b| {
            b.score.total_cmp(&a.score).then(b.same_form.cmp(&a.same_form)).then_with(|| name_of(a).cmp(name_of(b)))
        });
        scored.truncate(limit);
        scored
            .into_iter()
            .map(|s| {
                let entry = &self.entries[s.entry as usize];
                let name = &entry.names[s.name as usize];
                let q = &query_names[s.query];
                Hit {
                    entry,
                    score: s.score,
                    matched_name: name.original.clone(),
                    query_name: q.original.clone(),
                    comparison: compare_prepared(schema, q, name),
                    country_agrees: s.country_agrees,
                    identifier: s.identifier,
                }
            })
            .collect()
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
    fn one_typo_in_the_only_rare_word_still_finds_the_name() {
        let source = Source { list: "test".into(), edition: "test@2024-01-01".into() };
        let mut listed = vec![entity("Cali Mingta Leather Company Limited", &[], "CO")];
        // Many other leather makers of the same city, so that only the rare word can tell them apart.
        for i in 0..3000 {
            listed.push(entity(&format!("Cali Brand{i} Leather Company Limited"), &[], "CO"));
        }
        let i = Index::build([(source, listed)]);
        let (name, _) = top(&i, "Cali Mnigta Leather Company Limited", "CO").unwrap();
        assert_eq!(name, "Cali Mingta Leather Company Limited");
    }

    #[test]
    fn a_name_in_chinese_characters_is_found_by_its_english_name() {
        let source = Source { list: "test".into(), edition: "test@2024-01-01".into() };
        let mut listed = vec![entity("新疆联创棉纺织有限公司", &[], "CN")];
        // Many cotton mills, so that only the place and brand syllables can find the one.
        for i in 0..3000 {
            listed.push(entity(&format!("Brand{i} Cotton Textile Co., Ltd."), &[], "CN"));
        }
        let i = Index::build([(source, listed)]);
        let (name, score) = top(&i, "Xinjiang Lianchuang Cotton Textile Co., Ltd.", "CN").unwrap();
        assert_eq!(name, "新疆联创棉纺织有限公司");
        assert!(score >= 0.8, "{score}");
    }

    #[test]
    fn unrelated_names_and_other_sites_stay_below_the_threshold() {
        let i = index();
        assert!(top(&i, "Acme Apparel", "US").is_none_or(|(_, s)| s < 0.6));
        assert!(top(&i, "Acme Garment Factory No. 5", "BD").is_none_or(|(_, s)| s < 0.8));
    }
}
