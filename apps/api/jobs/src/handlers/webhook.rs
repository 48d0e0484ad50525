//! `webhook.deliver`: POSTs one event to one webhook, signed
//! (`X-Helpdesk-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`), to a public
//! address only (checked after DNS resolution, and the connection pinned to the checked
//! address). Every attempt is logged; failures retry with backoff, and a webhook that fails
//! too many times in a row is disabled and the admins are told.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use std::sync::Arc;

use helpdesk_domain::time::{Clock, to_micros};
use helpdesk_domain::{Role, TenantCtx, WorkspaceId};
use helpdesk_storage::Store;
use helpdesk_storage::repo::events;
use helpdesk_storage::repo::jobs::Job;
use helpdesk_storage::repo::outbox::{self, NewMessage};
use helpdesk_storage::repo::users::{self, UserFilter};
use helpdesk_storage::repo::webhooks::{self, NewDelivery, Webhook};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use super::{Handler, JobError};

#[derive(Debug, Clone)]
pub struct DeliverWebhook {
    pub store: Store,
    /// Allow loopback and private addresses (tests, on-premises integrations).
    pub allow_private: bool,
    /// Consecutive failures after which a webhook is disabled.
    pub failure_limit: i32,
    pub clock: Arc<dyn Clock>,
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

/// Resolves the URL's host and checks every address it resolves to.
pub async fn resolve(url: &reqwest::Url, allow_private: bool) -> Result<SocketAddr, String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err("only http and https URLs".into());
    }
    let host = url.host_str().ok_or("the URL has no host")?;
    let port = url.port_or_known_default().ok_or("the URL has no port")?;
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .collect();
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

impl DeliverWebhook {
    async fn tell_admins(&self, w: &Webhook) -> Result<(), JobError> {
        let ctx = TenantCtx::system(WorkspaceId::from_uuid(w.workspace_id));
        let filter = UserFilter {
            role: Some(Role::Admin),
            ..UserFilter::default()
        };
        let page = helpdesk_storage::repo::Page {
            limit: 100,
            after: None,
        };
        let admins = users::list(self.store.read(), &ctx, &filter, page)
            .await
            .map_err(JobError::new)?;
        for a in admins.into_iter().filter(|a| a.active) {
            let msg = NewMessage {
                kind: "webhook_disabled",
                recipient: a.email,
                subject: "A webhook was disabled".into(),
                body: format!(
                    "The webhook to {} failed {} times in a row and was disabled.\nFix the endpoint, then re-enable it (PATCH /api/v1/webhooks/{} with {{\"active\": true}}).\n",
                    w.url, self.failure_limit, w.id
                ),
                in_reply_to: None,
            };
            outbox::enqueue(
                self.store.write(),
                ctx.workspace_id,
                msg,
                to_micros(self.clock.now()),
            )
            .await
            .map_err(JobError::new)?;
        }
        Ok(())
    }
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
        let Some(w) = webhooks::by_id(self.store.read(), webhook_id)
            .await
            .map_err(JobError::new)?
        else {
            return Ok(());
        };
        if !w.active {
            return Ok(());
        }
        let Some(e) = events::by_id(self.store.read(), event_id)
            .await
            .map_err(JobError::new)?
        else {
            return Ok(());
        };
        let now = to_micros(self.clock.now());
        let body = helpdesk_service::webhook_payload::payload(self.store.read(), &e, now)
            .await
            .map_err(JobError::new)?;
        let t = self.clock.now().as_second();
        let started = Instant::now();
        let outcome = async {
            let url = reqwest::Url::parse(&w.url).map_err(|e| (None, e.to_string()))?;
            let addr = resolve(&url, self.allow_private)
                .await
                .map_err(|e| (None, e))?;
            let host = url.host_str().unwrap_or_default().to_owned();
            let client = reqwest::Client::builder()
                .resolve(&host, addr)
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
        let streak = webhooks::record_delivery(self.store.write(), &w, delivery, now)
            .await
            .map_err(JobError::new)?;
        match outcome {
            Ok(_) => Ok(()),
            Err((_, msg)) if streak >= self.failure_limit => {
                webhooks::disable(self.store.write(), w.id, now)
                    .await
                    .map_err(JobError::new)?;
                self.tell_admins(&w).await?;
                tracing::warn!(webhook = %w.id, "webhook disabled after repeated failures");
                Err(JobError(format!("{msg}; webhook disabled")))
            }
            Err((_, msg)) => Err(JobError(msg)),
        }
    }
}
