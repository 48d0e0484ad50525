//! `POST /tickets`: customers open their own tickets; staff may open them on a customer's
//! behalf. Honours `Idempotency-Key`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use helpdesk_domain::{
    AssetId, OrganizationId, Priority, TicketId, UserId, text, ticket::normalize_tags,
};
use helpdesk_storage::repo::events::{self, NewEvent};
use helpdesk_storage::repo::sla;
use helpdesk_storage::repo::tickets::{self, NewTicket};
use serde::Deserialize;
use serde_json::json;

use super::dto::{SlaClock, TicketOut};
use super::refs;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::{Authed, HashedJson};
use crate::idempotency::{IdempotencyKey, Idempotent};
use crate::live::LiveEvent;
use crate::state::AppState;

pub const MAX_TEXT_BYTES: usize = 64 * 1024;

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTicket {
    #[garde(length(chars, min = 1, max = 250))]
    pub subject: String,
    /// Plain text, up to 64 KiB.
    #[garde(length(min = 1, max = 65536))]
    pub description: String,
    #[garde(skip)]
    pub priority: Option<Priority>,
    /// Staff only: whom the ticket is for (default: the caller).
    #[garde(skip)]
    pub requester_id: Option<UserId>,
    /// Staff only; default: the requester's organization.
    #[garde(skip)]
    pub organization_id: Option<OrganizationId>,
    /// Staff only.
    #[garde(skip)]
    pub assignee_id: Option<UserId>,
    /// Staff only.
    #[garde(length(max = 20))]
    pub tags: Option<Vec<String>>,
    #[garde(skip)]
    pub asset_id: Option<AssetId>,
}

#[utoipa::path(post, path = "/tickets", tag = "tickets", request_body = CreateTicket,
    params(("Idempotency-Key" = Option<String>, Header, description = "replays the first response for 24 h")),
    responses((status = 201, body = TicketOut), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_ticket(
    State(state): State<AppState>,
    authed: Authed,
    key: IdempotencyKey,
    body: HashedJson<CreateTicket>,
) -> ApiResult<Response> {
    let ctx = authed.ctx;
    let req = body.value;
    let staff = ctx.role.is_staff();
    let mut errors = Vec::new();
    let subject = text::bounded(&req.subject, 1, 250);
    if subject.is_none() {
        errors.push(FieldError::new("subject", "must not be blank"));
    }
    if req.description.trim().is_empty() {
        errors.push(FieldError::new("description", "must not be blank"));
    }
    if !staff {
        for (field, set) in [
            ("requester_id", req.requester_id.is_some()),
            ("organization_id", req.organization_id.is_some()),
            ("assignee_id", req.assignee_id.is_some()),
            ("tags", req.tags.is_some()),
        ] {
            if set {
                errors.push(FieldError::new(field, "customers cannot set this field"));
            }
        }
    }
    let tags = match req.tags.as_deref().map(normalize_tags).transpose() {
        Ok(t) => t.unwrap_or_default(),
        Err(e) => {
            errors.push(FieldError::new("tags", e));
            Vec::new()
        }
    };
    let requester = match (req.requester_id, ctx.user_id()) {
        (Some(r), _) => Some(r),
        (None, me) => me,
    };
    if requester.is_none() {
        errors.push(FieldError::new(
            "requester_id",
            "is required when an API key opens a ticket",
        ));
    }
    let (Some(subject), Some(requester), true) = (subject, requester, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };

    let mut idem = Idempotent::new(key, "POST /tickets", &body.sha256);
    if let Some(replay) = idem.replay(&state, &ctx).await? {
        return Ok(replay);
    }
    let now = state.now();
    let tx = state.store.begin().await.map_err(ApiError::internal)?;
    if !idem.claim(&tx, &ctx).await? {
        drop(tx);
        return idem.replay_after_race(&state, &ctx).await;
    }
    // The caller itself was just authenticated as an active user: no need to look it up.
    let requester_org = if Some(requester) == ctx.user_id() {
        ctx.organization_id
    } else {
        refs::requester(&tx, &ctx, requester).await?
    };
    let organization_id = match req.organization_id {
        Some(o) => {
            refs::organization(&tx, &ctx, o).await?;
            Some(o)
        }
        None => requester_org,
    };
    if let Some(a) = req.assignee_id {
        refs::assignee(&tx, &ctx, a).await?;
    }
    if let Some(a) = req.asset_id {
        refs::asset(&tx, &ctx, a, organization_id).await?;
    }
    let new = NewTicket {
        subject,
        description: req.description,
        priority: req.priority.unwrap_or_default(),
        requester_id: requester,
        assignee_id: req.assignee_id,
        organization_id,
        asset_id: req.asset_id,
        tags,
        channel: match ctx.actor {
            helpdesk_domain::Actor::ApiKey(_) => "api",
            _ => "web",
        },
    };
    let (ticket, out, live) = insert(&tx, &ctx, new, now).await?;
    idem.complete(&tx, StatusCode::CREATED, &out).await?;
    tx.commit().await.map_err(ApiError::internal)?;
    state
        .events
        .publish(
            live.iter()
                .map(|e| LiveEvent::new(e, ticket.number, ticket.requester_id))
                .collect(),
        )
        .await;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

/// Writes a new ticket with its SLA and its `ticket.created` event, in the caller's
/// transaction; returns the row, its response shape and the events for the live stream.
pub(crate) async fn insert(
    tx: &impl sea_orm::ConnectionTrait,
    ctx: &helpdesk_domain::TenantCtx,
    new: NewTicket,
    now: i64,
) -> ApiResult<(tickets::Ticket, TicketOut, Vec<events::Event>)> {
    let terms = sla::prepare(tx, ctx, new.organization_id, new.priority).await?;
    let mut ticket = tickets::create(tx, ctx, new, now).await?;
    let warnings = sla::start(tx, ctx, &mut ticket, terms, now).await?;
    let clock = SlaClock::load(tx, ctx, &[&ticket], now).await?;
    let out = TicketOut::from_row(ticket.clone(), &clock)?;
    let event = events::record(
        tx,
        ctx,
        NewEvent {
            ticket_id: TicketId::from_uuid(ticket.id),
            kind: "ticket.created",
            changes: json!({
                "subject": out.subject, "status": out.status, "priority": out.priority,
                "requester_id": out.requester_id, "assignee_id": out.assignee_id,
                "organization_id": out.organization_id, "asset_id": out.asset_id, "tags": out.tags,
            }),
            message_id: None,
            internal: false,
        },
        now,
    )
    .await?;
    let mut live = vec![event];
    live.extend(warnings);
    Ok((ticket, out, live))
}
