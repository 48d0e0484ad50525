//! A customer made from an email address the workspace does not know yet (a mail's
//! sender, an address copied on a ticket): named from the display name or the address,
//! in the organization whose domain matches.

use helpdesk_domain::{Email, Role, TenantCtx};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::organizations;
use helpdesk_storage::repo::users::{self, NewUser, User};
use sea_orm::{DatabaseTransaction, TransactionTrait};

use crate::error::{ServiceError, ServiceResult};

/// The workspace's user with `email`, or a new customer. Two transactions making the same
/// one at once make one: the second insert fails inside a savepoint and reads the first's
/// committed row.
pub async fn find_or_create(
    db: &DatabaseTransaction,
    ctx: &TenantCtx,
    email: &Email,
    name: Option<&str>,
    now: i64,
) -> ServiceResult<User> {
    if let Some(u) = users::by_email(db, ctx, email).await? {
        return Ok(u);
    }
    let organization_id = organizations::by_domain(db, ctx.workspace_id, email.domain()).await?;
    let local = email.as_str().split('@').next().unwrap_or_default();
    let new = NewUser {
        email: email.clone(),
        name: name.unwrap_or(local).chars().take(200).collect(),
        role: Role::Customer,
        organization_id,
        password_hash: None,
    };
    let savepoint = db.begin().await?;
    match users::create(&savepoint, ctx, new, now).await {
        Ok(u) => {
            savepoint.commit().await?;
            Ok(u)
        }
        Err(StoreError::Conflict(_)) => {
            savepoint.rollback().await?;
            users::by_email(db, ctx, email)
                .await?
                .ok_or(ServiceError::NotFound)
        }
        Err(e) => Err(e.into()),
    }
}
