//! FollowTheMoney entities as JSON lines, as OpenSanctions exports them: one entity per line with
//! `id`, `schema` and `properties` (each a list of strings). Parties (Person, Company,
//! Organization, LegalEntity and their kin) are kept; other records (addresses, sanctions,
//! ownership links) are skipped, as they name no one to screen.

use crate::error::{ParseError, ScreenResult};
use serde_json::Value;
use steward_core::list::{EntitySchema, ListEntity};
use unicode_normalization::UnicodeNormalization;

fn schema_of(name: &str) -> Option<EntitySchema> {
    Some(match name {
        "Person" => EntitySchema::Person,
        "Company" => EntitySchema::Company,
        "Organization" | "PublicBody" => EntitySchema::Organization,
        "LegalEntity" => EntitySchema::LegalEntity,
        _ => return None,
    })
}

fn values(props: &Value, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .flat_map(|k| props.get(*k).and_then(Value::as_array).cloned().unwrap_or_default())
        .filter_map(|v| v.as_str().map(|s| s.trim().nfc().collect::<String>()))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parses the file; a line that is not JSON, or a party without an id or a name, rejects it.
pub fn parse(bytes: &[u8]) -> ScreenResult<Vec<ListEntity>> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| ParseError::at(0, "", format!("FollowTheMoney files are UTF-8: {e}")))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).map_err(|e| ParseError::at(n, "", format!("not a JSON object: {e}")))?;
        let schema =
            v.get("schema").and_then(Value::as_str).ok_or_else(|| ParseError::at(n, "schema", "is missing"))?;
        let Some(schema) = schema_of(schema) else { continue };
        let id = v
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ParseError::at(n, "id", "is missing"))?;
        let props = v.get("properties").cloned().unwrap_or(Value::Null);
        let mut names = values(&props, &["name"]);
        if names.is_empty() {
            return Err(ParseError::at(n, "properties.name", "is missing"));
        }
        let name = names.remove(0);
        let mut aliases = names;
        aliases.extend(values(&props, &["alias", "weakAlias", "previousName", "abbreviation"]));
        aliases.retain(|a| *a != name);
        aliases.dedup();
        let mut countries = Vec::new();
        for c in values(&props, &["country", "jurisdiction", "nationality", "citizenship", "mainCountry"]) {
            // OpenSanctions also uses territory codes such as "suhh" (Soviet Union); skip what ISO does not know.
            if let Ok(found) = steward_core::country::resolve(&c) {
                if !countries.contains(&found.alpha2.to_string()) {
                    countries.push(found.alpha2.to_string());
                }
            }
        }
        let identifiers = values(
            &props,
            &[
                "registrationNumber",
                "taxNumber",
                "innCode",
                "ogrnCode",
                "leiCode",
                "idNumber",
                "passportNumber",
                "vatCode",
                "dunsCode",
                "swiftBic",
                "imoNumber",
            ],
        );
        let datasets: Vec<String> = v
            .get("datasets")
            .and_then(Value::as_array)
            .map(|d| d.iter().filter_map(|x| x.as_str().map(String::from)).collect())
            .unwrap_or_default();
        let mut notes = values(&props, &["notes", "topics", "program"]);
        if !datasets.is_empty() {
            notes.push(format!("datasets: {}", datasets.join(", ")));
        }
        out.push(ListEntity {
            row: n,
            key: id.to_string(),
            schema,
            name,
            aliases,
            countries,
            identifiers,
            notes: notes.join("; "),
        });
    }
    if out.is_empty() {
        return Err(ParseError::at(0, "", "the file holds no people, companies or organisations"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parties_are_read_and_other_records_skipped() {
        let lines = concat!(
            r#"{"id":"NK-abc","schema":"Company","properties":{"name":["Xinjiang Lianchuang Cotton Textile Co. Ltd."],"alias":["新疆联创棉纺织有限公司"],"country":["cn"],"registrationNumber":["91650100MA775XYZ"]},"datasets":["us_dhs_uflpa"]}"#,
            "\n",
            r#"{"id":"addr-1","schema":"Address","properties":{"full":["Urumqi"]}}"#,
            "\n",
            r#"{"id":"NK-def","schema":"Person","properties":{"name":["Ivan Petrov"],"weakAlias":["Vanya"],"nationality":["ru"]}}"#,
            "\n"
        );
        let e = parse(lines.as_bytes()).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].key.as_str(), e[0].countries[0].as_str()), ("NK-abc", "CN"));
        assert_eq!(e[0].aliases, ["新疆联创棉纺织有限公司"]);
        assert_eq!(e[0].identifiers, ["91650100MA775XYZ"]);
        assert!(e[0].notes.contains("us_dhs_uflpa"));
        assert_eq!((e[1].schema, e[1].row), (EntitySchema::Person, 3));
        let err = parse(b"{\"id\":\"x\",\"schema\":\"Company\",\"properties\":{}}\n").unwrap_err();
        assert_eq!((err.row, err.field.as_str()), (1, "properties.name"));
        assert_eq!(parse(b"not json\n").unwrap_err().row, 1);
    }
}
