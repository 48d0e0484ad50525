//! A signed-in user's own preferences: keyboard shortcuts, the signature under their
//! public replies, and which ticket emails they receive. Absent fields keep their value.

use helpdesk_domain::preferences::{EmailNotifications, Preferences};
use helpdesk_storage::repo::users;

use crate::Service;
use crate::actor::Actor;
use crate::auth_cache::Eviction;
use crate::error::{ServiceError, ServiceResult};

/// The longest signature, in characters.
pub const SIGNATURE_MAX: usize = 2000;

/// A change to some of the preferences.
#[derive(Debug, Clone, Default)]
pub struct PreferencesInput {
    pub keyboard_shortcuts: Option<bool>,
    /// `Some(None)` (or blank) removes the signature.
    pub signature: Option<Option<String>>,
    pub email_notifications: Option<EmailNotificationsInput>,
}

/// A change to some of the email choices.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmailNotificationsInput {
    pub assigned: Option<bool>,
    pub customer_reply: Option<bool>,
    pub note: Option<bool>,
    pub sla: Option<bool>,
}

impl EmailNotificationsInput {
    fn over(self, e: EmailNotifications) -> EmailNotifications {
        EmailNotifications {
            assigned: self.assigned.unwrap_or(e.assigned),
            customer_reply: self.customer_reply.unwrap_or(e.customer_reply),
            note: self.note.unwrap_or(e.note),
            sla: self.sla.unwrap_or(e.sla),
        }
    }
}

/// A signature: a few lines of text (CRLF read as LF), no other control characters.
fn signature(raw: &str) -> ServiceResult<String> {
    let s = raw.replace("\r\n", "\n");
    let bad = |m: &str| ServiceError::invalid("signature", m.to_owned());
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(bad("must be plain text, without control characters"));
    }
    if s.chars().count() > SIGNATURE_MAX {
        return Err(bad(&format!("must be at most {SIGNATURE_MAX} characters")));
    }
    if s.lines().count() > 12 {
        return Err(bad("must be at most 12 lines"));
    }
    Ok(s)
}

impl Service {
    pub async fn my_preferences(&self, actor: &Actor) -> ServiceResult<Preferences> {
        let me = actor.ctx.user_id().ok_or(ServiceError::Forbidden)?;
        let user = users::get(self.store.read(), &actor.ctx, me).await?;
        Ok(Preferences::from_json(&user.preferences))
    }

    pub async fn set_my_preferences(
        &self,
        actor: &Actor,
        input: PreferencesInput,
    ) -> ServiceResult<Preferences> {
        let me = actor.ctx.user_id().ok_or(ServiceError::Forbidden)?;
        let tx = self.begin().await?;
        let user = users::get(&tx, &actor.ctx, me).await?;
        let mut p = Preferences::from_json(&user.preferences);
        if let Some(on) = input.keyboard_shortcuts {
            p.keyboard_shortcuts = on;
        }
        if let Some(sig) = input.signature {
            p.signature = match sig.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(s) => Some(signature(s)?),
            };
        }
        if let Some(e) = input.email_notifications {
            p.email_notifications = e.over(p.email_notifications);
        }
        let json = serde_json::to_value(&p).map_err(ServiceError::internal)?;
        users::set_preferences(&tx, &actor.ctx, me, json, self.now()).await?;
        tx.commit().await?;
        // Signed-in pages read the user from the cache.
        self.evict(Eviction::User(me.as_uuid())).await;
        Ok(p)
    }
}
