//! SLA policies of a workspace; at most one is the default.

use helpdesk_domain::TenantCtx;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::entities::{
    organization,
    sla_policy::{self, Entity as Policies},
};
use crate::error::{StoreError, StoreResult};

pub use sla_policy::Model as SlaPolicy;

/// A policy's fields as stored (validated by the caller).
#[derive(Debug, Clone)]
pub struct PolicyFields {
    pub name: String,
    pub business_hours_id: Option<Uuid>,
    pub is_default: bool,
    pub targets: serde_json::Value,
    pub pause_on: serde_json::Value,
    pub warn_at_percent: i32,
}

/// Makes `id` the only default of the workspace.
async fn only_default(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<()> {
    Policies::update_many()
        .col_expr(sla_policy::Column::IsDefault, Expr::value(false))
        .filter(sla_policy::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(sla_policy::Column::Id.ne(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    f: PolicyFields,
    now: i64,
) -> StoreResult<SlaPolicy> {
    let row = sla_policy::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        name: Set(f.name),
        business_hours_id: Set(f.business_hours_id),
        is_default: Set(f.is_default),
        targets: Set(f.targets),
        pause_on: Set(f.pause_on),
        warn_at_percent: Set(f.warn_at_percent),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    if row.is_default {
        only_default(db, ctx, row.id).await?;
    }
    Ok(row)
}

pub async fn get(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<SlaPolicy> {
    Policies::find_by_id(id)
        .filter(sla_policy::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn list(db: &impl ConnectionTrait, ctx: &TenantCtx) -> StoreResult<Vec<SlaPolicy>> {
    Ok(Policies::find()
        .filter(sla_policy::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .order_by_asc(sla_policy::Column::Id)
        .all(db)
        .await?)
}

pub async fn replace(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: Uuid,
    f: PolicyFields,
    now: i64,
) -> StoreResult<SlaPolicy> {
    let mut m = get(db, ctx, id).await?.into_active_model();
    m.name = Set(f.name);
    m.business_hours_id = Set(f.business_hours_id);
    m.is_default = Set(f.is_default);
    m.targets = Set(f.targets);
    m.pause_on = Set(f.pause_on);
    m.warn_at_percent = Set(f.warn_at_percent);
    m.updated_at = Set(now);
    let row = m.update(db).await?;
    if row.is_default {
        only_default(db, ctx, row.id).await?;
    }
    Ok(row)
}

/// Deletes a policy; organizations that named it fall back to the default.
pub async fn delete(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<()> {
    let p = get(db, ctx, id).await?;
    organization::Entity::update_many()
        .col_expr(
            organization::Column::SlaPolicyId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(organization::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(organization::Column::SlaPolicyId.eq(p.id))
        .exec(db)
        .await?;
    Policies::delete_by_id(p.id).exec(db).await?;
    Ok(())
}

/// Whether a calendar is in use by a policy (then it cannot be deleted).
pub async fn uses_calendar(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    calendar: Uuid,
) -> StoreResult<bool> {
    Ok(Policies::find()
        .filter(sla_policy::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(sla_policy::Column::BusinessHoursId.eq(calendar))
        .count(db)
        .await?
        > 0)
}

/// Makes `id` the workspace default, or (with `None`) leaves the workspace without one.
pub async fn set_default(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: Option<Uuid>,
) -> StoreResult<()> {
    match id {
        Some(id) => {
            let p = get(db, ctx, id).await?;
            Policies::update_many()
                .col_expr(sla_policy::Column::IsDefault, Expr::value(true))
                .filter(sla_policy::Column::Id.eq(p.id))
                .exec(db)
                .await?;
            only_default(db, ctx, p.id).await
        }
        None => {
            Policies::update_many()
                .col_expr(sla_policy::Column::IsDefault, Expr::value(false))
                .filter(sla_policy::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
                .exec(db)
                .await?;
            Ok(())
        }
    }
}

/// The workspace's default policy, if any.
pub async fn default_id(db: &impl ConnectionTrait, ctx: &TenantCtx) -> StoreResult<Option<Uuid>> {
    Ok(Policies::find()
        .filter(sla_policy::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(sla_policy::Column::IsDefault.eq(true))
        .one(db)
        .await?
        .map(|p| p.id))
}
