//! Background processes: the worker that runs queued jobs and the scheduler that fires
//! periodic ones. Both run as their own `helpdesk` subcommands in production and inside
//! `serve` in the embedded default.

pub mod backoff;
pub mod completions;
pub mod handlers;
pub mod mail;
pub mod scheduler;
mod vacuum;
pub mod worker;

pub use handlers::{Handler, Handlers, JobError};
pub use scheduler::{Schedule, Scheduler};
pub use worker::{Worker, WorkerConfig};
