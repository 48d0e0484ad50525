//! Validation of rules and macros at save time: the domain parses them (every mistake with
//! its path), then every id they name must be an object of the caller's workspace, so a
//! rule never fails at run time for a bad reference.

use helpdesk_domain::automation::{Action, AssignTo, Condition, RuleError};
use helpdesk_domain::{OrganizationId, TenantCtx, UserId};
use helpdesk_storage::repo::users::UserRow;
use helpdesk_storage::repo::{organizations, users, webhooks};
use sea_orm::ConnectionTrait;
use serde_json::Value;

use crate::error::{FieldError, ServiceError, ServiceResult};

fn fields(errors: Vec<RuleError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| FieldError::new(e.path, e.message))
        .collect()
}

/// Parses `conditions` and `actions`; checks the ids they name.
pub async fn rule(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    conditions: &Value,
    actions: &Value,
) -> ServiceResult<()> {
    let mut errors = Vec::new();
    let parsed_conditions = Condition::parse_list(conditions).map_err(fields);
    let parsed_actions = Action::parse_list(actions).map_err(fields);
    let (mut users_named, mut orgs) = (Vec::new(), Vec::new());
    match &parsed_conditions {
        Ok(c) => c.references(&mut users_named, &mut orgs),
        Err(e) => errors.extend(e.clone()),
    }
    match &parsed_actions {
        Ok(list) => errors.extend(action_refs(db, ctx, list).await?),
        Err(e) => errors.extend(e.clone()),
    }
    for u in users_named {
        if users::get(db, ctx, UserId::from_uuid(u)).await.is_err() {
            errors.push(FieldError::new(
                "conditions",
                format!("no user {u} in this workspace"),
            ));
        }
    }
    for o in orgs {
        if organizations::get(db, ctx, OrganizationId::from_uuid(o))
            .await
            .is_err()
        {
            errors.push(FieldError::new(
                "conditions",
                format!("no organization {o} in this workspace"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Validation(errors))
    }
}

/// Agents must be active staff of the workspace; webhooks must exist in it.
pub async fn action_refs(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    actions: &[Action],
) -> ServiceResult<Vec<FieldError>> {
    let mut errors = Vec::new();
    for (i, a) in actions.iter().enumerate() {
        for agent in a.agents() {
            let ok = users::get(db, ctx, UserId::from_uuid(agent))
                .await
                .is_ok_and(|u| u.is_active_staff());
            if !ok {
                errors.push(FieldError::new(
                    format!("actions[{i}]"),
                    format!("{agent} is not an active agent of this workspace"),
                ));
            }
        }
        if let Action::Webhook(id) = a
            && webhooks::get(db, ctx, *id).await.is_err()
        {
            errors.push(FieldError::new(
                format!("actions[{i}].webhook_id"),
                "no such webhook in this workspace",
            ));
        }
    }
    Ok(errors)
}

/// Parses a macro's actions: rule actions minus the ones that only make sense unattended.
pub async fn macro_actions(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    raw: &Value,
) -> ServiceResult<Vec<Action>> {
    let list = match raw {
        Value::Array(a) if a.is_empty() => return Ok(Vec::new()),
        other => Action::parse_list(other).map_err(|e| ServiceError::Validation(fields(e)))?,
    };
    let mut errors = action_refs(db, ctx, &list).await?;
    for (i, a) in list.iter().enumerate() {
        if matches!(
            a,
            Action::Notify { .. }
                | Action::Webhook(_)
                | Action::Assign(AssignTo::RoundRobin(_) | AssignTo::LeastLoaded(_))
        ) {
            errors.push(FieldError::new(
                format!("actions[{i}].type"),
                "macros take assign (an agent), set_priority, set_status, add_tag, remove_tag, add_internal_note",
            ));
        }
    }
    if errors.is_empty() {
        Ok(list)
    } else {
        Err(ServiceError::Validation(errors))
    }
}
