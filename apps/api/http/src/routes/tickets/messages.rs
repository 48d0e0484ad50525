//! Replies and internal notes. A reply moves the ticket as the status machine says and
//! the first public staff reply sets `first_response_at`. Honours `Idempotency-Key`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use helpdesk_domain::status_machine::{self, Lifecycle};
use helpdesk_domain::{MessageId, TicketId};
use helpdesk_storage::repo::events::{self, NewEvent};
use helpdesk_storage::repo::tickets::{self, TicketChanges, TicketRef};
use helpdesk_storage::repo::{messages, sla};
use serde::Deserialize;
use serde_json::{Map, json};

use super::dto::{MessageOut, status_of};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Authed, HashedJson, Id};
use crate::idempotency::{IdempotencyKey, Idempotent};
use crate::live::LiveEvent;
use crate::state::AppState;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    /// Plain text, up to 64 KiB; stored as given, never rendered as HTML.
    #[garde(length(min = 1, max = 65536))]
    pub body: String,
    /// An internal note, visible to staff only.
    #[serde(default)]
    #[garde(skip)]
    pub internal: bool,
}

#[utoipa::path(post, path = "/tickets/{id}/messages", tag = "tickets", request_body = NewMessage,
    params(("id" = String, Path, description = "the ticket's id or number"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first response for 24 h")),
    responses((status = 201, body = MessageOut), (status = 403, description = "customers cannot write internal notes", body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, description = "closed ticket or invalid body", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn add_message(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
    key: IdempotencyKey,
    body: HashedJson<NewMessage>,
) -> ApiResult<Response> {
    let ctx = authed.ctx;
    let req = body.value;
    if req.body.trim().is_empty() {
        return Err(ApiError::invalid("body", "must not be blank"));
    }
    let staff = ctx.role.is_staff();
    if req.internal && !staff {
        return Err(ApiError::Forbidden);
    }
    let mut idem = Idempotent::new(key, &format!("POST /tickets/{r:?}/messages"), &body.sha256);
    if let Some(replay) = idem.replay(&state, &ctx).await? {
        return Ok(replay);
    }
    let now = state.now();
    let tx = state.store.begin().await.map_err(ApiError::internal)?;
    let t = tickets::get_for_update(&tx, &ctx, r).await?;
    if !idem.claim(&tx, &ctx).await? {
        drop(tx);
        return idem.replay_after_race(&state, &ctx).await;
    }
    let (msg, updated, recorded) = write(&tx, &ctx, &t, req.body, req.internal, now).await?;
    let out = MessageOut::from(msg);
    idem.complete(&tx, StatusCode::CREATED, &out).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    let live = recorded
        .iter()
        .map(|e| LiveEvent::new(e, updated.number, updated.requester_id))
        .collect();
    state.events.publish(live).await;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

/// The conversation, oldest first; customers never see internal notes.
#[utoipa::path(get, path = "/tickets/{id}/messages", tag = "tickets",
    params(("id" = String, Path, description = "the ticket's id or number")),
    responses((status = 200, body = Vec<MessageOut>), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_messages(
    State(state): State<AppState>,
    authed: Authed,
    Id(r): Id<TicketRef>,
) -> ApiResult<Json<Vec<MessageOut>>> {
    let db = state.store.read();
    let t = tickets::get(db, &authed.ctx, r).await?;
    let rows = messages::for_ticket(
        db,
        &authed.ctx,
        TicketId::from_uuid(t.id),
        authed.ctx.role.is_staff(),
    )
    .await?;
    Ok(Json(rows.into_iter().map(MessageOut::from).collect()))
}

/// Writes a message on `t` as `ctx`: moves the status as the machine says, sets the first
/// response, keeps the SLA, records the events. In the caller's transaction; returns the
/// message, the updated ticket and the events for the live stream.
pub(crate) async fn write(
    tx: &impl sea_orm::ConnectionTrait,
    ctx: &helpdesk_domain::TenantCtx,
    t: &tickets::Ticket,
    body: String,
    internal: bool,
    now: i64,
) -> ApiResult<(
    messages::Message,
    tickets::Ticket,
    Vec<helpdesk_storage::repo::events::Event>,
)> {
    let staff = ctx.role.is_staff();
    let from = status_of(t)?;
    if !status_machine::accepts_replies(from) {
        return Err(ApiError::InvalidTransition(
            "the ticket is closed; open a follow-up ticket".into(),
        ));
    }
    let ticket_id = TicketId::from_uuid(t.id);
    let msg = messages::create(tx, ctx, ticket_id, body.clone(), internal, now).await?;
    let mut changes = TicketChanges {
        message_text: Some((body, internal)),
        ..TicketChanges::default()
    };
    let mut log = Map::new();
    if !internal {
        let to = if staff {
            status_machine::after_staff_reply(from)
        } else {
            status_machine::after_customer_reply(from)
        };
        if to != from {
            let before = Lifecycle {
                resolved_at: t.resolved_at,
                closed_at: t.closed_at,
            };
            changes.status = Some((to, status_machine::lifecycle_after(from, to, before, now)));
            log.insert("status".into(), json!([from, to]));
        }
        if staff && t.first_response_at.is_none() {
            changes.first_response_at = Some(now);
            log.insert(
                "first_response_at".into(),
                json!([null, crate::routes::common::rfc3339(now)]),
            );
        }
    }
    // Every message is activity: the ticket's version and updated_at move.
    let mut updated = tickets::update(tx, ctx, t, changes, now).await?;
    let reply = match (internal, staff) {
        (true, _) => None,
        (false, true) => Some(sla::Reply::Agent),
        (false, false) => Some(sla::Reply::Customer),
    };
    let warnings = sla::track(tx, ctx, t, &mut updated, reply, now).await?;
    let mut recorded = vec![
        events::record(
            tx,
            ctx,
            NewEvent {
                ticket_id,
                kind: if internal {
                    "note.created"
                } else {
                    "message.created"
                },
                changes: json!({ "message_id": msg.id, "internal": internal }),
                message_id: Some(MessageId::from_uuid(msg.id)),
                internal,
            },
            now,
        )
        .await?,
    ];
    if !log.is_empty() {
        let e = NewEvent {
            ticket_id,
            kind: "ticket.updated",
            changes: serde_json::Value::Object(log),
            message_id: None,
            internal: false,
        };
        recorded.push(events::record(tx, ctx, e, now).await?);
    }
    recorded.extend(warnings);
    Ok((msg, updated, recorded))
}
