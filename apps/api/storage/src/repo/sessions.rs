//! Sign-in sessions: created at login, revoked by logout, by refresh-token reuse or when
//! the user is deactivated.

use helpdesk_domain::{SessionId, UserId, WorkspaceId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::session::{self, Entity as Sessions};
use crate::error::{StoreError, StoreResult};

pub use session::Model as Session;

/// Starts a session; `web_token_hash` is the hash of a browser's cookie for web sessions.
pub async fn create(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    user_id: UserId,
    web_token_hash: Option<String>,
    now: i64,
) -> StoreResult<Session> {
    Ok(session::ActiveModel {
        id: Set(SessionId::new().as_uuid()),
        workspace_id: Set(workspace_id.as_uuid()),
        user_id: Set(user_id.as_uuid()),
        revoked_at: Set(None),
        web_token_hash: Set(web_token_hash),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

pub async fn get(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    id: SessionId,
) -> StoreResult<Session> {
    Sessions::find_by_id(id.as_uuid())
        .filter(session::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The web session whose cookie hashes to `hash`, revoked or not.
pub async fn by_web_hash(db: &impl ConnectionTrait, hash: &str) -> StoreResult<Option<Session>> {
    Ok(Sessions::find()
        .filter(session::Column::WebTokenHash.eq(hash))
        .one(db)
        .await?)
}

/// Gives session `id` the hash of a browser's cookie.
pub async fn set_web_hash(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    id: SessionId,
    hash: String,
    now: i64,
) -> StoreResult<()> {
    let res = Sessions::update_many()
        .col_expr(session::Column::WebTokenHash, Expr::value(hash))
        .col_expr(session::Column::UpdatedAt, Expr::value(now))
        .filter(session::Column::Id.eq(id.as_uuid()))
        .filter(session::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .exec(db)
        .await?;
    if res.rows_affected == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

pub async fn revoke(db: &impl ConnectionTrait, id: SessionId, now: i64) -> StoreResult<()> {
    Sessions::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .col_expr(session::Column::UpdatedAt, Expr::value(now))
        .filter(session::Column::Id.eq(id.as_uuid()))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

pub async fn revoke_all_for_user(
    db: &impl ConnectionTrait,
    user_id: UserId,
    now: i64,
) -> StoreResult<()> {
    Sessions::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .col_expr(session::Column::UpdatedAt, Expr::value(now))
        .filter(session::Column::UserId.eq(user_id.as_uuid()))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
