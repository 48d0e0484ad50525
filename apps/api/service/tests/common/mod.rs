//! What every service test needs: a fresh database per backend (SQLite always, PostgreSQL
//! when `TEST_DATABASE_URL` is set) and a service over it with a cheap password hasher.

use std::sync::Arc;

use helpdesk_domain::time::SystemClock;
use helpdesk_service::auth::password::PasswordHasher;
use helpdesk_service::auth_cache::AuthCache;
use helpdesk_service::blob::LocalDisk;
use helpdesk_service::{EventBus, Service, ServiceSettings};
use helpdesk_storage::Store;

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
