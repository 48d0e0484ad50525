//! Reply, logged-time and SLA report figures at the storage boundary, over the known
//! history of `report_history`: every figure checked exactly, with its window and its
//! filters, and never another workspace's rows. On SQLite always; on PostgreSQL too when
//! `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod report_history;

use common::{DAY, T0, stores, uid};
use helpdesk_domain::{OrganizationId, Priority};
use helpdesk_storage::repo::reports::{self, ReportFilter, TimeTotal, Window};
use report_history::*;
use uuid::Uuid;
#[tokio::test]
async fn replies_time_and_sla_with_windows_and_filters() {
    for store in stores().await {
        let b = store.backend();
        let h = history(&store).await;
        let db = reports::snapshot(&store).await.unwrap();
        let ctx = &h.g2;
        let (g1, g2, c) = (
            uid(&h.g1).as_uuid(),
            uid(&h.g2).as_uuid(),
            uid(&h.c).as_uuid(),
        );

        // Public messages with an author, by when they were written.
        let replies = |f: ReportFilter, w: Window| {
            let db = &db;
            async move { sorted(reports::replies_by_author(db, ctx, &f, w).await.unwrap()) }
        };
        assert_eq!(
            replies(ALL, W).await,
            sorted(vec![(g1, 1), (g2, 1), (c, 3)]),
            "{b:?}"
        );
        assert_eq!(
            replies(org(h.o1), W).await,
            sorted(vec![(g1, 1), (c, 1)]),
            "{b:?}"
        );
        assert_eq!(
            replies(agent(&h.g2), W).await,
            sorted(vec![(g2, 1), (c, 2)]),
            "{b:?}"
        );
        assert_eq!(
            replies(priority(Priority::Low), W).await,
            sorted(vec![(g2, 1), (c, 2)]),
            "{b:?}"
        );
        assert!(
            replies(priority(Priority::Medium), W).await.is_empty(),
            "{b:?}"
        );
        assert_eq!(
            replies(
                ALL,
                Window {
                    from: T0 + 2 * DAY,
                    to: T0 + 7 * DAY
                }
            )
            .await,
            vec![(c, 2)],
            "{b:?}"
        );
        assert_eq!(
            replies(
                ALL,
                Window {
                    from: T0 - DAY,
                    to: T0
                }
            )
            .await,
            vec![(g2, 1)],
            "{b:?}"
        );

        // Logged minutes by author, organization and billability, by `started_at`.
        let time = |f: ReportFilter, w: Window| {
            let db = &db;
            async move {
                let mut v = reports::time_totals(db, ctx, &f, w).await.unwrap();
                v.sort_by_key(|t| (t.author_id, t.organization_id, t.billable));
                v
            }
        };
        let tt =
            |author: Uuid, org: Option<OrganizationId>, billable: bool, minutes: i64| TimeTotal {
                author_id: Some(author),
                organization_id: org.map(|o| o.as_uuid()),
                billable,
                minutes,
            };
        let expect = |mut v: Vec<TimeTotal>| {
            v.sort_by_key(|t| (t.author_id, t.organization_id, t.billable));
            v
        };
        let (o1, o2) = (Some(h.o1), Some(h.o2));
        assert_eq!(
            time(ALL, W).await,
            expect(vec![
                tt(g1, o1, true, 40),
                tt(g1, o1, false, 15),
                tt(g1, None, true, 20),
                tt(g2, o2, true, 45),
                tt(g2, o1, false, 25),
            ]),
            "{b:?}"
        );
        assert_eq!(
            time(org(h.o1), W).await,
            expect(vec![
                tt(g1, o1, true, 40),
                tt(g1, o1, false, 15),
                tt(g2, o1, false, 25)
            ]),
            "{b:?}"
        );
        assert_eq!(
            time(agent(&h.g1), W).await,
            expect(vec![
                tt(g1, o1, true, 40),
                tt(g1, o1, false, 15),
                tt(g1, None, true, 20)
            ]),
            "{b:?}"
        );
        assert_eq!(
            time(priority(Priority::High), W).await,
            expect(vec![
                tt(g1, o1, true, 40),
                tt(g1, o1, false, 15),
                tt(g2, o1, false, 25)
            ]),
            "{b:?}"
        );
        assert_eq!(
            time(priority(Priority::Low), W).await,
            vec![tt(g2, o2, true, 45)],
            "{b:?}"
        );
        assert_eq!(
            time(
                ALL,
                Window {
                    from: T0 + 6 * DAY,
                    to: T0 + 8 * DAY
                }
            )
            .await,
            expect(vec![tt(g1, o1, true, 10), tt(g2, o2, true, 5)]),
            "{b:?}"
        );

        // SLA cycles decided in the window: (metric, met, cycles).
        let counts = |f: ReportFilter, w: Window| {
            let db = &db;
            async move { sorted(reports::sla_counts(db, ctx, &f, w).await.unwrap()) }
        };
        let n = |m: &str, met: bool, k: i64| (m.to_owned(), met, k);
        assert_eq!(
            counts(ALL, W).await,
            vec![
                n("first_response", false, 2),
                n("first_response", true, 1),
                n("next_response", false, 1),
                n("resolution", true, 2),
            ],
            "{b:?}"
        );
        assert_eq!(
            counts(agent(&h.g1), W).await,
            vec![
                n("first_response", false, 1),
                n("first_response", true, 1),
                n("resolution", true, 1)
            ],
            "{b:?}"
        );
        assert_eq!(
            counts(org(h.o2), W).await,
            vec![
                n("first_response", false, 1),
                n("next_response", false, 1),
                n("resolution", true, 1)
            ],
            "{b:?}"
        );
        assert_eq!(
            counts(priority(Priority::Medium), W).await,
            vec![n("first_response", false, 1)],
            "{b:?}"
        );
        assert!(
            counts(priority(Priority::Urgent), W).await.is_empty(),
            "{b:?}"
        );
        assert_eq!(
            counts(
                ALL,
                Window {
                    from: T0 + DAY,
                    to: T0 + 7 * DAY + 1
                }
            )
            .await,
            vec![
                n("first_response", false, 1),
                n("next_response", false, 2),
                n("resolution", true, 1)
            ],
            "{b:?}"
        );
        // The per-cycle rows agree with the counts.
        let mut outcomes: Vec<(Uuid, String, bool)> = Vec::new();
        reports::sla_outcomes(&db, ctx, &ALL, W, |o| {
            outcomes.push((o.ticket_id, o.metric, o.met))
        })
        .await
        .unwrap();
        outcomes.sort();
        let k = |i: usize| h.k[i - 1].id;
        let mut expected = vec![
            (k(1), "first_response".to_owned(), true),
            (k(1), "resolution".to_owned(), true),
            (k(2), "first_response".to_owned(), false),
            (k(2), "next_response".to_owned(), false),
            (k(2), "resolution".to_owned(), true),
            (k(3), "first_response".to_owned(), false),
        ];
        expected.sort();
        assert_eq!(outcomes, expected, "{b:?}");
        db.commit().await.unwrap();
    }
}
