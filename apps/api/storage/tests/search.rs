//! Full-text ticket search at the storage boundary: words in the subject, the description
//! and the messages; internal notes for staff only; the same ordered results from both
//! SQLite plans, through every sort and page; never another workspace's tickets. On
//! SQLite always; on PostgreSQL too when `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{MIN, T0, create_ticket, stores, uid, user, workspace};
use helpdesk_domain::{Priority, Role, TenantCtx, TicketId};
use helpdesk_storage::repo::messages;
use helpdesk_storage::repo::tickets::{
    self, Cursor, NewTicket, SearchPlan, Sort, Ticket, TicketChanges, TicketFilter,
};
use helpdesk_storage::{Backend, Store};
use uuid::Uuid;

async fn open(
    store: &Store,
    staff: &TenantCtx,
    requester: &TenantCtx,
    subject: &str,
    description: &str,
    priority: Priority,
    now: i64,
) -> Ticket {
    let new = NewTicket {
        subject: subject.into(),
        description: description.into(),
        priority,
        requester_id: uid(requester),
        assignee_id: None,
        organization_id: None,
        asset_id: None,
        tags: Vec::new(),
        channel: "web",
    };
    create_ticket(store, staff, &new, now).await
}

/// A message as the reply use case writes it: the row, and the ticket update that folds
/// its text into the search vectors (PostgreSQL) and bumps the version.
async fn post(
    store: &Store,
    ctx: &TenantCtx,
    t: Ticket,
    body: &str,
    internal: bool,
    now: i64,
) -> Ticket {
    let tx = store.begin().await.unwrap();
    let id = TicketId::from_uuid(t.id);
    messages::create(&tx, ctx, id, body.into(), internal, now)
        .await
        .unwrap();
    let changes = TicketChanges {
        message_text: Some((body.into(), internal)),
        ..TicketChanges::default()
    };
    let t = tickets::update(&tx, ctx, &t, changes, now).await.unwrap();
    tx.commit().await.unwrap();
    t
}

/// One page of a search. On SQLite both plans run and must agree with each other and
/// with `list`, which picks the plan itself.
async fn page(
    store: &Store,
    ctx: &TenantCtx,
    f: &TicketFilter,
    sort: Sort,
    after: Option<Cursor>,
    limit: u64,
) -> Vec<Ticket> {
    let db = store.read();
    let listed = tickets::list(store, ctx, f, sort, after, limit)
        .await
        .unwrap();
    if store.backend() == Backend::Sqlite {
        for plan in [SearchPlan::FewMatches, SearchPlan::ManyMatches] {
            let q =
                tickets::list_query(db.get_database_backend(), ctx, f, sort, after, limit, plan);
            let rows = q.all(db).await.unwrap();
            assert_eq!(
                rows.iter().map(|t| t.id).collect::<Vec<_>>(),
                listed.iter().map(|t| t.id).collect::<Vec<_>>(),
                "{plan:?} for {:?} sorted {sort:?}",
                f.words
            );
        }
        if sort == Sort::CreatedDesc && !f.words.is_empty() {
            let walked = tickets::newest_matches(db, ctx, f, after, limit)
                .await
                .unwrap();
            assert_eq!(
                walked.iter().map(|t| t.id).collect::<Vec<_>>(),
                listed.iter().map(|t| t.id).collect::<Vec<_>>(),
                "the walk for {:?}",
                f.words
            );
        }
    }
    listed
}

/// The ids of every match in `sort` order, read whole and again one row per page: both
/// must agree.
async fn search_sorted(store: &Store, ctx: &TenantCtx, words: &[&str], sort: Sort) -> Vec<Uuid> {
    let f = TicketFilter {
        words: words.iter().map(|w| w.to_string()).collect(),
        ..TicketFilter::default()
    };
    let whole: Vec<Uuid> = page(store, ctx, &f, sort, None, 50)
        .await
        .iter()
        .map(|t| t.id)
        .collect();
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let rows = page(store, ctx, &f, sort, after, 1).await;
        let Some(first) = rows.first() else { break };
        paged.push(first.id);
        if rows.len() < 2 {
            break;
        }
        after = Some(Cursor::after(first, sort));
    }
    assert_eq!(paged, whole, "pages of {words:?} sorted {sort:?}");
    whole
}

async fn search(store: &Store, ctx: &TenantCtx, words: &[&str]) -> Vec<Uuid> {
    search_sorted(store, ctx, words, Sort::CreatedDesc).await
}

fn ids(ts: &[&Ticket]) -> Vec<Uuid> {
    ts.iter().map(|t| t.id).collect()
}

#[tokio::test]
async fn search_words_notes_plans_and_workspaces() {
    for store in stores().await {
        let b = store.backend();
        let ws = workspace(&store, "Acme").await;
        let g = user(&store, ws, "g@acme.com", Role::Agent, None).await;
        let c1 = user(&store, ws, "c1@client.com", Role::Customer, None).await;
        let c2 = user(&store, ws, "c2@client.com", Role::Customer, None).await;
        let other = workspace(&store, "Other").await;
        let gb = user(&store, other, "g@other.com", Role::Agent, None).await;
        let cb = user(&store, other, "c@other.com", Role::Customer, None).await;

        let t1 = open(
            &store,
            &g,
            &c1,
            "Printer jams",
            "paper stuck in tray two",
            Priority::Medium,
            T0 + MIN,
        )
        .await;
        let t2 = open(
            &store,
            &g,
            &c1,
            "VPN down",
            "cannot connect from home",
            Priority::High,
            T0 + 2 * MIN,
        )
        .await;
        let t3 = open(
            &store,
            &g,
            &c2,
            "Laptop battery",
            "swelling near the printer",
            Priority::Low,
            T0 + 3 * MIN,
        )
        .await;
        let t4 = open(
            &store,
            &g,
            &c1,
            "Zebra stripes on screen",
            "display artefacts",
            Priority::Urgent,
            T0 + 4 * MIN,
        )
        .await;
        let t5 = open(
            &store,
            &g,
            &c2,
            "Monitor",
            "flickers",
            Priority::Medium,
            T0 + 5 * MIN,
        )
        .await;
        // Another workspace with every word searched below.
        let tb = open(
            &store,
            &gb,
            &cb,
            "Printer zebra",
            "printer firmware zebra cable toner",
            Priority::Medium,
            T0 + 6 * MIN,
        )
        .await;

        let t2 = post(
            &store,
            &c1,
            t2,
            "the printer is offline too",
            false,
            T0 + 10 * MIN,
        )
        .await;
        let t2 = post(&store, &g, t2, "Firmware zebra issue", true, T0 + 11 * MIN).await;
        let t3 = post(&store, &g, t3, "zebra pattern", true, T0 + 12 * MIN).await;
        let t5 = post(&store, &g, t5, "Try another cable", false, T0 + 13 * MIN).await;
        let t1 = post(&store, &g, t1, "We ordered TONER", false, T0 + 20 * MIN).await;

        // Staff: subject, description, public messages and notes; every word must match.
        assert_eq!(
            search(&store, &g, &["printer"]).await,
            ids(&[&t3, &t2, &t1]),
            "{b:?}"
        );
        assert_eq!(
            search(&store, &g, &["PRINTER"]).await,
            ids(&[&t3, &t2, &t1]),
            "{b:?}"
        );
        assert_eq!(
            search(&store, &g, &["zebra"]).await,
            ids(&[&t4, &t3, &t2]),
            "{b:?}"
        );
        assert_eq!(
            search(&store, &g, &["printer", "zebra"]).await,
            ids(&[&t3, &t2]),
            "{b:?}"
        );
        assert_eq!(
            search(&store, &g, &["firmware"]).await,
            ids(&[&t2]),
            "{b:?}"
        );
        assert_eq!(search(&store, &g, &["cable"]).await, ids(&[&t5]), "{b:?}");
        assert_eq!(search(&store, &g, &["toner"]).await, ids(&[&t1]), "{b:?}");
        assert_eq!(
            search(&store, &g, &["stuck", "tray"]).await,
            ids(&[&t1]),
            "{b:?}"
        );
        assert!(search(&store, &g, &["nothing"]).await.is_empty(), "{b:?}");
        assert!(
            search(&store, &g, &["printer", "nothing"]).await.is_empty(),
            "{b:?}"
        );

        // A customer: their own tickets, never through a note.
        assert_eq!(
            search(&store, &c1, &["printer"]).await,
            ids(&[&t2, &t1]),
            "{b:?}"
        );
        assert_eq!(search(&store, &c1, &["zebra"]).await, ids(&[&t4]), "{b:?}");
        assert!(search(&store, &c1, &["firmware"]).await.is_empty(), "{b:?}");
        assert!(
            search(&store, &c1, &["printer", "zebra"]).await.is_empty(),
            "{b:?}"
        );
        assert_eq!(search(&store, &c1, &["toner"]).await, ids(&[&t1]), "{b:?}");
        assert_eq!(
            search(&store, &c2, &["printer"]).await,
            ids(&[&t3]),
            "{b:?}"
        );
        assert!(search(&store, &c2, &["zebra"]).await.is_empty(), "{b:?}");
        assert!(search(&store, &c2, &["pattern"]).await.is_empty(), "{b:?}");
        assert_eq!(search(&store, &c2, &["cable"]).await, ids(&[&t5]), "{b:?}");

        // The other workspace sees only its own ticket, for staff and customer alike.
        assert_eq!(
            search(&store, &gb, &["printer"]).await,
            ids(&[&tb]),
            "{b:?}"
        );
        assert_eq!(
            search(&store, &gb, &["zebra", "firmware"]).await,
            ids(&[&tb]),
            "{b:?}"
        );
        assert_eq!(
            search(&store, &cb, &["printer"]).await,
            ids(&[&tb]),
            "{b:?}"
        );
        assert!(search(&store, &gb, &["swelling"]).await.is_empty(), "{b:?}");

        // Every sort, whole and paged, both plans.
        let printer = ["printer"];
        assert_eq!(
            search_sorted(&store, &g, &printer, Sort::CreatedAsc).await,
            ids(&[&t1, &t2, &t3]),
            "{b:?}"
        );
        assert_eq!(
            search_sorted(&store, &g, &printer, Sort::UpdatedDesc).await,
            ids(&[&t1, &t3, &t2]),
            "{b:?}"
        );
        assert_eq!(
            search_sorted(&store, &g, &printer, Sort::PriorityDesc).await,
            ids(&[&t2, &t1, &t3]),
            "{b:?}"
        );
        assert_eq!(
            search_sorted(&store, &g, &printer, Sort::Due).await,
            ids(&[&t1, &t2, &t3]),
            "{b:?}"
        );

        // Words combine with the other filters.
        let f = TicketFilter {
            words: vec!["printer".into()],
            priorities: vec![Priority::High, Priority::Low],
            ..TicketFilter::default()
        };
        let found: Vec<Uuid> = page(&store, &g, &f, Sort::CreatedAsc, None, 50)
            .await
            .iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(found, ids(&[&t2, &t3]), "{b:?}");

        // A new subject is searched instead of the old one.
        let changes = TicketChanges {
            subject: Some("Scanner jams".into()),
            ..TicketChanges::default()
        };
        let t1 = tickets::update(store.write(), &g, &t1, changes, T0 + 30 * MIN)
            .await
            .unwrap();
        assert_eq!(
            search(&store, &g, &["printer"]).await,
            ids(&[&t3, &t2]),
            "{b:?}"
        );
        assert_eq!(
            search(&store, &g, &["scanner", "jams"]).await,
            ids(&[&t1]),
            "{b:?}"
        );
        assert_eq!(
            search(&store, &c1, &["scanner"]).await,
            ids(&[&t1]),
            "{b:?}"
        );
        // The rename kept the message words.
        assert_eq!(search(&store, &g, &["toner"]).await, ids(&[&t1]), "{b:?}");
    }
}

/// The newest-first walk of SQLite's index reads rowids in creation order, which the
/// clocks need not follow: 300 tickets created in a shuffled order of times, a word in
/// most of them, another filter on top; every page equals the plan that sorts all matches.
#[tokio::test]
async fn the_newest_first_walk_is_exact_when_rowids_and_times_disagree() {
    for store in stores().await {
        if store.backend() != Backend::Sqlite {
            continue;
        }
        // Shuffled creation times (every page needs the check for tickets created out of
        // rowid order), then mostly ascending ones where every 37th ticket is created 40
        // minutes late (most pages skip the check, some need it), later than all of the first.
        let shuffled = |i: i64| T0 + ((i * 7919) % 300) * MIN;
        let late = |i: i64| T0 + (1000 + i + if i % 37 == 0 { 40 } else { 0 }) * MIN;
        let layouts: [(&str, &dyn Fn(i64) -> i64); 2] = [("Acme", &shuffled), ("Beta", &late)];
        for (name, time) in layouts {
            walk_matches_sorted(&store, name, time).await;
        }
    }
}

/// Creates 300 tickets at `time(i)` in a new workspace and compares every page of the
/// newest-first walk with the plan that sorts all matches.
async fn walk_matches_sorted(store: &Store, name: &str, time: &dyn Fn(i64) -> i64) {
    let domain = name.to_lowercase();
    let ws = workspace(store, name).await;
    let g = user(store, ws, &format!("g@{domain}.com"), Role::Agent, None).await;
    let c = user(
        store,
        ws,
        &format!("c@{domain}-client.com"),
        Role::Customer,
        None,
    )
    .await;
    for i in 0..300i64 {
        let at = time(i);
        let text = if i % 5 == 0 { "quiet" } else { "printer jam" };
        let p = if i % 3 == 0 {
            Priority::High
        } else {
            Priority::Low
        };
        open(store, &g, &c, &format!("T{i}"), text, p, at).await;
    }
    for priorities in [vec![], vec![Priority::High]] {
        let f = TicketFilter {
            words: vec!["printer".into()],
            priorities,
            ..TicketFilter::default()
        };
        let db = store.read();
        let (mut after, mut walked, mut sorted) = (None, Vec::new(), Vec::new());
        loop {
            let w = tickets::newest_matches(db, &g, &f, after, 25)
                .await
                .unwrap();
            let q = tickets::list_query(
                db.get_database_backend(),
                &g,
                &f,
                Sort::CreatedDesc,
                after,
                25,
                SearchPlan::FewMatches,
            );
            let s = q.all(db).await.unwrap();
            assert_eq!(
                ids(&w.iter().collect::<Vec<_>>()),
                ids(&s.iter().collect::<Vec<_>>())
            );
            walked.extend(w.iter().take(25).map(|t| t.id));
            sorted.extend(s.iter().take(25).map(|t| t.id));
            if w.len() < 26 {
                break;
            }
            after = Some(Cursor::after(&w[24], Sort::CreatedDesc));
        }
        let expected = if f.priorities.is_empty() { 240 } else { 80 };
        assert_eq!(walked.len(), expected, "{name} {:?}", f.priorities);
        assert_eq!(walked, sorted);
    }
}
