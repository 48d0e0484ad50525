//! Work in a window: public replies by author, and logged minutes by author, organization
//! and billability.

use helpdesk_domain::TenantCtx;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use uuid::Uuid;

use super::{ReportFilter, Window, scope, t, tcol};
use crate::error::StoreResult;

/// Public messages per author written in `w` on the filtered tickets.
pub async fn replies_by_author(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    f: &ReportFilter,
    w: Window,
) -> StoreResult<Vec<(Uuid, i64)>> {
    let m = Alias::new("m");
    let mcol = |c: &str| Expr::col((Alias::new("m"), Alias::new(c)));
    let mut q = Query::select();
    q.column((m.clone(), Alias::new("author_id")))
        .expr_as(Expr::cust("count(*)"), Alias::new("n"))
        .from_as(Alias::new("ticket_messages"), m.clone())
        .join_as(
            JoinType::InnerJoin,
            Alias::new("tickets"),
            t(),
            tcol("id").equals((m.clone(), Alias::new("ticket_id"))),
        )
        .and_where(mcol("workspace_id").eq(ctx.workspace_id.as_uuid()))
        .and_where(mcol("internal").eq(false))
        .and_where(mcol("author_id").is_not_null())
        .and_where(mcol("created_at").gte(w.from))
        .and_where(mcol("created_at").lt(w.to))
        .group_by_col((m, Alias::new("author_id")));
    scope(&mut q, ctx.workspace_id.as_uuid(), f);
    db.query_all(&q)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "author_id")?, r.try_get("", "n")?)))
        .collect()
}

/// Minutes logged (by `started_at`) in a window, per author, organization and
/// billability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeTotal {
    pub author_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub billable: bool,
    pub minutes: i64,
}

pub async fn time_totals(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
    f: &ReportFilter,
    w: Window,
) -> StoreResult<Vec<TimeTotal>> {
    let e = Alias::new("te");
    let ecol = |c: &str| Expr::col((Alias::new("te"), Alias::new(c)));
    let mut q = Query::select();
    q.column((e.clone(), Alias::new("author_id")))
        .column((t(), Alias::new("organization_id")))
        .column((e.clone(), Alias::new("billable")))
        .expr_as(
            Expr::cust("CAST(sum(te.minutes) AS BIGINT)"),
            Alias::new("total"),
        )
        .from_as(Alias::new("time_entries"), e.clone())
        .join_as(
            JoinType::InnerJoin,
            Alias::new("tickets"),
            t(),
            tcol("id").equals((e.clone(), Alias::new("ticket_id"))),
        )
        .and_where(ecol("workspace_id").eq(ctx.workspace_id.as_uuid()))
        .and_where(ecol("started_at").gte(w.from))
        .and_where(ecol("started_at").lt(w.to))
        .group_by_col((e.clone(), Alias::new("author_id")))
        .group_by_col((t(), Alias::new("organization_id")))
        .group_by_col((e, Alias::new("billable")));
    scope(&mut q, ctx.workspace_id.as_uuid(), f);
    db.query_all(&q)
        .await?
        .iter()
        .map(|r| {
            Ok(TimeTotal {
                author_id: r.try_get("", "author_id")?,
                organization_id: r.try_get("", "organization_id")?,
                billable: r.try_get("", "billable")?,
                minutes: r.try_get("", "total")?,
            })
        })
        .collect()
}

/// The workspace's staff (agents and admins): `(id, name, email)`, by name.
pub async fn staff(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
) -> StoreResult<Vec<(Uuid, String, String)>> {
    use crate::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    Ok(user::Entity::find()
        .filter(user::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .filter(user::Column::Role.is_in(["AGENT", "ADMIN"]))
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name, u.email))
        .collect())
}

/// The workspace's organizations: `(id, name)`, by name.
pub async fn organizations(
    db: &impl ConnectionTrait,
    ctx: &TenantCtx,
) -> StoreResult<Vec<(Uuid, String)>> {
    use crate::entities::organization;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    Ok(organization::Entity::find()
        .filter(organization::Column::WorkspaceId.eq(ctx.workspace_id.as_uuid()))
        .order_by_asc(organization::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}
