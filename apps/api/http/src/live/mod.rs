//! Live ticket events for `GET /stream`: a broadcast inside the process, fanned out across
//! replicas through Redis pub/sub when it is configured.

pub mod stream;

pub use helpdesk_service::live::{EventBus, LiveEvent, slots};
