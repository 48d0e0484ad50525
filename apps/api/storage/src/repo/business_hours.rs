//! Business-hours calendars of a workspace.

use helpdesk_domain::TenantCtx;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::entities::business_hours::{self, Entity as Calendars};
use crate::error::{StoreError, StoreResult};

pub use business_hours::Model as BusinessHours;

/// A calendar's fields as stored (already validated by the caller).
#[derive(Debug, Clone)]
pub struct CalendarFields {
    pub name: String,
    pub timezone: String,
    pub weekly: serde_json::Value,
    pub holidays: serde_json::Value,
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    f: CalendarFields,
    now: i64,
) -> StoreResult<BusinessHours> {
    Ok(business_hours::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        name: Set(f.name),
        timezone: Set(f.timezone),
        weekly: Set(f.weekly),
        holidays: Set(f.holidays),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: Uuid,
) -> StoreResult<BusinessHours> {
    Calendars::find_by_id(id)
        .filter(business_hours::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn list(db: &impl ConnectionTrait, ctx: &TenantCtx) -> StoreResult<Vec<BusinessHours>> {
    Ok(Calendars::find()
        .filter(business_hours::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .order_by_asc(business_hours::Column::Id)
        .all(db)
        .await?)
}

pub async fn replace(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: Uuid,
    f: CalendarFields,
    now: i64,
) -> StoreResult<BusinessHours> {
    let mut m = get(db, ctx, id).await?.into_active_model();
    m.name = Set(f.name);
    m.timezone = Set(f.timezone);
    m.weekly = Set(f.weekly);
    m.holidays = Set(f.holidays);
    m.updated_at = Set(now);
    Ok(m.update(db).await?)
}

pub async fn delete(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<()> {
    let c = get(db, ctx, id).await?;
    Calendars::delete_by_id(c.id).exec(db).await?;
    Ok(())
}
