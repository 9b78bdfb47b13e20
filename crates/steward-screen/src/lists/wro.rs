//! CBP Withhold Release Orders and Findings as CBP publishes them in CSV: columns `Entity`,
//! `Country`, `Industry`, `Status`, `WRO/Finding`, `Effective Date`, `Merchandise`, `Remarks`. One
//! row may name several entities (one per line or separated by ";") with aliases in brackets.

use super::names::{entities_in, read};
use super::{country_code, CsvTable, Keys};
use crate::error::{ParseError, ScreenResult};
use steward_core::list::{EntitySchema, ListEntity};

/// Parses the file; an unknown country or a row without an entity rejects it, naming the line.
pub fn parse(bytes: &[u8]) -> ScreenResult<Vec<ListEntity>> {
    let t = CsvTable::read(bytes)?;
    let entity = t.require(&["entity", "entities", "entityname", "company", "manufacturer"], "Entity")?;
    let country = t.column(&["country", "countryoforigin"]);
    let industry = t.column(&["industry", "sector"]);
    let status = t.column(&["status"]);
    let kind = t.column(&["wrofinding", "type", "action"]);
    let date = t.column(&["effectivedate", "date", "datewroissued"]);
    let merchandise = t.column(&["merchandise", "product", "products", "goods"]);
    let remarks = t.column(&["remarks", "notes"]);
    let mut keys = Keys::new();
    let mut out = Vec::new();
    for (line, r) in &t.records {
        let get = |c: Option<usize>| c.and_then(|c| r.get(c)).unwrap_or("").trim();
        let parts = entities_in(get(Some(entity)));
        if parts.is_empty() {
            return Err(ParseError::at(*line, "Entity", "is empty"));
        }
        let countries = match get(country) {
            "" => Vec::new(),
            c => vec![country_code(c, *line, "Country")?],
        };
        let mut note = vec![format!(
            "CBP {}{}",
            if get(kind).is_empty() { "WRO/Finding" } else { get(kind) },
            if get(status).is_empty() { String::new() } else { format!(" ({})", get(status)) }
        )];
        for (label, value) in [
            ("effective", get(date)),
            ("merchandise", get(merchandise)),
            ("industry", get(industry)),
            ("", get(remarks)),
        ] {
            if !value.is_empty() {
                note.push(if label.is_empty() { value.to_string() } else { format!("{label} {value}") });
            }
        }
        for part in parts {
            let named = read(&part);
            if named.name.is_empty() {
                continue;
            }
            out.push(ListEntity {
                row: *line,
                key: keys.next(format!("wro-{}", steward_core::country::fold(&named.name))),
                schema: EntitySchema::Company,
                name: named.name,
                aliases: named.aliases,
                countries: countries.clone(),
                identifiers: Vec::new(),
                notes: note.join("; "),
            });
        }
    }
    if out.is_empty() {
        return Err(ParseError::at(0, "", "the file lists no entities"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_may_name_several_entities() {
        let csv = "Entity,Country,Industry,Status,WRO/Finding,Effective Date,Merchandise,Remarks\n\"Hoshine Silicon Industry Co. Ltd. (a.k.a. Hesheng Silicon); Hoshine subsidiary Shanshan Silicon\",China,Agriculture,Active,WRO,06/24/2021,Silica-based products,\n\"Da Wang Fishing Co. (DA WANG)\",Taiwan,Fishing,Active,Finding,08/18/2020,Seafood,Vessel\n";
        let e = parse(csv.as_bytes()).unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!(
            (e[0].name.as_str(), e[0].aliases.as_slice()),
            ("Hoshine Silicon Industry Co. Ltd.", &["Hesheng Silicon".to_string()][..])
        );
        assert_eq!(e[1].name, "Hoshine subsidiary Shanshan Silicon");
        assert_eq!((e[2].countries[0].as_str(), e[2].aliases[0].as_str()), ("TW", "DA WANG"));
        assert!(e[2].notes.starts_with("CBP Finding (Active)") && e[2].notes.contains("merchandise Seafood"));
        let err = parse(b"Entity,Country\nAcme,Atlantis\n").unwrap_err();
        assert_eq!((err.row, err.field.as_str()), (2, "Country"));
    }
}
