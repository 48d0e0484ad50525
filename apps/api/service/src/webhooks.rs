//! Webhooks (admins): subscriptions to ticket events and their delivery log. A webhook's
//! URL must be http(s) and, unless the deployment allows it, must not name a private or
//! loopback address (server-side request forgery). The worker delivers, and checks the
//! resolved address again at that moment.

use std::net::{IpAddr, Ipv4Addr};

use helpdesk_domain::Permission;
use helpdesk_storage::repo::webhooks::{self, Delivery, Webhook, WebhookFields};
use uuid::Uuid;

use crate::Service;
use crate::actor::Actor;
use crate::error::{FieldError, ServiceError, ServiceResult};
use crate::paging::{PageRequest, Paginated, paginate_rows};
use crate::permissions::require;

/// Event types a webhook can subscribe to; `*` is all of them.
pub const EVENT_TYPES: [&str; 12] = [
    "*",
    "contract.threshold",
    "contract.exhausted",
    "ticket.created",
    "ticket.updated",
    "ticket.merged",
    "message.created",
    "note.created",
    "time_entry.created",
    "attachment.created",
    "sla.warning",
    "sla.breached",
];

/// A webhook's fields as a caller gives them; `None` leaves a field alone. On creation the
/// URL and events are required; a missing secret is generated.
#[derive(Debug, Clone, Default)]
pub struct WebhookInput {
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    pub secret: Option<String>,
    /// `Some(true)` re-enables a webhook that failures disabled.
    pub active: Option<bool>,
}

/// A new webhook and its signing secret, shown this once.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub webhook: Webhook,
    pub secret: String,
}

/// The URL a webhook may target, normalized; errors are on field `url`.
pub fn check_url(raw: &str, allow_private: bool) -> Result<String, FieldError> {
    let bad = |m: &str| FieldError::new("url", m);
    let url = url::Url::parse(raw.trim()).map_err(|_| bad("is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must be http or https"));
    }
    let host = url.host_str().ok_or_else(|| bad("has no host"))?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let literal = match bare.parse::<IpAddr>() {
        Ok(ip) => Some(ip),
        Err(_) => bare
            .eq_ignore_ascii_case("localhost")
            .then_some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
    };
    if !allow_private && literal.is_some_and(|ip| !helpdesk_domain::net::is_public(ip)) {
        return Err(bad("points to a private or loopback address"));
    }
    Ok(url.to_string())
}

fn fields(input: WebhookInput, allow_private: bool) -> ServiceResult<WebhookFields> {
    let mut errors = Vec::new();
    let url = input
        .url
        .map(|u| check_url(&u, allow_private))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if let Some(events) = &input.events {
        for e in events {
            if !EVENT_TYPES.contains(&e.as_str()) {
                errors.push(FieldError::new(
                    "events",
                    format!("{e:?} is not one of {}", EVENT_TYPES.join(", ")),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Validation(errors));
    }
    Ok(WebhookFields {
        url,
        events: input.events,
        secret: input.secret,
        active: input.active,
    })
}

impl Service {
    pub async fn webhooks(&self, actor: &Actor) -> ServiceResult<Vec<Webhook>> {
        require(actor, Permission::ManageWebhooks)?;
        Ok(webhooks::list(self.store.read(), &actor.ctx).await?)
    }

    pub async fn webhook(&self, actor: &Actor, id: Uuid) -> ServiceResult<Webhook> {
        require(actor, Permission::ManageWebhooks)?;
        Ok(webhooks::get(self.store.read(), &actor.ctx, id).await?)
    }

    /// A new webhook. Without a secret in the input, `new_secret` makes one (the adapter
    /// owns the source of randomness).
    pub async fn create_webhook(
        &self,
        actor: &Actor,
        input: WebhookInput,
        new_secret: impl FnOnce() -> String + Send,
    ) -> ServiceResult<NewWebhook> {
        require(actor, Permission::ManageWebhooks)?;
        let f = fields(input, self.settings.webhook_allow_private)?;
        let url = f
            .url
            .ok_or_else(|| ServiceError::invalid("url", "is required"))?;
        let events = f
            .events
            .ok_or_else(|| ServiceError::invalid("events", "is required"))?;
        let secret = f.secret.unwrap_or_else(new_secret);
        let tx = self.begin().await?;
        let mut w =
            webhooks::create(&tx, &actor.ctx, url, events, secret.clone(), self.now()).await?;
        if f.active == Some(false) {
            let off = WebhookFields {
                active: Some(false),
                ..WebhookFields::default()
            };
            w = webhooks::update(&tx, &actor.ctx, w.id, off, self.now()).await?;
        }
        tx.commit().await?;
        Ok(NewWebhook { webhook: w, secret })
    }

    /// Changes the URL, events or secret; `active: Some(true)` re-enables it.
    pub async fn update_webhook(
        &self,
        actor: &Actor,
        id: Uuid,
        input: WebhookInput,
    ) -> ServiceResult<Webhook> {
        require(actor, Permission::ManageWebhooks)?;
        let f = fields(input, self.settings.webhook_allow_private)?;
        Ok(webhooks::update(self.store.write(), &actor.ctx, id, f, self.now()).await?)
    }

    /// Deletes a webhook with its delivery log.
    pub async fn delete_webhook(&self, actor: &Actor, id: Uuid) -> ServiceResult<()> {
        require(actor, Permission::ManageWebhooks)?;
        let tx = self.begin().await?;
        webhooks::delete(&tx, &actor.ctx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every delivery attempt of a webhook, newest first.
    pub async fn webhook_deliveries(
        &self,
        actor: &Actor,
        id: Uuid,
        page: PageRequest,
    ) -> ServiceResult<Paginated<Delivery>> {
        require(actor, Permission::ManageWebhooks)?;
        let db = self.store.read();
        let w = webhooks::get(db, &actor.ctx, id).await?;
        let page = page.page()?;
        let rows = webhooks::deliveries(db, &actor.ctx, w.id, page).await?;
        Ok(paginate_rows(rows, page, |d| d.id))
    }
}
