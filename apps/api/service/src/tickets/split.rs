//! Splitting a message off into a ticket of its own (a customer raised a second problem
//! in a reply): the new ticket has the source's requester, organization, asset, priority
//! and assignee, the message's text as its opening and the message's files; the message
//! leaves the source; the two tickets are linked `RELATED` and both timelines say so.

use helpdesk_domain::{
    AssetId, MessageId, OrganizationId, Permission, Priority, TicketId, UserId, text,
};
use helpdesk_storage::repo::events::{self, NewEvent};
use helpdesk_storage::repo::links::{self, RELATED};
use helpdesk_storage::repo::tickets::{self, NewTicket, TicketChanges, TicketRef, TicketRow};
use helpdesk_storage::repo::{attachments, mail_bodies, messages};
use serde_json::{Map, Value, json};

use super::brief::TicketBrief;
use super::change::attribute;
use super::create::insert;
use super::merge::merged_target;
use super::view::TicketOut;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;

impl Service {
    /// `POST /tickets/{id}/messages/{message_id}/split` (staff): opens a ticket from one
    /// public message of `r`, titled `subject` (default: the source's subject).
    pub async fn split_message(
        &self,
        actor: &Actor,
        r: TicketRef,
        message: MessageId,
        subject: Option<String>,
    ) -> ServiceResult<TicketOut> {
        require(actor, Permission::WorkTickets)?;
        let ctx = &actor.ctx;
        let now = self.now();
        let tx = self.begin().await?;
        let source = tickets::get_for_update(&tx, ctx, r).await?;
        let source_id = TicketId::from_uuid(source.id);
        let msg = messages::get(&tx, ctx, source_id, message).await?;
        if let Some(into) = merged_target(&tx, actor, &source).await? {
            return Err(ServiceError::Merged(into));
        }
        if source.is_closed() {
            return Err(ServiceError::closed_ticket());
        }
        if msg.internal {
            return Err(ServiceError::invalid(
                "message_id",
                "is an internal note: a new ticket's opening is seen by its requester",
            ));
        }
        let subject = match subject {
            Some(s) => text::bounded(&s, 1, 250)
                .map_err(|e| ServiceError::invalid("subject", e.to_string()))?,
            None => source.subject.clone(),
        };
        let new = NewTicket {
            subject,
            description: msg.body.clone(),
            priority: Priority::from_rank(source.priority).unwrap_or_default(),
            requester_id: UserId::from_uuid(source.requester_id),
            assignee_id: source.assignee_id.map(UserId::from_uuid),
            organization_id: source.organization_id.map(OrganizationId::from_uuid),
            asset_id: source.asset_id.map(AssetId::from_uuid),
            tags: Vec::new(),
            channel: actor.channel(),
        };
        let (opened, _, mut on_new) = insert(&tx, actor, new, now).await?;
        let opened_id = TicketId::from_uuid(opened.id);
        let files =
            attachments::move_to_opening(&tx, ctx, source_id, message, opened_id, now).await?;
        mail_bodies::rekey(&tx, ctx, msg.id, opened.id).await?;
        messages::delete(&tx, ctx, source_id, message).await?;
        tickets::rebuild_ticket_search(&tx, source_id).await?;
        links::create(&tx, ctx, source.id, opened.id, RELATED, now).await?;
        let mut m = Map::new();
        m.insert("message_id".into(), json!(msg.id));
        m.insert("attachments".into(), json!(files));
        m.insert("into".into(), TicketBrief::json(&opened));
        attribute(&mut m, actor);
        let e = NewEvent {
            ticket_id: source_id,
            kind: "ticket.split",
            changes: Value::Object(m),
            message_id: None,
            internal: true,
        };
        let on_source = vec![events::record(&tx, ctx, e, now).await?];
        let mut m = Map::new();
        m.insert("split_from".into(), TicketBrief::json(&source));
        m.insert("message_id".into(), json!(msg.id));
        attribute(&mut m, actor);
        let e = NewEvent {
            ticket_id: opened_id,
            kind: "ticket.split",
            changes: Value::Object(m),
            message_id: None,
            internal: true,
        };
        on_new.push(events::record(&tx, ctx, e, now).await?);
        // The source's version moves: its conversation changed.
        let source = tickets::update(&tx, ctx, &source, TicketChanges::default(), now).await?;
        let clock = super::sla_view::SlaClock::load(&tx, ctx, &[&opened], now).await?;
        tx.commit().await?;
        self.publish(&source, &on_source).await;
        self.publish(&opened, &on_new).await;
        TicketOut::from_row(opened, &clock)
    }
}
