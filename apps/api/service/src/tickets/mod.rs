//! Ticket use cases: open, reply, note, change, apply a macro, report an alert; and the
//! shapes a ticket is shown in, with its live SLA reading.

pub mod actions;
pub mod alerts;
pub mod brief;
pub mod bulk;
pub mod change;
pub mod children;
pub mod create;
pub mod export;
pub mod links;
pub mod list;
pub mod list_query;
pub mod macros;
pub mod merge;
pub mod participants;
pub mod read;
pub mod refs;
pub mod reply;
mod saved_view_check;
pub mod saved_views;
pub mod sla_explain;
pub mod sla_view;
pub mod split;
pub mod time_corrections;
pub mod time_entries;
pub mod update;
pub mod view;
pub mod views;

pub use change::{Edit, applied, change, status_move};
pub use sla_view::{SlaClock, SlaOut};
pub use view::{EventOut, MessageOut, TicketOut};
