//! Repositories: one module per aggregate, free functions over any connection or transaction.

pub mod alerts;
pub mod api_keys;
pub mod assets;
pub mod attachments;
pub mod automations;
pub mod bounces;
pub mod business_hours;
pub mod contracts;
pub mod csat;
pub mod events;
pub mod idempotency;
pub mod inbound;
pub mod jobs;
pub mod links;
pub mod macros;
pub mod mail_bodies;
pub mod mail_fetch;
pub mod mailboxes;
pub mod maintenance;
pub mod messages;
pub mod notify_addresses;
pub mod organizations;
pub mod outbox;
pub mod participants;
pub mod reports;
pub mod saved_views;
pub mod schedule;
pub mod sessions;
pub mod sla;
pub mod sla_policies;
pub mod tickets;
pub mod time_entries;
pub mod tokens;
pub mod users;
pub mod webhooks;
pub mod workspaces;

/// A keyset page request: rows after `after` (by id), at most `limit`. Repositories fetch
/// `limit + 1` rows so the caller can tell whether another page exists.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: u64,
    pub after: Option<uuid::Uuid>,
}

/// `lower(expr) LIKE '%q%'` with `q` lower-cased and its wildcards escaped.
pub(crate) fn contains(
    expr: sea_orm::sea_query::SimpleExpr,
    q: &str,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
    let escaped: String = q
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    Expr::expr(Func::lower(expr)).like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}
