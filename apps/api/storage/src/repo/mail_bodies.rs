//! What a received mail's body was beyond its text (see the `mail_body` entity), written
//! with the ticket or message it became and read with one ticket or a page of messages.

use std::collections::HashMap;

use helpdesk_domain::TenantCtx;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::entities::mail_body::{self as row, Entity as MailBodies};
use crate::error::StoreResult;

pub use row::Model as MailBody;

/// Records the HTML and quoted-history offset of ticket or message `id`.
pub async fn put(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    id: Uuid,
    html: Option<String>,
    quoted_from: Option<i64>,
    now: i64,
) -> StoreResult<()> {
    row::ActiveModel {
        id: Set(id),
        workspace_id: Set(ctx.workspace_id.as_uuid()),
        html: Set(html),
        quoted_from: Set(quoted_from),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The bodies of those of `ids` that came by mail, by id.
pub async fn for_ids(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, MailBody>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = MailBodies::find()
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r)).collect())
}

/// Moves the body recorded for `from` (a message) to `to` (a ticket opened from it).
pub async fn rekey(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    from: Uuid,
    to: Uuid,
) -> StoreResult<()> {
    use sea_orm::sea_query::Expr;
    MailBodies::update_many()
        .col_expr(row::Column::Id, Expr::value(to))
        .filter(row::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(row::Column::Id.eq(from))
        .exec(db)
        .await?;
    Ok(())
}
