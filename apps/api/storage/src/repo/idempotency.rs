//! Idempotency keys: the first response to a keyed request, replayed for 24 hours.
//!
//! The key row is inserted first in the request's transaction, so a concurrent retry
//! blocks on the unique index until the first commits, then finds the stored response.

use helpdesk_domain::TenantCtx;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::entities::idempotency_key::{self, Entity as Keys};
use crate::error::StoreResult;

pub use idempotency_key::Model as StoredResponse;

fn principal(ctx: &TenantCtx) -> Uuid {
    match ctx.actor {
        helpdesk_domain::Actor::User(u) => u.as_uuid(),
        helpdesk_domain::Actor::ApiKey(k) => k.as_uuid(),
        helpdesk_domain::Actor::System => Uuid::nil(),
    }
}

/// The unexpired entry for this caller and key, if any.
pub async fn find(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    key: &str,
    now: i64,
) -> StoreResult<Option<StoredResponse>> {
    Ok(Keys::find()
        .filter(idempotency_key::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(idempotency_key::Column::PrincipalId.eq(principal(ctx)))
        .filter(idempotency_key::Column::Key.eq(key))
        .filter(idempotency_key::Column::ExpiresAt.gt(now))
        .one(db)
        .await?)
}

/// Claims the key inside the request's transaction; a concurrent claim conflicts.
/// Expired entries for the same key are cleared first.
pub async fn claim(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    key: &str,
    request_hash: &str,
    now: i64,
    ttl_micros: i64,
) -> StoreResult<Uuid> {
    Keys::delete_many()
        .filter(idempotency_key::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(idempotency_key::Column::PrincipalId.eq(principal(ctx)))
        .filter(idempotency_key::Column::Key.eq(key))
        .filter(idempotency_key::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    let id = Uuid::now_v7();
    idempotency_key::ActiveModel {
        id: Set(id),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        principal_id: Set(principal(ctx)),
        key: Set(key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        response_status: Set(0),
        response_body: Set(String::new()),
        expires_at: Set(now + ttl_micros),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| crate::StoreError::from(e).conflict_as("idempotency key"))?;
    Ok(id)
}

/// Stores the response under a claimed key, in the same transaction.
pub async fn complete(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: u16,
    body: String,
) -> StoreResult<()> {
    Keys::update_many()
        .col_expr(
            idempotency_key::Column::ResponseStatus,
            Expr::value(i32::from(status)),
        )
        .col_expr(idempotency_key::Column::ResponseBody, Expr::value(body))
        .filter(idempotency_key::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
