//! Countries and territories: ISO 3166-1 from the `rust_iso3166` crate, plus the name variants
//! that official lists use ("Burma", "Congo, Democratic Republic of the", "Turkey (Türkiye)").
//!
//! Resolution compares names after folding case, accents and punctuation and dropping a leading
//! "the", and tries the parts of inverted ("Korea, Republic of") and parenthesised names, so that
//! variants need listing only where the words themselves differ.

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
    ("Bosnia", "BA"),
    ("UAE", "AE"),
];

/// Folds a name for comparison: accents, case, punctuation and a leading "the" do not count.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
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
    let words: Vec<&str> = out.split_whitespace().collect();
    let words = match words.first() {
        Some(&"the") => &words[1..],
        _ => &words[..],
    };
    words.concat()
}

fn index() -> &'static HashMap<String, Country> {
    static INDEX: OnceLock<HashMap<String, Country>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map = HashMap::new();
        for c in all() {
            for name in names_of(c.name) {
                map.entry(fold(&name)).or_insert(c);
            }
        }
        for (variant, code) in VARIANTS {
            if let Some(c) = by_alpha2(code) {
                for name in names_of(variant) {
                    map.entry(fold(&name)).or_insert(c);
                }
            }
        }
        map
    })
}

/// The forms a written name can take: itself, its inverted parts put back in order, and the
/// parts outside and inside parentheses.
fn names_of(name: &str) -> Vec<String> {
    let mut out = vec![name.to_string()];
    if let Some((head, tail)) = name.split_once(',') {
        out.push(format!("{} {}", tail.trim(), head.trim()));
    }
    if let (Some(open), Some(close)) = (name.find('('), name.rfind(')')) {
        if open < close {
            let outside = name[..open].trim();
            let inside = name[open + 1..close].trim();
            // "Congo (Democratic Republic of the)" reads "Democratic Republic of the Congo".
            out.push(format!("{inside} {outside}"));
            out.push(outside.to_string());
            out.push(inside.to_string());
        }
    }
    out
}

/// Every ISO 3166-1 country and territory, in ISO order.
pub fn all() -> impl Iterator<Item = Country> {
    rust_iso3166::ALL.iter().map(|c| Country { alpha2: c.alpha2, alpha3: c.alpha3, name: c.name })
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
    names_of(trimmed)
        .iter()
        .find_map(|n| idx.get(&fold(n)).copied())
        .ok_or_else(|| CoreError::InvalidCountry { value: input.to_string() })
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
