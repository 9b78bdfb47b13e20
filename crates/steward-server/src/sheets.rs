//! Tables as files people open: CSV (with spreadsheet formula injection neutralised) and XLSX,
//! one worksheet per table. Every export goes through here, so both formats carry exactly the
//! same cells.

use crate::error::{AppError, AppResult};
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// One table: a name (the worksheet's), a header and rows of text.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// Worksheet name (at most 31 characters in XLSX; longer names are cut).
    pub name: String,
    /// Column names.
    pub header: Vec<String>,
    /// Rows, each as long as the header.
    pub rows: Vec<Vec<String>>,
}

/// A cell that a spreadsheet would not run as a formula.
pub fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The sheets as one CSV: the first sheet's header, then every sheet's rows (callers put what
/// tells the sheets apart in a column).
pub fn to_csv(sheets: &[Sheet]) -> AppResult<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| AppError::Internal(e.to_string());
    if let Some(first) = sheets.first() {
        out.write_record(&first.header).map_err(internal)?;
    }
    for sheet in sheets {
        for row in &sheet.rows {
            out.write_record(row.iter().map(|c| safe_cell(c))).map_err(internal)?;
        }
    }
    out.into_inner().map_err(|e| AppError::Internal(e.to_string()))
}

/// The sheets as an XLSX workbook. Cells that read as whole numbers are written as numbers, so
/// that sums and charts work in the spreadsheet; everything else is text (never a formula).
pub fn to_xlsx(sheets: &[Sheet]) -> AppResult<Vec<u8>> {
    let internal = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for sheet in sheets {
        let ws = book.add_worksheet();
        let name: String = sheet.name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
        ws.set_name(if name.is_empty() { "Sheet" } else { &name }).map_err(internal)?;
        for (c, h) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(0, col(c), h, &bold).map_err(internal)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| AppError::Internal("too many rows for a worksheet".into()))?;
            for (c, v) in row.iter().enumerate() {
                write_cell(ws, r, col(c), v).map_err(internal)?;
            }
        }
    }
    book.save_to_buffer().map_err(internal)
}

/// One cell: a whole number as a number, anything else as text (never a formula). "+1" and
/// "007" stay text: they are codes, not numbers.
fn write_cell(ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, v: &str) -> Result<(), rust_xlsxwriter::XlsxError> {
    let plain_number = !v.starts_with('+') && (v == "0" || !v.starts_with('0'));
    match v.parse::<i64>() {
        Ok(n) if plain_number => ws.write_number(r, c, n as f64).map(|_| ()),
        _ => ws.write_string(r, c, v).map(|_| ()),
    }
}

/// Most rows a worksheet holds below its header.
pub const MAX_XLSX_ROWS: u32 = 1_048_575;

/// An XLSX workbook of one worksheet written row by row in constant memory: each finished row
/// goes to a temporary file, so a million screened rows do not wait in memory for the end.
/// Cells are written as [`to_xlsx`] writes them.
pub struct XlsxStream {
    book: rust_xlsxwriter::Workbook,
    next: u32,
}

impl XlsxStream {
    /// A workbook whose worksheet `name` starts with `header` in bold.
    pub fn new(name: &str, header: &[String]) -> Result<Self, rust_xlsxwriter::XlsxError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, col(c), h, &bold)?;
        }
        Ok(Self { book, next: 1 })
    }

    /// Appends one row; an error once the worksheet is full.
    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> Result<(), rust_xlsxwriter::XlsxError> {
        if self.next > MAX_XLSX_ROWS {
            return Err(rust_xlsxwriter::XlsxError::RowColumnLimitError);
        }
        let ws = self.book.worksheet_from_index(0)?;
        for (c, v) in cells.into_iter().enumerate() {
            write_cell(ws, self.next, col(c), v)?;
        }
        self.next += 1;
        Ok(())
    }

    /// Writes the workbook to `path`.
    pub fn save(mut self, path: &std::path::Path) -> Result<(), rust_xlsxwriter::XlsxError> {
        self.book.save(path)
    }
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A file download that is never cached.
pub fn attachment(bytes: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// XLSX's media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// JSON's media type.
pub const JSON: &str = "application/json";
/// CSV's media type.
pub const CSV: &str = "text/csv; charset=utf-8";
