//! Macros of a workspace.

use helpdesk_domain::TenantCtx;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::entities::macro_def;
use crate::error::{StoreError, StoreResult};

pub use macro_def::Model as Macro;

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    name: String,
    reply: Option<String>,
    actions: serde_json::Value,
    now: i64,
) -> StoreResult<Macro> {
    Ok(macro_def::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        name: Set(name),
        reply: Set(reply),
        actions: Set(actions),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

pub async fn get(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<Macro> {
    macro_def::Entity::find_by_id(id)
        .filter(macro_def::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn list(db: &impl ConnectionTrait, ctx: &TenantCtx) -> StoreResult<Vec<Macro>> {
    Ok(macro_def::Entity::find()
        .filter(macro_def::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .order_by_asc(macro_def::Column::Name)
        .all(db)
        .await?)
}

pub async fn replace(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: Uuid,
    name: String,
    reply: Option<String>,
    actions: serde_json::Value,
    now: i64,
) -> StoreResult<Macro> {
    let mut m = get(db, ctx, id).await?.into_active_model();
    m.name = Set(name);
    m.reply = Set(reply);
    m.actions = Set(actions);
    m.updated_at = Set(now);
    Ok(m.update(db).await?)
}

pub async fn delete(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<()> {
    let m = get(db, ctx, id).await?;
    macro_def::Entity::delete_by_id(m.id).exec(db).await?;
    Ok(())
}
