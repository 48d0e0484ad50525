//! Report queries at the storage boundary, over a small known history written with
//! explicit instants: tickets created, answered, resolved, reopened and closed, replies,
//! logged time and SLA steps; every figure checked exactly, with its window and its
//! filters (organization, agent, priority), and never another workspace's rows. On SQLite
//! always; on PostgreSQL too when `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{DAY, HOUR, MIN, T0, stores, uid, user, workspace};
use helpdesk_domain::sla::{Metric, Step, StepData, StepKind};
use helpdesk_domain::status_machine::{Lifecycle, lifecycle_after};
use helpdesk_domain::{OrganizationId, Priority, Role, TenantCtx, TicketId, TicketStatus, UserId};
use helpdesk_storage::Store;
use helpdesk_storage::repo::reports::{self, ReportFilter, TimeTotal, Window};
use helpdesk_storage::repo::tickets::{self, NewTicket, Ticket, TicketChanges, TicketRow};
use helpdesk_storage::repo::time_entries::{self, NewTimeEntry};
use helpdesk_storage::repo::{messages, organizations, sla};
use uuid::Uuid;

const W: Window = Window {
    from: T0,
    to: T0 + 7 * DAY,
};

struct Spec {
    priority: Priority,
    assignee: Option<UserId>,
    organization: Option<OrganizationId>,
}

async fn open(
    store: &Store,
    staff: &TenantCtx,
    requester: &TenantCtx,
    s: Spec,
    now: i64,
) -> Ticket {
    let new = NewTicket {
        subject: "Something".into(),
        description: "is broken".into(),
        priority: s.priority,
        requester_id: uid(requester),
        assignee_id: s.assignee,
        organization_id: s.organization,
        asset_id: None,
        tags: Vec::new(),
        channel: "web",
    };
    let tx = store.begin().await.unwrap();
    let draft = tickets::draft(staff, &new, now);
    let t = tickets::create(&tx, staff, draft, &new.tags, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    t
}

fn moved(t: &Ticket, to: TicketStatus, now: i64) -> (TicketStatus, Lifecycle) {
    let before = Lifecycle {
        resolved_at: t.resolved_at,
        closed_at: t.closed_at,
    };
    (to, lifecycle_after(t.status().unwrap(), to, before, now))
}

/// A change as the use cases write it: the versioned update, then the SLA tracker, which
/// also stores the business minutes to the first response and to the resolution.
async fn change(
    store: &Store,
    ctx: &TenantCtx,
    t: &Ticket,
    changes: TicketChanges,
    reply: Option<sla::Reply>,
    now: i64,
) -> Ticket {
    let tx = store.begin().await.unwrap();
    let mut after = tickets::update(&tx, ctx, t, changes, now).await.unwrap();
    sla::track(&tx, ctx, t, &mut after, reply, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    after
}

async fn set_status(
    store: &Store,
    ctx: &TenantCtx,
    t: &Ticket,
    to: TicketStatus,
    now: i64,
) -> Ticket {
    let changes = TicketChanges {
        status: Some(moved(t, to, now)),
        ..TicketChanges::default()
    };
    change(store, ctx, t, changes, None, now).await
}

/// A message by `ctx`, moving the ticket to `to`; a public staff message is the first
/// response when there was none.
async fn reply(
    store: &Store,
    ctx: &TenantCtx,
    t: &Ticket,
    internal: bool,
    to: Option<TicketStatus>,
    now: i64,
) -> Ticket {
    let staff = ctx.role != Role::Customer;
    {
        let tx = store.begin().await.unwrap();
        messages::create(
            &tx,
            ctx,
            TicketId::from_uuid(t.id),
            "words".into(),
            internal,
            now,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let changes = TicketChanges {
        message_text: Some(("words".into(), internal)),
        status: to.map(|to| moved(t, to, now)),
        first_response_at: (staff && !internal && t.first_response_at.is_none()).then_some(now),
        ..TicketChanges::default()
    };
    let kind = match (internal, staff) {
        (true, _) => None,
        (false, true) => Some(sla::Reply::Agent),
        (false, false) => Some(sla::Reply::Customer),
    };
    change(store, ctx, t, changes, kind, now).await
}

async fn log_time(
    store: &Store,
    ctx: &TenantCtx,
    t: &Ticket,
    minutes: i64,
    billable: bool,
    started_at: i64,
) {
    let e = NewTimeEntry {
        minutes,
        billable,
        note: None,
        started_at,
    };
    time_entries::create(store.write(), ctx, TicketId::from_uuid(t.id), e, started_at)
        .await
        .unwrap();
}

fn step(metric: Metric, kind: StepKind, cycle: u32, at: i64, met: Option<bool>) -> Step {
    Step {
        metric,
        kind,
        cycle,
        at,
        data: StepData::default(),
        met,
    }
}

async fn steps(store: &Store, ctx: &TenantCtx, t: &Ticket, s: &[Step]) {
    sla::append(
        store.write(),
        ctx,
        TicketId::from_uuid(t.id),
        s,
        T0 + 8 * DAY,
    )
    .await
    .unwrap();
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

fn org(o: OrganizationId) -> ReportFilter {
    ReportFilter {
        organization: Some(o),
        ..ReportFilter::default()
    }
}

fn agent(a: &TenantCtx) -> ReportFilter {
    ReportFilter {
        agent: Some(uid(a)),
        ..ReportFilter::default()
    }
}

fn priority(p: Priority) -> ReportFilter {
    ReportFilter {
        priority: Some(p),
        ..ReportFilter::default()
    }
}

const ALL: ReportFilter = ReportFilter {
    organization: None,
    agent: None,
    priority: None,
};

/// The known history, and the handles to check it by.
struct History {
    g1: TenantCtx,
    g2: TenantCtx,
    c: TenantCtx,
    o1: OrganizationId,
    o2: OrganizationId,
    /// k1 … k8 in the order the history below introduces them.
    k: Vec<Ticket>,
}

impl History {
    fn ids(&self, which: &[usize]) -> Vec<Uuid> {
        sorted(which.iter().map(|i| self.k[*i - 1].id).collect())
    }
}

/// The history, per ticket (window W = [T0, T0 + 7 days)):
/// - k1 High, g1, O1, created T0+1h; g1 answers T0+1h30 (30 min), the customer replies
///   T0+2h; resolved T0+5h (240 min).
/// - k2 Low, g2, O2, created T0+2h; g2 answers T0+4h (120 min); resolved T0+1d, reopened
///   by the customer T0+2d, a note T0+2d1h, resolved T0+3d, reopened T0+4d, resolved T0+5d
///   (7080 min from creation).
/// - k3 Medium, g1, no organization, created T0+3h; stays NEW.
/// - k4 High, g2, O1, created T0-1d (before W); answered T0-1d+1h; resolved T0+6h
///   (1800 min); closed T0+1d (not a reopening).
/// - k5 Urgent, g1, O2, created T0+7d (the end of W, outside); PENDING at T0+7d+1h.
/// - k6 Medium, unassigned, O1, created T0 (the start of W, inside); a public message by
///   the system T0+5h (no author, but staff: the first response, 300 min); ON_HOLD T0+6h.
/// - k7 Medium, g2, no organization, created T0+4h; stays NEW.
/// - k8 Low, g2, no organization, created T0+5h; stays NEW.
///
/// Another workspace has a ticket, a reply, logged time and an SLA breach inside W.
async fn history(store: &Store) -> History {
    let ws = workspace(store, "Acme").await;
    let admin = user(store, ws, "a@acme.com", Role::Admin, None).await;
    let g1 = user(store, ws, "g1@acme.com", Role::Agent, None).await;
    let g2 = user(store, ws, "g2@acme.com", Role::Agent, None).await;
    let c = user(store, ws, "c@client.com", Role::Customer, None).await;
    let o1 = organizations::create(store.write(), &admin, "One".into(), Default::default(), T0)
        .await
        .unwrap();
    let o1 = OrganizationId::from_uuid(o1.row.id);
    let o2 = organizations::create(store.write(), &admin, "Two".into(), Default::default(), T0)
        .await
        .unwrap();
    let o2 = OrganizationId::from_uuid(o2.row.id);
    let spec = |priority, assignee: Option<&TenantCtx>, organization| Spec {
        priority,
        assignee: assignee.map(uid),
        organization,
    };
    use TicketStatus::*;

    let k1 = open(
        store,
        &g1,
        &c,
        spec(Priority::High, Some(&g1), Some(o1)),
        T0 + HOUR,
    )
    .await;
    let k1 = reply(store, &g1, &k1, false, Some(Open), T0 + HOUR + 30 * MIN).await;
    let k1 = reply(store, &c, &k1, false, None, T0 + 2 * HOUR).await;
    let k1 = set_status(store, &g1, &k1, Resolved, T0 + 5 * HOUR).await;

    let k2 = open(
        store,
        &g2,
        &c,
        spec(Priority::Low, Some(&g2), Some(o2)),
        T0 + 2 * HOUR,
    )
    .await;
    let k2 = reply(store, &g2, &k2, false, Some(Open), T0 + 4 * HOUR).await;
    let k2 = set_status(store, &g2, &k2, Resolved, T0 + DAY).await;
    let k2 = reply(store, &c, &k2, false, Some(Open), T0 + 2 * DAY).await;
    let k2 = reply(store, &g2, &k2, true, None, T0 + 2 * DAY + HOUR).await;
    let k2 = set_status(store, &g2, &k2, Resolved, T0 + 3 * DAY).await;
    let k2 = reply(store, &c, &k2, false, Some(Open), T0 + 4 * DAY).await;
    let k2 = set_status(store, &g2, &k2, Resolved, T0 + 5 * DAY).await;

    let k3 = open(
        store,
        &g1,
        &c,
        spec(Priority::Medium, Some(&g1), None),
        T0 + 3 * HOUR,
    )
    .await;

    let k4 = open(
        store,
        &g2,
        &c,
        spec(Priority::High, Some(&g2), Some(o1)),
        T0 - DAY,
    )
    .await;
    let k4 = reply(store, &g2, &k4, false, Some(Open), T0 - DAY + HOUR).await;
    let k4 = set_status(store, &g2, &k4, Resolved, T0 + 6 * HOUR).await;
    let k4 = set_status(store, &g2, &k4, Closed, T0 + DAY).await;

    let k5 = open(
        store,
        &g1,
        &c,
        spec(Priority::Urgent, Some(&g1), Some(o2)),
        T0 + 7 * DAY,
    )
    .await;
    let k5 = set_status(store, &g1, &k5, Pending, T0 + 7 * DAY + HOUR).await;

    let k6 = open(
        store,
        &admin,
        &c,
        spec(Priority::Medium, None, Some(o1)),
        T0,
    )
    .await;
    let system = TenantCtx::system(ws);
    let k6 = reply(store, &system, &k6, false, None, T0 + 5 * HOUR).await;
    let k6 = set_status(store, &admin, &k6, OnHold, T0 + 6 * HOUR).await;

    let k7 = open(
        store,
        &g2,
        &c,
        spec(Priority::Medium, Some(&g2), None),
        T0 + 4 * HOUR,
    )
    .await;
    let k8 = open(
        store,
        &g2,
        &c,
        spec(Priority::Low, Some(&g2), None),
        T0 + 5 * HOUR,
    )
    .await;

    // Logged time, by `started_at`.
    log_time(store, &g1, &k1, 30, true, T0 + HOUR).await;
    log_time(store, &g1, &k1, 15, false, T0 + 2 * HOUR).await;
    log_time(store, &g1, &k1, 10, true, T0 + 6 * DAY).await;
    log_time(store, &g1, &k3, 20, true, T0 + 3 * DAY).await;
    log_time(store, &g2, &k2, 45, true, T0 + DAY).await;
    log_time(store, &g2, &k2, 5, true, T0 + 7 * DAY).await;
    log_time(store, &g2, &k4, 10, true, T0 - HOUR).await;
    log_time(store, &g2, &k4, 25, false, T0).await;

    // SLA steps: met and breached cycles, and steps that decide nothing.
    use Metric::*;
    use StepKind::*;
    steps(
        store,
        &g1,
        &k1,
        &[
            step(Resolution, Applied, 0, T0 + HOUR, None),
            step(FirstResponse, Warned, 0, T0 + HOUR + 20 * MIN, None),
            step(
                FirstResponse,
                Fulfilled,
                0,
                T0 + HOUR + 30 * MIN,
                Some(true),
            ),
            step(Resolution, Fulfilled, 0, T0 + 5 * HOUR, Some(true)),
        ],
    )
    .await;
    steps(
        store,
        &g2,
        &k2,
        &[
            step(FirstResponse, Breached, 0, T0 + 3 * HOUR, None),
            step(FirstResponse, Fulfilled, 0, T0 + 4 * HOUR, Some(false)),
            step(Resolution, Fulfilled, 0, T0 + DAY, Some(true)),
            step(NextResponse, Breached, 0, T0 + 2 * DAY + HOUR, None),
            step(NextResponse, Breached, 1, T0 + 7 * DAY, None),
        ],
    )
    .await;
    // The same breach written twice counts once.
    let twice = step(FirstResponse, Breached, 0, T0 + DAY, None);
    steps(store, &g1, &k3, &[twice.clone(), twice]).await;
    steps(
        store,
        &g2,
        &k4,
        &[
            step(Resolution, Breached, 0, T0 - HOUR, None),
            step(Resolution, Fulfilled, 0, T0 + 6 * HOUR, Some(false)),
        ],
    )
    .await;

    // The other workspace.
    let other = workspace(store, "Other").await;
    let gb = user(store, other, "g@other.com", Role::Agent, None).await;
    let cb = user(store, other, "c@other.com", Role::Customer, None).await;
    let kb = open(
        store,
        &gb,
        &cb,
        spec(Priority::High, Some(&gb), None),
        T0 + HOUR,
    )
    .await;
    let kb = reply(store, &gb, &kb, false, Some(Open), T0 + 2 * HOUR).await;
    let kb = set_status(store, &gb, &kb, Resolved, T0 + 3 * HOUR).await;
    let kb = reply(store, &cb, &kb, false, Some(Open), T0 + 4 * HOUR).await;
    log_time(store, &gb, &kb, 60, true, T0 + HOUR).await;
    steps(
        store,
        &gb,
        &kb,
        &[step(FirstResponse, Breached, 0, T0 + HOUR, None)],
    )
    .await;

    History {
        g1,
        g2,
        c,
        o1,
        o2,
        k: vec![k1, k2, k3, k4, k5, k6, k7, k8],
    }
}

fn ids(rows: &[reports::ReportTicket]) -> Vec<Uuid> {
    sorted(rows.iter().map(|r| r.id).collect())
}

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
