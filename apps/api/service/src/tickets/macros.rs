//! Applying a macro: its actions in order, then its reply posted as the caller; one
//! transaction, so all of it happens or none.

use helpdesk_domain::automation::Action;
use helpdesk_storage::repo::macros;
use helpdesk_storage::repo::tickets::{self, TicketRef, TicketRow};
use uuid::Uuid;

use super::actions::edit_of;
use super::change::change;
use super::reply::{Post, note, post};
use super::sla_view::SlaClock;
use super::view::TicketOut;
use crate::Service;
use crate::actor::Actor;
use crate::automations::check;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;
use helpdesk_domain::Permission;

impl Service {
    pub async fn apply_macro(
        &self,
        actor: &Actor,
        r: TicketRef,
        macro_id: Uuid,
    ) -> ServiceResult<TicketOut> {
        require(actor, Permission::ManageMacros)?;
        let ctx = &actor.ctx;
        let now = self.now();
        let tx = self.begin().await?;
        let mut t = tickets::get_for_update(&tx, ctx, r).await?;
        if t.is_closed() {
            return Err(ServiceError::closed_ticket());
        }
        let m = macros::get(&tx, ctx, macro_id)
            .await
            .map_err(|_| ServiceError::invalid("macro_id", "no such macro in this workspace"))?;
        let actions = check::macro_actions(&tx, ctx, &m.actions).await?;
        let mut live = Vec::new();
        for a in &actions {
            let (next, events) = match (a, edit_of(a, &t)) {
                (_, Some(edit)) => change(&tx, actor, &t, edit, now).await?,
                (Action::AddInternalNote(body), None) => {
                    note(&tx, actor, &t, body.clone(), None, now).await?
                }
                _ => continue,
            };
            t = next;
            live.extend(events);
        }
        if let Some(reply) = m.reply {
            let p = Post {
                body: reply,
                internal: false,
                status: None,
                signed: false,
                expected_version: None,
            };
            let (_, next, events) = post(&tx, actor, &t, p, now).await?;
            t = next;
            live.extend(events);
        }
        let clock = SlaClock::load(&tx, ctx, &[&t], now).await?;
        tx.commit().await?;
        self.publish(&t, &live).await;
        TicketOut::from_row(t, &clock)
    }
}
