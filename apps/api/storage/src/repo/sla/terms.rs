//! Which terms a ticket is held to, and the calendars they count in.

use std::collections::{BTreeSet, HashMap};

use helpdesk_domain::sla::{Calendar, PauseOn, Targets, Terms, Weekly};
use helpdesk_domain::{OrganizationId, Priority, TenantCtx};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement, Value,
};
use uuid::Uuid;

use crate::entities::{business_hours, sla_policy};
use crate::error::{StoreError, StoreResult};

/// The policy organization `o` names for `now`: its contract's while one that names a
/// policy is in force on `now`'s date (in the workspace's time zone), else its own. One
/// query reads both (the contracts left-joined), so the common case — no such contract —
/// costs what reading the organization alone did.
async fn organization_policy(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    o: OrganizationId,
    now: i64,
) -> StoreResult<Option<Uuid>> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT o.sla_policy_id, c.sla_policy_id, c.starts_on, c.ends_on FROM organizations o \
             LEFT JOIN contracts c ON c.organization_id = o.id AND c.sla_policy_id IS NOT NULL \
             WHERE o.id = $1 AND o.workspace_id = $2"
        }
        _ => {
            "SELECT o.sla_policy_id, c.sla_policy_id, c.starts_on, c.ends_on FROM organizations o \
             LEFT JOIN contracts c ON c.organization_id = o.id AND c.sla_policy_id IS NOT NULL \
             WHERE o.id = ?1 AND o.workspace_id = ?2"
        }
    };
    let values = [
        Value::from(o.as_uuid()),
        Value::from(ctx.workspace_id.as_uuid()),
    ];
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let own: Option<Uuid> = first.try_get_by_index(0)?;
    // (contract policy, starts_on, ends_on) of the contracts that name one.
    let mut named: Vec<(Uuid, String, Option<String>)> = Vec::new();
    for r in &rows {
        let policy: Option<Uuid> = r.try_get_by_index(1)?;
        let starts: Option<String> = r.try_get_by_index(2)?;
        if let (Some(p), Some(s)) = (policy, starts) {
            named.push((p, s, r.try_get_by_index(3)?));
        }
    }
    if named.is_empty() {
        return Ok(own);
    }
    let ws = crate::repo::workspaces::get(db, ctx.workspace_id).await?;
    let zone = ws.settings["timezone"].as_str().unwrap_or("UTC");
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = helpdesk_domain::time::from_micros(now)
        .to_zoned(tz)
        .date()
        .to_string();
    let in_force = named
        .into_iter()
        .find(|(_, s, e)| *s <= today && e.as_ref().is_none_or(|e| *e >= today))
        .map(|(p, _, _)| p);
    Ok(in_force.or(own))
}

/// The policy that applies: the organization's contract's (in force now), else the
/// organization's, else the workspace default; `None` when
/// neither exists or the policy has no target for `priority`.
pub async fn terms_for(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    organization: Option<OrganizationId>,
    priority: Priority,
    now: i64,
) -> StoreResult<Option<Terms>> {
    let ws = ctx.workspace_id.as_uuid();
    let named = match organization {
        Some(o) => organization_policy(db, ctx, o, now).await?,
        None => None,
    };
    let q = sla_policy::Entity::find().filter(sla_policy::Column::WorkspaceId.eq(ws));
    let policy = match named {
        Some(id) => q.filter(sla_policy::Column::Id.eq(id)).one(db).await?,
        None => {
            q.filter(sla_policy::Column::IsDefault.eq(true))
                .one(db)
                .await?
        }
    };
    let Some(p) = policy else { return Ok(None) };
    let mut by_priority: HashMap<String, Targets> =
        serde_json::from_value(p.targets).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let Some(targets) = by_priority.remove(priority.as_str()) else {
        return Ok(None);
    };
    if targets == Targets::default() {
        return Ok(None);
    }
    let pause_on: PauseOn =
        serde_json::from_value(p.pause_on).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(Some(Terms {
        policy_id: p.id,
        calendar_id: p.business_hours_id,
        priority,
        targets,
        pause_on,
        warn_at_percent: u8::try_from(p.warn_at_percent.clamp(1, 99)).unwrap_or(80),
    }))
}

/// A stored calendar as the engine's [`Calendar`].
pub fn calendar_of(row: &business_hours::Model) -> StoreResult<Calendar> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("business hours {}: {what}", row.id));
    let weekly: Weekly =
        serde_json::from_value(row.weekly.clone()).map_err(|e| corrupt(&e.to_string()))?;
    let days = weekly.intervals().map_err(|_| corrupt("bad interval"))?;
    let holidays: Vec<String> =
        serde_json::from_value(row.holidays.clone()).map_err(|e| corrupt(&e.to_string()))?;
    let holidays = holidays
        .iter()
        .map(|d| d.parse())
        .collect::<Result<BTreeSet<_>, _>>()
        .map_err(|_| corrupt("bad holiday"))?;
    Calendar::new(&row.timezone, days, holidays).map_err(|e| corrupt(&e.to_string()))
}

/// The calendars of a workspace by id, loaded once for many tickets; a missing id (the
/// calendar was deleted) counts as 24×7.
#[derive(Debug, Clone, Default)]
pub struct Calendars(HashMap<Uuid, Calendar>);

impl Calendars {
    pub async fn load(
        db: &impl ConnectionTrait,
        ctx: &TenantCtx,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> StoreResult<Self> {
        let ids: BTreeSet<Uuid> = ids.into_iter().collect();
        if ids.is_empty() {
            return Ok(Self::default());
        }
        let rows = business_hours::Entity::find()
            .filter(business_hours::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
            .filter(business_hours::Column::Id.is_in(ids))
            .all(db)
            .await?;
        let mut map = HashMap::new();
        for r in &rows {
            map.insert(r.id, calendar_of(r)?);
        }
        Ok(Self(map))
    }

    /// Just `cal`, under its id (none: 24×7), already at hand.
    pub fn single(id: Option<Uuid>, cal: Calendar) -> Self {
        Self(id.map(|id| (id, cal)).into_iter().collect())
    }

    pub async fn one(
        db: &impl ConnectionTrait,
        ctx: &TenantCtx,
        id: Option<Uuid>,
    ) -> StoreResult<Calendar> {
        let all = Self::load(db, ctx, id).await?;
        Ok(all.get(id))
    }

    pub fn get(&self, id: Option<Uuid>) -> Calendar {
        id.and_then(|id| self.0.get(&id).cloned())
            .unwrap_or_else(Calendar::always)
    }
}
