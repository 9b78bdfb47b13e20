//! A list of parties as CSV, in any common encoding and delimiter: a user's own watch list, or an
//! official list rendered flat. Columns are found by header: `name` (required), `aliases`,
//! `country`, `identifiers`, `notes`, `schema`, `id`. Several values in one cell (aliases, countries,
//! identifiers) are separated by `;` or `|`.

use crate::error::{ParseError, ScreenResult};
use crate::text::{decode, sniff_delimiter};
use std::collections::HashMap;
use steward_core::list::{EntitySchema, ListEntity};
use unicode_normalization::UnicodeNormalization;

fn header_key(h: &str) -> String {
    h.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Splits a cell holding several values.
fn many(cell: &str) -> Vec<String> {
    cell.split([';', '|', '\n']).map(|v| v.trim().nfc().collect::<String>()).filter(|v| !v.is_empty()).collect()
}

/// Parses the file; a row that cannot be read rejects the whole file, naming the line and field.
pub fn parse(bytes: &[u8]) -> ScreenResult<Vec<ListEntity>> {
    let (text, _) = decode(bytes);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(sniff_delimiter(&text)).flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| ParseError::at(1, "", format!("unreadable header: {e}")))?.clone();
    let index: HashMap<String, usize> = headers.iter().enumerate().map(|(i, h)| (header_key(h), i)).collect();
    let col = |names: &[&str]| names.iter().find_map(|n| index.get(*n).copied());
    let name = col(&["name", "entity", "entityname", "fullname", "caption"]).ok_or_else(|| {
        ParseError::at(
            1,
            "name",
            format!("the header has no 'name' column (found: {})", headers.iter().collect::<Vec<_>>().join(", ")),
        )
    })?;
    let aliases = col(&["aliases", "alias", "aka", "othernames", "alsoknownas"]);
    let country = col(&["country", "countries", "jurisdiction"]);
    let identifiers = col(&["identifiers", "identifier", "ids", "registrationnumber", "regno"]);
    let notes = col(&["notes", "note", "remarks", "description"]);
    let schema = col(&["schema", "type", "entitytype"]);
    let id = col(&["id", "key", "entityid"]);

    let mut out: Vec<ListEntity> = Vec::new();
    let mut keys: HashMap<String, usize> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            ParseError::at(e.position().map(|p| p.line() as usize).unwrap_or(0), "", format!("unreadable CSV: {e}"))
        })?;
        let line = record.position().map(|p| p.line() as usize).unwrap_or(out.len() + 2);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("");
        let main: String = get(Some(name)).trim().nfc().collect();
        if main.is_empty() {
            return Err(ParseError::at(line, "name", "is empty"));
        }
        let mut countries = Vec::new();
        for c in many(get(country)) {
            let code = steward_core::country::resolve(&c)
                .map_err(|_| ParseError::at(line, "country", format!("'{c}' is not a country Steward knows")))?;
            countries.push(code.alpha2.to_string());
        }
        let schema = get(schema).parse::<EntitySchema>().map_err(|e| ParseError::at(line, "schema", e.to_string()))?;
        let base = match get(id).trim() {
            "" => format!("n-{}", steward_core::country::fold(&main)),
            given => given.to_string(),
        };
        let seen = keys.entry(base.clone()).or_insert(0);
        *seen += 1;
        let key = if *seen == 1 { base } else { format!("{base}-{seen}") };
        out.push(ListEntity {
            row: line,
            key,
            schema,
            aliases: many(get(aliases)).into_iter().filter(|a| *a != main).collect(),
            name: main,
            countries,
            identifiers: many(get(identifiers)),
            notes: get(notes).trim().to_string(),
        });
    }
    if out.is_empty() {
        return Err(ParseError::at(0, "", "the file holds no entities"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_users_list_with_aliases_in_other_scripts() {
        let csv = "name,aliases,country\nXinjiang Lianchuang Cotton Textile Co. Ltd.,XJ Lianchuang Cotton;新疆联创棉纺织有限公司,CN\nHoshan Polysilicon Industry Co. Ltd.,Hoshan Silicon,China\n";
        let e = parse(csv.as_bytes()).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].aliases, ["XJ Lianchuang Cotton", "新疆联创棉纺织有限公司"]);
        assert_eq!((e[1].countries[0].as_str(), e[1].row, e[1].schema), ("CN", 3, EntitySchema::LegalEntity));
    }

    #[test]
    fn semicolon_files_in_windows_1252_and_bad_rows() {
        let file = b"Name;Country;Schema\nF\xe1brica Uni\xf3n S.A.;Guatemala;Company\n";
        let e = parse(file).unwrap();
        assert_eq!((e[0].name.as_str(), e[0].schema), ("Fábrica Unión S.A.", EntitySchema::Company));
        let err = parse(b"name,country\nAcme,Atlantis\n").unwrap_err();
        assert_eq!((err.row, err.field.as_str()), (2, "country"));
        let err = parse(b"name,country\n,CN\n").unwrap_err();
        assert_eq!((err.row, err.field.as_str()), (2, "name"));
        assert_eq!(parse(b"title\nx\n").unwrap_err().field, "name");
    }
}
