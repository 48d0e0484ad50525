//! SLA time arithmetic and state: business-hours calendars and the minutes they count,
//! policies, and the per-ticket clocks that follow a ticket's life.

pub mod calendar;
pub mod cycle;
pub mod event;
pub mod policy;
pub mod tracker;
pub mod view;
pub mod weekly;

#[cfg(test)]
mod tests;

pub use calendar::{Calendar, CalendarError, Interval};
pub use cycle::{Cycle, Pause};
pub use event::{Step, StepData, StepKind};
pub use policy::{Metric, PauseOn, Targets, Terms};
pub use tracker::{SlaState, TicketFacts};
pub use view::MetricView;
pub use weekly::Weekly;
