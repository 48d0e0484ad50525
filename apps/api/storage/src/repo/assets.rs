//! Assets: the client devices the team supports, each owned by an organization.

use helpdesk_domain::{AssetId, OrganizationId, TenantCtx};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::entities::asset::{self, Entity as Assets};
use crate::error::{StoreError, StoreResult};
use crate::repo::Page;

pub use asset::Model as Asset;

/// Every field of an asset; on update, `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AssetFields {
    pub organization_id: Option<OrganizationId>,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub hostname: Option<Option<String>>,
    pub os: Option<Option<String>>,
    pub serial: Option<Option<String>>,
    pub remote_access_id: Option<Option<String>>,
    pub notes: Option<Option<String>>,
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    organization_id: OrganizationId,
    name: String,
    kind: String,
    f: AssetFields,
    now: i64,
) -> StoreResult<Asset> {
    Ok(asset::ActiveModel {
        id: Set(AssetId::new().as_uuid()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        organization_id: Set(organization_id.as_uuid()),
        name: Set(name),
        kind: Set(kind),
        hostname: Set(f.hostname.flatten()),
        os: Set(f.os.flatten()),
        serial: Set(f.serial.flatten()),
        remote_access_id: Set(f.remote_access_id.flatten()),
        notes: Set(f.notes.flatten()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

pub async fn get(db: &impl ConnectionTrait, ctx: &TenantCtx, id: AssetId) -> StoreResult<Asset> {
    Assets::find_by_id(id.as_uuid())
        .filter(asset::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    organization_id: Option<OrganizationId>,
    q: Option<&str>,
    page: Page,
) -> StoreResult<Vec<Asset>> {
    let mut query =
        Assets::find().filter(asset::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()));
    if let Some(org) = organization_id {
        query = query.filter(asset::Column::OrganizationId.eq(org.as_uuid()));
    }
    if let Some(q) = q {
        use sea_orm::sea_query::{Condition, Expr};
        query = query.filter(
            Condition::any()
                .add(super::contains(Expr::col(asset::Column::Name), q))
                .add(super::contains(Expr::col(asset::Column::Hostname), q))
                .add(super::contains(Expr::col(asset::Column::Serial), q)),
        );
    }
    if let Some(after) = page.after {
        query = query.filter(asset::Column::Id.gt(after));
    }
    Ok(query
        .order_by_asc(asset::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?)
}

pub async fn update(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: AssetId,
    f: AssetFields,
    now: i64,
) -> StoreResult<Asset> {
    let mut m = get(db, ctx, id).await?.into_active_model();
    if let Some(v) = f.organization_id {
        m.organization_id = Set(v.as_uuid());
    }
    if let Some(v) = f.name {
        m.name = Set(v);
    }
    if let Some(v) = f.kind {
        m.kind = Set(v);
    }
    if let Some(v) = f.hostname {
        m.hostname = Set(v);
    }
    if let Some(v) = f.os {
        m.os = Set(v);
    }
    if let Some(v) = f.serial {
        m.serial = Set(v);
    }
    if let Some(v) = f.remote_access_id {
        m.remote_access_id = Set(v);
    }
    if let Some(v) = f.notes {
        m.notes = Set(v);
    }
    m.updated_at = Set(now);
    Ok(m.update(db).await?)
}

pub async fn delete(db: &impl ConnectionTrait, ctx: &TenantCtx, id: AssetId) -> StoreResult<()> {
    let res = Assets::delete_many()
        .filter(asset::Column::Id.eq(id.as_uuid()))
        .filter(asset::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
