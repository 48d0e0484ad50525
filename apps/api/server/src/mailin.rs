//! Starting email intake from the configuration: the IMAP fetchers (where the worker runs)
//! and the SMTP/LMTP listener (where `HELPDESK_INBOUND_SMTP_BIND` is set).

use std::time::Duration;

use anyhow::Context;
use helpdesk_mailin::FetchSettings;
use helpdesk_mailin::imap::connect::Trust;
use helpdesk_mailin::smtp::ListenerSettings;
use helpdesk_service::Service;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::Config;

/// The certificate authorities IMAP servers are checked against (`HELPDESK_IMAP_CA_FILE`).
pub fn trust(config: &Config) -> anyhow::Result<Trust> {
    match &config.imap_ca_file {
        None => Ok(Trust::default()),
        Some(path) => {
            let pem = std::fs::read(path)
                .with_context(|| format!("cannot read HELPDESK_IMAP_CA_FILE {}", path.display()))?;
            Trust::with_pem(&pem).map_err(anyhow::Error::msg)
        }
    }
}

/// The fetcher's pace: `HELPDESK_IMAP_POLL_SECS`, and no slower than 10 s to notice a new
/// or changed mailbox.
pub fn fetch_settings(config: &Config) -> anyhow::Result<FetchSettings> {
    let poll = Duration::from_secs(config.imap_poll_secs);
    let ten = Duration::from_secs(10);
    Ok(FetchSettings {
        poll,
        scan: poll.min(ten),
        renew: poll.min(ten),
        retry: poll.min(Duration::from_secs(5)),
        trust: trust(config)?,
        ..FetchSettings::default()
    })
}

/// Starts the IMAP fetchers.
pub fn fetchers(
    config: &Config,
    service: &Service,
    stop: watch::Receiver<bool>,
) -> anyhow::Result<JoinHandle<()>> {
    Ok(tokio::spawn(helpdesk_mailin::imap::run(
        service.clone(),
        fetch_settings(config)?,
        stop,
    )))
}

/// Starts the SMTP/LMTP listener when it is configured.
pub async fn listener(
    config: &Config,
    service: &Service,
    stop: watch::Receiver<bool>,
) -> anyhow::Result<Option<JoinHandle<()>>> {
    let Some(addr) = config.inbound_smtp_bind else {
        return Ok(None);
    };
    let socket = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot bind HELPDESK_INBOUND_SMTP_BIND {addr}"))?;
    tracing::info!(%addr, "taking mail over SMTP/LMTP");
    Ok(Some(tokio::spawn(helpdesk_mailin::smtp::run(
        service.clone(),
        socket,
        ListenerSettings::default(),
        stop,
    ))))
}
