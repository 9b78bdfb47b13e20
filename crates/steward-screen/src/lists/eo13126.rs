//! The Executive Order 13126 List of Products Produced by Forced or Indentured Child Labor (US
//! Department of Labor) as CSV: one product and country per row, columns `Product` (or `Good`)
//! and `Country`. Every entry is forced or indentured child labor; the list gives no sector.

use super::{country_code, CsvTable};
use crate::error::{ParseError, ScreenResult};
use steward_core::list::GoodsRow;
use unicode_normalization::UnicodeNormalization;

/// Parses the list; an empty product or an unknown country rejects it, naming the line.
pub fn parse(bytes: &[u8]) -> ScreenResult<Vec<GoodsRow>> {
    let t = CsvTable::read(bytes)?;
    let product = t.require(&["product", "products", "good", "goods"], "Product")?;
    let country = t.require(&["country", "countryname"], "Country")?;
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (line, r) in &t.records {
        let good: String = r.get(product).unwrap_or("").trim().nfc().collect();
        let country_name = r.get(country).unwrap_or("").trim().to_string();
        if good.is_empty() {
            return Err(ParseError::at(*line, "Product", "is empty"));
        }
        if country_name.is_empty() {
            return Err(ParseError::at(*line, "Country", "is empty"));
        }
        let code = country_code(&country_name, *line, "Country")?;
        if !seen.insert((good.to_lowercase(), code.clone())) {
            return Err(ParseError::at(*line, "Product", format!("'{good}' from {country_name} is listed twice")));
        }
        rows.push(GoodsRow {
            row: *line,
            good,
            sector: String::new(),
            country: code,
            country_name,
            child_labor: true,
            forced_labor: false,
            forced_child_labor: true,
            derived: false,
            derived_input_country: None,
        });
    }
    if rows.is_empty() {
        return Err(ParseError::at(0, "", "the file lists no products"));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_and_countries_as_forced_child_labor() {
        let rows = parse(b"Product,Country\nBricks,Burma\nCotton,Benin\n").unwrap();
        assert_eq!((rows[0].country.as_str(), rows[0].forced_child_labor), ("MM", true));
        let err = parse(b"Product,Country\nBricks,Atlantis\n").unwrap_err();
        assert_eq!((err.row, err.field.as_str()), (2, "Country"));
        let err = parse(b"Product,Country\nBricks,Burma\nbricks,Myanmar\n").unwrap_err();
        assert!(err.message.contains("listed twice"), "{err}");
    }
}
