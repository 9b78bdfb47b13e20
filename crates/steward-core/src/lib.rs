//! Steward's domain: the types and rules every other crate shares.
//!
//! This crate does no IO, holds no async code and knows nothing of SQL or HTTP. It decides *what is
//! allowed* ([`role::Role::can`] is the one permission table), *what is valid* (emails, organisation
//! kinds, country names) and *what an audit entry's hash is* ([`audit`]), so that the store, the
//! server and the CLI cannot disagree about any of them.

pub mod action;
pub mod alert;
pub mod audit;
pub mod case;
pub mod clock;
pub mod country;
pub mod credential;
pub mod email;
pub mod error;
pub mod highlight;
pub mod huridocs;
pub mod ids;
pub mod incident;
pub mod list;
pub mod org;
pub mod report;
pub mod response;
pub mod role;
pub mod seal;
pub mod source;
pub mod statement;
pub mod user;
mod vocab;

pub use error::{CoreError, CoreResult};
