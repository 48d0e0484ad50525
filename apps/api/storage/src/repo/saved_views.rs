//! Saved views of a workspace: the shared ones and each agent's own.

use helpdesk_domain::{SavedViewId, TenantCtx, UserId};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::saved_view::{self as row, Entity as Views};
use crate::error::{StoreError, StoreResult};

pub use row::Model as SavedView;

/// A view's content; the service has checked every part.
#[derive(Debug, Clone)]
pub struct ViewFields {
    pub owner_id: UserId,
    pub shared: bool,
    pub name: String,
    pub filters: serde_json::Value,
    pub sort: Option<String>,
    pub columns: serde_json::Value,
    pub position: i64,
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    f: ViewFields,
    now: i64,
) -> StoreResult<SavedView> {
    Ok(row::ActiveModel {
        id: Set(SavedViewId::new().as_uuid()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        owner_id: Set(f.owner_id.as_uuid()),
        shared: Set(f.shared),
        name: Set(f.name),
        filters: Set(f.filters),
        sort: Set(f.sort),
        columns: Set(f.columns),
        position: Set(f.position),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// The views `viewer` sees: the workspace's shared ones and their own (none for a
/// caller that is not a person), in sidebar order.
pub async fn visible(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    viewer: Option<UserId>,
) -> StoreResult<Vec<SavedView>> {
    let mut whose = Condition::any().add(row::Column::Shared.eq(true));
    if let Some(v) = viewer {
        whose = whose.add(row::Column::OwnerId.eq(v.as_uuid()));
    }
    Ok(Views::find()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(whose)
        .order_by_asc(row::Column::Position)
        .order_by_asc(row::Column::Id)
        .all(db)
        .await?)
}

/// One view of the workspace, whoever owns it (the service decides who may see it).
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: SavedViewId,
) -> StoreResult<SavedView> {
    Views::find_by_id(id.as_uuid())
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn replace(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: SavedViewId,
    f: ViewFields,
    now: i64,
) -> StoreResult<SavedView> {
    let mut m = get(db, ctx, id).await?.into_active_model();
    m.owner_id = Set(f.owner_id.as_uuid());
    m.shared = Set(f.shared);
    m.name = Set(f.name);
    m.filters = Set(f.filters);
    m.sort = Set(f.sort);
    m.columns = Set(f.columns);
    m.position = Set(f.position);
    m.updated_at = Set(now);
    Ok(m.update(db).await?)
}

pub async fn delete(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: SavedViewId,
) -> StoreResult<()> {
    let done = Views::delete_many()
        .filter(row::Column::Id.eq(id.as_uuid()))
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
