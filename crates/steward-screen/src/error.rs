//! Why a list file was rejected, precisely enough to fix it.

use std::fmt;

/// A list file that cannot be read. `row` is the line of a CSV record (the header is line 1) or
/// of the XML element at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    /// Line in the file.
    pub row: usize,
    /// Column or element at fault (empty when the whole file is at fault).
    pub field: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, self.field.is_empty()) {
            (0, true) => write!(f, "{}", self.message),
            (0, false) => write!(f, "field '{}': {}", self.field, self.message),
            (row, true) => write!(f, "line {row}: {}", self.message),
            (row, false) => write!(f, "line {row}, field '{}': {}", self.field, self.message),
        }
    }
}

impl ParseError {
    /// An error at `row`, in `field`.
    pub fn at(row: usize, field: &str, message: impl Into<String>) -> Self {
        Self { row, field: field.to_string(), message: message.into() }
    }
}

/// Result alias for parsers.
pub type ScreenResult<T> = Result<T, ParseError>;
