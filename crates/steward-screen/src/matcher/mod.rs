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

/// Letters in a word. Prepared words are ASCII (every script is transliterated), so this is
/// their length; counting characters keeps it right for any other word.
fn letters(word: &str) -> usize {
    if word.is_ascii() {
        word.len()
    } else {
        word.chars().count()
    }
}

fn weight(word: &str) -> f64 {
    // Longer words say more about identity; single letters (initials) little.
    (letters(word) as f64).clamp(1.0, 8.0)
}

fn similarity(a: &str, b: &str, schema: EntitySchema) -> f64 {
    if a == b {
        return 1.0;
    }
    // An initial meets a name it begins ("J." and "John"), for people only.
    if schema == EntitySchema::Person && (a.len() == 1 || b.len() == 1) {
        return if a.chars().next() == b.chars().next() { 0.9 } else { 0.0 };
    }
    if a.len() < 4 || b.len() < 4 || !may_be_typo(a, b) {
        return 0.0;
    }
    let s = strsim::jaro_winkler(a, b);
    if s >= TYPO_SIMILARITY {
        s
    } else {
        0.0
    }
}

/// The words a name is compared by: its core, or, for a name that is nothing but a legal form
/// ("Company"), its words as written.
fn compared_words(p: &Prepared) -> std::borrow::Cow<'_, [String]> {
    if p.core.is_empty() {
        std::borrow::Cow::Owned(normalize::words(&p.original))
    } else {
        std::borrow::Cow::Borrowed(&p.core)
    }
}

/// How the words of two names paired up.
struct Alignment {
    /// The share of both names' word weight that found a partner.
    share: f64,
    /// Whether each side kept a word of three letters or more without a partner.
    lone_left: bool,
    lone_right: bool,
}

/// Pairs each word of `l` with the most similar unpaired word of `r`, reporting every decision
/// to `partner` (left index, right index and similarity, or none). Allocates nothing for names of
/// up to 64 words, because screening runs it for every candidate of every query.
fn align(
    schema: EntitySchema,
    l: &[String],
    r: &[String],
    mut partner: impl FnMut(usize, Option<(usize, f64)>),
) -> Alignment {
    let mut small = [false; 64];
    let mut large = Vec::new();
    let used: &mut [bool] = if r.len() <= small.len() {
        &mut small[..r.len()]
    } else {
        large.resize(r.len(), false);
        &mut large
    };
    let mut agreed = 0.0;
    let mut lone_left = false;
    for (li, a) in l.iter().enumerate() {
        // The last of equally similar words wins, as `Iterator::max_by` would have it.
        let mut best: Option<(usize, f64)> = None;
        for (i, b) in r.iter().enumerate() {
            if used[i] {
                continue;
            }
            let s = similarity(a, b, schema);
            if s > 0.0 && best.is_none_or(|(_, top)| s >= top) {
                best = Some((i, s));
            }
        }
        match best {
            Some((i, s)) => {
                used[i] = true;
                agreed += s * (weight(a) + weight(&r[i]));
            }
            None => lone_left |= letters(a) >= 3,
        }
        partner(li, best);
    }
    let lone_right = r.iter().zip(used.iter()).any(|(w, u)| !u && letters(w) >= 3);
    let total: f64 = l.iter().chain(r).map(|w| weight(w)).sum();
    Alignment { share: if total > 0.0 { agreed / total } else { 0.0 }, lone_left, lone_right }
}

/// The score of an alignment, once joined spellings, substitutions and numbers are weighed.
fn finish(l: &[String], r: &[String], aligned: &Alignment, numbers_disagree: bool, forms_disagree: bool) -> f64 {
    let mut score = aligned.share;
    // Words run together or split ("Poly Silicon" / "Polysilicon") meet as whole strings. The
    // edit distance is at least the difference in length, which usually settles it unread.
    let (ll, rl) = (l.iter().map(|w| letters(w)).sum::<usize>(), r.iter().map(|w| letters(w)).sum());
    if ll >= 6 && rl >= 6 {
        // Every letter one side has more of than the other costs at least one edit.
        let (mut hl, mut hr) = ([0u16; 37], [0u16; 37]);
        let count = |h: &mut [u16; 37], c: char| h[letter_slot(c)] = h[letter_slot(c)].saturating_add(1);
        l.iter().flat_map(|w| w.chars()).for_each(|c| count(&mut hl, c));
        r.iter().flat_map(|w| w.chars()).for_each(|c| count(&mut hr, c));
        let surplus = |a: &[u16; 37], b: &[u16; 37]| (0..36).map(|i| a[i].saturating_sub(b[i]) as usize).sum::<usize>();
        let edits = ll.abs_diff(rl).max(surplus(&hl, &hr)).max(surplus(&hr, &hl));
        let bound = 1.0 - edits as f64 / ll.max(rl) as f64;
        if bound > score && bound >= 0.9 {
            let whole = strsim::normalized_levenshtein(&l.concat(), &r.concat());
            if whole > score && whole >= 0.9 {
                score = whole;
            }
        }
    }
    // A word on each side without a partner is a substitution ("Hetian X" / "Aksu X"), which
    // says "another party" more than a word missing from one side ("X" / "X Group") does.
    if aligned.lone_left && aligned.lone_right {
        score *= SUBSTITUTION_FACTOR;
    }
    if numbers_disagree {
        score *= 0.5;
    }
    if forms_disagree {
        score *= LEGAL_FORM_FACTOR;
    }
    (score.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}

/// What a score keeps when both names carry legal forms of different kinds ("GmbH" / "PLC"):
/// little, because the words decide identity, but enough to prefer the listed party whose
/// form agrees when a group has several companies of one name.
const LEGAL_FORM_FACTOR: f64 = 0.97;

/// The kind of company a canonical legal form names; `None` for words any company may carry
/// ("Co.", "Corporation", "Group"), which never disagree with anything.
fn legal_form_kind(form: &str) -> Option<&str> {
    Some(match form {
        "co" | "corp" | "inc" | "group" => return None,
        "ltd" | "co ltd" | "pvt" | "pte" | "pty" | "sdn bhd" | "bhd" => "ltd",
        "llc" | "ooo" | "tov" => "llc",
        "gmbh" | "mbh" => "gmbh",
        "jsc" | "ojsc" | "cjsc" | "pjsc" | "oao" | "zao" | "pao" | "ao" => "jsc",
        "sa" | "sa de cv" | "sas" => "sa",
        "srl" | "s de rl" | "s de rl de cv" | "sarl" | "sl" => "srl",
        other => other,
    })
}

/// Both names carry a specific legal form and no kind is shared.
fn legal_forms_disagree(left: &Prepared, right: &Prepared) -> bool {
    fn kinds(p: &Prepared) -> Vec<&str> {
        p.legal_forms.iter().filter_map(|f| legal_form_kind(f)).collect()
    }
    let (l, r) = (kinds(left), kinds(right));
    !l.is_empty() && !r.is_empty() && !l.iter().any(|k| r.contains(k))
}

fn numbers_disagree(left: &Prepared, right: &Prepared) -> bool {
    !left.numbers.is_empty() && !right.numbers.is_empty() && left.numbers != right.numbers
}

/// The score of [`compare_prepared`] without its explanation: what screening ranks candidates by.
pub fn score_prepared(schema: EntitySchema, left: &Prepared, right: &Prepared) -> f64 {
    let (l, r) = (compared_words(left), compared_words(right));
    let aligned = align(schema, &l, &r, |_, _| {});
    finish(&l, &r, &aligned, numbers_disagree(left, right), legal_forms_disagree(left, right))
}

/// A letter's place in a histogram: a-z, 0-9, and one place for everything else.
fn letter_slot(c: char) -> usize {
    match c {
        'a'..='z' => c as usize - 'a' as usize,
        '0'..='9' => 26 + c as usize - '0' as usize,
        _ => 36,
    }
}

/// Whether two words share enough letters to reach [`TYPO_SIMILARITY`]: Jaro-Winkler is at most
/// 0.6 + 0.4 x Jaro, and Jaro is at most (m/|a| + m/|b| + 1) / 3 where m counts the letters both
/// hold, so most pairs of different words are settled by counting letters, without allocating.
fn may_be_typo(a: &str, b: &str) -> bool {
    let (mut ca, mut cb) = ([0u8; 37], [0u8; 37]);
    for c in a.chars() {
        ca[letter_slot(c)] = ca[letter_slot(c)].saturating_add(1);
    }
    for c in b.chars() {
        cb[letter_slot(c)] = cb[letter_slot(c)].saturating_add(1);
    }
    // Letters outside a-z and 0-9 are counted as shared, so the bound stays an upper bound.
    let shared: usize = (0..36).map(|i| ca[i].min(cb[i]) as usize).sum::<usize>() + ca[36].max(cb[36]) as usize;
    let (la, lb) = (letters(a) as f64, letters(b) as f64);
    let jaro_bound = (shared as f64 / la + shared as f64 / lb + 1.0) / 3.0;
    0.6 + 0.4 * jaro_bound.min(1.0) >= TYPO_SIMILARITY - 1e-9
}

/// Compares two prepared names.
pub fn compare_prepared(schema: EntitySchema, left: &Prepared, right: &Prepared) -> Comparison {
    let (l, r) = (compared_words(left), compared_words(right));
    let mut matched = Vec::new();
    let mut unmatched_left = Vec::new();
    let mut used = vec![false; r.len()];
    let aligned = align(schema, &l, &r, |li, best| match best {
        Some((ri, s)) => {
            used[ri] = true;
            matched.push((l[li].clone(), r[ri].clone(), (s * 1000.0).round() / 1000.0));
        }
        None => unmatched_left.push(l[li].clone()),
    });
    let unmatched_right: Vec<String> = r.iter().zip(&used).filter(|(_, u)| !**u).map(|(w, _)| w.clone()).collect();
    let numbers_disagree = numbers_disagree(left, right).then(|| (left.numbers.clone(), right.numbers.clone()));
    let forms_disagree = legal_forms_disagree(left, right);
    let score = finish(&l, &r, &aligned, numbers_disagree.is_some(), forms_disagree);
    let mut summary = if numbers_disagree.is_some() {
        "the names carry different numbers, so they likely name different sites or subsidiaries".to_string()
    } else if aligned.lone_left && aligned.lone_right {
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
    if forms_disagree {
        summary.push_str(&format!(
            "; legal forms of different kinds ({} / {})",
            left.legal_forms.join(" "),
            right.legal_forms.join(" ")
        ));
    }
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
        // Same words, legal forms of different kinds: still the same name, but the agreeing one ranks first.
        let gmbh = compare(Company, "Lagos Vikenko Steel Wire GmbH", "Lagos Vikenko Steel Wire PLC");
        let ltd = compare(Company, "Lagos Vikenko Steel Wire Ltd", "Lagos Vikenko Steel Wire Co., Ltd.");
        assert!(gmbh.score >= DEFAULT_THRESHOLD && gmbh.score < ltd.score, "{} {}", gmbh.score, ltd.score);
        assert!(gmbh.explanation.summary.contains("legal forms"), "{}", gmbh.explanation.summary);
        assert_eq!(compare(Company, "Hoshan Corporation", "Hoshan Co., Ltd.").score, 1.0);
        check(Person, "John Smith", "Jane Smith", false);
    }

    #[test]
    fn the_quick_score_is_the_explained_score() {
        let names = [
            "Hoshan Polysilicon Industry Co., Ltd",
            "HOSHAN POLYSILCON INDUSTRIES",
            "Hoshan Poly Silicon",
            "Industry Polysilicon Hoshan",
            "Garment Factory No. 3",
            "Garment Factory No. 5",
            "新疆联创棉纺织有限公司",
            "Xinjiang Lianchuang Cotton Textile",
            "Company",
            "J. Smith",
            "John Smith",
            "Jon Smyth",
            "Xnijiang Cotton",
        ];
        for schema in [EntitySchema::Company, EntitySchema::Person] {
            for a in names {
                for b in names {
                    let (pa, pb) = (prepare(a), prepare(b));
                    assert_eq!(score_prepared(schema, &pa, &pb), compare_prepared(schema, &pa, &pb).score, "{a} / {b}");
                }
            }
        }
    }

    #[test]
    fn counting_letters_never_rules_out_a_typo() {
        let words = [
            "polysilicon",
            "polysilcon",
            "xinjiang",
            "xnijiang",
            "smith",
            "smyth",
            "cotton",
            "textile",
            "aksu",
            "hotan",
        ];
        for a in words {
            for b in words {
                if a.len() >= 4 && b.len() >= 4 && strsim::jaro_winkler(a, b) >= TYPO_SIMILARITY {
                    assert!(may_be_typo(a, b), "{a} / {b}");
                }
            }
        }
        assert!(!may_be_typo("cotton", "textile"));
    }

    #[test]
    fn every_score_explains_itself() {
        let c = compare(EntitySchema::Company, "Hoshan Polysilicon Industry Co., Ltd", "Hoshan Silicon");
        assert!(c.explanation.unmatched_left.contains(&"polysilicon".to_string()));
        assert_eq!(c.explanation.legal_forms.0, ["co ltd"]);
        assert!(c.score < DEFAULT_THRESHOLD && c.score > 0.3, "{}", c.score);
    }
}
