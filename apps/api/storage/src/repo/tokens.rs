//! Hashed refresh tokens and single-use tokens (invitations, password resets).
//!
//! Only SHA-256 hashes are stored; consuming a token is one conditional UPDATE so two
//! concurrent uses cannot both succeed.

use helpdesk_domain::{SessionId, UserId, WorkspaceId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::entities::one_time_token::{self, Entity as OneTimeTokens};
use crate::entities::refresh_token::{self, Entity as RefreshTokens};
use crate::error::StoreResult;

pub use one_time_token::Model as OneTimeToken;
pub use refresh_token::Model as RefreshToken;

pub async fn insert_refresh(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    session_id: SessionId,
    token_hash: String,
    expires_at: i64,
    now: i64,
) -> StoreResult<RefreshToken> {
    Ok(refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(workspace_id.as_uuid()),
        session_id: Set(session_id.as_uuid()),
        token_hash: Set(token_hash),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

pub async fn refresh_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> StoreResult<Option<RefreshToken>> {
    Ok(RefreshTokens::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?)
}

/// Marks a refresh token used; `false` when it already was (a replay).
pub async fn mark_refresh_used(db: &impl ConnectionTrait, id: Uuid, now: i64) -> StoreResult<bool> {
    let res = RefreshTokens::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .col_expr(refresh_token::Column::UpdatedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Marks the refresh token with `token_hash` used, so it can never be exchanged (a
/// session handed to a browser keeps no refresh chain).
pub async fn spend_refresh(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: i64,
) -> StoreResult<()> {
    RefreshTokens::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .col_expr(refresh_token::Column::UpdatedAt, Expr::value(now))
        .filter(refresh_token::Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

/// What a single-use token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invitation,
    PasswordReset,
    /// A new workspace's first admin confirming their email.
    EmailVerification,
}

impl Purpose {
    pub const fn as_str(self) -> &'static str {
        match self {
            Purpose::Invitation => "invitation",
            Purpose::PasswordReset => "password_reset",
            Purpose::EmailVerification => "email_verification",
        }
    }
}

pub async fn insert_one_time(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    user_id: UserId,
    purpose: Purpose,
    token_hash: String,
    expires_at: i64,
    now: i64,
) -> StoreResult<OneTimeToken> {
    Ok(one_time_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(workspace_id.as_uuid()),
        user_id: Set(user_id.as_uuid()),
        purpose: Set(purpose.as_str().to_owned()),
        token_hash: Set(token_hash),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// Consumes an unexpired, unused token of `purpose`; `None` when there is no such token.
pub async fn consume_one_time(
    db: &impl ConnectionTrait,
    token_hash: &str,
    purpose: Purpose,
    now: i64,
) -> StoreResult<Option<OneTimeToken>> {
    let Some(token) = OneTimeTokens::find()
        .filter(one_time_token::Column::TokenHash.eq(token_hash))
        .filter(one_time_token::Column::Purpose.eq(purpose.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let res = OneTimeTokens::update_many()
        .col_expr(one_time_token::Column::UsedAt, Expr::value(now))
        .col_expr(one_time_token::Column::UpdatedAt, Expr::value(now))
        .filter(one_time_token::Column::Id.eq(token.id))
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok((res.rows_affected == 1).then_some(token))
}

/// Voids a user's unused tokens of `purpose`, e.g. older reset links when a new one is sent.
pub async fn void_one_time(
    db: &impl ConnectionTrait,
    user_id: UserId,
    purpose: Purpose,
    now: i64,
) -> StoreResult<()> {
    OneTimeTokens::update_many()
        .col_expr(one_time_token::Column::UsedAt, Expr::value(now))
        .filter(one_time_token::Column::UserId.eq(user_id.as_uuid()))
        .filter(one_time_token::Column::Purpose.eq(purpose.as_str()))
        .filter(one_time_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
