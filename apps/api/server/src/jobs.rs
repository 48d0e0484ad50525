//! Building the worker and the scheduler from the configuration: job handlers, the mailer,
//! and the built-in schedules.

use std::sync::Arc;
use std::time::Duration;

use helpdesk_domain::time::Clock;
use helpdesk_jobs::handlers::automation::{
    EVALUATE_JOB, EvaluateRules, SCHEDULE_JOB, ScheduledRules,
};
use helpdesk_jobs::handlers::dispatch::{DispatchEvent, WEBHOOK_JOB};
use helpdesk_jobs::handlers::email::{SendEmail, SweepOutbox};
use helpdesk_jobs::handlers::inbound::{INBOUND_JOB, ProcessInbound};
use helpdesk_jobs::handlers::maintenance::Purge;
use helpdesk_jobs::handlers::sla::{SLA_SWEEP_JOB, SlaSweep};
use helpdesk_jobs::handlers::webhook::DeliverWebhook;
use helpdesk_jobs::mail::Mailer;
use helpdesk_jobs::{Handlers, Schedule, Scheduler, Worker, WorkerConfig};
use helpdesk_service::Service;
use helpdesk_storage::Store;
use helpdesk_storage::repo::{events, outbox};
use tokio::sync::Notify;

use crate::config::Config;

pub use helpdesk_service::job_kinds::{EMAIL_SWEEP_JOB as SWEEP_JOB, PURGE_JOB};

pub fn mailer(config: &Config) -> anyhow::Result<Mailer> {
    match &config.smtp_url {
        Some(url) if !url.0.trim().is_empty() => {
            Mailer::smtp(&url.0, &config.mail_from).map_err(anyhow::Error::msg)
        }
        _ => Ok(Mailer::Log),
    }
}

pub fn handlers(config: &Config, service: &Service) -> anyhow::Result<Handlers> {
    let mailer = mailer(config)?;
    let store = &service.store;
    let clock: Arc<dyn Clock> = service.clock.clone();
    Ok(Handlers::default()
        .with(
            outbox::SEND_JOB,
            SendEmail {
                store: store.clone(),
                mailer: mailer.clone(),
                clock: clock.clone(),
            },
        )
        .with(
            SWEEP_JOB,
            SweepOutbox {
                store: store.clone(),
                mailer,
                clock: clock.clone(),
            },
        )
        .with(
            SLA_SWEEP_JOB,
            SlaSweep {
                service: service.clone(),
            },
        )
        .with(
            EVALUATE_JOB,
            EvaluateRules {
                service: service.clone(),
            },
        )
        .with(
            SCHEDULE_JOB,
            ScheduledRules {
                service: service.clone(),
            },
        )
        .with(
            PURGE_JOB,
            Purge {
                store: store.clone(),
                clock: clock.clone(),
            },
        )
        .with(
            events::DISPATCH_JOB,
            DispatchEvent {
                service: service.clone(),
            },
        )
        .with(
            INBOUND_JOB,
            ProcessInbound {
                service: service.clone(),
            },
        )
        .with(
            WEBHOOK_JOB,
            DeliverWebhook {
                service: service.clone(),
                allow_private: config.webhook_allow_private,
            },
        ))
}

/// The built-in schedules; an empty expression turns one off. A bad one names its variable.
pub fn schedules(config: &Config) -> anyhow::Result<Vec<Schedule>> {
    let mut out = Vec::new();
    for (name, var, expr, kind) in [
        (
            "purge",
            "HELPDESK_SCHEDULE_PURGE",
            &config.schedule_purge,
            PURGE_JOB,
        ),
        (
            "email_sweep",
            "HELPDESK_SCHEDULE_EMAIL_SWEEP",
            &config.schedule_email_sweep,
            SWEEP_JOB,
        ),
        (
            "sla_sweep",
            "HELPDESK_SCHEDULE_SLA_SWEEP",
            &config.schedule_sla_sweep,
            SLA_SWEEP_JOB,
        ),
        (
            "automations",
            "HELPDESK_SCHEDULE_AUTOMATIONS",
            &config.schedule_automations,
            SCHEDULE_JOB,
        ),
    ] {
        if expr.trim().is_empty() {
            continue;
        }
        out.push(Schedule::new(name, expr, kind).map_err(|e| anyhow::anyhow!("{var}: {e}"))?);
    }
    Ok(out)
}

pub fn worker(config: &Config, service: &Service, wake: Arc<Notify>) -> anyhow::Result<Worker> {
    let cfg = WorkerConfig {
        concurrency: usize::try_from(config.worker_concurrency).unwrap_or(16),
        poll: Duration::from_millis(config.job_poll_ms),
        retry_base: Duration::from_millis(config.job_retry_base_ms),
        ..WorkerConfig::default()
    };
    Ok(Worker::new(
        service.store.clone(),
        handlers(config, service)?,
        cfg,
        wake,
        service.clock.clone(),
    ))
}

pub fn scheduler(
    config: &Config,
    store: &Store,
    wake: Arc<Notify>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Scheduler> {
    Ok(Scheduler::new(
        store.clone(),
        schedules(config)?,
        Duration::from_secs(1),
        wake,
        clock,
    ))
}
