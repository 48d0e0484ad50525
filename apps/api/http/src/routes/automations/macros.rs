//! `/macros` (agents): a reply and actions applied to a ticket in one call with
//! `POST /tickets/{id}/apply-macro`. Macros take `assign` (an agent), `set_priority`,
//! `set_status`, `add_tag`, `remove_tag` and `add_internal_note`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::UserId;
use helpdesk_domain::automation::{Action, AssignTo};
use helpdesk_storage::repo::macros::{self, Macro};
use helpdesk_storage::repo::tickets::{self, TicketRef, tags_of};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::check;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::{Id, Staff, ValidatedJson};
use crate::live::LiveEvent;
use crate::routes::common::rfc3339;
use crate::routes::tickets::dto::{SlaClock, TicketOut};
use crate::routes::tickets::ops::{self, Edit};
use crate::state::AppState;

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

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MacroBody {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: Option<String>,
    #[garde(length(max = 65536))]
    pub reply: Option<String>,
    #[garde(skip)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub actions: Option<serde_json::Value>,
}

/// Parses a macro's actions: rule actions minus the ones that only make sense unattended.
async fn parse(
    db: &impl sea_orm::ConnectionTrait,
    ctx: &helpdesk_domain::TenantCtx,
    raw: &serde_json::Value,
) -> ApiResult<Vec<Action>> {
    let list = match raw {
        serde_json::Value::Array(a) if a.is_empty() => return Ok(Vec::new()),
        other => Action::parse_list(other).map_err(|e| {
            ApiError::Validation(
                e.into_iter()
                    .map(|e| FieldError::new(e.path, e.message))
                    .collect(),
            )
        })?,
    };
    let mut errors = check::action_refs(db, ctx, &list).await?;
    for (i, a) in list.iter().enumerate() {
        if matches!(
            a,
            Action::Notify { .. }
                | Action::Webhook(_)
                | Action::Assign(AssignTo::RoundRobin(_) | AssignTo::LeastLoaded(_))
        ) {
            errors.push(FieldError::new(format!("actions[{i}].type"), "macros take assign (an agent), set_priority, set_status, add_tag, remove_tag, add_internal_note"));
        }
    }
    if errors.is_empty() {
        Ok(list)
    } else {
        Err(ApiError::Validation(errors))
    }
}

async fn save(
    state: &AppState,
    ctx: &helpdesk_domain::TenantCtx,
    current: Option<Macro>,
    b: MacroBody,
) -> ApiResult<Macro> {
    let tx = state.store.begin().await.map_err(ApiError::internal)?;
    let name = b
        .name
        .or_else(|| current.as_ref().map(|m| m.name.clone()))
        .ok_or_else(|| ApiError::invalid("name", "is required"))?;
    if name.trim().is_empty() {
        return Err(ApiError::invalid("name", "must not be blank"));
    }
    let reply = match (b.reply, &current) {
        (Some(r), _) => Some(r).filter(|r| !r.trim().is_empty()),
        (None, Some(m)) => m.reply.clone(),
        (None, None) => None,
    };
    let actions = b
        .actions
        .or_else(|| current.as_ref().map(|m| m.actions.clone()))
        .unwrap_or_else(|| serde_json::json!([]));
    let parsed = parse(&tx, ctx, &actions).await?;
    if parsed.is_empty() && reply.is_none() {
        return Err(ApiError::invalid(
            "actions",
            "a macro needs a reply or at least one action",
        ));
    }
    let now = state.now();
    let row = match current {
        Some(m) => macros::replace(&tx, ctx, m.id, name, reply, actions, now).await?,
        None => macros::create(&tx, ctx, name, reply, actions, now).await?,
    };
    tx.commit().await.map_err(ApiError::internal)?;
    Ok(row)
}

#[utoipa::path(get, path = "/macros", tag = "automations",
    responses((status = 200, body = Vec<MacroOut>), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn list_macros(
    State(state): State<AppState>,
    Staff(authed): Staff,
) -> ApiResult<Json<Vec<MacroOut>>> {
    let rows = macros::list(state.store.read(), &authed.ctx).await?;
    Ok(Json(rows.into_iter().map(MacroOut::from).collect()))
}

#[utoipa::path(post, path = "/macros", tag = "automations", request_body = MacroBody,
    responses((status = 201, body = MacroOut), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_macro(
    State(state): State<AppState>,
    Staff(authed): Staff,
    ValidatedJson(b): ValidatedJson<MacroBody>,
) -> ApiResult<(StatusCode, Json<MacroOut>)> {
    let row = save(&state, &authed.ctx, None, b).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[utoipa::path(get, path = "/macros/{id}", tag = "automations", params(("id" = String, Path)),
    responses((status = 200, body = MacroOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_macro(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<MacroOut>> {
    Ok(Json(
        macros::get(state.store.read(), &authed.ctx, id)
            .await?
            .into(),
    ))
}

#[utoipa::path(patch, path = "/macros/{id}", tag = "automations", params(("id" = String, Path)), request_body = MacroBody,
    responses((status = 200, body = MacroOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_macro(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
    ValidatedJson(b): ValidatedJson<MacroBody>,
) -> ApiResult<Json<MacroOut>> {
    let current = macros::get(state.store.read(), &authed.ctx, id).await?;
    Ok(Json(
        save(&state, &authed.ctx, Some(current), b).await?.into(),
    ))
}

#[utoipa::path(delete, path = "/macros/{id}", tag = "automations", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_macro(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    macros::delete(state.store.write(), &authed.ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyMacro {
    #[garde(skip)]
    #[schema(value_type = String, format = Uuid)]
    pub macro_id: Uuid,
}

/// Applies the macro's actions in order, then posts its reply as the caller; one
/// transaction, so all of it happens or none.
#[utoipa::path(post, path = "/tickets/{id}/apply-macro", tag = "automations", request_body = ApplyMacro,
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 200, body = TicketOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, description = "unknown macro, or a status the ticket cannot take", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn apply_macro(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(r): Id<TicketRef>,
    ValidatedJson(b): ValidatedJson<ApplyMacro>,
) -> ApiResult<Json<TicketOut>> {
    let ctx = &authed.ctx;
    let now = state.now();
    let tx = state.store.begin().await.map_err(ApiError::internal)?;
    let mut t = tickets::get_for_update(&tx, ctx, r).await?;
    if t.status == "CLOSED" {
        return Err(ApiError::InvalidTransition(
            "a closed ticket cannot change; open a follow-up ticket".into(),
        ));
    }
    let m = macros::get(&tx, ctx, b.macro_id)
        .await
        .map_err(|_| ApiError::invalid("macro_id", "no such macro in this workspace"))?;
    let actions = parse(&tx, ctx, &m.actions).await?;
    let mut live = Vec::new();
    for a in &actions {
        let edit = match a {
            Action::Assign(AssignTo::Agent(u)) => Edit {
                assignee_id: Some(Some(UserId::from_uuid(*u))),
                ..Edit::default()
            },
            Action::SetPriority(p) => Edit {
                priority: Some(*p),
                ..Edit::default()
            },
            Action::SetStatus(s) => Edit {
                status: Some(*s),
                ..Edit::default()
            },
            Action::AddTag(tag) | Action::RemoveTag(tag) => {
                let mut tags = tags_of(&t);
                tags.retain(|x| x != tag);
                if matches!(a, Action::AddTag(_)) && tags.len() < 20 {
                    tags.push(tag.clone());
                    tags.sort();
                }
                Edit {
                    tags: Some(tags),
                    ..Edit::default()
                }
            }
            Action::AddInternalNote(body) => {
                let (next, events) = ops::note(&tx, ctx, &t, body.clone(), None, None, now).await?;
                t = next;
                live.extend(events);
                continue;
            }
            _ => continue,
        };
        let (next, events) = ops::change(&tx, ctx, &t, edit, None, now).await?;
        t = next;
        live.extend(events);
    }
    if let Some(reply) = m.reply {
        let (_, next, events) =
            crate::routes::tickets::messages::write(&tx, ctx, &t, reply, false, now).await?;
        t = next;
        live.extend(events);
    }
    let clock = SlaClock::load(&tx, ctx, &[&t], now).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    state
        .events
        .publish(
            live.iter()
                .map(|e| LiveEvent::new(e, t.number, t.requester_id))
                .collect(),
        )
        .await;
    Ok(Json(TicketOut::from_row(t, &clock)?))
}
