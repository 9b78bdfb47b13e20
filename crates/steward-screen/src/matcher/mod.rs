//! The name matcher: how alike two names are, and why.
//!
//! Names are prepared once ([`normalize::prepare`]): transliterated, case- and punctuation-folded,
//! legal forms and numbers set apart. Two prepared names are compared word by word: each word of
//! one is paired with the most similar unpaired word of the other (equal, misspelt, or spelt by
//! another transliteration), words weigh by their length, and the score is the share of both names' weight that
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

/// The two names' shared context for comparing their words.
#[derive(Clone, Copy)]
struct Pair {
    schema: EntitySchema,
    /// Whether each name was written in a script without vowels.
    abjad: (bool, bool),
}

/// How alike two words are, 0 (different words) to 1 (the same word). Words meet when one is
/// the other misspelt, at most one slip in every five letters (Levenshtein, so "Abramov" does
/// not meet "Abramovich" as a shared beginning would have it), or spelt by another
/// transliteration ("Yevgeny" / "Evgeniy", "Alexei" / "Aleksey": see [`skeleton`]), or, against
/// a name in Arabic script, when the Latin word's consonants are the Arabic word's.
fn similarity(a: &str, b: &str, pair: Pair) -> f64 {
    if a == b {
        return 1.0;
    }
    let person = pair.schema == EntitySchema::Person;
    // An initial meets a name it begins ("J." and "John"), for people only.
    if person && (a.len() == 1 || b.len() == 1) {
        return if a.chars().next() == b.chars().next() { 0.9 } else { 0.0 };
    }
    if !a.is_ascii() || !b.is_ascii() {
        return 0.0;
    }
    // A word of an Arabic-script name is its consonants: "bshr" is "Bashar", "lsd" "al-Assad".
    if pair.abjad.0 != pair.abjad.1 {
        let (arabic, latin) = if pair.abjad.0 { (a, b) } else { (b, a) };
        let (mut la, mut ar) = ([0u8; 64], [0u8; 64]);
        let latin = consonants(latin.as_bytes(), &mut la);
        let arabic = consonants(arabic.as_bytes(), &mut ar);
        let article = arabic.strip_prefix(b"l").filter(|rest| rest.len() >= 2);
        for form in std::iter::once(arabic).chain(article) {
            if !latin.is_empty() && (latin == form || (form.len() >= 4 && slip_ratio(latin, form).is_some())) {
                return 0.85;
            }
        }
        return 0.0;
    }
    if a.len() < 3 || b.len() < 3 {
        return 0.0;
    }
    // "Ivanov" / "Ivanova", "Alexander" / "Alexandra": a man's and a woman's form of one name.
    if person && gendered(a.as_bytes(), b.as_bytes()) {
        return 0.0;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() >= 4 && b.len() >= 4 {
        let shared = shared_letters(a, b);
        if let Some(r) = slip_ratio_sharing(a, b, shared) {
            return (1.0 + r) / 2.0;
        }
        // Spellings of one name are about as long and share most letters; most pairs of words
        // are told apart here without spelling either anew.
        if a.len().abs_diff(b.len()) <= 3 && shared * 2 >= a.len().max(b.len()) {
            let (mut sa, mut sb) = ([0u8; 64], [0u8; 64]);
            let (ka, kb) = (skeleton(a, &mut sa), skeleton(b, &mut sb));
            if let Some(r) = slip_ratio(ka, kb) {
                return (1.0 + r) / 2.0 - 0.05;
            }
        }
    }
    0.0
}

/// Whether one word is the other with a feminine "-a" ("Ivanov" / "Ivanova").
fn gendered(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    long.len() == short.len() + 1
        && long.starts_with(short)
        && long.last() == Some(&b'a')
        && short.last().is_some_and(|c| !b"aeiouy".contains(c))
}

/// `1 - edits / longer length` when the words are within one slip per five letters (at least
/// one), else `None`. Settled by counting letters first, so most pairs cost no edit distance.
fn slip_ratio(a: &[u8], b: &[u8]) -> Option<f64> {
    slip_ratio_sharing(a, b, shared_letters(a, b))
}

/// [`slip_ratio`] when the letters the words share are already counted: every letter one word
/// has and the other lacks costs at least one edit.
fn slip_ratio_sharing(a: &[u8], b: &[u8], shared: usize) -> Option<f64> {
    let longer = a.len().max(b.len());
    let allowed = (longer / 5).max(1);
    if longer - shared > allowed {
        return None;
    }
    let n = edits(a, b);
    (n <= allowed).then(|| 1.0 - n as f64 / longer as f64)
}

/// How many letters two words have in common, counted with repeats.
fn shared_letters(a: &[u8], b: &[u8]) -> usize {
    let (mut ca, mut cb) = ([0u8; 37], [0u8; 37]);
    for &c in a {
        ca[letter_slot(c as char)] = ca[letter_slot(c as char)].saturating_add(1);
    }
    for &c in b {
        cb[letter_slot(c as char)] = cb[letter_slot(c as char)].saturating_add(1);
    }
    (0..37).map(|i| ca[i].min(cb[i]) as usize).sum()
}

/// Edit distance between two short byte strings, a swap of neighbouring letters counting as
/// one edit ("Txetiles"), without allocating for words of up to 63 bytes (screening compares
/// words of every candidate of every query).
fn edits(a: &[u8], b: &[u8]) -> usize {
    if b.len() >= 64 {
        // No word is this long; whatever it is, it is not a misspelling of another.
        return a.len().max(b.len());
    }
    let (mut before, mut previous, mut row) = ([0usize; 64], [0usize; 64], [0usize; 64]);
    for (j, cell) in previous.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for i in 0..a.len() {
        row[0] = i + 1;
        for j in 0..b.len() {
            let cost = usize::from(a[i] != b[j]);
            let mut best = (previous[j + 1] + 1).min(row[j] + 1).min(previous[j] + cost);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                best = best.min(before[j - 1] + 1);
            }
            row[j + 1] = best;
        }
        before = previous;
        previous = row;
    }
    previous[b.len()]
}

/// A word as it sounds across transliterations: the spellings that systems of romanisation
/// choose between are folded to one ("kh"/"h", "zh"/"j", "x"/"ks", "q"/"k", "w"/"v", "y"/"i",
/// "ou"/"u", an opening "ye"/"e", doubled letters), so "Yevgeny", "Evgeniy" and "Evgueni" meet.
fn skeleton<'a>(word: &[u8], out: &'a mut [u8; 64]) -> &'a [u8] {
    let mut n = 0;
    let mut push = |c: u8, out: &mut [u8; 64]| {
        if n < out.len() && (n == 0 || out[n - 1] != c) {
            out[n] = c;
            n += 1;
        }
    };
    let mut i = usize::from(word.starts_with(b"ye"));
    while i < word.len() {
        let next = word.get(i + 1).copied();
        let (c, skip) = match (word[i], next) {
            (b'k' | b'g' | b'd' | b't' | b'p', Some(b'h')) => (if word[i] == b'p' { b'f' } else { word[i] }, 2),
            (b'z', Some(b'h')) => (b'j', 2),
            (b'd', Some(b'j')) => (b'j', 2),
            (b'c', Some(b'k')) => (b'k', 2),
            (b'g', Some(b'u')) if matches!(word.get(i + 2), Some(b'e' | b'i')) => (b'g', 2),
            (b'o', Some(b'u')) => (b'u', 2),
            (b'x', _) => {
                push(b'k', out);
                (b's', 1)
            }
            (b'q', _) => (b'k', 1),
            (b'w', _) => (b'v', 1),
            (b'y', _) => (b'i', 1),
            (c, _) => (c, 1),
        };
        push(c, out);
        i += skip;
    }
    &out[..n]
}

/// A word's consonants, doubled ones once: what an Arabic spelling without short vowels keeps
/// (y and w, which Arabic writes for long vowels, are dropped from both sides).
fn consonants<'a>(word: &[u8], out: &'a mut [u8; 64]) -> &'a [u8] {
    let mut n = 0;
    for &c in word.iter().filter(|c| !b"aeiouyw".contains(c)) {
        if n < out.len() && (n == 0 || out[n - 1] != c) {
            out[n] = c;
            n += 1;
        }
    }
    &out[..n]
}

/// The words a name is compared by: its core, or, for a name that is nothing but a legal form
/// ("Company"), its words as written. A person's titles are left out.
fn compared_words(p: &Prepared, schema: EntitySchema) -> std::borrow::Cow<'_, [String]> {
    if p.core.is_empty() {
        return std::borrow::Cow::Owned(normalize::words(&p.original));
    }
    if schema == EntitySchema::Person && p.titled {
        return std::borrow::Cow::Owned(p.core.iter().filter(|w| !normalize::is_title(w)).cloned().collect());
    }
    std::borrow::Cow::Borrowed(&p.core)
}

/// The words of two names to compare: each name's [`compared_words`], and, when one is written
/// in Chinese characters and the other is not, the Chinese name's syllables run together where
/// the other name writes them as one word ("xin jiang" / "xinjiang").
fn word_lists<'a>(
    schema: EntitySchema,
    left: &'a Prepared,
    right: &'a Prepared,
) -> (std::borrow::Cow<'a, [String]>, std::borrow::Cow<'a, [String]>) {
    let (l, r) = (compared_words(left, schema), compared_words(right, schema));
    match (left.han, right.han) {
        (true, false) => (std::borrow::Cow::Owned(join_syllables(&l, &r)), r),
        (false, true) => {
            let joined = join_syllables(&r, &l);
            (l, std::borrow::Cow::Owned(joined))
        }
        _ => (l, r),
    }
}

/// Runs of two to four syllables of `han` joined where the run, written together, is a word of
/// `latin` or that word misspelt (one slip in five letters). Longest runs first, left to right.
fn join_syllables(han: &[String], latin: &[String]) -> Vec<String> {
    let syllable = |w: &String| w.len() <= 6 && w.bytes().all(|b| b.is_ascii_lowercase());
    let mut out = Vec::with_capacity(han.len());
    let mut i = 0;
    while i < han.len() {
        let mut joined = None;
        for n in (2..=4).rev() {
            let Some(run) = han.get(i..i + n) else { continue };
            if !run.iter().all(syllable) {
                continue;
            }
            let together = run.concat();
            let meets = |w: &String| {
                *w == together || (w.len() >= 5 && slip_ratio(w.as_bytes(), together.as_bytes()).is_some())
            };
            if latin.iter().any(meets) {
                joined = Some((n, together));
                break;
            }
        }
        match joined {
            Some((n, together)) => {
                out.push(together);
                i += n;
            }
            None => {
                out.push(han[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// How the words of two names paired up.
struct Alignment {
    /// The share of both names' word weight that found a partner.
    share: f64,
    /// Whether each side kept a word of three letters or more without a partner.
    lone_left: bool,
    lone_right: bool,
    /// Words that found a partner, and the weight of both partners' words.
    paired: usize,
    paired_weight: f64,
    /// The similarity of the paired words, weighted.
    agreed: f64,
    /// Words of each side without a partner.
    unpaired: (usize, usize),
}

/// Pairs each word of `l` with the most similar unpaired word of `r`, reporting every decision
/// to `partner` (left index, right index and similarity, or none). Allocates nothing for names of
/// up to 64 words, because screening runs it for every candidate of every query.
fn align(pair: Pair, l: &[String], r: &[String], mut partner: impl FnMut(usize, Option<(usize, f64)>)) -> Alignment {
    let mut small = [false; 64];
    let mut large = Vec::new();
    let used: &mut [bool] = if r.len() <= small.len() {
        &mut small[..r.len()]
    } else {
        large.resize(r.len(), false);
        &mut large
    };
    let (mut agreed, mut paired, mut paired_weight) = (0.0, 0, 0.0);
    let mut lone_left = false;
    for (li, a) in l.iter().enumerate() {
        // The last of equally similar words wins, as `Iterator::max_by` would have it.
        let mut best: Option<(usize, f64)> = None;
        for (i, b) in r.iter().enumerate() {
            if used[i] {
                continue;
            }
            let s = similarity(a, b, pair);
            if s > 0.0 && best.is_none_or(|(_, top)| s >= top) {
                best = Some((i, s));
            }
        }
        match best {
            Some((i, s)) => {
                used[i] = true;
                paired += 1;
                paired_weight += weight(a) + weight(&r[i]);
                agreed += s * (weight(a) + weight(&r[i]));
            }
            None => lone_left |= letters(a) >= 3,
        }
        partner(li, best);
    }
    let lone_right = r.iter().zip(used.iter()).any(|(w, u)| !u && letters(w) >= 3);
    let total: f64 = l.iter().chain(r).map(|w| weight(w)).sum();
    Alignment {
        share: if total > 0.0 { agreed / total } else { 0.0 },
        lone_left,
        lone_right,
        paired,
        paired_weight,
        agreed,
        unpaired: (l.len() - paired, r.len() - paired),
    }
}

/// What a person's score keeps for each name (a middle name, a patronymic, a second surname)
/// that one side writes and the other leaves out.
const EXTRA_NAME_FACTOR: f64 = 0.96;

/// What else decides a score beside the words.
#[derive(Default)]
struct Evidence {
    numbers_disagree: bool,
    forms_disagree: bool,
    /// Both names carry a generation and they differ ("Jr." / "Sr.").
    generations_disagree: bool,
    /// One name carries a generation the other does not.
    generation_alone: bool,
}

impl Evidence {
    fn of(left: &Prepared, right: &Prepared) -> Self {
        Evidence {
            numbers_disagree: numbers_disagree(left, right),
            forms_disagree: legal_forms_disagree(left, right),
            generations_disagree: matches!((left.generation, right.generation), (Some(a), Some(b)) if a != b),
            generation_alone: left.generation.is_some() != right.generation.is_some(),
        }
    }
}

/// The score of an alignment, once joined spellings, substitutions and numbers are weighed.
fn finish(pair: Pair, l: &[String], r: &[String], aligned: &Alignment, evidence: &Evidence) -> f64 {
    let mut score = aligned.share;
    // A person is written with more or fewer of their names ("Dmitry Medvedev" / "Dmitriy
    // Anatolyevich Medvedev"): when every name of one side has its partner, the names left over
    // cost a little each, not their whole weight.
    if pair.schema == EntitySchema::Person
        && aligned.paired >= 2
        && (aligned.unpaired.0 == 0 || aligned.unpaired.1 == 0)
        && aligned.paired_weight > 0.0
    {
        let extra = aligned.unpaired.0 + aligned.unpaired.1;
        let mean = aligned.agreed / aligned.paired_weight;
        score = score.max(mean * EXTRA_NAME_FACTOR.powi(i32::try_from(extra).unwrap_or(i32::MAX)));
    }
    // Words run together or split ("Poly Silicon" / "Polysilicon") meet as whole strings. The
    // edit distance is at least the difference in length, which usually settles it unread.
    let (ll, rl) = (l.iter().map(|w| letters(w)).sum::<usize>(), r.iter().map(|w| letters(w)).sum());
    // The difference in length alone usually settles it before a letter is counted.
    let length_bound = 1.0 - ll.abs_diff(rl) as f64 / ll.max(rl).max(1) as f64;
    if ll >= 6 && rl >= 6 && length_bound > score && length_bound >= 0.9 {
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
    if evidence.numbers_disagree || evidence.generations_disagree {
        score *= 0.5;
    }
    if evidence.generation_alone {
        score *= 0.8;
    }
    if evidence.forms_disagree {
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
    let (l, r) = word_lists(schema, left, right);
    let pair = Pair { schema, abjad: (left.abjad, right.abjad) };
    let aligned = align(pair, &l, &r, |_, _| {});
    let score = finish(pair, &l, &r, &aligned, &Evidence::of(left, right));
    if score < ACRONYM_SCORE && acronym_of(schema, left, right) {
        return ACRONYM_SCORE;
    }
    score
}

/// The score of a name written as the initials of the other ("IRGC" / "Islamic Revolutionary
/// Guard Corps"): a strong sign, not proof, since initials are shared by chance.
const ACRONYM_SCORE: f64 = 0.85;

/// Whether one of two organisations' names is the other's initials: written in capitals, one to
/// three words of at most six letters run together ("AFL-CIO"), equal to the first letters of the
/// other's words, with or without its small words ("of", "and") and legal forms.
fn acronym_of(schema: EntitySchema, left: &Prepared, right: &Prepared) -> bool {
    fn acronym(p: &Prepared) -> Option<String> {
        // Settled when the name was prepared: screening scores every candidate this way.
        if !p.capitals {
            return None;
        }
        let words = normalize::words(&p.original);
        ((1..=3).contains(&words.len()) && words.iter().all(|w| w.len() <= 6)).then(|| words.concat())
    }
    fn initials(p: &Prepared, acronym: &str) -> bool {
        let mut words = normalize::words(&p.original);
        // A country's initials before the name ("U.S. Customs and Border Protection" is CBP).
        while words.len() > 2 && words[0].len() == 1 {
            words.remove(0);
        }
        if words.len() < 2 {
            return false;
        }
        // Small words acronyms skip ("Roundtable on Sustainable Palm Oil" is RSPO).
        const SMALL: &[&str] = &["on", "for", "in", "at", "to", "a", "an", "with", "by"];
        let small = |w: &str| normalize::is_stop_word(w) || SMALL.contains(&w);
        let form = |w: &str| {
            normalize::is_legal_form_word(w) && p.legal_forms.iter().any(|f| !f.is_empty())
                || p.legal_forms.iter().any(|f| f.split(' ').any(|part| part == w))
        };
        // With the trailing legal forms, or some of them ("China Railway Construction
        // Corporation Limited" is CRCC), or none.
        let trailing = words.iter().rev().take_while(|w| form(w)).count();
        (0..=trailing).any(|dropped| {
            let kept = &words[..words.len() - dropped];
            let firsts = |keep: &dyn Fn(&str) -> bool| -> String {
                kept.iter().filter(|w| keep(w)).filter_map(|w| w.chars().next()).collect()
            };
            [firsts(&|_| true), firsts(&|w| !small(w)), firsts(&|w| !small(w) && !form(w))].iter().any(|f| f == acronym)
        })
    }
    if schema == EntitySchema::Person {
        return false;
    }
    match (acronym(left), acronym(right)) {
        (Some(a), None) => initials(right, &a),
        (None, Some(b)) => initials(left, &b),
        _ => false,
    }
}

/// A letter's place in a histogram: a-z, 0-9, and one place for everything else.
fn letter_slot(c: char) -> usize {
    match c {
        'a'..='z' => c as usize - 'a' as usize,
        '0'..='9' => 26 + c as usize - '0' as usize,
        _ => 36,
    }
}

/// Compares two prepared names.
pub fn compare_prepared(schema: EntitySchema, left: &Prepared, right: &Prepared) -> Comparison {
    let (l, r) = word_lists(schema, left, right);
    let pair = Pair { schema, abjad: (left.abjad, right.abjad) };
    let mut matched = Vec::new();
    let mut unmatched_left = Vec::new();
    let mut used = vec![false; r.len()];
    let aligned = align(pair, &l, &r, |li, best| match best {
        Some((ri, s)) => {
            used[ri] = true;
            matched.push((l[li].clone(), r[ri].clone(), (s * 1000.0).round() / 1000.0));
        }
        None => unmatched_left.push(l[li].clone()),
    });
    let unmatched_right: Vec<String> = r.iter().zip(&used).filter(|(_, u)| !**u).map(|(w, _)| w.clone()).collect();
    let evidence = Evidence::of(left, right);
    let numbers_disagree = evidence.numbers_disagree.then(|| (left.numbers.clone(), right.numbers.clone()));
    let forms_disagree = evidence.forms_disagree;
    let mut score = finish(pair, &l, &r, &aligned, &evidence);
    let acronym = score < ACRONYM_SCORE && acronym_of(schema, left, right);
    if acronym {
        score = ACRONYM_SCORE;
    }
    let mut summary = if acronym {
        "one name is the initials of the other".to_string()
    } else if evidence.generations_disagree {
        "the names carry different generations (Jr. / Sr.), as a father and son do".to_string()
    } else if numbers_disagree.is_some() {
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
    if evidence.generation_alone {
        summary.push_str("; only one name carries a generation (Jr., Sr., III)");
    }
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
    fn counting_letters_never_rules_out_a_slip() {
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
            "abramov",
            "abramovich",
            "lukashenko",
            "lukashenka",
            "textiles",
            "txetiles",
        ];
        for a in words {
            for b in words {
                let expected = strsim::osa_distance(a, b);
                assert_eq!(edits(a.as_bytes(), b.as_bytes()), expected, "{a} / {b}");
                let allowed = (a.len().max(b.len()) / 5).max(1);
                assert_eq!(slip_ratio(a.as_bytes(), b.as_bytes()).is_some(), expected <= allowed, "{a} / {b}");
            }
        }
    }

    #[test]
    fn transliterations_meet_and_kin_do_not() {
        use EntitySchema::Person;
        check(Person, "Dmitry Medvedev", "Dmitriy Anatolyevich Medvedev", true);
        check(Person, "Yevgeny Prigozhin", "Evgeniy Prigozhin", true);
        check(Person, "Alexei Navalny", "Aleksey Navalnyy", true);
        check(Person, "Alexander Ivanov", "Alexandra Ivanova", false);
        check(Person, "Roman Abramovich", "Roman Abramov", false);
        check(Person, "Ferdinand Marcos Jr.", "Ferdinand Marcos Sr.", false);
        check(Person, "Dr. Mahathir Mohamad", "Mahathir Mohamad", true);
        check(Person, "بشار الأسد", "Bashar al-Assad", true);
        check(EntitySchema::Company, "中铁二十局集团有限公司", "中铁二十二局集团有限公司", false);
    }

    #[test]
    fn chinese_names_meet_their_pinyin_and_english_names() {
        use EntitySchema::Company;
        // Syllables run together as English names write them; trade words read in English.
        check(Company, "新疆联创棉纺织有限公司", "Xinjiang Lianchuang Cotton Textile Co., Ltd.", true);
        check(Company, "新疆神火煤电有限公司", "Xinjiang Shenhuo Coal and Electricity Co., Ltd.", true);
        check(Company, "合盛硅业股份有限公司", "Hesheng Silicon Industry Co., Ltd.", true);
        // ...but a different place, brand or trade still tells companies apart.
        check(Company, "新疆联创棉纺织有限公司", "Xinjiang Tianshan Cotton Textile Co., Ltd.", false);
        check(Company, "新疆神火煤电有限公司", "Xinjiang Shenhuo Aluminium Co., Ltd.", false);
        check(Company, "新疆联创棉纺织有限公司分公司", "Xinjiang Lianchuang Cotton Textile Co., Ltd.", false);
    }

    #[test]
    fn acronyms_skip_small_words_country_initials_and_some_legal_forms() {
        use EntitySchema::{Company, Organization};
        check(Organization, "RSPO", "Roundtable on Sustainable Palm Oil", true);
        check(Organization, "CBP", "U.S. Customs and Border Protection", true);
        check(Company, "CRCC", "China Railway Construction Corporation Limited", true);
        check(Company, "CRCC", "China Railway Group Limited", false);
        check(Company, "Gazprombank", "Газпромбанк (Акционерное общество)", true);
    }

    #[test]
    fn every_score_explains_itself() {
        let c = compare(EntitySchema::Company, "Hoshan Polysilicon Industry Co., Ltd", "Hoshan Silicon");
        assert!(c.explanation.unmatched_left.contains(&"polysilicon".to_string()));
        assert_eq!(c.explanation.legal_forms.0, ["co ltd"]);
        assert!(c.score < DEFAULT_THRESHOLD && c.score > 0.3, "{}", c.score);
    }
}
