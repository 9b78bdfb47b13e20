//! The UFLPA Entity List (DHS, Forced Labor Enforcement Task Force) as CSV: one entity per row,
//! its aliases and subsidiaries written into the name ("… (also known as …) and its
//! subsidiaries"), with the date it was added. Columns: `Entity` (or `Name`), `Effective Date`
//! (or `Date Added`), and optionally `Federal Register Notice` and `Notes`.

use super::names::read;
use super::{CsvTable, Keys};
use crate::error::{ParseError, ScreenResult};
use steward_core::list::{EntitySchema, ListEntity};

/// Parses the list; a row without a name rejects the file, naming the line.
pub fn parse(bytes: &[u8]) -> ScreenResult<Vec<ListEntity>> {
    let t = CsvTable::read(bytes)?;
    let entity = t.require(&["entity", "entityname", "name", "entitieslisted"], "Entity")?;
    let date = t.column(&["effectivedate", "dateadded", "date", "addedon"]);
    let notice = t.column(&["federalregisternotice", "federalregister", "frnotice", "citation"]);
    let notes = t.column(&["notes", "remarks", "basis"]);
    let mut keys = Keys::new();
    let mut out = Vec::new();
    for (line, r) in &t.records {
        let get = |c: Option<usize>| c.and_then(|c| r.get(c)).unwrap_or("").trim();
        let named = read(get(Some(entity)));
        if named.name.is_empty() {
            return Err(ParseError::at(*line, "Entity", "is empty"));
        }
        let mut note = vec!["UFLPA Entity List".to_string()];
        if !get(date).is_empty() {
            note.push(format!("effective {}", get(date)));
        }
        if named.subsidiaries {
            note.push("covers its subsidiaries".into());
        }
        for extra in [get(notice), get(notes)] {
            if !extra.is_empty() {
                note.push(extra.to_string());
            }
        }
        out.push(ListEntity {
            row: *line,
            key: keys.next(format!("uflpa-{}", steward_core::country::fold(&named.name))),
            schema: EntitySchema::Company,
            name: named.name,
            aliases: named.aliases,
            countries: Vec::new(),
            identifiers: Vec::new(),
            notes: note.join("; "),
        });
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
    fn aliases_and_subsidiaries_come_out_of_the_entity_text() {
        let csv = "Entity,Effective Date\n\"Hoshan Polysilicon Industry Co., Ltd. (also known as Hoshan Silicon) and its subsidiaries\",2023-06-12\n\"Xinjiang Production and Construction Corps (XPCC) [新疆生产建设兵团]\",2022-06-21\n";
        let e = parse(csv.as_bytes()).unwrap();
        assert_eq!(e[0].name, "Hoshan Polysilicon Industry Co., Ltd.");
        assert_eq!(e[0].aliases, ["Hoshan Silicon"]);
        assert!(e[0].notes.contains("effective 2023-06-12") && e[0].notes.contains("subsidiaries"));
        assert_eq!(e[1].aliases, ["XPCC", "新疆生产建设兵团"]);
        let err = parse(b"Entity,Effective Date\n,2023-01-01\n").unwrap_err();
        assert_eq!((err.row, err.field.as_str()), (2, "Entity"));
        assert_eq!(parse(b"Company\nx\n").unwrap_err().field, "Entity");
    }
}
