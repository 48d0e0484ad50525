//! The HTTP layer of Helpdesk: axum router, extractors (auth → tenant → role), problem+json
//! errors, rate limits, metrics and the OpenAPI document.

pub mod app;
pub mod auth;
/// Where attachment bytes live (from the service).
pub use helpdesk_service::blob;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod live;
pub mod metrics;
pub mod problem_docs;
pub use helpdesk_service::ratelimit;
pub mod routes;
pub mod state;

pub use app::{build, metrics_app, openapi};
pub use state::{AppState, HttpSettings, Inner};
