//! Shared setup for the storage tests: one fresh, migrated database per test on SQLite,
//! and on PostgreSQL too when `TEST_DATABASE_URL` is set; a workspace with its people.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use helpdesk_domain::{Actor, Email, OrganizationId, Role, TenantCtx, UserId, WorkspaceId};
use helpdesk_storage::Store;
use helpdesk_storage::repo::tickets::{self, NewTicket, Ticket};
use helpdesk_storage::repo::{users, workspaces};

/// A fixed instant (2025-01-06T00:00:00Z, a Monday) in stored microseconds.
pub const T0: i64 = 1_736_121_600_000_000;
pub const SEC: i64 = 1_000_000;
pub const MIN: i64 = 60 * SEC;
pub const HOUR: i64 = 60 * MIN;
pub const DAY: i64 = 24 * HOUR;

/// A fresh database per backend, migrated: a temporary SQLite file always, and a new
/// `helpdesk_test_…` PostgreSQL database (CI drops those) when `TEST_DATABASE_URL` names
/// an admin connection.
pub async fn stores() -> Vec<Store> {
    let dir = std::env::temp_dir().join(format!(
        "helpdesk-storage-{}",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = format!("sqlite://{}", dir.join("t.db").display());
    let mut out = vec![Store::connect(&sqlite, &Default::default()).await.unwrap()];
    if let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") {
        let name = format!("helpdesk_test_{}", uuid::Uuid::now_v7().simple());
        let admin = Store::connect(&admin_url, &Default::default())
            .await
            .unwrap();
        sea_orm::ConnectionTrait::execute_unprepared(
            admin.write(),
            &format!("CREATE DATABASE {name}"),
        )
        .await
        .unwrap();
        admin.close().await;
        let (base, _) = admin_url.rsplit_once('/').unwrap();
        out.push(
            Store::connect(&format!("{base}/{name}"), &Default::default())
                .await
                .unwrap(),
        );
    } else if std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false")) {
        panic!("CI must test PostgreSQL too: TEST_DATABASE_URL is not set");
    }
    for s in &out {
        s.migrate().await.unwrap();
    }
    out
}

/// The context of `user` acting as `role` in `ws`.
pub fn ctx(ws: WorkspaceId, user: UserId, role: Role) -> TenantCtx {
    TenantCtx {
        workspace_id: ws,
        actor: Actor::User(user),
        role,
        organization_id: None,
    }
}

/// A workspace created through the repository.
pub async fn workspace(store: &Store, name: &str) -> WorkspaceId {
    let ws = workspaces::create(store.write(), name, T0).await.unwrap();
    WorkspaceId::from_uuid(ws.id)
}

/// A member of `ws` created through the repository, and its context.
pub async fn user(
    store: &Store,
    ws: WorkspaceId,
    email: &str,
    role: Role,
    organization_id: Option<OrganizationId>,
) -> TenantCtx {
    let new = users::NewUser {
        email: Email::parse(email).unwrap(),
        name: email.into(),
        role,
        organization_id,
        password_hash: None,
    };
    let u = users::insert(store.write(), ws, new, T0).await.unwrap();
    TenantCtx {
        organization_id,
        ..ctx(ws, UserId::from_uuid(u.id), role)
    }
}

/// The user id behind a context made by [`user`].
pub fn uid(c: &TenantCtx) -> UserId {
    c.user_id().expect("a user's context")
}

/// The plan of `stmt` (`EXPLAIN` on PostgreSQL, `EXPLAIN QUERY PLAN` on SQLite), one line
/// per entry. On PostgreSQL sequential scans are off: an empty table's statistics would
/// allow one anywhere, and the tests ask which index serves a lookup.
pub async fn plan(store: &Store, stmt: sea_orm::Statement) -> Vec<String> {
    use sea_orm::{ConnectionTrait, DbBackend};
    let b = stmt.db_backend;
    let (explain, column) = match b {
        DbBackend::Postgres => ("EXPLAIN", 0),
        _ => ("EXPLAIN QUERY PLAN", 3),
    };
    let tx = store.begin().await.unwrap();
    if b == DbBackend::Postgres {
        tx.execute_unprepared("SET LOCAL enable_seqscan = off")
            .await
            .unwrap();
    }
    let rows = tx
        .query_all_raw(sea_orm::Statement {
            sql: format!("{explain} {}", stmt.sql),
            ..stmt
        })
        .await
        .unwrap();
    drop(tx);
    rows.iter()
        .map(|r| r.try_get_by_index::<String>(column).unwrap())
        .collect()
}

/// Opens `new` as `staff` at `now`, in a transaction of its own.
pub async fn create_ticket(store: &Store, staff: &TenantCtx, new: &NewTicket, now: i64) -> Ticket {
    let tx = store.begin().await.unwrap();
    let draft = tickets::draft(staff, new, now);
    let t = tickets::create(&tx, staff, draft, &new.tags, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    t
}
