//! Workspaces (tenants): creation with a unique slug, lookups, settings.

use helpdesk_domain::{WorkspaceId, slug};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use crate::entities::workspace::{self, Entity as Workspaces};
use crate::error::StoreResult;

pub use workspace::Model as Workspace;

/// Creates a workspace named `name` with the first free slug derived from it
/// (`acme`, `acme-2` …). A concurrent registration taking the same slug surfaces as
/// `Conflict("slug")`; the caller retries.
pub async fn create(db: &impl ConnectionTrait, name: &str, now: i64) -> StoreResult<Workspace> {
    let base = slug::slugify(name);
    let taken: Vec<String> = Workspaces::find()
        .select_only()
        .column(workspace::Column::Slug)
        .filter(
            sea_orm::Condition::any()
                .add(workspace::Column::Slug.eq(base.as_str()))
                .add(workspace::Column::Slug.like(format!("{base}-%"))),
        )
        .into_tuple()
        .all(db)
        .await?;
    let slug = (1..)
        .map(|n| slug::candidate(&base, n))
        .find(|c| !taken.contains(c))
        .unwrap_or(base);
    let model = workspace::ActiveModel {
        id: Set(WorkspaceId::new().as_uuid()),
        name: Set(name.to_owned()),
        slug: Set(slug),
        settings: Set(serde_json::json!({})),
        email_verified_at: Set(None),
        config_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    };
    model
        .insert(db)
        .await
        .map_err(|e| crate::StoreError::from(e).conflict_as("slug"))
}

pub async fn get(db: &impl ConnectionTrait, id: WorkspaceId) -> StoreResult<Workspace> {
    Workspaces::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(crate::StoreError::NotFound)
}

pub async fn by_slug(db: &impl ConnectionTrait, slug: &str) -> StoreResult<Option<Workspace>> {
    Ok(Workspaces::find()
        .filter(workspace::Column::Slug.eq(slug))
        .one(db)
        .await?)
}

/// Renames the workspace and replaces its settings.
pub async fn update(
    db: &impl ConnectionTrait,
    id: WorkspaceId,
    name: String,
    settings: serde_json::Value,
    now: i64,
) -> StoreResult<Workspace> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let mut m = get(db, id).await?.into_active_model();
    m.name = Set(name);
    m.settings = Set(settings);
    m.updated_at = Set(now);
    Ok(m.update(db).await?)
}

/// Records that the workspace's first admin confirmed their email (once).
pub async fn mark_email_verified(
    db: &impl ConnectionTrait,
    id: WorkspaceId,
    now: i64,
) -> StoreResult<()> {
    use sea_orm::sea_query::Expr;
    workspace::Entity::update_many()
        .col_expr(workspace::Column::EmailVerifiedAt, Expr::value(now))
        .filter(workspace::Column::Id.eq(id.as_uuid()))
        .filter(workspace::Column::EmailVerifiedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
