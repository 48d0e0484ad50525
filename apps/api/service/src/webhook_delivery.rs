//! A webhook delivery's bookkeeping around the HTTP call the worker makes: what to send
//! (the webhook, if still active, and the signed body), and what an attempt means (it is
//! logged; after too many failures in a row the webhook is disabled and the admins told).

use helpdesk_domain::{Role, TenantCtx, WorkspaceId};
use helpdesk_storage::repo::events::{self, Event};
use helpdesk_storage::repo::outbox::NewMessage;
use helpdesk_storage::repo::users::{self, UserFilter};
use helpdesk_storage::repo::webhooks::{self, NewDelivery, Webhook};
use uuid::Uuid;

use crate::Service;
use crate::error::ServiceResult;
use crate::mail::{self, Audience};
use crate::webhook_payload::payload;

/// What one delivery sends.
#[derive(Debug)]
pub struct Outgoing {
    pub webhook: Webhook,
    pub event: Event,
    pub body: Vec<u8>,
}

impl Service {
    /// The delivery of event `event_id` to webhook `webhook_id`; `None` when either is
    /// gone or the webhook was switched off meanwhile.
    pub async fn webhook_outgoing(
        &self,
        webhook_id: Uuid,
        event_id: Uuid,
    ) -> ServiceResult<Option<Outgoing>> {
        let db = self.store.read();
        let Some(w) = webhooks::by_id(db, webhook_id).await? else {
            return Ok(None);
        };
        if !w.active {
            return Ok(None);
        }
        let Some(e) = events::by_id(db, event_id).await? else {
            return Ok(None);
        };
        let body = payload(db, &e, self.now()).await?;
        Ok(Some(Outgoing {
            webhook: w,
            event: e,
            body,
        }))
    }

    /// Logs an attempt; returns whether the webhook was disabled because of it.
    pub async fn record_webhook_attempt(
        &self,
        w: &Webhook,
        attempt: NewDelivery,
    ) -> ServiceResult<bool> {
        let now = self.now();
        let failed = !attempt.success;
        let tx = self.begin().await?;
        let streak = webhooks::record_delivery(&tx, w, attempt, now).await?;
        let limit = self.settings.webhook_failure_limit;
        let disable = failed && streak >= limit;
        if disable {
            webhooks::disable(&tx, w.id, now).await?;
            let ctx = TenantCtx::system(WorkspaceId::from_uuid(w.workspace_id));
            let filter = UserFilter {
                role: Some(Role::Admin),
                ..UserFilter::default()
            };
            let page = helpdesk_storage::repo::Page {
                limit: 100,
                after: None,
            };
            for a in users::list(&tx, &ctx, &filter, page).await? {
                if !a.active {
                    continue;
                }
                let msg = NewMessage {
                    kind: "webhook_disabled",
                    recipient: a.email,
                    subject: "A webhook was disabled".into(),
                    body: format!(
                        "The webhook to {} failed {limit} times in a row and was disabled.\nFix the endpoint, then re-enable it (PATCH /api/v1/webhooks/{} with {{\"active\": true}}).\n",
                        w.url, w.id
                    ),
                    in_reply_to: None,
                    reply_to: None,
                };
                let cap = self.settings.mail_per_hour;
                mail::queue(&tx, &ctx, cap, Audience::Members, msg, now).await?;
            }
        }
        tx.commit().await?;
        if disable {
            self.live.wake_workers().await;
        }
        Ok(disable)
    }
}
