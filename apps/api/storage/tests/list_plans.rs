//! List plans that do not depend on the planner's statistics: a filter on statuses, on
//! several priorities, or both, is merged from one keyset range per value (or pair), each
//! read from an index that serves it in creation order. Checked on the plans themselves,
//! on an empty table whose statistics say nothing, and on PostgreSQL for a workspace that
//! grew after the statistics were taken. On SQLite always; on PostgreSQL too when
//! `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{T0, plan, stores, uid, user, workspace};
use helpdesk_domain::{Priority, Role, TenantCtx, TicketStatus};
use helpdesk_storage::repo::tickets::{self, NewTicket, Sort, TicketFilter};
use helpdesk_storage::{Backend, Store};
use sea_orm::{ConnectionTrait, DbBackend};

/// The plan PostgreSQL makes of `stmt` as a prepared statement in a session that uses
/// generic plans, as `Store::lists` does for merged lists.
async fn generic_plan(store: &Store, stmt: sea_orm::Statement) -> Vec<String> {
    use sea_orm::sea_query::{PostgresQueryBuilder, QueryBuilder};
    let tx = store.begin().await.unwrap();
    tx.execute_unprepared("SET LOCAL plan_cache_mode = force_generic_plan")
        .await
        .unwrap();
    tx.execute_unprepared(&format!("PREPARE merged AS {}", stmt.sql))
        .await
        .unwrap();
    let args: Vec<String> = stmt
        .values
        .iter()
        .flat_map(|v| v.0.iter())
        .map(|v| PostgresQueryBuilder.value_to_string(v))
        .collect();
    let explain = format!("EXPLAIN EXECUTE merged({})", args.join(", "));
    let rows = tx
        .query_all_raw(sea_orm::Statement::from_string(
            DbBackend::Postgres,
            explain,
        ))
        .await
        .unwrap();
    drop(tx);
    rows.iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

/// `n` new tickets of `ctx`'s workspace, a second apart, in one transaction.
async fn open_tickets(store: &Store, ctx: &TenantCtx, n: i64) {
    let tx = store.begin().await.unwrap();
    for i in 0..n {
        let new = NewTicket {
            subject: format!("Ticket {i}"),
            description: "PC Load Letter".into(),
            priority: Priority::Medium,
            requester_id: uid(ctx),
            assignee_id: None,
            organization_id: None,
            asset_id: None,
            tags: Vec::new(),
            channel: "api",
        };
        let at = T0 + i * 1_000_000;
        let draft = tickets::draft(ctx, &new, at);
        tickets::create(&tx, ctx, draft, &[], at).await.unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn several_statuses_or_priorities_read_one_index_range_each() {
    for store in stores().await {
        let b = store.read().get_database_backend();
        let ws = workspace(&store, "Acme").await;
        let g = user(&store, ws, "g@acme.com", Role::Agent, None).await;
        let cases = [
            (
                vec![TicketStatus::New],
                vec![],
                "ix_tickets_ws_status_priority_created",
                4,
            ),
            (
                vec![TicketStatus::New, TicketStatus::Open],
                vec![],
                "ix_tickets_ws_status_priority_created",
                8,
            ),
            (
                vec![TicketStatus::New, TicketStatus::Open],
                vec![Priority::High],
                "ix_tickets_ws_status_priority_created",
                2,
            ),
            (
                vec![],
                vec![Priority::High, Priority::Urgent],
                "ix_tickets_ws_priority_created",
                2,
            ),
        ];
        for (statuses, priorities, index, branches) in cases {
            let f = TicketFilter {
                statuses,
                priorities,
                ..TicketFilter::default()
            };
            let stmt =
                tickets::list_statement(b, &g, &f, Sort::CreatedDesc, None, 25, Default::default());
            let plan = plan(&store, stmt).await;
            let uses = plan.iter().filter(|l| l.contains(index)).count();
            assert_eq!(uses, branches, "{b:?} {f:?}\n{}", plan.join("\n"));
        }
    }
}

/// PostgreSQL's statistics know nothing of a workspace that grew after they were taken;
/// planned for its values, every path is estimated at a row or two and the smallest index
/// wins. Merged lists are planned generically (as `Store::lists` does), which reads each
/// branch in index order whatever the workspace; the page is the newest tickets.
#[tokio::test]
async fn a_workspace_newer_than_the_statistics_is_read_in_index_order() {
    for store in stores().await {
        if store.backend() != Backend::Postgres {
            continue;
        }
        let old = workspace(&store, "Old").await;
        let a = user(&store, old, "a@old.com", Role::Agent, None).await;
        open_tickets(&store, &a, 300).await;
        // What the statistics see: tickets of every status and priority, most closed.
        store
            .write()
            .execute_unprepared(
                "UPDATE tickets SET priority = number % 4 + 1, status = (ARRAY['NEW', 'OPEN', \
                 'PENDING', 'ON_HOLD', 'RESOLVED', 'CLOSED', 'CLOSED', 'CLOSED'])[number % 8 + 1]",
            )
            .await
            .unwrap();
        store.write().execute_unprepared("ANALYZE").await.unwrap();
        let new = workspace(&store, "New").await;
        let g = user(&store, new, "g@new.com", Role::Agent, None).await;
        open_tickets(&store, &g, 600).await;
        let f = TicketFilter {
            statuses: vec![TicketStatus::New, TicketStatus::Open],
            ..TicketFilter::default()
        };
        let b = DbBackend::Postgres;
        let stmt =
            tickets::list_statement(b, &g, &f, Sort::CreatedDesc, None, 25, Default::default());
        let plan = generic_plan(&store, stmt).await;
        let text = plan.join("\n");
        let branches = plan
            .iter()
            .filter(|l| l.contains("ix_tickets_ws_status_priority_created"))
            .count();
        assert_eq!(branches, 8, "{text}");
        // The merge's sort and the page's; none inside a branch.
        let sorts = plan.iter().filter(|l| l.contains("Sort  (")).count();
        assert_eq!(sorts, 2, "{text}");
        let page = tickets::list(&store, &g, &f, Sort::CreatedDesc, None, 25)
            .await
            .unwrap();
        let numbers: Vec<i64> = page.iter().map(|t| t.number).collect();
        assert_eq!(numbers, (575..=600).rev().collect::<Vec<_>>());
    }
}
