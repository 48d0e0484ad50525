//! List plans that do not depend on the planner's statistics: a filter on statuses, on
//! several priorities, or both, is merged from one keyset range per value (or pair), each
//! read from an index that serves it in creation order. Checked on the plans themselves,
//! on an empty table whose statistics say nothing. On SQLite always; on PostgreSQL too
//! when `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{plan, stores, user, workspace};
use helpdesk_domain::{Priority, Role, TicketStatus};
use helpdesk_storage::repo::tickets::{self, Sort, TicketFilter};

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
