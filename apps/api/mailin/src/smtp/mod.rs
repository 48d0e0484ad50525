//! The SMTP/LMTP listener (`HELPDESK_INBOUND_SMTP_BIND`): for an MTA that relays a
//! domain's mail here (SMTP) or delivers it like a mail store (LMTP, with one answer per
//! recipient). Recipients are checked against the mailboxes' addresses; a message is
//! answered `250` only once it is stored.

mod session;

use std::sync::Arc;
use std::time::Duration;

use helpdesk_service::Service;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

/// Connections served at once; more wait in the kernel's backlog.
const MAX_CONNECTIONS: usize = 100;

/// How the listener limits a client.
#[derive(Debug, Clone, Copy)]
pub struct ListenerSettings {
    /// The largest message taken (answered `552` beyond).
    pub max_bytes: usize,
    /// Recipients one message may have.
    pub max_recipients: usize,
    /// How long a client may stay silent.
    pub idle: Duration,
}

impl Default for ListenerSettings {
    fn default() -> Self {
        Self {
            max_bytes: helpdesk_service::inbound::MAX_RAW_BYTES,
            max_recipients: 100,
            idle: Duration::from_secs(300),
        }
    }
}

/// Serves SMTP and LMTP on `listener` until `stop` turns true.
pub async fn run(
    service: Service,
    listener: TcpListener,
    settings: ListenerSettings,
    mut stop: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let name = std::env::var("HOSTNAME").unwrap_or_else(|_| "helpdesk".into());
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.changed() => return,
        };
        let (socket, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %e, "accepting an SMTP connection failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let (service, name) = (service.clone(), name.clone());
        tokio::spawn(async move {
            let served = session::serve(&service, socket, &name, settings).await;
            if let Err(e) = served {
                tracing::debug!(%peer, error = %e, "SMTP connection ended");
            }
            drop(slot);
        });
    }
}
