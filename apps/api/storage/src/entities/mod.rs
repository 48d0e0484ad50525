//! SeaORM entities, written by hand so both backends share one definition.
//!
//! Ids are `Uuid` (native on PostgreSQL, 16-byte BLOB on SQLite: byte order is time order
//! for v7 ids on both); instants are `i64` microseconds.

pub mod alert;
pub mod api_key;
pub mod asset;
pub mod attachment;
pub mod automation;
pub mod automation_run;
pub mod bouncing_address;
pub mod business_hours;
pub mod contract;
pub mod contract_alert;
pub mod csat_survey;
pub mod event;
pub mod idempotency_key;
pub mod inbound_message;
pub mod job;
pub mod job_done;
pub mod macro_def;
pub mod mail_body;
pub mod mailbox;
pub mod message;
pub mod notify_address;
pub mod one_time_token;
pub mod organization;
pub mod organization_domain;
pub mod outbox;
pub mod refresh_token;
pub mod saved_view;
pub mod session;
pub mod sla_event;
pub mod sla_policy;
pub mod ticket;
pub mod ticket_link;
pub mod ticket_participant;
pub mod ticket_status_change;
pub mod ticket_tag;
pub mod time_entry;
pub mod user;
pub mod webhook;
pub mod webhook_delivery;
pub mod workspace;
