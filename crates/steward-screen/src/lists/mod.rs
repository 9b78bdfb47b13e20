//! Parsers, one module per list format, and [`parse`] to pick one by kind.

pub mod entities;
pub mod eo13126;
pub mod ftm;
pub mod names;
pub mod tvpra;
pub mod uflpa;
pub mod wro;

use crate::error::{ParseError, ScreenResult};
use crate::text::{decode, sniff_delimiter};
use std::collections::HashMap;
use steward_core::list::{GoodsRow, ListEntity, ListKind};

/// What a list file holds: goods by country, or parties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// Goods by country.
    Goods(Vec<GoodsRow>),
    /// Parties.
    Entities(Vec<ListEntity>),
}

/// Parses a file of `kind`, whole or not at all.
pub fn parse(kind: ListKind, bytes: &[u8]) -> ScreenResult<Parsed> {
    Ok(match kind {
        ListKind::Tvpra => Parsed::Goods(tvpra::parse(bytes)?),
        ListKind::Eo13126 => Parsed::Goods(eo13126::parse(bytes)?),
        ListKind::Csv => Parsed::Entities(entities::parse(bytes)?),
        ListKind::Uflpa => Parsed::Entities(uflpa::parse(bytes)?),
        ListKind::Wro => Parsed::Entities(wro::parse(bytes)?),
        ListKind::Ftm => Parsed::Entities(ftm::parse(bytes)?),
    })
}

pub(crate) fn header_key(h: &str) -> String {
    h.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A CSV file in any common encoding and delimiter: its columns by key, and its records with
/// their line numbers (blank records skipped).
pub(crate) struct CsvTable {
    pub(crate) headers: Vec<String>,
    columns: HashMap<String, usize>,
    pub(crate) records: Vec<(usize, csv::StringRecord)>,
}

impl CsvTable {
    pub(crate) fn read(bytes: &[u8]) -> ScreenResult<Self> {
        let (text, _) = decode(bytes);
        let mut reader =
            csv::ReaderBuilder::new().delimiter(sniff_delimiter(&text)).flexible(true).from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| ParseError::at(1, "", format!("unreadable header: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let columns = headers.iter().enumerate().map(|(i, h)| (header_key(h), i)).collect();
        let mut records = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                ParseError::at(e.position().map(|p| p.line() as usize).unwrap_or(0), "", format!("unreadable CSV: {e}"))
            })?;
            let line = record.position().map(|p| p.line() as usize).unwrap_or(records.len() + 2);
            if record.iter().any(|f| !f.trim().is_empty()) {
                records.push((line, record));
            }
        }
        Ok(Self { headers, columns, records })
    }

    /// The first column whose header is one of `names` (compared without case or punctuation).
    pub(crate) fn column(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.columns.get(*n).copied())
    }

    /// Like [`CsvTable::column`], or an error naming what the header lacks.
    pub(crate) fn require(&self, names: &[&str], what: &str) -> ScreenResult<usize> {
        self.column(names).ok_or_else(|| {
            ParseError::at(1, what, format!("the header has no '{what}' column (found: {})", self.headers.join(", ")))
        })
    }
}

/// Stable keys within a list: the name folded, with a counter for repeats.
pub(crate) struct Keys(HashMap<String, usize>);

impl Keys {
    pub(crate) fn new() -> Self {
        Keys(HashMap::new())
    }

    pub(crate) fn next(&mut self, base: String) -> String {
        let seen = self.0.entry(base.clone()).or_insert(0);
        *seen += 1;
        if *seen == 1 {
            base
        } else {
            format!("{base}-{seen}")
        }
    }
}

/// A country cell to its alpha-2 code, naming the line on failure.
pub(crate) fn country_code(value: &str, line: usize, field: &str) -> ScreenResult<String> {
    steward_core::country::resolve(value)
        .map(|c| c.alpha2.to_string())
        .map_err(|_| ParseError::at(line, field, format!("'{value}' is not a country Steward knows")))
}
