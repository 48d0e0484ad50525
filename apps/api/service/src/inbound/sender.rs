//! Who wrote a message: the workspace's user with the sender's address, or a new customer
//! joining the organization whose domain the address is in.

use helpdesk_domain::{Actor as Principal, Email, OrganizationId, Role, TenantCtx, UserId};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::organizations;
use helpdesk_storage::repo::users::{self, NewUser, User, UserRow};
use sea_orm::{DatabaseTransaction, TransactionTrait};

use crate::actor::{Actor, Via};
use crate::error::{ServiceError, ServiceResult};

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
/// to look at). Two first messages from one address processed at once make one customer:
/// the second insert fails inside a savepoint and reads the first's committed row.
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
        None => {
            let organization_id =
                organizations::by_domain(db, ctx.workspace_id, from.domain()).await?;
            let local = from.as_str().split('@').next().unwrap_or_default();
            let new = NewUser {
                email: from.clone(),
                name: name.unwrap_or(local).chars().take(200).collect(),
                role: Role::Customer,
                organization_id,
                password_hash: None,
            };
            let savepoint = db.begin().await?;
            match users::create(&savepoint, ctx, new, now).await {
                Ok(u) => {
                    savepoint.commit().await?;
                    u
                }
                Err(StoreError::Conflict(_)) => {
                    savepoint.rollback().await?;
                    users::by_email(db, ctx, from)
                        .await?
                        .ok_or(ServiceError::NotFound)?
                }
                Err(e) => return Err(e.into()),
            }
        }
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
