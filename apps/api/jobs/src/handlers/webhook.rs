//! `webhook.deliver`: POSTs one event to one webhook, signed
//! (`X-Helpdesk-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`), to a public
//! address only (checked after DNS resolution, and the connection pinned to the checked
//! address). Every attempt is logged; failures retry with backoff, and a webhook that fails
//! too many times in a row is disabled and the admins are told.

use std::net::SocketAddr;

use std::time::{Duration, Instant};
use url::Host;

use helpdesk_service::Service;
use helpdesk_service::webhook_delivery::Outgoing;
use helpdesk_storage::repo::jobs::Job;
use helpdesk_storage::repo::webhooks::NewDelivery;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use super::{Handler, JobError};

#[derive(Debug, Clone)]
pub struct DeliverWebhook {
    pub service: Service,
    /// Allow loopback and private addresses (tests, on-premises integrations).
    pub allow_private: bool,
}

/// The signature header value for `body` sent at `t` (seconds).
pub fn signature(secret: &str, t: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable_hmac());
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

// HMAC accepts keys of any length; this branch cannot be taken.
fn unreachable_hmac() -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(b"").unwrap_or_else(|_| unreachable_hmac())
}

/// The address to connect to: the URL's IP literal, or what its host name resolves to.
/// Every address is checked, so a name with one private address among public ones is
/// refused too.
pub async fn resolve(url: &reqwest::Url, allow_private: bool) -> Result<SocketAddr, String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err("only http and https URLs".into());
    }
    let port = url.port_or_known_default().ok_or("the URL has no port")?;
    // An IPv6 literal is `[::1]` in the URL; the resolver wants no brackets, and a
    // literal needs no resolving at all.
    let (host, addrs): (String, Vec<SocketAddr>) = match url.host() {
        Some(Host::Ipv4(ip)) => (ip.to_string(), vec![SocketAddr::new(ip.into(), port)]),
        Some(Host::Ipv6(ip)) => (ip.to_string(), vec![SocketAddr::new(ip.into(), port)]),
        Some(Host::Domain(name)) => (
            name.to_owned(),
            tokio::net::lookup_host((name, port))
                .await
                .map_err(|e| format!("cannot resolve {name}: {e}"))?
                .collect(),
        ),
        None => return Err("the URL has no host".into()),
    };
    let first = *addrs
        .first()
        .ok_or_else(|| format!("{host} has no address"))?;
    if !allow_private
        && addrs
            .iter()
            .any(|a| !helpdesk_domain::net::is_public(a.ip()))
    {
        return Err(format!("{host} resolves to a private or loopback address"));
    }
    Ok(first)
}

#[async_trait::async_trait]
impl Handler for DeliverWebhook {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let field = |f: &str| {
            job.payload[f]
                .as_str()
                .and_then(|s| s.parse::<Uuid>().ok())
                .ok_or_else(|| JobError(format!("payload has no {f}")))
        };
        let (webhook_id, event_id) = (field("webhook_id")?, field("event_id")?);
        let Some(Outgoing {
            webhook: w,
            event: e,
            body,
        }) = self
            .service
            .webhook_outgoing(webhook_id, event_id)
            .await
            .map_err(JobError::new)?
        else {
            return Ok(());
        };
        let t = self.service.clock.now().as_second();
        let started = Instant::now();
        let outcome = async {
            let url = reqwest::Url::parse(&w.url).map_err(|e| (None, e.to_string()))?;
            let addr = resolve(&url, self.allow_private)
                .await
                .map_err(|e| (None, e))?;
            // The checked address is pinned for the host name, and no proxy may resolve
            // the name again (to a different, private address).
            let mut client = reqwest::Client::builder().no_proxy();
            if let Some(Host::Domain(name)) = url.host() {
                client = client.resolve(name, addr);
            }
            let client = client
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(10))
                .build()
                .map_err(|e| (None, e.to_string()))?;
            let res = client
                .post(url)
                .header("content-type", "application/json")
                .header("x-helpdesk-signature", signature(&w.secret, t, &body))
                .header("x-helpdesk-event", e.kind.clone())
                .header("x-helpdesk-delivery", job.id.to_string())
                .body(body.clone())
                .send()
                .await
                .map_err(|e| (None, e.to_string()))?;
            let code = i32::from(res.status().as_u16());
            if res.status().is_success() {
                Ok(code)
            } else {
                Err((Some(code), format!("HTTP {code}")))
            }
        }
        .await;
        let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let (success, response_code, error) = match &outcome {
            Ok(code) => (true, Some(*code), None),
            Err((code, e)) => (false, *code, Some(e.clone())),
        };
        let delivery = NewDelivery {
            event_id: e.id,
            event_type: e.kind.clone(),
            attempt: job.attempts,
            success,
            response_code,
            duration_ms,
            error,
        };
        let disabled = self
            .service
            .record_webhook_attempt(&w, delivery)
            .await
            .map_err(JobError::new)?;
        match outcome {
            Ok(_) => Ok(()),
            Err((_, msg)) if disabled => {
                tracing::warn!(webhook = %w.id, "webhook disabled after repeated failures");
                Err(JobError(format!("{msg}; webhook disabled")))
            }
            Err((_, msg)) => Err(JobError(msg)),
        }
    }
}
