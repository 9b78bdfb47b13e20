//! Steward's screening engine: the official lists, read from the formats their publishers use, and
//! what changed between two editions of a list.
//!
//! This crate does no IO. Parsers take the bytes of a file and return rows, or one error naming
//! the row and field that failed (a broken file is rejected whole, so an edition is never stored
//! half-read). The server and CLI read files and store editions; the engine decides what a file
//! says.

pub mod batch;
pub mod diff;
pub mod error;
pub mod goods_risk;
pub mod hs;
pub mod index;
pub mod lists;
pub mod matcher;
pub mod sheet;
pub mod text;

pub use error::{ParseError, ScreenResult};

/// The list shipped with Steward and imported on first start: the List of Goods Produced by Child
/// Labor or Forced Labor, 2022 edition (ILAB), unmodified. Provenance: `data/PROVENANCE.md`.
pub const DEFAULT_TVPRA: &[u8] = include_bytes!("../data/ilab-tvpra-2022.xml");

/// The shipped list's provenance, shown in the product.
pub const DEFAULT_TVPRA_PROVENANCE: &str = include_str!("../data/PROVENANCE.md");

/// Hex SHA-256 of a file's bytes: an edition's identity, so re-importing the same file is a no-op.
pub fn checksum(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
