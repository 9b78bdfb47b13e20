//! Countries and territories: ISO 3166-1 from the `rust_iso3166` crate, plus the name variants
//! that official lists use ("Burma", "Congo, Democratic Republic of the", "Turkey (Türkiye)").
//!
//! Resolution compares names after folding case, accents, punctuation and the word "the", and
//! tries the parts of inverted ("Korea, Republic of") and parenthesised names, then formal names
//! without the words describing the state's form, so that variants need listing only where the
//! words themselves differ.

use crate::error::{CoreError, CoreResult};
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// A country or territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub alpha2: &'static str,
    /// ISO 3166-1 alpha-3 code.
    pub alpha3: &'static str,
    /// English short name as ISO publishes it.
    pub name: &'static str,
}

/// Names used by official lists and in everyday speech whose words differ from ISO's. Each is a
/// public fact about how a country is called; the codes come from ISO 3166-1.
const VARIANTS: &[(&str, &str)] = &[
    ("Burma", "MM"),
    ("Myanmar", "MM"),
    ("Ivory Coast", "CI"),
    ("Cote d'Ivoire", "CI"),
    ("Democratic Republic of the Congo", "CD"),
    ("DR Congo", "CD"),
    ("DRC", "CD"),
    ("Congo-Kinshasa", "CD"),
    ("Republic of the Congo", "CG"),
    ("Congo-Brazzaville", "CG"),
    ("Congo, Republic of the", "CG"),
    ("Turkey", "TR"),
    ("Turkiye", "TR"),
    ("Kyrgyz Republic", "KG"),
    ("Kyrgyzstan", "KG"),
    ("Laos", "LA"),
    ("Lao PDR", "LA"),
    ("Russia", "RU"),
    ("South Korea", "KR"),
    ("Korea, South", "KR"),
    ("North Korea", "KP"),
    ("Korea, North", "KP"),
    ("Syria", "SY"),
    ("Iran", "IR"),
    ("Vietnam", "VN"),
    ("Viet Nam", "VN"),
    ("Bolivia", "BO"),
    ("Venezuela", "VE"),
    ("Tanzania", "TZ"),
    ("Moldova", "MD"),
    ("Palestine", "PS"),
    ("West Bank and Gaza", "PS"),
    ("Palestinian Territories", "PS"),
    ("Swaziland", "SZ"),
    ("Eswatini", "SZ"),
    ("Macedonia", "MK"),
    ("North Macedonia", "MK"),
    ("Czech Republic", "CZ"),
    ("Czechia", "CZ"),
    ("Cape Verde", "CV"),
    ("Cabo Verde", "CV"),
    ("Brunei", "BN"),
    ("Micronesia", "FM"),
    ("Taiwan", "TW"),
    ("United States", "US"),
    ("United States of America", "US"),
    ("USA", "US"),
    ("United Kingdom", "GB"),
    ("UK", "GB"),
    ("Great Britain", "GB"),
    ("Britain", "GB"),
    ("The Gambia", "GM"),
    ("Gambia, The", "GM"),
    ("Bahamas, The", "BS"),
    ("East Timor", "TL"),
    ("Timor-Leste", "TL"),
    ("Vatican", "VA"),
    ("Holy See", "VA"),
    ("Netherlands", "NL"),
    ("Hong Kong", "HK"),
    ("Macau", "MO"),
    ("Macao", "MO"),
    ("Sao Tome and Principe", "ST"),
    ("Saint Kitts and Nevis", "KN"),
    ("St. Kitts and Nevis", "KN"),
    ("Saint Lucia", "LC"),
    ("St. Lucia", "LC"),
    ("Saint Vincent and the Grenadines", "VC"),
    ("St. Vincent and the Grenadines", "VC"),
    ("Falkland Islands", "FK"),
    ("Reunion", "RE"),
    ("Curacao", "CW"),
    ("Caribbean Netherlands", "BQ"),
    ("Bosnia", "BA"),
    ("UAE", "AE"),
];

/// Folds a name for comparison: accents, case, punctuation and the word "the" do not count, "&"
/// reads "and" and "St." reads "Saint".
pub fn fold(name: &str) -> String {
    fold_words(name).concat()
}

/// The words of a name, folded as [`fold`] does, before they are joined.
fn fold_words(name: &str) -> Vec<String> {
    let mut out = String::with_capacity(name.len());
    for c in name.nfkd() {
        // Apostrophes join ("Côte d'Ivoire" folds like "Cote dIvoire").
        if unicode_normalization::char::is_combining_mark(c) || c == '\'' || c == '\u{2019}' {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == '&' {
            out.push_str(" and ");
        } else {
            out.push(' ');
        }
    }
    let mut words: Vec<String> = out
        .split_whitespace()
        .map(|w| match w {
            "st" => "saint".to_string(),
            "ste" => "sainte".to_string(),
            w => w.to_string(),
        })
        .collect();
    words.retain(|w| w != "the");
    words
}

/// Words that describe a state's form rather than name it ("the Islamic Republic of ...",
/// "the Kingdom of ..."). A name that is not known as written is tried again without them.
const FORMAL: &[&str] = &[
    "the",
    "of",
    "republic",
    "kingdom",
    "state",
    "states",
    "federal",
    "federative",
    "federation",
    "democratic",
    "people",
    "peoples",
    "popular",
    "islamic",
    "united",
    "socialist",
    "plurinational",
    "bolivarian",
    "oriental",
    "principality",
    "grand",
    "duchy",
    "sultanate",
    "commonwealth",
    "arab",
    "hashemite",
    "independent",
    "cooperative",
    "union",
    "territory",
    "emirate",
    "co",
    "operative",
];

/// Folded names to countries: `whole` from complete names (ISO's, then the variants), `parts`
/// from pieces of them ("Saint Helena" of "Saint Helena, Ascension and Tristan da Cunha"). A piece
/// shared by two countries ("Korea") names neither, so it is kept as `None`.
struct Index {
    whole: HashMap<String, Country>,
    parts: HashMap<String, Option<Country>>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut idx = Index { whole: HashMap::new(), parts: HashMap::new() };
        let named = all()
            .map(|c| (c.name, c))
            .chain(VARIANTS.iter().filter_map(|(variant, code)| by_alpha2(code).map(|c| (*variant, c))));
        for (name, c) in named {
            let (whole, parts) = forms_of(name);
            for form in whole {
                idx.whole.entry(fold(&form)).or_insert(c);
            }
            for form in parts {
                let slot = idx.parts.entry(fold(&form)).or_insert(Some(c));
                if slot.is_some_and(|other| other != c) {
                    *slot = None;
                }
            }
        }
        idx
    })
}

/// The ways a written name can be read: whole (itself, inverted "Korea, Republic of", and
/// "Congo (Democratic Republic of the)" read as one phrase) and in parts (before the comma,
/// without the parenthesis, inside it).
fn forms_of(name: &str) -> (Vec<String>, Vec<String>) {
    let mut whole = vec![name.to_string()];
    let mut parts = Vec::new();
    if let Some((head, tail)) = name.split_once(',') {
        whole.push(format!("{} {}", tail.trim(), head.trim()));
        parts.push(head.trim().to_string());
    }
    if let (Some(open), Some(close)) = (name.find('('), name.rfind(')')) {
        if open < close {
            let before = name[..open].trim();
            let after = name[close + 1..].trim();
            let inside = name[open + 1..close].trim();
            whole.push(format!("{inside} {before} {after}"));
            parts.push(format!("{before} {after}"));
            parts.push(inside.to_string());
        }
    }
    (whole, parts)
}

/// Every ISO 3166-1 country and territory, in ISO order.
pub fn all() -> impl Iterator<Item = Country> {
    rust_iso3166::ALL.iter().map(|c| Country { alpha2: c.alpha2, alpha3: c.alpha3, name: c.name })
}

/// The alpha-2 code of an ISO 3166-1 numeric code (map data is keyed by the numeric code).
pub fn alpha2_of_numeric(numeric: u16) -> Option<&'static str> {
    rust_iso3166::from_numeric(numeric).map(|c| c.alpha2)
}

/// The country with this alpha-2 code (any case).
pub fn by_alpha2(code: &str) -> Option<Country> {
    rust_iso3166::from_alpha2(&code.trim().to_ascii_uppercase()).map(|c| Country {
        alpha2: c.alpha2,
        alpha3: c.alpha3,
        name: c.name,
    })
}

/// Resolves a code (alpha-2 or alpha-3) or a name, in any of the variants lists use.
pub fn resolve(input: &str) -> CoreResult<Country> {
    let trimmed = input.trim();
    let upper = trimmed.to_ascii_uppercase();
    let code = match upper.len() {
        2 => rust_iso3166::from_alpha2(&upper),
        3 => rust_iso3166::from_alpha3(&upper),
        _ => None,
    };
    if let Some(c) = code {
        return Ok(Country { alpha2: c.alpha2, alpha3: c.alpha3, name: c.name });
    }
    let idx = index();
    let (whole, parts) = forms_of(trimmed);
    let folded: Vec<String> = whole.iter().chain(&parts).map(|f| fold(f)).collect();
    let found = folded
        .iter()
        .find_map(|f| idx.whole.get(f).copied())
        .or_else(|| folded.iter().find_map(|f| idx.parts.get(f).copied().flatten()))
        .or_else(|| {
            // Formal names: drop the leading words that describe the state's form, try the rest.
            whole.iter().find_map(|n| {
                let words = fold_words(n);
                let rest: String =
                    words.iter().skip_while(|w| FORMAL.contains(&w.as_str())).map(String::as_str).collect();
                (!rest.is_empty() && rest.len() < words.concat().len())
                    .then(|| idx.whole.get(&rest).copied().or_else(|| idx.parts.get(&rest).copied().flatten()))
                    .flatten()
            })
        });
    found.ok_or_else(|| CoreError::InvalidCountry { value: input.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(resolve(input).map(|c| c.alpha2), Ok(expected), "{input}");
    }

    #[test]
    fn codes_and_official_list_variants_resolve() {
        check("kh", "KH");
        check("KHM", "KH");
        check("Cambodia", "KH");
        check("Burma", "MM");
        check("Congo, Democratic Republic of the", "CD");
        check("Democratic Republic of the Congo", "CD");
        check("Congo, Republic of the", "CG");
        check("Congo", "CG");
        check("Côte d'Ivoire", "CI");
        check("Cote dIvoire", "CI");
        check("Türkiye", "TR");
        check("Turkey (Türkiye)", "TR");
        check("Korea, Republic of", "KR");
        check("Bolivia", "BO");
        check("Kyrgyz Republic", "KG");
        check("the Philippines", "PH");
        check("Bosnia & Herzegovina", "BA");
        check("St. Kitts & Nevis", "KN");
        check("the Islamic Republic of Afghanistan", "AF");
        check("the Kingdom of Bhutan", "BT");
        check("the Republic of Trinidad and Tobago", "TT");
        check("Côte d’Ivoire", "CI");
        // Formal words are only dropped when the full name is unknown: these stay themselves.
        check("Democratic Republic of the Congo", "CD");
        check("Republic of the Congo", "CG");
        check("Democratic Republic of Congo", "CD");
        check("Republic of Congo", "CG");
        check("Congo (Kinshasa)", "CD");
        check("Saint Helena", "SH");
        check("St. Martin", "MF");
        check("Cocos Islands", "CC");
        assert!(resolve("Korea").is_err(), "ambiguous pieces name no country");
        check("Dominican Republic", "DO");
        check("Central African Republic", "CF");
        assert!(resolve("Atlantis").is_err());
        assert!(resolve("").is_err());
    }

    #[test]
    fn all_iso_countries_are_there() {
        assert!(all().count() >= 249);
        assert!(all().all(|c| resolve(c.name).map(|r| r.alpha2) == Ok(c.alpha2)));
    }

    /// Every country named in every edition of the List of Goods resolves. Reads the editions from
    /// ../shared/data at test time; they are not shipped.
    #[test]
    fn every_country_in_the_ilab_lists_resolves() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ilab-tvpra-list");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("SKIPPED: {} is missing; the ILAB editions are not available", dir.display());
            return;
        };
        let mut seen = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("csv") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable edition");
            for line in text.lines().skip(1) {
                // Fields are good, sector, country, ...; the good may be quoted with commas.
                let fields = split_csv_line(line);
                let Some(country) = fields.get(2) else { continue };
                seen += 1;
                assert!(resolve(country).is_ok(), "{}: country '{country}' does not resolve", path.display());
            }
        }
        assert!(seen > 100, "read the editions");
    }

    fn split_csv_line(line: &str) -> Vec<String> {
        let mut out = vec![String::new()];
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => out.push(String::new()),
                c => out.last_mut().expect("one field").push(c),
            }
        }
        out
    }
}
