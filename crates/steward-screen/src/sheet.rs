//! Spreadsheets as tables of text: the first worksheet of an XLSX, XLSM, XLS or ODS file, its
//! first non-empty row as the header, every row after it kept (blank ones too). Cells become the text a person sees: whole numbers without
//! ".0" (so HS codes and registration numbers survive), dates as YYYY-MM-DD.

use calamine::{Data, Reader};

/// A worksheet read whole: its name, header and rows (each padded to the header's width only by
/// the caller, so that a ragged row can be reported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The worksheet's name.
    pub sheet: String,
    /// The header row, trimmed.
    pub headers: Vec<String>,
    /// The data rows, with their spreadsheet row number (1 is the first row).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads the first worksheet of a spreadsheet file's bytes.
pub fn read(bytes: &[u8]) -> Result<Table, String> {
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a spreadsheet Steward can read (XLSX, XLSM, XLS or ODS): {e}"))?;
    let sheet = book.sheet_names().first().cloned().ok_or("the workbook has no worksheet")?;
    let range = book.worksheet_range(&sheet).map_err(|e| format!("worksheet '{sheet}': {e}"))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let mut rows = range.rows().enumerate().map(|(i, r)| (first_row + i + 1, r.iter().map(cell).collect::<Vec<_>>()));
    let (_, headers) = rows
        .by_ref()
        .find(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .ok_or_else(|| format!("worksheet '{sheet}' is empty"))?;
    let headers: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    let width = headers.iter().rposition(|h| !h.is_empty()).map_or(0, |p| p + 1);
    let headers = headers[..width].to_vec();
    // Blank rows between data rows are kept, as CSV's are: every row the user sent comes back.
    let rows = rows
        .map(|(n, mut r)| {
            // Trailing empty cells beyond the header are formatting, not data.
            while r.len() > width && r.last().is_some_and(|c| c.trim().is_empty()) {
                r.pop();
            }
            (n, r)
        })
        .collect();
    Ok(Table { sheet, headers, rows })
}

fn cell(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if !dt.is_datetime() => dt.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, h, min, s, _) = dt.to_ymd_hms_milli();
            if (h, min, s) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{s:02}")
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}
