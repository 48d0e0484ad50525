//! Background processes: the worker that runs queued jobs and the scheduler that fires
//! periodic ones. Both run as their own `helpdesk` subcommands in production and inside
//! `serve` in the embedded default.
//!
//! The queue and the schedules arrive with the Phase 3 platform; for now each loop holds
//! its place in the process structure, idles, and stops cleanly on shutdown.

pub mod scheduler;
pub mod worker;

pub use scheduler::run_scheduler;
pub use worker::run_worker;
