//! Checks on ids a ticket request refers to: each must name a suitable object of the
//! caller's workspace, else the field is invalid (422), never a cross-tenant link.

use helpdesk_domain::{AssetId, OrganizationId, TenantCtx, UserId};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::users::UserRow;
use helpdesk_storage::repo::{assets, organizations, users};
use sea_orm::ConnectionTrait;

use crate::error::{FieldError, ServiceError, ServiceResult};

fn missing(field: &str, what: &str) -> impl FnOnce(StoreError) -> ServiceError {
    let err = FieldError::new(field, format!("no such {what}"));
    move |e| match e {
        StoreError::NotFound => ServiceError::Validation(vec![err]),
        other => other.into(),
    }
}

/// An active user of the workspace who can be a requester; returns its organization.
pub async fn requester(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: UserId,
) -> ServiceResult<Option<OrganizationId>> {
    let u = users::get(db, ctx, id)
        .await
        .map_err(missing("requester_id", "user"))?;
    if !u.active {
        return Err(ServiceError::invalid(
            "requester_id",
            "the user is deactivated",
        ));
    }
    Ok(u.organization_id.map(OrganizationId::from_uuid))
}

/// An active ADMIN or AGENT of the workspace.
pub async fn assignee(db: &impl ConnectionTrait, ctx: &TenantCtx, id: UserId) -> ServiceResult<()> {
    let u = users::get(db, ctx, id)
        .await
        .map_err(missing("assignee_id", "user"))?;
    if !u.is_active_staff() {
        return Err(ServiceError::invalid(
            "assignee_id",
            "must be an active agent or admin",
        ));
    }
    Ok(())
}

pub async fn organization(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: OrganizationId,
) -> ServiceResult<()> {
    organizations::get(db, ctx, id)
        .await
        .map(|_| ())
        .map_err(missing("organization_id", "organization"))
}

/// An asset of the workspace, which must belong to `org` when the ticket has one.
pub async fn asset(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: AssetId,
    org: Option<OrganizationId>,
) -> ServiceResult<assets::Asset> {
    let a = assets::get(db, ctx, id)
        .await
        .map_err(missing("asset_id", "asset"))?;
    match org {
        Some(o) if o.as_uuid() != a.organization_id => Err(ServiceError::invalid(
            "asset_id",
            "belongs to another organization than the ticket",
        )),
        _ => Ok(a),
    }
}
