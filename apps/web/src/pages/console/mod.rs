//! The agent console: ticket views with filters and bulk actions, the ticket page with
//! its conversation, composer and context panel, and creating tickets for customers.

pub mod bulk;
pub mod columns;
pub mod context;
pub mod fields;
pub mod list;
pub mod macros;
pub mod new;
pub mod options;
pub mod presence;
pub mod relations;
pub mod rows;
pub mod saved;
pub mod sla;
pub mod ticket;
