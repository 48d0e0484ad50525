//! Monitoring alert keys: found or created and locked in the reporting transaction, so
//! concurrent repeats of one alert queue on its row and open at most one ticket.

use helpdesk_domain::{Email, Role, TenantCtx, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use super::users::{self, NewUser};
use crate::entities::{alert, user};
use crate::error::{StoreError, StoreResult};

pub use alert::Model as Alert;

/// The row of `(source, dedup_key)`, created if new, locked until the transaction ends.
pub async fn lock_key(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    source: &str,
    dedup_key: &str,
    now: i64,
) -> StoreResult<Alert> {
    let ws = ctx.workspace_id.as_uuid();
    let row = alert::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ws),
        source: Set(source.to_owned()),
        dedup_key: Set(dedup_key.to_owned()),
        ticket_id: Set(None),
        state: Set("RESOLVED".into()),
        severity: Set(String::new()),
        occurrences: Set(0),
        last_seen_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
    };
    alert::Entity::insert(row)
        .on_conflict_do_nothing_on([
            alert::Column::WorkspaceId,
            alert::Column::Source,
            alert::Column::DedupKey,
        ])
        .exec(db)
        .await?;
    alert::Entity::find()
        .filter(alert::Column::WorkspaceId.eq(ws))
        .filter(alert::Column::Source.eq(source))
        .filter(alert::Column::DedupKey.eq(dedup_key))
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Saves what the report changed.
pub async fn save(db: &impl ConnectionTrait, a: Alert) -> StoreResult<Alert> {
    let mut m: alert::ActiveModel = a.into();
    m = m.reset_all();
    Ok(m.update(db).await?)
}

const MONITORING: &str = "monitoring@alerts.invalid";

/// The requester of tickets opened by alerts: a per-workspace account that cannot sign in
/// and is never emailed (it is inactive).
pub async fn monitoring_user(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    now: i64,
) -> StoreResult<UserId> {
    if let Some(u) = user::Entity::find()
        .filter(user::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(user::Column::Email.eq(MONITORING))
        .one(db)
        .await?
    {
        return Ok(UserId::from_uuid(u.id));
    }
    let email =
        Email::parse(MONITORING).map_err(|_| StoreError::Corrupt("monitoring email".into()))?;
    let u = users::create(
        db,
        ctx,
        NewUser {
            email,
            name: "Monitoring".into(),
            role: Role::Customer,
            organization_id: None,
            password_hash: None,
        },
        now,
    )
    .await?;
    users::deactivate(db, ctx, UserId::from_uuid(u.id), now).await?;
    Ok(UserId::from_uuid(u.id))
}
