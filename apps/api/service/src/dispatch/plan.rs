//! What dispatching an event needs to read, gathered before the dispatching transaction:
//! on SQLite that transaction holds the database's one write lock from its start, and the
//! API's writes queue behind it, so its reads (the ticket, the workspace, the message, the
//! people told and whether their addresses take mail) are done first, from the read pool.
//! What changes in between is as if the dispatch had run a moment earlier.

use std::sync::Arc;

use helpdesk_domain::preferences::Preferences;
use helpdesk_domain::{MessageId, TenantCtx, TicketId, WorkspaceId};
use helpdesk_storage::repo::events::Event;
use helpdesk_storage::repo::mailboxes::Mailbox;
use helpdesk_storage::repo::messages;
use helpdesk_storage::repo::tickets::{self, Ticket, TicketRef};
use helpdesk_storage::repo::users::User;
use helpdesk_storage::repo::workspaces::Workspace;
use sea_orm::ConnectionTrait;

use super::memo::Memo;
use super::recipients::{recipients, sla_lead};
use crate::Service;
use crate::dispatch_config::DispatchConfig;
use crate::error::ServiceResult;
use crate::mail::Screened;

/// One event's dispatch, read and ready to be written.
pub(super) struct Plan {
    pub ctx: TenantCtx,
    pub ticket: Ticket,
    pub workspace: Workspace,
    /// The text quoted in the emails: the message, or an SLA alert's lead.
    pub message: Option<String>,
    /// Who is told and why: active users whose preferences ask for it.
    pub told: Vec<Told>,
    /// The workspace's mailboxes, for the reply address; empty when nobody is told.
    pub mailboxes: Vec<Mailbox>,
    pub config: Arc<DispatchConfig>,
}

/// One person told of an event.
pub(super) struct Told {
    pub user: User,
    /// The reason, for the email's wording.
    pub why: &'static str,
    /// Their address screened for the workspace's mail.
    pub screened: Screened,
}

impl Service {
    /// Reads what dispatching `e` needs, through `db` (the read pool), with `memo` sharing
    /// the workspace and people among a batch's events.
    pub(super) async fn plan(
        &self,
        db: &impl ConnectionTrait,
        memo: &mut Memo,
        e: &Event,
    ) -> ServiceResult<Plan> {
        let ctx = TenantCtx::system(WorkspaceId::from_uuid(e.workspace_id));
        let ticket =
            tickets::get(db, &ctx, TicketRef::Id(TicketId::from_uuid(e.ticket_id))).await?;
        let workspace = memo.workspace(db, ctx.workspace_id).await?;
        let note = e.kind == "note.created";
        let message = match e.message_id {
            Some(m) if !e.internal || note => {
                let id = MessageId::from_uuid(m);
                messages::get(db, &ctx, TicketId::from_uuid(ticket.id), id)
                    .await
                    .ok()
                    .map(|m| m.body)
            }
            _ if e.kind.starts_with("sla.") => Some(sla_lead(e)),
            _ => None,
        };
        let mut told = Vec::new();
        for (user, why) in recipients(db, memo, &ctx, e, &ticket).await? {
            let Some(u) = memo.user(db, &ctx, user).await? else {
                continue;
            };
            // The user's own choice of ticket emails (staff reasons only).
            if u.active
                && Preferences::from_json(&u.preferences)
                    .email_notifications
                    .wants(why)
            {
                let screened = memo.screen(db, &ctx, &u.email).await?;
                told.push(Told {
                    user: u,
                    why,
                    screened,
                });
            }
        }
        let mailboxes = if told.is_empty() {
            Vec::new()
        } else {
            memo.mailboxes(db, &ctx).await?.to_vec()
        };
        let config = self.dispatch_configs.get(db, &workspace).await?;
        Ok(Plan {
            ctx,
            ticket,
            workspace,
            message,
            told,
            mailboxes,
            config,
        })
    }
}
