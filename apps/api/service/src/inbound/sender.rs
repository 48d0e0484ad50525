//! Who wrote a message: the workspace's user with the sender's address, or a new customer
//! joining the organization whose domain the address is in.

use helpdesk_domain::{Actor as Principal, Email, OrganizationId, TenantCtx, UserId};
use helpdesk_storage::repo::users::{User, UserRow};
use sea_orm::DatabaseTransaction;

use crate::actor::{Actor, Via};
use crate::error::ServiceResult;
use crate::users::customer;

/// The sender as an actor of the email channel.
#[derive(Debug, Clone)]
pub struct Sender {
    pub user: User,
    pub actor: Actor,
}

impl Sender {
    pub fn id(&self) -> UserId {
        UserId::from_uuid(self.user.id)
    }

    pub fn is_staff(&self) -> bool {
        self.actor.is_staff()
    }
}

/// The user behind `from` (`known`, the caller's lookup of it), created as a customer when
/// unknown; `None` when the account is deactivated (its mail is quarantined for an agent
/// to look at).
pub async fn find_or_create(
    db: &DatabaseTransaction,
    ctx: &TenantCtx,
    known: Option<User>,
    from: &Email,
    name: Option<&str>,
    now: i64,
) -> ServiceResult<Option<Sender>> {
    let user = match known {
        Some(u) if !u.active => return Ok(None),
        Some(u) => u,
        None => customer::find_or_create(db, ctx, from, name, now).await?,
    };
    let role = user.role()?;
    let actor = Actor {
        ctx: TenantCtx {
            workspace_id: ctx.workspace_id,
            actor: Principal::User(UserId::from_uuid(user.id)),
            role,
            organization_id: user.organization_id.map(OrganizationId::from_uuid),
        },
        via: Via::Email,
    };
    Ok(Some(Sender { user, actor }))
}
