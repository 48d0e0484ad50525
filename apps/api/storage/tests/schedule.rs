//! The scheduler's coordination rows: the leader lease, and one fire row per
//! `(schedule, fire_at)`. On SQLite always; on PostgreSQL too when `TEST_DATABASE_URL` is
//! set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{SEC, T0, stores};
use helpdesk_storage::repo::schedule;

#[tokio::test]
async fn the_lease_has_one_holder_until_it_expires() {
    for store in stores().await {
        let b = store.backend();
        let db = store.write();
        // Free: a takes it until T0 + 30 s.
        assert!(
            schedule::lease(db, "scheduler", "a", T0, T0 + 30 * SEC)
                .await
                .unwrap(),
            "{b:?}"
        );
        // b cannot while a holds it.
        assert!(
            !schedule::lease(db, "scheduler", "b", T0 + 10 * SEC, T0 + 40 * SEC)
                .await
                .unwrap(),
            "{b:?}"
        );
        // a renews until T0 + 60 s; b, after the first expiry, still cannot.
        assert!(
            schedule::lease(db, "scheduler", "a", T0 + 20 * SEC, T0 + 60 * SEC)
                .await
                .unwrap(),
            "{b:?}"
        );
        assert!(
            !schedule::lease(db, "scheduler", "b", T0 + 45 * SEC, T0 + 75 * SEC)
                .await
                .unwrap(),
            "{b:?}"
        );
        // Not at the expiry instant itself.
        assert!(
            !schedule::lease(db, "scheduler", "b", T0 + 60 * SEC, T0 + 90 * SEC)
                .await
                .unwrap(),
            "{b:?}"
        );
        // After it, b takes over, and a has lost it.
        assert!(
            schedule::lease(db, "scheduler", "b", T0 + 61 * SEC, T0 + 91 * SEC)
                .await
                .unwrap(),
            "{b:?}"
        );
        assert!(
            !schedule::lease(db, "scheduler", "a", T0 + 62 * SEC, T0 + 92 * SEC)
                .await
                .unwrap(),
            "{b:?}"
        );
        assert!(
            schedule::lease(db, "scheduler", "b", T0 + 62 * SEC, T0 + 92 * SEC)
                .await
                .unwrap(),
            "{b:?}"
        );
        // Another lease name is independent.
        assert!(
            schedule::lease(db, "other", "a", T0 + 62 * SEC, T0 + 92 * SEC)
                .await
                .unwrap(),
            "{b:?}"
        );
        // The holder may renew even after its own lease ran out, if nobody took it.
        assert!(
            schedule::lease(db, "other", "a", T0 + 500 * SEC, T0 + 530 * SEC)
                .await
                .unwrap(),
            "{b:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_candidates_get_one_lease_and_one_fire() {
    for store in stores().await {
        let b = store.backend();
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..8 {
            let store = store.clone();
            tasks.spawn(async move {
                let me = format!("node-{i}");
                let leased = schedule::lease(store.write(), "scheduler", &me, T0, T0 + 30 * SEC)
                    .await
                    .unwrap();
                let fired = schedule::record_fire(store.write(), "digest", T0, &me, T0)
                    .await
                    .unwrap();
                (leased, fired)
            });
        }
        let (mut leases, mut fires) = (0, 0);
        while let Some(res) = tasks.join_next().await {
            let (l, f) = res.unwrap();
            leases += usize::from(l);
            fires += usize::from(f);
        }
        assert_eq!((leases, fires), (1, 1), "{b:?}");
        assert_eq!(
            schedule::fires(store.read(), "digest").await.unwrap(),
            1,
            "{b:?}"
        );
    }
}

#[tokio::test]
async fn a_fire_is_recorded_once_per_schedule_and_instant() {
    for store in stores().await {
        let b = store.backend();
        let db = store.write();
        let (f1, f2) = (T0, T0 + 3600 * SEC);
        assert_eq!(
            schedule::fires(store.read(), "digest").await.unwrap(),
            0,
            "{b:?}"
        );
        assert!(
            schedule::record_fire(db, "digest", f1, "a", T0)
                .await
                .unwrap(),
            "{b:?}"
        );
        // Again, by anyone, at any time: already fired.
        assert!(
            !schedule::record_fire(db, "digest", f1, "b", T0 + SEC)
                .await
                .unwrap(),
            "{b:?}"
        );
        assert!(
            !schedule::record_fire(db, "digest", f1, "a", T0 + 2 * SEC)
                .await
                .unwrap(),
            "{b:?}"
        );
        // The next tick, and the same tick of another schedule, are new.
        assert!(
            schedule::record_fire(db, "digest", f2, "b", f2)
                .await
                .unwrap(),
            "{b:?}"
        );
        assert!(
            schedule::record_fire(db, "sla-sweep", f1, "a", T0)
                .await
                .unwrap(),
            "{b:?}"
        );
        assert_eq!(
            schedule::fires(store.read(), "digest").await.unwrap(),
            2,
            "{b:?}"
        );
        assert_eq!(
            schedule::fires(store.read(), "sla-sweep").await.unwrap(),
            1,
            "{b:?}"
        );
        assert_eq!(
            schedule::fires(store.read(), "never").await.unwrap(),
            0,
            "{b:?}"
        );
    }
}
