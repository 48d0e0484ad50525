//! The `helpdesk` binary's library: configuration, start-up and the launch function that
//! takes its listener and shutdown signal, so tests drive the real server.

pub mod config;
pub mod jobs;
pub mod launch;
pub mod mailin;
pub mod secret;
pub mod telemetry;

pub use config::{Cli, Command, Config};
pub use launch::{connect, migrate, run_scheduler, run_worker, serve, serve_with_clock};
