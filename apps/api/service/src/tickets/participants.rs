//! The people copied on a ticket's public conversation: customers of its workspace (a
//! plain address becomes a customer, as a mail from it would). They get its public
//! replies by email and may answer by email as themselves; internal notes never reach
//! them. A mail's `Cc` adds them; agents add and remove them.

use helpdesk_domain::{Email, Permission, Role, TenantCtx, UserId};
use helpdesk_storage::repo::participants;
use helpdesk_storage::repo::tickets::{self, Ticket, TicketRef};
use helpdesk_storage::repo::users::{self, User, UserRow};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use uuid::Uuid;

use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;
use crate::users::customer;

/// At most this many people are copied on one ticket (a mail copied to a whole company
/// does not make them all participants).
pub const MAX_PARTICIPANTS: usize = 20;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParticipantOut {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
}

impl From<User> for ParticipantOut {
    fn from(u: User) -> Self {
        Self {
            user_id: u.id,
            name: u.name,
            email: u.email,
        }
    }
}

/// Whether `user` is copied on `ticket`.
pub async fn is_participant(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ticket: Uuid,
    user: Uuid,
) -> ServiceResult<bool> {
    Ok(participants::of_ticket(db, ctx, ticket)
        .await?
        .contains(&user))
}

/// Copies `user` on `t` unless it is staff, the requester, already there, or the ticket
/// is full; whether it was added.
pub async fn join(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    t: &Ticket,
    user: &User,
    now: i64,
) -> ServiceResult<bool> {
    if user.role()? != Role::Customer || user.id == t.requester_id {
        return Ok(false);
    }
    let present = participants::of_ticket(db, ctx, t.id).await?;
    if present.contains(&user.id) || present.len() >= MAX_PARTICIPANTS {
        return Ok(false);
    }
    Ok(participants::add(db, ctx, t.id, user.id, now).await?)
}

impl Service {
    /// `GET /tickets/{id}/participants` (staff).
    pub async fn participants(
        &self,
        actor: &Actor,
        r: TicketRef,
    ) -> ServiceResult<Vec<ParticipantOut>> {
        require(actor, Permission::WorkTickets)?;
        let db = self.store.read();
        let t = tickets::get(db, &actor.ctx, r).await?;
        let ids: Vec<UserId> = participants::of_ticket(db, &actor.ctx, t.id)
            .await?
            .into_iter()
            .map(UserId::from_uuid)
            .collect();
        let mut people = users::many(db, &actor.ctx, &ids).await?;
        people.sort_by_key(|u| ids.iter().position(|i| i.as_uuid() == u.id));
        Ok(people.into_iter().map(ParticipantOut::from).collect())
    }

    /// `POST /tickets/{id}/participants` (staff): copies the customer with `email` (made
    /// a customer if the address is new) on the ticket.
    pub async fn add_participant(
        &self,
        actor: &Actor,
        r: TicketRef,
        email: Email,
    ) -> ServiceResult<ParticipantOut> {
        require(actor, Permission::WorkTickets)?;
        let now = self.now();
        let tx = self.begin().await?;
        let t = tickets::get(&tx, &actor.ctx, r).await?;
        let user = customer::find_or_create(&tx, &actor.ctx, &email, None, now).await?;
        if user.role()? != Role::Customer {
            return Err(ServiceError::invalid(
                "email",
                "staff see every ticket already",
            ));
        }
        if user.id == t.requester_id {
            return Err(ServiceError::invalid("email", "is the ticket's requester"));
        }
        let present = participants::of_ticket(&tx, &actor.ctx, t.id).await?;
        if !present.contains(&user.id) && present.len() >= MAX_PARTICIPANTS {
            return Err(ServiceError::invalid(
                "email",
                format!("a ticket has at most {MAX_PARTICIPANTS} participants"),
            ));
        }
        participants::add(&tx, &actor.ctx, t.id, user.id, now).await?;
        tx.commit().await?;
        Ok(user.into())
    }

    /// `DELETE /tickets/{id}/participants/{user_id}` (staff).
    pub async fn remove_participant(
        &self,
        actor: &Actor,
        r: TicketRef,
        user: UserId,
    ) -> ServiceResult<()> {
        require(actor, Permission::WorkTickets)?;
        let db = self.store.write();
        let t = tickets::get(db, &actor.ctx, r).await?;
        Ok(participants::remove(db, &actor.ctx, t.id, user.as_uuid()).await?)
    }
}
