//! SLA policies: targets per priority, the calendar they count in, the statuses that pause
//! each metric, and when to warn. At most one policy is the workspace's default: making one
//! the default takes it from the other.

use std::collections::BTreeMap;

use helpdesk_domain::sla::{PauseOn, Targets};
use helpdesk_domain::{Permission, Priority, TenantCtx, TicketStatus, text};
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::business_hours;
use helpdesk_storage::repo::sla_policies::{self, PolicyFields, SlaPolicy};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use uuid::Uuid;

use crate::Service;
use crate::actor::Actor;
use crate::error::{FieldError, ServiceError, ServiceResult};
use crate::permissions::require;
use crate::time::rfc3339;

/// A policy as the service shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PolicyOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub name: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub business_hours_id: Option<Uuid>,
    pub is_default: bool,
    /// By priority: `LOW`, `MEDIUM`, `HIGH`, `URGENT`.
    pub targets: BTreeMap<String, Targets>,
    pub pause_on: PauseOn,
    pub warn_at_percent: i32,
    pub created_at: String,
    pub updated_at: String,
}

impl From<SlaPolicy> for PolicyOut {
    fn from(p: SlaPolicy) -> Self {
        Self {
            id: p.id,
            name: p.name,
            business_hours_id: p.business_hours_id,
            is_default: p.is_default,
            targets: serde_json::from_value(p.targets).unwrap_or_default(),
            pause_on: serde_json::from_value(p.pause_on).unwrap_or_default(),
            warn_at_percent: p.warn_at_percent,
            created_at: rfc3339(p.created_at),
            updated_at: rfc3339(p.updated_at),
        }
    }
}

/// A policy's fields as a caller gives them; `None` keeps the current value (on creation:
/// the name is required; no calendar means 24×7, `warn_at_percent` defaults to 80).
#[derive(Debug, Clone, Default)]
pub struct PolicyInput {
    pub name: Option<String>,
    /// `Some(None)`: no calendar, 24×7.
    pub business_hours_id: Option<Option<Uuid>>,
    pub is_default: Option<bool>,
    /// By priority name (`LOW` … `URGENT`).
    pub targets: Option<BTreeMap<String, Targets>>,
    pub pause_on: Option<PauseOn>,
    /// 1–99.
    pub warn_at_percent: Option<i32>,
}

const YEAR_MINUTES: i64 = 366 * 24 * 60;

/// The input's fields over `base`.
fn merged(base: PolicyOut, i: PolicyInput) -> ServiceResult<PolicyOut> {
    let name = match i.name {
        Some(n) => {
            text::bounded(&n, 1, 200).map_err(|e| ServiceError::invalid("name", e.to_string()))?
        }
        None => base.name,
    };
    Ok(PolicyOut {
        name,
        business_hours_id: i.business_hours_id.unwrap_or(base.business_hours_id),
        is_default: i.is_default.unwrap_or(base.is_default),
        targets: i.targets.unwrap_or(base.targets),
        pause_on: i.pause_on.unwrap_or(base.pause_on),
        warn_at_percent: i.warn_at_percent.unwrap_or(base.warn_at_percent),
        ..base
    })
}

/// Checks a whole policy; errors name the field (`targets.HIGH.resolution_minutes`).
async fn validate(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    f: PolicyOut,
) -> ServiceResult<PolicyFields> {
    let mut errors = Vec::new();
    for (priority, t) in &f.targets {
        if priority.parse::<Priority>().is_err() {
            errors.push(FieldError::new(
                format!("targets.{priority}"),
                "must be LOW, MEDIUM, HIGH or URGENT",
            ));
        }
        for (metric, v) in [
            ("first_response_minutes", t.first_response_minutes),
            ("next_response_minutes", t.next_response_minutes),
            ("resolution_minutes", t.resolution_minutes),
        ] {
            if v.is_some_and(|m| !(1..=YEAR_MINUTES).contains(&m)) {
                errors.push(FieldError::new(
                    format!("targets.{priority}.{metric}"),
                    format!("must be between 1 and {YEAR_MINUTES}"),
                ));
            }
        }
    }
    for (metric, statuses) in [
        ("first_response", &f.pause_on.first_response),
        ("next_response", &f.pause_on.next_response),
        ("resolution", &f.pause_on.resolution),
    ] {
        if statuses.iter().any(|s| {
            !matches!(
                s,
                TicketStatus::Open | TicketStatus::Pending | TicketStatus::OnHold
            )
        }) {
            errors.push(FieldError::new(
                format!("pause_on.{metric}"),
                "only OPEN, PENDING and ON_HOLD can pause a clock",
            ));
        }
    }
    if !(1..=99).contains(&f.warn_at_percent) {
        errors.push(FieldError::new(
            "warn_at_percent",
            "must be between 1 and 99",
        ));
    }
    if let Some(c) = f.business_hours_id {
        match business_hours::get(db, ctx, c).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => {
                errors.push(FieldError::new("business_hours_id", "no such calendar"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Validation(errors));
    }
    Ok(PolicyFields {
        name: f.name,
        business_hours_id: f.business_hours_id,
        is_default: f.is_default,
        targets: serde_json::to_value(&f.targets).map_err(ServiceError::internal)?,
        pause_on: serde_json::to_value(&f.pause_on).map_err(ServiceError::internal)?,
        warn_at_percent: f.warn_at_percent,
    })
}

impl Service {
    pub async fn sla_policies(&self, actor: &Actor) -> ServiceResult<Vec<PolicyOut>> {
        require(actor, Permission::ReadSla)?;
        let rows = sla_policies::list(self.store.read(), &actor.ctx).await?;
        Ok(rows.into_iter().map(PolicyOut::from).collect())
    }

    pub async fn sla_policy(&self, actor: &Actor, id: Uuid) -> ServiceResult<PolicyOut> {
        require(actor, Permission::ReadSla)?;
        Ok(sla_policies::get(self.store.read(), &actor.ctx, id)
            .await?
            .into())
    }

    /// A new policy; a new default takes the place of the previous one.
    pub async fn create_sla_policy(
        &self,
        actor: &Actor,
        input: PolicyInput,
    ) -> ServiceResult<PolicyOut> {
        require(actor, Permission::ManageSla)?;
        if input.name.is_none() {
            return Err(ServiceError::invalid("name", "is required"));
        }
        let blank = PolicyOut {
            id: Uuid::nil(),
            name: String::new(),
            business_hours_id: None,
            is_default: false,
            targets: BTreeMap::new(),
            pause_on: PauseOn::default(),
            warn_at_percent: 80,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let tx = self.begin().await?;
        let fields = validate(&tx, &actor.ctx, merged(blank, input)?).await?;
        let row = sla_policies::create(&tx, &actor.ctx, fields, self.now()).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Changes some fields; the policy as a whole is validated again.
    pub async fn update_sla_policy(
        &self,
        actor: &Actor,
        id: Uuid,
        input: PolicyInput,
    ) -> ServiceResult<PolicyOut> {
        require(actor, Permission::ManageSla)?;
        let tx = self.begin().await?;
        let current: PolicyOut = sla_policies::get(&tx, &actor.ctx, id).await?.into();
        let fields = validate(&tx, &actor.ctx, merged(current, input)?).await?;
        let row = sla_policies::replace(&tx, &actor.ctx, id, fields, self.now()).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Deletes a policy; organizations that named it fall back to the workspace default.
    pub async fn delete_sla_policy(&self, actor: &Actor, id: Uuid) -> ServiceResult<()> {
        require(actor, Permission::ManageSla)?;
        let tx = self.begin().await?;
        sla_policies::delete(&tx, &actor.ctx, id).await?;
        tx.commit().await?;
        Ok(())
    }
}
