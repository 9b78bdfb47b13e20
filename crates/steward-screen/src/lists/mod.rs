//! Parsers, one module per list format.

pub mod entities;
pub mod tvpra;
