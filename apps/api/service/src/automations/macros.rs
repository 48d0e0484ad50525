//! Macros (agents): a reply and field actions applied to a ticket in one call; validated
//! when saved like rules, minus the actions that only make sense unattended.

use helpdesk_domain::{Permission, TenantCtx, text};
use helpdesk_storage::repo::macros::{self, Macro};
use serde::Serialize;
use uuid::Uuid;

use super::check;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;
use crate::time::rfc3339;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MacroOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub name: String,
    /// A public reply posted by the agent who applies the macro.
    pub reply: Option<String>,
    #[schema(value_type = Vec<Object>)]
    pub actions: serde_json::Value,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Macro> for MacroOut {
    fn from(m: Macro) -> Self {
        Self {
            id: m.id,
            name: m.name,
            reply: m.reply,
            actions: m.actions,
            created_at: rfc3339(m.created_at),
            updated_at: rfc3339(m.updated_at),
        }
    }
}

/// A macro as written; on update, absent fields keep their value.
#[derive(Debug, Clone, Default)]
pub struct MacroInput {
    pub name: Option<String>,
    pub reply: Option<String>,
    pub actions: Option<serde_json::Value>,
}

async fn save(
    svc: &Service,
    ctx: &TenantCtx,
    id: Option<Uuid>,
    b: MacroInput,
) -> ServiceResult<Macro> {
    let tx = svc.begin().await?;
    let current = match id {
        Some(id) => Some(macros::get(&tx, ctx, id).await?),
        None => None,
    };
    let name = b
        .name
        .or_else(|| current.as_ref().map(|m| m.name.clone()))
        .ok_or_else(|| ServiceError::invalid("name", "is required"))?;
    let name =
        text::bounded(&name, 1, 200).map_err(|e| ServiceError::invalid("name", e.to_string()))?;
    let reply = match (b.reply, &current) {
        (Some(r), _) => Some(r).filter(|r| !r.trim().is_empty()),
        (None, Some(m)) => m.reply.clone(),
        (None, None) => None,
    };
    let actions = b
        .actions
        .or_else(|| current.as_ref().map(|m| m.actions.clone()))
        .unwrap_or_else(|| serde_json::json!([]));
    let parsed = check::macro_actions(&tx, ctx, &actions).await?;
    if parsed.is_empty() && reply.is_none() {
        return Err(ServiceError::invalid(
            "actions",
            "a macro needs a reply or at least one action",
        ));
    }
    let now = svc.now();
    let row = match current {
        Some(m) => macros::replace(&tx, ctx, m.id, name, reply, actions, now).await?,
        None => macros::create(&tx, ctx, name, reply, actions, now).await?,
    };
    tx.commit().await?;
    Ok(row)
}

impl Service {
    pub async fn macros(&self, actor: &Actor) -> ServiceResult<Vec<MacroOut>> {
        require(actor, Permission::ManageMacros)?;
        let rows = macros::list(self.store.read(), &actor.ctx).await?;
        Ok(rows.into_iter().map(MacroOut::from).collect())
    }

    pub async fn macro_def(&self, actor: &Actor, id: Uuid) -> ServiceResult<MacroOut> {
        require(actor, Permission::ManageMacros)?;
        Ok(macros::get(self.store.read(), &actor.ctx, id).await?.into())
    }

    pub async fn create_macro(&self, actor: &Actor, input: MacroInput) -> ServiceResult<MacroOut> {
        require(actor, Permission::ManageMacros)?;
        Ok(save(self, &actor.ctx, None, input).await?.into())
    }

    pub async fn update_macro(
        &self,
        actor: &Actor,
        id: Uuid,
        input: MacroInput,
    ) -> ServiceResult<MacroOut> {
        require(actor, Permission::ManageMacros)?;
        Ok(save(self, &actor.ctx, Some(id), input).await?.into())
    }

    pub async fn delete_macro(&self, actor: &Actor, id: Uuid) -> ServiceResult<()> {
        require(actor, Permission::ManageMacros)?;
        Ok(macros::delete(self.store.write(), &actor.ctx, id).await?)
    }
}
