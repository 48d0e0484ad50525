//! Organizations (the support team's client companies) and the email domains that place
//! new customers in them.

use std::collections::HashMap;

use helpdesk_domain::{OrganizationId, TenantCtx, WorkspaceId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entities::organization::{self, Entity as Organizations};
use crate::entities::organization_domain::{self, Entity as Domains};
use crate::entities::{asset, user};
use crate::error::{StoreError, StoreResult};
use crate::repo::Page;

/// An organization with its domains.
#[derive(Debug, Clone)]
pub struct Organization {
    pub row: organization::Model,
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct OrganizationFields {
    pub name: Option<String>,
    /// Lower-cased, deduplicated by the caller.
    pub domains: Option<Vec<String>>,
    pub sla_policy_id: Option<Option<Uuid>>,
    pub notes: Option<Option<String>>,
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    name: String,
    fields: OrganizationFields,
    now: i64,
) -> StoreResult<Organization> {
    let row = organization::ActiveModel {
        id: Set(OrganizationId::new().as_uuid()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        name: Set(name),
        sla_policy_id: Set(fields.sla_policy_id.flatten()),
        notes: Set(fields.notes.flatten()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    let domains = fields.domains.unwrap_or_default();
    replace_domains(db, ctx, row.id, &domains, now).await?;
    Ok(Organization { row, domains })
}

async fn replace_domains(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    org: Uuid,
    domains: &[String],
    now: i64,
) -> StoreResult<()> {
    Domains::delete_many()
        .filter(organization_domain::Column::OrganizationId.eq(org))
        .exec(db)
        .await?;
    for d in domains {
        organization_domain::ActiveModel {
            id: Set(Uuid::now_v7()),
            workspace_id: Set(ctx.workspace_id.as_uuid()),
            organization_id: Set(org),
            domain: Set(d.clone()),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db)
        .await
        .map_err(|e| StoreError::from(e).conflict_as("domain"))?;
    }
    Ok(())
}

async fn domains_of(
    db: &impl ConnectionTrait,
    orgs: &[Uuid],
) -> StoreResult<HashMap<Uuid, Vec<String>>> {
    let rows = Domains::find()
        .filter(organization_domain::Column::OrganizationId.is_in(orgs.iter().copied()))
        .order_by_asc(organization_domain::Column::Domain)
        .all(db)
        .await?;
    let mut map: HashMap<Uuid, Vec<String>> = HashMap::new();
    for r in rows {
        map.entry(r.organization_id).or_default().push(r.domain);
    }
    Ok(map)
}

pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: OrganizationId,
) -> StoreResult<Organization> {
    let row = Organizations::find_by_id(id.as_uuid())
        .filter(organization::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut domains = domains_of(db, &[row.id]).await?;
    Ok(Organization {
        domains: domains.remove(&row.id).unwrap_or_default(),
        row,
    })
}

/// Lists organizations by id, optionally filtered by a name substring.
/// The names of `ctx`'s organizations among `ids`.
pub async fn names(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ids: &[OrganizationId],
) -> StoreResult<HashMap<Uuid, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = Organizations::find()
        .filter(organization::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(organization::Column::Id.is_in(ids.iter().map(|o| o.as_uuid())))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    q: Option<&str>,
    page: Page,
) -> StoreResult<Vec<Organization>> {
    let mut query = Organizations::find()
        .filter(organization::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()));
    if let Some(q) = q {
        query = query.filter(super::contains(
            sea_orm::sea_query::Expr::col(organization::Column::Name),
            q,
        ));
    }
    if let Some(after) = page.after {
        query = query.filter(organization::Column::Id.gt(after));
    }
    let rows = query
        .order_by_asc(organization::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut domains = domains_of(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| Organization {
            domains: domains.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

pub async fn update(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: OrganizationId,
    fields: OrganizationFields,
    now: i64,
) -> StoreResult<Organization> {
    let current = get(db, ctx, id).await?;
    let mut model = current.row.into_active_model();
    if let Some(name) = fields.name {
        model.name = Set(name);
    }
    if let Some(sla) = fields.sla_policy_id {
        model.sla_policy_id = Set(sla);
    }
    if let Some(notes) = fields.notes {
        model.notes = Set(notes);
    }
    model.updated_at = Set(now);
    let row = model.update(db).await?;
    let domains = match fields.domains {
        Some(d) => {
            replace_domains(db, ctx, row.id, &d, now).await?;
            d
        }
        None => current.domains,
    };
    Ok(Organization { row, domains })
}

/// Deletes an organization that has no assets; its customers stay, without organization.
pub async fn delete(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: OrganizationId,
) -> StoreResult<()> {
    let org = get(db, ctx, id).await?;
    let assets = asset::Entity::find()
        .filter(asset::Column::OrganizationId.eq(org.row.id))
        .count(db)
        .await?;
    if assets > 0 {
        return Err(StoreError::Conflict("organization has assets"));
    }
    user::Entity::update_many()
        .col_expr(
            user::Column::OrganizationId,
            sea_orm::sea_query::Expr::value(Option::<Uuid>::None),
        )
        .filter(user::Column::OrganizationId.eq(org.row.id))
        .exec(db)
        .await?;
    Organizations::delete_by_id(org.row.id).exec(db).await?;
    Ok(())
}

/// The organization that owns `domain` in a workspace, for placing a new customer.
pub async fn by_domain(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    domain: &str,
) -> StoreResult<Option<OrganizationId>> {
    let id: Option<Uuid> = Domains::find()
        .select_only()
        .column(organization_domain::Column::OrganizationId)
        .filter(organization_domain::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(organization_domain::Column::Domain.eq(domain))
        .into_tuple()
        .one(db)
        .await?;
    Ok(id.map(OrganizationId::from_uuid))
}
