//! The IMAP fetcher's rows (system scope: the fetcher serves every workspace). A mailbox
//! is fetched by whoever holds its lease; its position (UIDVALIDITY, last UID) only moves
//! in the transaction that stores the messages up to it, and only while the lease is held.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entities::mailbox::{self, Entity as Mailboxes};
use crate::error::StoreResult;

pub use mailbox::Model as Mailbox;

/// Every active mailbox with an IMAP account, in every workspace.
pub async fn fetchable(db: &impl ConnectionTrait) -> StoreResult<Vec<Mailbox>> {
    Ok(Mailboxes::find()
        .filter(mailbox::Column::Active.eq(true))
        .filter(mailbox::Column::ImapHost.is_not_null())
        .order_by_asc(mailbox::Column::Id)
        .all(db)
        .await?)
}

/// Takes or renews the lease of mailbox `id` for `owner` until `until`: free, expired, or
/// already `owner`'s. Returns the row when `owner` holds it.
pub async fn lease(
    db: &impl ConnectionTrait,
    id: Uuid,
    owner: &str,
    now: i64,
    until: i64,
) -> StoreResult<Option<Mailbox>> {
    let done = Mailboxes::update_many()
        .col_expr(mailbox::Column::LeaseOwner, Expr::value(owner))
        .col_expr(mailbox::Column::LeaseUntil, Expr::value(until))
        .filter(mailbox::Column::Id.eq(id))
        .filter(mailbox::Column::Active.eq(true))
        .filter(
            Condition::any()
                .add(mailbox::Column::LeaseOwner.is_null())
                .add(mailbox::Column::LeaseOwner.eq(owner))
                .add(mailbox::Column::LeaseUntil.lt(now)),
        )
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Ok(None);
    }
    Ok(Mailboxes::find_by_id(id).one(db).await?)
}

/// Gives the lease up (on shutdown, or when the mailbox changed), so another process may
/// take it at once.
pub async fn release(db: &impl ConnectionTrait, id: Uuid, owner: &str) -> StoreResult<()> {
    Mailboxes::update_many()
        .col_expr(
            mailbox::Column::LeaseOwner,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            mailbox::Column::LeaseUntil,
            Expr::value(Option::<i64>::None),
        )
        .filter(mailbox::Column::Id.eq(id))
        .filter(mailbox::Column::LeaseOwner.eq(owner))
        .exec(db)
        .await?;
    Ok(())
}

/// Moves the position of mailbox `id` to (`uidvalidity`, `last_uid`) and counts `imported`
/// more, if `owner` still holds the lease. False when it does not: the caller's
/// transaction must then be rolled back.
pub async fn advance(
    db: &impl ConnectionTrait,
    id: Uuid,
    owner: &str,
    uidvalidity: i64,
    last_uid: i64,
    imported: i64,
    now: i64,
) -> StoreResult<bool> {
    let done = Mailboxes::update_many()
        .col_expr(mailbox::Column::Uidvalidity, Expr::value(uidvalidity))
        .col_expr(mailbox::Column::LastUid, Expr::value(last_uid))
        .col_expr(
            mailbox::Column::Imported,
            Expr::col(mailbox::Column::Imported).add(imported),
        )
        .col_expr(mailbox::Column::LastFetchAt, Expr::value(now))
        .filter(mailbox::Column::Id.eq(id))
        .filter(mailbox::Column::LeaseOwner.eq(owner))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Records how a fetch went: `error` `None` clears the error state; `notified` says
/// whether admins have been told of it.
pub async fn record(
    db: &impl ConnectionTrait,
    id: Uuid,
    error: Option<&str>,
    notified: bool,
    now: i64,
) -> StoreResult<()> {
    Mailboxes::update_many()
        .col_expr(
            mailbox::Column::LastError,
            Expr::value(error.map(str::to_owned)),
        )
        .col_expr(mailbox::Column::ErrorNotified, Expr::value(notified))
        .col_expr(mailbox::Column::LastFetchAt, Expr::value(now))
        .filter(mailbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Replaces the sealed secret of mailbox `id` (a provider rotated the refresh token).
pub async fn set_secret(db: &impl ConnectionTrait, id: Uuid, sealed: Vec<u8>) -> StoreResult<()> {
    Mailboxes::update_many()
        .col_expr(mailbox::Column::ImapSecret, Expr::value(sealed))
        .filter(mailbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The mailbox (any workspace, active or not) that owns `address` or the address it plus-addresses:
/// the SMTP/LMTP listener's recipient check.
pub async fn by_address(db: &impl ConnectionTrait, address: &str) -> StoreResult<Option<Mailbox>> {
    Ok(Mailboxes::find()
        .filter(mailbox::Column::Address.is_in(mailbox_addresses(address)))
        .one(db)
        .await?)
}

/// The mailbox addresses `address` reaches: itself, lowercased, and the address it
/// plus-addresses (`help+7@x` reaches `help@x`).
pub(crate) fn mailbox_addresses(address: &str) -> Vec<String> {
    let address = address.to_lowercase();
    let mut candidates = vec![address.clone()];
    if let Some((local, domain)) = address.rsplit_once('@')
        && let Some((base, _)) = local.split_once('+')
    {
        candidates.push(format!("{base}@{domain}"));
    }
    candidates
}

/// Mailbox `id` of any workspace.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> StoreResult<Option<Mailbox>> {
    Ok(Mailboxes::find_by_id(id).one(db).await?)
}
