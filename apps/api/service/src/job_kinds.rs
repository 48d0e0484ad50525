//! Every kind of job, in one place: what the change's transaction enqueues and what the
//! worker registers a handler for.

pub use helpdesk_storage::repo::events::DISPATCH_JOB;
pub use helpdesk_storage::repo::inbound::PROCESS_JOB as INBOUND_JOB;
pub use helpdesk_storage::repo::outbox::SEND_JOB as EMAIL_SEND_JOB;

/// One webhook delivery: `{webhook_id, event_id}`.
pub const WEBHOOK_JOB: &str = "webhook.deliver";
/// The rules of one ticket event: `{event_id, after_position, depth}`.
pub const EVALUATE_JOB: &str = "automation.evaluate";
/// The scheduled rules over open tickets.
pub const SCHEDULE_JOB: &str = "automation.schedule";
/// Warnings and breaches of running SLA clocks.
pub const SLA_SWEEP_JOB: &str = "sla.sweep";
/// Expired tokens, sessions, idempotency keys and finished jobs.
pub const PURGE_JOB: &str = "maintenance.purge";
/// Emails that were queued but never sent.
pub const EMAIL_SWEEP_JOB: &str = "email.sweep";
