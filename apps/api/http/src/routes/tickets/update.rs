//! `PATCH /tickets/{id}`: staff change any field; a customer may only resolve its own
//! ticket. `If-Match: <version>` guards against lost updates.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use helpdesk_domain::status_machine::{self, Lifecycle};
use helpdesk_domain::{
    AssetId, OrganizationId, Priority, TicketId, TicketStatus, UserId, text, ticket::normalize_tags,
};
use helpdesk_storage::repo::events::{self, NewEvent};
use helpdesk_storage::repo::sla;
use helpdesk_storage::repo::tickets::{self, Ticket, TicketChanges, TicketRef, tags_of};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::dto::{SlaClock, TicketOut, priority_of, status_of};
use super::refs;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Authed, Id, ValidatedJson};
use crate::live::LiveEvent;
use crate::routes::common::double_option;
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTicket {
    #[garde(length(chars, min = 1, max = 250))]
    pub subject: Option<String>,
    #[garde(skip)]
    pub priority: Option<Priority>,
    #[garde(skip)]
    pub status: Option<TicketStatus>,
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub assignee_id: Option<Option<UserId>>,
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub organization_id: Option<Option<OrganizationId>>,
    #[garde(length(max = 20))]
    pub tags: Option<Vec<String>>,
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub asset_id: Option<Option<AssetId>>,
}

/// `If-Match: 3`, `"3"` or `W/"3"`.
fn expected_version(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(v) = headers.get("if-match") else {
        return Ok(None);
    };
    let raw = v
        .to_str()
        .unwrap_or("")
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"');
    raw.parse::<i64>()
        .map(Some)
        .map_err(|_| ApiError::invalid("If-Match", "must be the ticket's version"))
}

fn record(changes: &mut Map<String, Value>, field: &str, old: Value, new: Value) -> bool {
    if old == new {
        return false;
    }
    changes.insert(field.to_owned(), json!([old, new]));
    true
}

/// Works out what changes; checks references and the status machine.
async fn plan(
    db: &impl sea_orm::ConnectionTrait,
    ctx: &helpdesk_domain::TenantCtx,
    t: &Ticket,
    req: UpdateTicket,
    now: i64,
) -> ApiResult<(TicketChanges, Map<String, Value>)> {
    let mut c = TicketChanges::default();
    let mut log = Map::new();
    if let Some(s) = req.subject {
        let s = text::bounded(&s, 1, 250)
            .ok_or_else(|| ApiError::invalid("subject", "must not be blank"))?;
        if record(&mut log, "subject", json!(t.subject), json!(s)) {
            c.subject = Some(s);
        }
    }
    if let Some(p) = req.priority
        && record(&mut log, "priority", json!(priority_of(t)?), json!(p))
    {
        c.priority = Some(p);
    }
    if let Some(to) = req.status {
        let from = status_of(t)?;
        status_machine::transition(from, to)
            .map_err(|e| ApiError::InvalidTransition(e.to_string()))?;
        if record(&mut log, "status", json!(from), json!(to)) {
            let before = Lifecycle {
                resolved_at: t.resolved_at,
                closed_at: t.closed_at,
            };
            c.status = Some((to, status_machine::lifecycle_after(from, to, before, now)));
        }
    }
    if let Some(a) = req.assignee_id {
        if let Some(id) = a {
            refs::assignee(db, ctx, id).await?;
        }
        if record(&mut log, "assignee_id", json!(t.assignee_id), json!(a)) {
            c.assignee_id = Some(a);
        }
    }
    if let Some(o) = req.organization_id {
        if let Some(id) = o {
            refs::organization(db, ctx, id).await?;
        }
        if record(
            &mut log,
            "organization_id",
            json!(t.organization_id),
            json!(o),
        ) {
            c.organization_id = Some(o);
        }
    }
    if let Some(a) = req.asset_id {
        let org = c
            .organization_id
            .unwrap_or(t.organization_id.map(OrganizationId::from_uuid));
        if let Some(id) = a {
            refs::asset(db, ctx, id, org).await?;
        }
        if record(&mut log, "asset_id", json!(t.asset_id), json!(a)) {
            c.asset_id = Some(a);
        }
    }
    if let Some(tags) = req.tags {
        let tags = normalize_tags(&tags).map_err(|e| ApiError::invalid("tags", e))?;
        if record(&mut log, "tags", json!(tags_of(t)), json!(tags)) {
            c.tags = Some(tags);
        }
    }
    Ok((c, log))
}

#[utoipa::path(patch, path = "/tickets/{id}", tag = "tickets", request_body = UpdateTicket,
    params(("id" = String, Path, description = "the ticket's id or number"),
        ("If-Match" = Option<String>, Header, description = "the version the change is based on")),
    responses((status = 200, body = TicketOut), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, description = "stale version", body = crate::error::Problem),
        (status = 422, description = "`validation_failed` or `invalid_transition`", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_ticket(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
    headers: HeaderMap,
    ValidatedJson(req): ValidatedJson<UpdateTicket>,
) -> ApiResult<Json<TicketOut>> {
    let ctx = authed.ctx;
    let expected = expected_version(&headers)?;
    let now = state.now();
    let tx = state.store.begin().await.map_err(ApiError::internal)?;
    let t = tickets::get_for_update(&tx, &ctx, r).await?;
    if !ctx.role.is_staff() {
        let only_resolve = req.status == Some(TicketStatus::Resolved)
            && req.subject.is_none()
            && req.priority.is_none()
            && req.assignee_id.is_none()
            && req.organization_id.is_none()
            && req.tags.is_none()
            && req.asset_id.is_none();
        if !only_resolve {
            return Err(ApiError::Forbidden);
        }
    }
    if expected.is_some_and(|v| v != t.version) {
        return Err(ApiError::Conflict(format!(
            "the ticket is at version {}",
            t.version
        )));
    }
    if status_of(&t)? == TicketStatus::Closed {
        return Err(ApiError::InvalidTransition(
            "a closed ticket cannot change; open a follow-up ticket".into(),
        ));
    }
    let (changes, log) = plan(&tx, &ctx, &t, req, now).await?;
    if log.is_empty() {
        let clock = SlaClock::load(&tx, &ctx, &[&t], now).await?;
        return Ok(Json(TicketOut::from_row(t, &clock)?));
    }
    let mut updated = tickets::update(&tx, &ctx, &t, changes, now)
        .await
        .map_err(|e| match e {
            helpdesk_storage::StoreError::Conflict(_) => {
                ApiError::Conflict("the ticket changed meanwhile; reload it".into())
            }
            other => other.into(),
        })?;
    let event = events::record(
        &tx,
        &ctx,
        NewEvent {
            ticket_id: TicketId::from_uuid(t.id),
            kind: "ticket.updated",
            changes: Value::Object(log),
            message_id: None,
            internal: false,
        },
        now,
    )
    .await?;
    let mut live = vec![event];
    live.extend(sla::track(&tx, &ctx, &t, &mut updated, None, now).await?);
    let clock = SlaClock::load(&tx, &ctx, &[&updated], now).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    state
        .events
        .publish(
            live.iter()
                .map(|e| LiveEvent::new(e, updated.number, updated.requester_id))
                .collect(),
        )
        .await;
    Ok(Json(TicketOut::from_row(updated, &clock)?))
}
