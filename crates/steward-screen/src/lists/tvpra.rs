//! The List of Goods Produced by Child Labor or Forced Labor, in ILAB's XML (`<Goods><Good>
//! <Good_Name>…<Countries><Country>…`) and as a flat CSV (one row per good and country, with
//! columns such as `good, sector, country, child_labor, forced_labor, forced_child_labor`).
//!
//! Country names are ILAB's spellings; each is resolved to an ISO code, and a name that does not
//! resolve rejects the file, naming the line, rather than storing a row no one can screen against.

use crate::error::{ParseError, ScreenResult};
use std::collections::HashMap;
use steward_core::list::GoodsRow;
use unicode_normalization::UnicodeNormalization;

/// Reads either format, told apart by the first non-blank character.
pub fn parse(bytes: &[u8]) -> ScreenResult<Vec<GoodsRow>> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
        ParseError::at(
            0,
            "",
            format!("the file is not UTF-8 text (invalid byte at offset {}); save it as UTF-8", e.valid_up_to()),
        )
    })?;
    let rows = if text.trim_start().starts_with('<') { parse_xml(text)? } else { parse_csv(text)? };
    if rows.is_empty() {
        return Err(ParseError::at(0, "", "the file holds no goods"));
    }
    reject_duplicates(&rows)?;
    Ok(rows)
}

fn flag(value: &str, row: usize, field: &str) -> ScreenResult<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" => Ok(true),
        "no" | "n" | "false" | "0" | "" => Ok(false),
        other => Err(ParseError::at(row, field, format!("'{other}' is not Yes or No"))),
    }
}

fn text_field(value: &str, row: usize, field: &str) -> ScreenResult<String> {
    let v: String = value.trim().nfc().collect();
    if v.is_empty() {
        return Err(ParseError::at(row, field, "is empty"));
    }
    Ok(v)
}

/// The ISO code of a country written `name`, or failing that the `iso2` column when it holds a
/// current ISO code.
fn country(name: &str, iso2: Option<&str>, row: usize, field: &str) -> ScreenResult<String> {
    if let Ok(c) = steward_core::country::resolve(name) {
        return Ok(c.alpha2.to_string());
    }
    if let Some(c) = iso2.and_then(steward_core::country::by_alpha2) {
        return Ok(c.alpha2.to_string());
    }
    Err(ParseError::at(
        row,
        field,
        format!("'{}' is not a country Steward knows (use a name or ISO 3166-1 code)", name.trim()),
    ))
}

/// Header names compared without case, spaces or underscores ("Child Labor" = "child_labor").
fn header_key(h: &str) -> String {
    h.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The flat CSV rendering.
pub fn parse_csv(text: &str) -> ScreenResult<Vec<GoodsRow>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| ParseError::at(1, "", format!("unreadable header: {e}")))?.clone();
    let index: HashMap<String, usize> = headers.iter().enumerate().map(|(i, h)| (header_key(h), i)).collect();
    let col = |names: &[&str]| names.iter().find_map(|n| index.get(*n).copied());
    let need = |names: &[&str], field: &str| {
        col(names).ok_or_else(|| {
            ParseError::at(
                1,
                field,
                format!(
                    "the header has no '{field}' column (found: {})",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ),
            )
        })
    };
    let good = need(&["good", "goodname"], "good")?;
    let country_col = need(&["country", "countryname"], "country")?;
    let cl = need(&["childlabor"], "child_labor")?;
    let fl = need(&["forcedlabor"], "forced_labor")?;
    let fcl = need(&["forcedchildlabor"], "forced_child_labor")?;
    let sector = col(&["sector", "goodsector"]);
    let iso2 = col(&["iso2", "countryiso2"]);
    let derived = col(&["derivedlaborexploitation", "derived"]);
    let derived_country = col(&["derivedinputcountry", "derivedcountry"]);

    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
            ParseError::at(line, "", format!("unreadable CSV: {e}"))
        })?;
        let line = record.position().map(|p| p.line() as usize).unwrap_or(rows.len() + 2);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |i: usize| record.get(i).unwrap_or("");
        let opt =
            |i: Option<usize>| i.map(get).map(str::trim).filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case("no"));
        let country_name = text_field(get(country_col), line, "country")?;
        rows.push(GoodsRow {
            row: line,
            good: text_field(get(good), line, "good")?,
            sector: sector.map(get).unwrap_or("").trim().to_string(),
            country: country(&country_name, iso2.map(get), line, "country")?,
            country_name,
            child_labor: flag(get(cl), line, "child_labor")?,
            forced_labor: flag(get(fl), line, "forced_labor")?,
            forced_child_labor: flag(get(fcl), line, "forced_child_labor")?,
            derived: derived.map(|i| flag(get(i), line, "derived_labor_exploitation")).transpose()?.unwrap_or(false),
            derived_input_country: opt(derived_country).map(String::from),
        });
    }
    Ok(rows)
}

/// ILAB's XML.
pub fn parse_xml(text: &str) -> ScreenResult<Vec<GoodsRow>> {
    let doc = roxmltree::Document::parse(text).map_err(|e| {
        let pos = e.pos();
        ParseError::at(pos.row as usize, "", format!("not well-formed XML at column {}: {e}", pos.col))
    })?;
    let line = |n: roxmltree::Node| doc.text_pos_at(n.range().start).row as usize;
    let child_text = |n: roxmltree::Node, name: &str| -> Option<String> {
        n.children().find(|c| c.has_tag_name(name)).map(|c| c.text().unwrap_or("").to_string())
    };
    let mut rows = Vec::new();
    for good in doc.descendants().filter(|n| n.has_tag_name("Good")) {
        let g = line(good);
        let name = text_field(&child_text(good, "Good_Name").unwrap_or_default(), g, "Good_Name")?;
        let sector = child_text(good, "Good_Sector").unwrap_or_default().trim().to_string();
        for c in good.descendants().filter(|n| n.has_tag_name("Country")) {
            let l = line(c);
            let field = |tag: &str| child_text(c, tag).unwrap_or_default();
            let required_flag = |tag: &str| -> ScreenResult<bool> {
                let v = child_text(c, tag).ok_or_else(|| ParseError::at(l, tag, "is missing"))?;
                flag(&v, l, tag)
            };
            let country_name = text_field(&field("Country_Name"), l, "Country_Name")?;
            let derived_country = field("Derived_Country");
            let iso2 = child_text(c, "Country_ISO2");
            rows.push(GoodsRow {
                row: l,
                good: name.clone(),
                sector: sector.clone(),
                country: country(&country_name, iso2.as_deref(), l, "Country_Name")?,
                country_name,
                child_labor: required_flag("Child_Labor")?,
                forced_labor: required_flag("Forced_Labor")?,
                forced_child_labor: required_flag("Forced_Child_Labor")?,
                derived: flag(&field("Derived_Labor_Exploitation"), l, "Derived_Labor_Exploitation")?,
                derived_input_country: Some(derived_country.trim().to_string())
                    .filter(|d| !d.is_empty() && !d.eq_ignore_ascii_case("no")),
            });
        }
    }
    Ok(rows)
}

/// One row per good and country: a second row for the same pair would make the edition ambiguous.
fn reject_duplicates(rows: &[GoodsRow]) -> ScreenResult<()> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for r in rows {
        if let Some(first) = seen.insert(r.key(), r.row) {
            return Err(ParseError::at(
                r.row,
                "good",
                format!("'{}' from {} is listed twice (first on line {first})", r.good, r.country_name),
            ));
        }
    }
    Ok(())
}
