//! The name matcher: how alike two names are, and why.
//!
//! Names are prepared once ([`normalize::prepare`]): transliterated, case- and punctuation-folded,
//! legal forms and numbers set apart. Two prepared names are compared word by word: each word of
//! one is paired with the most similar unpaired word of the other (equal, or close by Jaro-Winkler
//! for typos), words weigh by their length, and the score is the share of both names' weight that
//! found a partner. Word order does not count; numbers that disagree halve the score (a different
//! factory, a different subsidiary). Every score comes with the pairs and leftovers that made it.

pub mod normalize;

use normalize::{prepare, Prepared};
use serde::Serialize;
use steward_core::list::EntitySchema;

/// Scores at or above this are matches (`steward compare`'s `match` column).
pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// What a score keeps when each name has a word the other lacks.
const SUBSTITUTION_FACTOR: f64 = 0.9;

/// Two words this similar (Jaro-Winkler) count as the same word misspelt.
const TYPO_SIMILARITY: f64 = 0.9;

/// Why two names scored as they did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Word pairs that agreed, with their similarity (1 for equal words).
    pub matched: Vec<(String, String, f64)>,
    /// Words of the first name without a partner.
    pub unmatched_left: Vec<String>,
    /// Words of the second name without a partner.
    pub unmatched_right: Vec<String>,
    /// Legal forms set aside from each name.
    pub legal_forms: (Vec<String>, Vec<String>),
    /// Numbers of each name, when they disagree.
    pub numbers_disagree: Option<(Vec<String>, Vec<String>)>,
    /// The rule that decided, in words.
    pub summary: String,
}

/// A score in [0, 1] and its explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// 1 for the same name, 0 for nothing in common.
    pub score: f64,
    /// Why.
    pub explanation: Explanation,
}

fn weight(word: &str) -> f64 {
    // Longer words say more about identity; single letters (initials) little.
    (word.chars().count() as f64).clamp(1.0, 8.0)
}

fn similarity(a: &str, b: &str, schema: EntitySchema) -> f64 {
    if a == b {
        return 1.0;
    }
    // An initial meets a name it begins ("J." and "John"), for people only.
    if schema == EntitySchema::Person && (a.len() == 1 || b.len() == 1) {
        return if a.chars().next() == b.chars().next() { 0.9 } else { 0.0 };
    }
    if a.len() < 4 || b.len() < 4 {
        return 0.0;
    }
    let s = strsim::jaro_winkler(a, b);
    if s >= TYPO_SIMILARITY {
        s
    } else {
        0.0
    }
}

/// Compares two prepared names.
pub fn compare_prepared(schema: EntitySchema, left: &Prepared, right: &Prepared) -> Comparison {
    // A name that is nothing but a legal form ("Company") is compared as written.
    let words = |p: &Prepared| if p.core.is_empty() { normalize::words(&p.original) } else { p.core.clone() };
    let (l, r) = (words(left), words(right));
    let mut used = vec![false; r.len()];
    let mut matched = Vec::new();
    let mut unmatched_left = Vec::new();
    let mut agreed = 0.0;
    for a in &l {
        let best = r
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(i, b)| (i, similarity(a, b, schema)))
            .filter(|(_, s)| *s > 0.0)
            .max_by(|x, y| x.1.total_cmp(&y.1));
        match best {
            Some((i, s)) => {
                used[i] = true;
                agreed += s * (weight(a) + weight(&r[i]));
                matched.push((a.clone(), r[i].clone(), (s * 1000.0).round() / 1000.0));
            }
            None => unmatched_left.push(a.clone()),
        }
    }
    let unmatched_right: Vec<String> = r.iter().zip(&used).filter(|(_, u)| !**u).map(|(w, _)| w.clone()).collect();
    let total: f64 = l.iter().chain(&r).map(|w| weight(w)).sum();
    let mut score = if total > 0.0 { agreed / total } else { 0.0 };

    // Words run together or split ("Poly Silicon" / "Polysilicon") meet as whole strings.
    let joined = |w: &[String]| w.concat();
    let (jl, jr) = (joined(&l), joined(&r));
    if jl.len() >= 6 && jr.len() >= 6 {
        let whole = strsim::normalized_levenshtein(&jl, &jr);
        if whole > score && whole >= 0.9 {
            score = whole;
        }
    }
    // A word on each side without a partner is a substitution ("Hetian X" / "Aksu X"), which
    // says "another party" more than a word missing from one side ("X" / "X Group") does.
    let substantive = |ws: &[String]| ws.iter().any(|w| w.chars().count() >= 3);
    if substantive(&unmatched_left) && substantive(&unmatched_right) {
        score *= SUBSTITUTION_FACTOR;
    }
    let numbers_disagree = (!left.numbers.is_empty() && !right.numbers.is_empty() && left.numbers != right.numbers)
        .then(|| (left.numbers.clone(), right.numbers.clone()));
    if numbers_disagree.is_some() {
        score *= 0.5;
    }
    let score = (score.clamp(0.0, 1.0) * 1000.0).round() / 1000.0;
    let summary = if numbers_disagree.is_some() {
        "the names carry different numbers, so they likely name different sites or subsidiaries".to_string()
    } else if substantive(&unmatched_left) && substantive(&unmatched_right) {
        format!(
            "{} of {} words agree, but each name has words the other lacks ({} / {}), as names of different parties do",
            matched.len(),
            l.len().max(r.len()),
            unmatched_left.join(" "),
            unmatched_right.join(" ")
        )
    } else if unmatched_left.is_empty() && unmatched_right.is_empty() {
        "every word of each name has a partner in the other".to_string()
    } else {
        format!(
            "{} of {} words agree; without a partner: {}",
            matched.len(),
            l.len().max(r.len()),
            unmatched_left.iter().chain(&unmatched_right).cloned().collect::<Vec<_>>().join(", ")
        )
    };
    Comparison {
        score,
        explanation: Explanation {
            matched,
            unmatched_left,
            unmatched_right,
            legal_forms: (left.legal_forms.clone(), right.legal_forms.clone()),
            numbers_disagree,
            summary,
        },
    }
}

/// Compares two names as written.
pub fn compare(schema: EntitySchema, left: &str, right: &str) -> Comparison {
    compare_prepared(schema, &prepare(left), &prepare(right))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(schema: EntitySchema, a: &str, b: &str, is_match: bool) {
        let c = compare(schema, a, b);
        assert_eq!(c.score >= DEFAULT_THRESHOLD, is_match, "{a} / {b}: {} ({})", c.score, c.explanation.summary);
    }

    #[test]
    fn variants_of_one_name_match() {
        use EntitySchema::*;
        check(Company, "Hoshan Polysilicon Industry Co., Ltd", "HOSHAN POLYSILICON INDUSTRY COMPANY LIMITED", true);
        check(
            Company,
            "Xinjiang Lianchuang Cotton Textile Co. Ltd.",
            "XINJIANG LIANCHUANG COTTON TEXTILE COMPANY LIMITED",
            true,
        );
        check(Company, "Acme International Manufacturing GmbH", "ACME INTL MFG", true);
        check(Company, "Hoshan Polysilcon Industry", "Hoshan Polysilicon Industry", true);
        check(Company, "Hoshan Poly Silicon Industry", "Hoshan Polysilicon Industry", true);
        check(Company, "Industry Polysilicon Hoshan", "Hoshan Polysilicon Industry", true);
        check(Person, "Li Wei", "Wei Li", true);
        check(Person, "J. Smith", "John Smith", true);
    }

    #[test]
    fn near_misses_do_not() {
        use EntitySchema::*;
        check(Company, "Garment Factory No. 3", "Garment Factory No. 5", false);
        check(Company, "Acme Apparel", "Hoshan Polysilicon Industry Co. Ltd.", false);
        check(Company, "Hoshan Polysilicon Industry", "Hoshan Aluminium Industry", false);
        check(Company, "Xinjiang Lianchuang Cotton Textile", "Xinjiang Tianshan Cotton Textile", false);
        check(Person, "John Smith", "Jane Smith", false);
    }

    #[test]
    fn every_score_explains_itself() {
        let c = compare(EntitySchema::Company, "Hoshan Polysilicon Industry Co., Ltd", "Hoshan Silicon");
        assert!(c.explanation.unmatched_left.contains(&"polysilicon".to_string()));
        assert_eq!(c.explanation.legal_forms.0, ["co ltd"]);
        assert!(c.score < DEFAULT_THRESHOLD && c.score > 0.3, "{}", c.score);
    }
}
