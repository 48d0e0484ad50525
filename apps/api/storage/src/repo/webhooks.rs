//! Webhook subscriptions and their delivery log.

use helpdesk_domain::TenantCtx;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entities::webhook::{self, Entity as Webhooks};
use crate::entities::webhook_delivery::{self, Entity as Deliveries};
use crate::error::{StoreError, StoreResult};
use crate::repo::Page;

pub use webhook::Model as Webhook;
pub use webhook_delivery::Model as Delivery;

#[derive(Debug, Clone, Default)]
pub struct WebhookFields {
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    pub secret: Option<String>,
    pub active: Option<bool>,
}

pub async fn create(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    url: String,
    events: Vec<String>,
    secret: String,
    now: i64,
) -> StoreResult<Webhook> {
    Ok(webhook::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        url: Set(url),
        events: Set(serde_json::json!(events)),
        secret: Set(secret),
        active: Set(true),
        consecutive_failures: Set(0),
        disabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

pub async fn get(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<Webhook> {
    Webhooks::find_by_id(id)
        .filter(webhook::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn list(db: &impl ConnectionTrait, ctx: &TenantCtx) -> StoreResult<Vec<Webhook>> {
    Ok(Webhooks::find()
        .filter(webhook::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .order_by_asc(webhook::Column::Id)
        .all(db)
        .await?)
}

pub async fn update(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: Uuid,
    f: WebhookFields,
    now: i64,
) -> StoreResult<Webhook> {
    let mut m = get(db, ctx, id).await?.into_active_model();
    if let Some(v) = f.url {
        m.url = Set(v);
    }
    if let Some(v) = f.events {
        m.events = Set(serde_json::json!(v));
    }
    if let Some(v) = f.secret {
        m.secret = Set(v);
    }
    if let Some(v) = f.active {
        m.active = Set(v);
        if v {
            // Re-enabling starts the failure count afresh.
            m.consecutive_failures = Set(0);
            m.disabled_at = Set(None);
        }
    }
    m.updated_at = Set(now);
    Ok(m.update(db).await?)
}

pub async fn delete(db: &impl ConnectionTrait, ctx: &TenantCtx, id: Uuid) -> StoreResult<()> {
    let w = get(db, ctx, id).await?;
    Deliveries::delete_many()
        .filter(webhook_delivery::Column::WebhookId.eq(w.id))
        .exec(db)
        .await?;
    Webhooks::delete_by_id(w.id).exec(db).await?;
    Ok(())
}

/// Whether `w` subscribes to `event_type` (its events list it, or `*`).
pub fn subscribes(w: &Webhook, event_type: &str) -> bool {
    let events: Vec<String> = serde_json::from_value(w.events.clone()).unwrap_or_default();
    events.iter().any(|e| e == "*" || e == event_type)
}

/// The workspace's active webhooks (system scope: the dispatcher's view).
pub async fn active(db: &impl ConnectionTrait, workspace: Uuid) -> StoreResult<Vec<Webhook>> {
    Ok(Webhooks::find()
        .filter(webhook::Column::WorkspaceId.eq(workspace))
        .filter(webhook::Column::Active.eq(true))
        .all(db)
        .await?)
}

/// The worker's view of one webhook (system scope: the job names it).
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> StoreResult<Option<Webhook>> {
    Ok(Webhooks::find_by_id(id).one(db).await?)
}

#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub event_id: Uuid,
    pub event_type: String,
    pub attempt: i32,
    pub success: bool,
    pub response_code: Option<i32>,
    pub duration_ms: i64,
    pub error: Option<String>,
}

/// Logs an attempt and updates the failure streak; returns the streak after it.
pub async fn record_delivery(
    db: &impl ConnectionTrait,
    w: &Webhook,
    d: NewDelivery,
    now: i64,
) -> StoreResult<i32> {
    let success = d.success;
    webhook_delivery::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(w.workspace_id),
        webhook_id: Set(w.id),
        event_id: Set(d.event_id),
        event_type: Set(d.event_type),
        attempt: Set(d.attempt),
        success: Set(d.success),
        response_code: Set(d.response_code),
        duration_ms: Set(d.duration_ms),
        error: Set(d.error),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    let streak = if success {
        Expr::value(0)
    } else {
        Expr::col(webhook::Column::ConsecutiveFailures).add(1)
    };
    Webhooks::update_many()
        .col_expr(webhook::Column::ConsecutiveFailures, streak)
        .col_expr(webhook::Column::UpdatedAt, Expr::value(now))
        .filter(webhook::Column::Id.eq(w.id))
        .exec(db)
        .await?;
    Ok(by_id(db, w.id).await?.map_or(0, |w| w.consecutive_failures))
}

/// Turns a failing webhook off.
pub async fn disable(db: &impl ConnectionTrait, id: Uuid, now: i64) -> StoreResult<()> {
    Webhooks::update_many()
        .col_expr(webhook::Column::Active, Expr::value(false))
        .col_expr(webhook::Column::DisabledAt, Expr::value(now))
        .col_expr(webhook::Column::UpdatedAt, Expr::value(now))
        .filter(webhook::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A webhook's deliveries, newest first.
/// One delivery of `webhook`.
pub async fn delivery(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    webhook: Uuid,
    id: Uuid,
) -> StoreResult<Delivery> {
    Deliveries::find_by_id(id)
        .filter(webhook_delivery::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(webhook_delivery::Column::WebhookId.eq(webhook))
        .one(db)
        .await?
        .ok_or(crate::error::StoreError::NotFound)
}

pub async fn deliveries(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    webhook: Uuid,
    page: Page,
) -> StoreResult<Vec<Delivery>> {
    let mut q = Deliveries::find()
        .filter(webhook_delivery::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(webhook_delivery::Column::WebhookId.eq(webhook));
    if let Some(after) = page.after {
        q = q.filter(webhook_delivery::Column::Id.lt(after));
    }
    Ok(q.order_by_desc(webhook_delivery::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?)
}
