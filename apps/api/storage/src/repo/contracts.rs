//! Contracts of client organizations, and the alerts sent for their periods.

use helpdesk_domain::TenantCtx;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::entities::contract::{self as row, Entity as Contracts};
use crate::entities::contract_alert as alert;
use crate::error::{StoreError, StoreResult};

pub use row::Model as Contract;

/// A contract's fields as stored (checked by the service).
#[derive(Debug, Clone)]
pub struct ContractFields {
    pub name: String,
    pub kind: String,
    pub included_minutes: Option<i64>,
    pub period: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub hourly_rate_minor: Option<i64>,
    pub currency: String,
    pub sla_policy_id: Option<Uuid>,
    pub alert_at_percent: i64,
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    organization: Uuid,
    f: ContractFields,
    now: i64,
) -> StoreResult<Contract> {
    Ok(row::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        organization_id: Set(organization),
        name: Set(f.name),
        kind: Set(f.kind),
        included_minutes: Set(f.included_minutes),
        period: Set(f.period),
        starts_on: Set(f.starts_on),
        ends_on: Set(f.ends_on),
        hourly_rate_minor: Set(f.hourly_rate_minor),
        currency: Set(f.currency),
        sla_policy_id: Set(f.sla_policy_id),
        alert_at_percent: Set(f.alert_at_percent),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

pub async fn update(
    db: &impl ConnectionTrait,
    c: &Contract,
    f: ContractFields,
    now: i64,
) -> StoreResult<Contract> {
    let mut m: row::ActiveModel = c.clone().into();
    m.name = Set(f.name);
    m.kind = Set(f.kind);
    m.included_minutes = Set(f.included_minutes);
    m.period = Set(f.period);
    m.starts_on = Set(f.starts_on);
    m.ends_on = Set(f.ends_on);
    m.hourly_rate_minor = Set(f.hourly_rate_minor);
    m.currency = Set(f.currency);
    m.sla_policy_id = Set(f.sla_policy_id);
    m.alert_at_percent = Set(f.alert_at_percent);
    m.updated_at = Set(now);
    Ok(m.update(db).await?)
}

pub async fn get(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<Contract> {
    Contracts::find_by_id(id)
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The contracts of `organization`, by start date.
pub async fn of_organization(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    organization: Uuid,
) -> StoreResult<Vec<Contract>> {
    Ok(Contracts::find()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::OrganizationId.eq(organization))
        .order_by_asc(row::Column::StartsOn)
        .all(db)
        .await?)
}

/// Every contract of the workspace, by organization and start date.
pub async fn all(db: &impl ConnectionTrait, ctx: &TenantCtx) -> StoreResult<Vec<Contract>> {
    Ok(Contracts::find()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .order_by_asc(row::Column::OrganizationId)
        .order_by_asc(row::Column::StartsOn)
        .all(db)
        .await?)
}

/// Deletes contract `id` and its alerts.
pub async fn delete(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<()> {
    let ws = ctx.workspace_id.as_uuid();
    alert::Entity::delete_many()
        .filter(alert::Column::WorkspaceId.eq(ws))
        .filter(alert::Column::ContractId.eq(id))
        .exec(db)
        .await?;
    let done = Contracts::delete_many()
        .filter(row::Column::WorkspaceId.eq(ws))
        .filter(row::Column::Id.eq(id))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Records alert `kind` for the period of `contract` starting `period_start`; false when
/// it was sent already (the unique index decides, so two writers send it once).
pub async fn claim_alert(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    contract: Uuid,
    period_start: &str,
    kind: &str,
    now: i64,
) -> StoreResult<bool> {
    use sea_orm::TryInsertResult;
    let new = alert::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        contract_id: Set(contract),
        period_start: Set(period_start.to_owned()),
        kind: Set(kind.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let done = alert::Entity::insert(new)
        .on_conflict_do_nothing_on([
            alert::Column::ContractId,
            alert::Column::PeriodStart,
            alert::Column::Kind,
        ])
        .exec_without_returning(db)
        .await?;
    Ok(matches!(done, TryInsertResult::Inserted(n) if n == 1))
}
