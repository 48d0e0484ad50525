//! The known history the report tests check: a small workspace's tickets created,
//! answered, resolved, reopened and closed, replies, logged time and SLA steps, written with
//! explicit instants, and another workspace's rows that no report may show; with the
//! helpers that write it and the filters the tests apply.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use crate::common::{DAY, HOUR, MIN, T0, create_ticket, uid, user, workspace};
use helpdesk_domain::sla::{Metric, Step, StepData, StepKind};
use helpdesk_domain::status_machine::{Lifecycle, lifecycle_after};
use helpdesk_domain::{OrganizationId, Priority, Role, TenantCtx, TicketId, TicketStatus, UserId};
use helpdesk_storage::Store;
use helpdesk_storage::repo::reports::{self, ReportFilter, Window};
use helpdesk_storage::repo::tickets::{self, NewTicket, Ticket, TicketChanges, TicketRow};
use helpdesk_storage::repo::time_entries::{self, NewTimeEntry};
use helpdesk_storage::repo::{messages, organizations, sla};
use uuid::Uuid;

pub const W: Window = Window {
    from: T0,
    to: T0 + 7 * DAY,
};

pub struct Spec {
    pub priority: Priority,
    pub assignee: Option<UserId>,
    pub organization: Option<OrganizationId>,
}

pub async fn open(
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
    create_ticket(store, staff, &new, now).await
}

pub fn moved(t: &Ticket, to: TicketStatus, now: i64) -> (TicketStatus, Lifecycle) {
    let before = Lifecycle {
        resolved_at: t.resolved_at,
        closed_at: t.closed_at,
    };
    (to, lifecycle_after(t.status().unwrap(), to, before, now))
}

/// A change as the use cases write it: the versioned update, then the SLA tracker, which
/// also stores the business minutes to the first response and to the resolution.
pub async fn change(
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

pub async fn set_status(
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
pub async fn reply(
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

pub async fn log_time(
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

pub fn step(metric: Metric, kind: StepKind, cycle: u32, at: i64, met: Option<bool>) -> Step {
    Step {
        metric,
        kind,
        cycle,
        at,
        data: StepData::default(),
        met,
    }
}

pub async fn steps(store: &Store, ctx: &TenantCtx, t: &Ticket, s: &[Step]) {
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

pub fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

pub fn org(o: OrganizationId) -> ReportFilter {
    ReportFilter {
        organization: Some(o),
        ..ReportFilter::default()
    }
}

pub fn agent(a: &TenantCtx) -> ReportFilter {
    ReportFilter {
        agent: Some(uid(a)),
        ..ReportFilter::default()
    }
}

pub fn priority(p: Priority) -> ReportFilter {
    ReportFilter {
        priority: Some(p),
        ..ReportFilter::default()
    }
}

pub const ALL: ReportFilter = ReportFilter {
    organization: None,
    agent: None,
    priority: None,
};

/// The known history, and the handles to check it by.
pub struct History {
    pub g1: TenantCtx,
    pub g2: TenantCtx,
    pub c: TenantCtx,
    pub o1: OrganizationId,
    pub o2: OrganizationId,
    /// k1 … k8 in the order the history below introduces them.
    pub k: Vec<Ticket>,
}

impl History {
    pub fn ids(&self, which: &[usize]) -> Vec<Uuid> {
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
pub async fn history(store: &Store) -> History {
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

pub fn ids(rows: &[reports::ReportTicket]) -> Vec<Uuid> {
    sorted(rows.iter().map(|r| r.id).collect())
}
