//! Parsers, one module per list format.

pub mod tvpra;
