//! API story tests: the real server on port 0 with a fresh database per test, on SQLite
//! always and on PostgreSQL + Redis when `TEST_DATABASE_URL` / `TEST_REDIS_URL` are set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

mod alerts;
mod api_keys;
mod auth;
mod automations;
mod directory;
mod dispatch_config;
mod dovecot;
mod email_bounces;
mod email_files;
mod email_imap;
mod email_imap_tls;
mod email_intake;
mod email_mailboxes;
mod email_oauth;
mod email_participants;
mod email_round_trip;
mod email_smtp;
mod errors;
mod live_changes;
mod outage;
mod platform_batches;
mod platform_delivery;
mod platform_queue;
mod platform_scheduler;
mod rate_limit;
mod reports;
mod schema_check;
mod security;
mod security_accounts;
mod security_input;
mod security_mail;
mod security_streams;
mod service;
mod sla_calendars;
mod sla_life;
mod sla_rules;
mod smtp_sink;
mod tenancy;
mod tickets_extras;
mod tickets_input;
mod tickets_lifecycle;
mod tickets_list;
mod tokens;
mod users;
mod views;
mod web_client;
mod web_pages;
mod web_security;
mod web_views;
mod workspace;
