//! Live ticket events: what `/stream` clients (and soon the web app) receive after a change
//! commits, whoever made it — a person, a rule, the SLA sweep, an alert or an email.
//! A broadcast inside the process, fanned out across processes through Redis pub/sub.
//! Presence (who has a ticket open) rides on the same bus as transient events.

mod bus;
mod entitled;
mod event;
pub mod presence;
mod replay;
pub mod slots;

pub use bus::EventBus;
pub use event::{LiveEvent, visible_to};
pub(crate) use replay::REPLAYS_AT_ONCE;
