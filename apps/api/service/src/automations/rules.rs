//! Automation rules (admins): the ordered list, validated when saved (every mistake with
//! its path, every id checked against the workspace); switching a rule off always works.

use helpdesk_domain::automation::Trigger;
use helpdesk_domain::{Permission, TenantCtx, text};
use helpdesk_storage::repo::automations::{self, Automation, RuleFields};
use serde::Serialize;
use uuid::Uuid;

use super::check;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;
use crate::time::rfc3339;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RuleOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub name: String,
    pub active: bool,
    /// Rules run in ascending position.
    pub position: i64,
    pub trigger: Trigger,
    /// `[{field, op, value} | {all: [...]} | {any: [...]}]`, all of which must hold.
    #[schema(value_type = Vec<Object>)]
    pub conditions: serde_json::Value,
    /// `[{type, ...}]`, in order.
    #[schema(value_type = Vec<Object>)]
    pub actions: serde_json::Value,
    pub created_at: String,
    pub updated_at: String,
}

impl TryFrom<Automation> for RuleOut {
    type Error = ServiceError;
    fn try_from(a: Automation) -> ServiceResult<Self> {
        Ok(Self {
            trigger: serde_json::from_value(serde_json::Value::String(a.trigger.clone()))
                .map_err(ServiceError::internal)?,
            id: a.id,
            name: a.name,
            active: a.active,
            position: a.position,
            conditions: a.conditions,
            actions: a.actions,
            created_at: rfc3339(a.created_at),
            updated_at: rfc3339(a.updated_at),
        })
    }
}

/// A rule as written; on update, absent fields keep their value.
#[derive(Debug, Clone, Default)]
pub struct RuleInput {
    pub name: Option<String>,
    pub active: Option<bool>,
    pub position: Option<i64>,
    pub trigger: Option<Trigger>,
    pub conditions: Option<serde_json::Value>,
    pub actions: Option<serde_json::Value>,
}

async fn save(
    svc: &Service,
    ctx: &TenantCtx,
    id: Option<Uuid>,
    b: RuleInput,
) -> ServiceResult<Automation> {
    let only_deactivates = b.active == Some(false)
        && b.name.is_none()
        && b.position.is_none()
        && b.trigger.is_none()
        && b.conditions.is_none()
        && b.actions.is_none();
    let tx = svc.begin().await?;
    let current = match id {
        Some(id) => Some(automations::get(&tx, ctx, id).await?),
        None => None,
    };
    let position = match (b.position, &current) {
        (Some(p), _) => p,
        (None, Some(c)) => c.position,
        (None, None) => automations::next_position(&tx, ctx).await?,
    };
    let missing = |f: &str| ServiceError::invalid(f, "is required");
    let fields = RuleFields {
        name: b
            .name
            .or_else(|| current.as_ref().map(|c| c.name.clone()))
            .ok_or_else(|| missing("name"))?,
        active: b
            .active
            .or(current.as_ref().map(|c| c.active))
            .unwrap_or(true),
        position,
        trigger: match (b.trigger, &current) {
            (Some(t), _) => t.as_str().to_owned(),
            (None, Some(c)) => c.trigger.clone(),
            (None, None) => return Err(missing("trigger")),
        },
        conditions: b
            .conditions
            .or_else(|| current.as_ref().map(|c| c.conditions.clone()))
            .unwrap_or_else(|| serde_json::json!([])),
        actions: b
            .actions
            .or_else(|| current.as_ref().map(|c| c.actions.clone()))
            .ok_or_else(|| missing("actions"))?,
    };
    if let Err(e) = text::bounded(&fields.name, 1, 200) {
        return Err(ServiceError::invalid("name", e.to_string()));
    }
    // Switching a rule off is always allowed, even when what it names has gone since.
    if !(only_deactivates && current.is_some()) {
        check::rule(&tx, ctx, &fields.conditions, &fields.actions).await?;
    }
    let now = svc.now();
    let row = match current {
        Some(c) => automations::replace(&tx, ctx, c.id, fields, now).await?,
        None => automations::create(&tx, ctx, fields, now).await?,
    };
    tx.commit().await?;
    Ok(row)
}

impl Service {
    pub async fn rules(&self, actor: &Actor) -> ServiceResult<Vec<RuleOut>> {
        require(actor, Permission::ManageAutomations)?;
        let rows = automations::list(self.store.read(), &actor.ctx).await?;
        rows.into_iter().map(RuleOut::try_from).collect()
    }

    pub async fn rule(&self, actor: &Actor, id: Uuid) -> ServiceResult<RuleOut> {
        require(actor, Permission::ManageAutomations)?;
        automations::get(self.store.read(), &actor.ctx, id)
            .await?
            .try_into()
    }

    pub async fn create_rule(&self, actor: &Actor, input: RuleInput) -> ServiceResult<RuleOut> {
        require(actor, Permission::ManageAutomations)?;
        save(self, &actor.ctx, None, input).await?.try_into()
    }

    pub async fn update_rule(
        &self,
        actor: &Actor,
        id: Uuid,
        input: RuleInput,
    ) -> ServiceResult<RuleOut> {
        require(actor, Permission::ManageAutomations)?;
        save(self, &actor.ctx, Some(id), input).await?.try_into()
    }

    /// The rule's latest runs (ticket number, stored instant), newest first.
    pub async fn rule_runs(&self, actor: &Actor, id: Uuid) -> ServiceResult<Vec<(i64, i64)>> {
        require(actor, Permission::ManageAutomations)?;
        let db = self.store.read();
        let rule = automations::get(db, &actor.ctx, id).await?;
        Ok(automations::recent_runs(db, &actor.ctx, rule.id, 10).await?)
    }

    pub async fn delete_rule(&self, actor: &Actor, id: Uuid) -> ServiceResult<()> {
        require(actor, Permission::ManageAutomations)?;
        Ok(automations::delete(self.store.write(), &actor.ctx, id).await?)
    }
}
