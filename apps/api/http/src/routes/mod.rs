//! Thin HTTP handlers, one module per resource: parse the request, call storage with the
//! tenant context, shape the response.

pub mod alerts;
pub mod api_keys;
pub mod assets;
pub mod auth;
pub mod automations;
pub mod business_hours;
pub mod common;
pub mod contracts;
pub mod inbound;
pub mod jobs;
pub mod mailboxes;
pub mod organizations;
pub mod reports;
pub mod service;
pub mod sla_policies;
pub mod tickets;
pub mod user_access;
pub mod users;
pub mod views;
pub mod webhooks;
pub mod workspace;
pub mod workspace_mail;
