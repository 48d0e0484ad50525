//! The IMAP fetcher: one task per mailbox whose lease this process holds, started and
//! stopped by a supervisor that looks at the mailboxes every few seconds. Every replica
//! may run it; the lease makes each mailbox fetched by one of them.

pub mod connect;
mod oauth;
mod pass;
mod probe;
mod runner;

use std::collections::HashMap;
use std::time::Duration;

use helpdesk_service::Service;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

pub use probe::Probe;

/// How the fetcher paces itself.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    /// How often a server without IDLE is asked for new mail.
    pub poll: Duration,
    /// How often the supervisor looks for mailboxes to fetch.
    pub scan: Duration,
    /// How long a lease lasts without renewal (a crashed fetcher's mailbox is taken over
    /// after this).
    pub lease: Duration,
    /// How often a running fetcher renews its lease (and notices a changed mailbox).
    pub renew: Duration,
    /// How long one IDLE lasts before it is re-issued (servers end it at 30 minutes).
    pub idle_max: Duration,
    /// The first retry delay after an error; it doubles up to `max_retry`.
    pub retry: Duration,
    pub max_retry: Duration,
    /// The certificate authorities servers are checked against.
    pub trust: connect::Trust,
}

impl Default for FetchSettings {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(60),
            scan: Duration::from_secs(10),
            lease: Duration::from_secs(90),
            renew: Duration::from_secs(20),
            idle_max: Duration::from_secs(25 * 60),
            retry: Duration::from_secs(5),
            max_retry: Duration::from_secs(300),
            trust: connect::Trust::default(),
        }
    }
}

/// This process's name in leases: host, process id and a random part.
fn owner() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "helpdesk".into());
    let random = Uuid::now_v7().simple().to_string();
    format!(
        "{host}:{}:{}",
        std::process::id(),
        &random[random.len() - 8..]
    )
}

/// Runs fetchers for every mailbox this process can lease until `stop` turns true, then
/// lets their leases go.
pub async fn run(service: Service, settings: FetchSettings, stop: watch::Receiver<bool>) {
    let owner = owner();
    let http = reqwest::Client::builder()
        .timeout(connect::STEP_TIMEOUT)
        .build()
        .unwrap_or_default();
    let mut running: HashMap<Uuid, JoinHandle<runner::Stop>> = HashMap::new();
    let mut stopped = stop.clone();
    loop {
        running.retain(|_, task| !task.is_finished());
        match service.fetchable_mailboxes().await {
            Ok(mailboxes) => {
                for (id, _) in mailboxes {
                    if running.contains_key(&id) {
                        continue;
                    }
                    match service.lease_mailbox(id, &owner, settings.lease).await {
                        Ok(Some(account)) => {
                            tracing::info!(mailbox_id = %id, "fetching mail");
                            let task = runner::run(
                                service.clone(),
                                http.clone(),
                                account,
                                owner.clone(),
                                settings.clone(),
                                stop.clone(),
                            );
                            running.insert(id, tokio::spawn(task));
                        }
                        Ok(None) => {}
                        Err(e) => {
                            tracing::warn!(mailbox_id = %id, error = %e, "cannot lease mailbox");
                            let _ = service.fetch_failed(id, &e.to_string()).await;
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot list mailboxes to fetch"),
        }
        if *stopped.borrow() {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(settings.scan) => {}
            _ = stopped.changed() => {}
        }
    }
    for (id, task) in running {
        let _ = task.await;
        if let Err(e) = service.release_mailbox(id, &owner).await {
            tracing::debug!(mailbox_id = %id, error = %e, "lease not released");
        }
    }
}
