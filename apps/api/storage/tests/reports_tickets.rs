//! Ticket report figures at the storage boundary (created, resolved, reopened, backlog,
//! durations), over the known history of `report_history`: every figure checked exactly,
//! with its window and its filters (organization, agent, priority), and never another
//! workspace's rows. On SQLite always; on PostgreSQL too when `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod report_history;

use common::{DAY, HOUR, MIN, T0, stores};
use helpdesk_domain::Priority;
use helpdesk_storage::repo::reports::{self, ReportFilter, Window};
use report_history::*;
#[tokio::test]
async fn ticket_figures_with_windows_and_filters() {
    for store in stores().await {
        let b = store.backend();
        let h = history(&store).await;
        let db = reports::snapshot(&store).await.unwrap();
        let g1 = &h.g1;

        // The history is what the helpers were meant to write.
        let [k1, k2, _, k4, ..] = &h.k[..] else {
            unreachable!()
        };
        assert_eq!(
            (k1.first_response_at, k1.resolved_at),
            (Some(T0 + HOUR + 30 * MIN), Some(T0 + 5 * HOUR))
        );
        assert_eq!(
            (k2.status.as_str(), k2.resolved_at),
            ("RESOLVED", Some(T0 + 5 * DAY))
        );
        assert_eq!(
            (k4.status.as_str(), k4.resolved_at, k4.closed_at),
            ("CLOSED", Some(T0 + 6 * HOUR), Some(T0 + DAY))
        );

        // Created in [from, to): k1 k2 k3 k6 k7 k8.
        let count = |f: ReportFilter, w: Window| {
            let db = &db;
            async move { reports::created_count(db, g1, &f, w).await.unwrap() }
        };
        assert_eq!(count(ALL, W).await, 6, "{b:?}");
        assert_eq!(count(org(h.o1), W).await, 2, "{b:?}");
        assert_eq!(count(org(h.o2), W).await, 1, "{b:?}");
        assert_eq!(count(agent(&h.g1), W).await, 2, "{b:?}");
        assert_eq!(count(agent(&h.g2), W).await, 3, "{b:?}");
        assert_eq!(count(priority(Priority::High), W).await, 1, "{b:?}");
        assert_eq!(count(priority(Priority::Medium), W).await, 3, "{b:?}");
        assert_eq!(count(priority(Priority::Low), W).await, 2, "{b:?}");
        assert_eq!(count(priority(Priority::Urgent), W).await, 0, "{b:?}");
        let o1_medium = ReportFilter {
            organization: Some(h.o1),
            priority: Some(Priority::Medium),
            agent: None,
        };
        assert_eq!(count(o1_medium, W).await, 1, "{b:?}");
        let later = Window {
            from: T0 + 3 * HOUR,
            to: T0 + 7 * DAY + 1,
        };
        assert_eq!(count(ALL, later).await, 4, "{b:?}: k3 k5 k7 k8");
        assert_eq!(
            count(
                ALL,
                Window {
                    from: T0 + 1,
                    to: T0 + HOUR
                }
            )
            .await,
            0,
            "{b:?}"
        );

        let mut created = Vec::new();
        reports::created_in(&db, g1, &ALL, W, |t| created.push(t))
            .await
            .unwrap();
        assert_eq!(ids(&created), h.ids(&[1, 2, 3, 6, 7, 8]), "{b:?}");
        let mut resolved = Vec::new();
        reports::resolved_in(&db, g1, &ALL, W, |t| resolved.push(t))
            .await
            .unwrap();
        assert_eq!(ids(&resolved), h.ids(&[1, 2, 4]), "{b:?}");

        // Durations: to the first response by creation in W, to the resolution by its
        // latest instant in W; stored business minutes on an always-open calendar.
        let durations = |f: ReportFilter, w: Window, resolved: bool| {
            let db = &db;
            async move {
                let mut rows = Vec::new();
                reports::durations(db, g1, &f, w, resolved, |d| rows.push(d))
                    .await
                    .unwrap();
                sorted(rows)
            }
        };
        let first = |f, w| durations(f, w, false);
        let res = |f, w| durations(f, w, true);
        let d1 = (T0 + HOUR, T0 + HOUR + 30 * MIN, Some(30));
        let d2 = (T0 + 2 * HOUR, T0 + 4 * HOUR, Some(120));
        // k6's public message by the system is a staff message, hence its first response.
        let d6 = (T0, T0 + 5 * HOUR, Some(300));
        assert_eq!(first(ALL, W).await, vec![d6, d1, d2], "{b:?}");
        assert_eq!(first(agent(&h.g2), W).await, vec![d2], "{b:?}");
        assert_eq!(first(org(h.o1), W).await, vec![d6, d1], "{b:?}");
        assert_eq!(
            first(priority(Priority::Medium), W).await,
            vec![d6],
            "{b:?}"
        );
        assert!(
            first(priority(Priority::Urgent), W).await.is_empty(),
            "{b:?}"
        );
        let r1 = (T0 + HOUR, T0 + 5 * HOUR, Some(240));
        let r2 = (T0 + 2 * HOUR, T0 + 5 * DAY, Some(5 * 1440 - 120));
        let r4 = (T0 - DAY, T0 + 6 * HOUR, Some(1440 + 360));
        assert_eq!(res(ALL, W).await, vec![r4, r1, r2], "{b:?}");
        assert_eq!(res(org(h.o1), W).await, vec![r4, r1], "{b:?}");
        assert_eq!(res(agent(&h.g2), W).await, vec![r4, r2], "{b:?}");
        assert_eq!(res(priority(Priority::Low), W).await, vec![r2], "{b:?}");
        let early = Window {
            from: T0,
            to: T0 + 5 * DAY,
        };
        assert_eq!(res(ALL, early).await, vec![r4, r1], "{b:?}");
        assert_eq!(
            first(
                ALL,
                Window {
                    from: T0 - DAY,
                    to: T0
                }
            )
            .await,
            vec![(T0 - DAY, T0 - DAY + HOUR, Some(60))],
            "{b:?}"
        );

        // Reopened: k2 twice in W, counted once; k4's closing is not a reopening.
        let reopened = |f: ReportFilter, w: Window| {
            let db = &db;
            async move {
                let mut rows = Vec::new();
                reports::reopened_in(db, g1, &f, w, |t| rows.push(t))
                    .await
                    .unwrap();
                ids(&rows)
            }
        };
        assert_eq!(reopened(ALL, W).await, h.ids(&[2]), "{b:?}");
        assert_eq!(reopened(agent(&h.g2), W).await, h.ids(&[2]), "{b:?}");
        assert!(reopened(agent(&h.g1), W).await.is_empty(), "{b:?}");
        assert!(reopened(org(h.o1), W).await.is_empty(), "{b:?}");
        assert_eq!(
            reopened(
                ALL,
                Window {
                    from: T0 + 4 * DAY,
                    to: T0 + 4 * DAY + 1
                }
            )
            .await,
            h.ids(&[2]),
            "{b:?}"
        );
        assert!(
            reopened(
                ALL,
                Window {
                    from: T0 + 4 * DAY + 1,
                    to: T0 + 7 * DAY
                }
            )
            .await
            .is_empty(),
            "{b:?}"
        );
        assert!(
            reopened(
                ALL,
                Window {
                    from: T0 + 2 * DAY + 1,
                    to: T0 + 4 * DAY
                }
            )
            .await
            .is_empty(),
            "{b:?}"
        );

        // Backlog now: (status, priority, count), whatever the window.
        let backlog = |f: ReportFilter| {
            let db = &db;
            async move { sorted(reports::backlog(db, g1, &f).await.unwrap()) }
        };
        let row = |s: &str, p: Priority, n: i64| (s.to_owned(), p.rank(), n);
        assert_eq!(
            backlog(ALL).await,
            vec![
                row("NEW", Priority::Low, 1),
                row("NEW", Priority::Medium, 2),
                row("ON_HOLD", Priority::Medium, 1),
                row("PENDING", Priority::Urgent, 1),
            ],
            "{b:?}"
        );
        assert_eq!(
            backlog(agent(&h.g1)).await,
            vec![
                row("NEW", Priority::Medium, 1),
                row("PENDING", Priority::Urgent, 1)
            ],
            "{b:?}"
        );
        assert_eq!(
            backlog(org(h.o1)).await,
            vec![row("ON_HOLD", Priority::Medium, 1)],
            "{b:?}"
        );
        assert_eq!(
            backlog(priority(Priority::Low)).await,
            vec![row("NEW", Priority::Low, 1)],
            "{b:?}"
        );
        assert!(backlog(priority(Priority::High)).await.is_empty(), "{b:?}");
        // Its rows come ordered by status.
        let statuses: Vec<String> = reports::backlog(&db, g1, &ALL)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(statuses, ["NEW", "NEW", "ON_HOLD", "PENDING"], "{b:?}");
        db.commit().await.unwrap();
    }
}
