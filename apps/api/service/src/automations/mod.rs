//! Automation rules and macros: validation at save time, and rules acting on tickets.

pub mod act;
pub mod check;
pub mod facts;
pub mod macros;
pub mod queue;
pub mod rules;
pub mod run;
pub mod scheduled;

pub use run::{RuleRun, parse};
