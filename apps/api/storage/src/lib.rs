//! Storage for Helpdesk: SeaORM entities, embedded migrations and repositories that serve
//! SQLite and PostgreSQL through one code path.
//!
//! Every repository call on tenant-owned data takes the [`TenantCtx`](helpdesk_domain::TenantCtx)
//! first and filters by its workspace, so another workspace's rows are simply not found.

mod alone;
pub mod batch;
pub mod bulk;
pub mod db;
pub mod entities;
pub mod error;
pub mod migrations;
pub mod repo;
pub mod wakeups;

pub use db::{Backend, Store};
pub use error::StoreError;
