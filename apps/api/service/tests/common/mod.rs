//! What every service test needs: a fresh database per backend (SQLite always, PostgreSQL
//! when `TEST_DATABASE_URL` is set) and a service over it with a cheap password hasher.

use std::sync::Arc;

use helpdesk_domain::time::SystemClock;
use helpdesk_domain::{Actor as Principal, Email, Role, TenantCtx, UserId, WorkspaceId};
use helpdesk_service::auth::password::PasswordHasher;
use helpdesk_service::auth_cache::AuthCache;
use helpdesk_service::blob::LocalDisk;
use helpdesk_service::{Actor, EventBus, Service, ServiceSettings};
use helpdesk_storage::Store;
use helpdesk_storage::repo::{users, workspaces};

/// Fresh, migrated databases: one SQLite file, and one PostgreSQL database when set.
pub async fn stores() -> Vec<Store> {
    let dir = std::env::temp_dir().join(format!("helpdesk-svc-{}", uuid::Uuid::now_v7().simple()));
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

/// The service over `store` with `settings`; the hasher is cheap because these tests are
/// about the rules, not Argon2's cost.
pub fn service_with(store: Store, settings: ServiceSettings) -> Service {
    let bus = EventBus::local(Arc::new(tokio::sync::Notify::new()));
    let cache = Arc::new(AuthCache::new(std::time::Duration::from_secs(30), 100));
    let dir =
        std::env::temp_dir().join(format!("helpdesk-blobs-{}", uuid::Uuid::now_v7().simple()));
    Service::new(
        store,
        Arc::new(SystemClock),
        bus,
        cache,
        Arc::new(LocalDisk::new(dir)),
        PasswordHasher::with_params(1024, 1, 1).unwrap(),
        settings,
    )
}

#[allow(dead_code)]
pub fn service(store: Store) -> Service {
    service_with(store, ServiceSettings::default())
}

/// The wall clock's now in stored form (these tests run on the system clock).
#[allow(dead_code)]
pub fn now() -> i64 {
    helpdesk_domain::time::to_micros(jiff::Timestamp::now())
}

/// A workspace with an admin, an agent and a customer, acting through requests.
#[allow(dead_code)]
pub struct Team {
    pub admin: Actor,
    pub agent: Actor,
    pub customer: Actor,
    pub admin_id: UserId,
}

#[allow(dead_code)]
pub async fn team(store: &Store) -> Team {
    let ws = workspaces::create(store.write(), "Acme", now())
        .await
        .unwrap();
    let ws = WorkspaceId::from_uuid(ws.id);
    let mut ids = Vec::new();
    for (email, role) in [
        ("a@acme.com", Role::Admin),
        ("g@acme.com", Role::Agent),
        ("c@client.com", Role::Customer),
    ] {
        let new = users::NewUser {
            email: Email::parse(email).unwrap(),
            name: email.into(),
            role,
            organization_id: None,
            password_hash: None,
        };
        let u = users::insert(store.write(), ws, new, now()).await.unwrap();
        ids.push((UserId::from_uuid(u.id), role));
    }
    let actor = |(id, role): (UserId, Role)| {
        Actor::request(TenantCtx {
            workspace_id: ws,
            actor: Principal::User(id),
            role,
            organization_id: None,
        })
    };
    Team {
        admin: actor(ids[0]),
        agent: actor(ids[1]),
        customer: actor(ids[2]),
        admin_id: ids[0].0,
    }
}
