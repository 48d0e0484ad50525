//! Request extractors: strict JSON and query strings, path ids, and the auth guard chain.

pub mod auth;
pub mod client;
pub mod json;
pub mod path;
pub mod query;

pub use auth::{Admin, Authed, Staff};
pub use client::ClientAddr;
pub use json::{HashedJson, ValidatedJson};
pub use path::Id;
pub use query::StrictQuery;
