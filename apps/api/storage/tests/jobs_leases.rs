//! Job locks at the storage boundary: an expired claim is taken again and only its holder
//! finishes it; locks run on the lease timeline and heartbeats extend them. On SQLite
//! always; on PostgreSQL too when `TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod job_queue;

use common::{SEC, T0, stores};
use helpdesk_storage::repo::jobs;
use job_queue::*;
use uuid::Uuid;

#[tokio::test]
async fn an_expired_claim_is_taken_again_and_only_the_holder_finishes_it() {
    for store in stores().await {
        let b = store.backend();
        let scope = Uuid::now_v7();
        let a = enqueue_one(&store, scope, at("k", T0), T0).await;
        let claimed = jobs::claim(store.write(), "w1", 10, T0, lease(T0, T0 + 30 * SEC))
            .await
            .unwrap();
        assert_eq!(ids(&claimed), vec![a]);
        let long = enqueue_one(&store, scope, at("k", T0 + SEC), T0).await;
        let claimed = jobs::claim(
            store.write(),
            "w1",
            10,
            T0 + SEC,
            lease(T0 + SEC, T0 + 600 * SEC),
        )
        .await
        .unwrap();
        assert_eq!(ids(&claimed), vec![long]);

        // Locked until T0 + 30 s: not before, not at that instant.
        for now in [T0 + 29 * SEC, T0 + 30 * SEC] {
            let none = jobs::claim(store.write(), "w2", 10, now, lease(now, now + 60 * SEC))
                .await
                .unwrap();
            assert!(none.is_empty(), "{b:?} at {now}");
        }
        // After: w2 takes it (a second attempt); the job locked until later stays with w1.
        let now = T0 + 31 * SEC;
        let again = jobs::claim(store.write(), "w2", 10, now, lease(now, now + 60 * SEC))
            .await
            .unwrap();
        assert_eq!(ids(&again), vec![a], "{b:?}");
        assert_eq!(again[0].attempts, 2);
        assert_eq!(again[0].locked_by.as_deref(), Some("w2"));
        assert_eq!(again[0].locked_until, Some(now + 60 * SEC));
        assert_eq!(
            get(&store, scope, long).await.locked_by.as_deref(),
            Some("w1")
        );

        // The crashed worker coming back cannot finish or fail what it lost.
        jobs::complete(store.write(), a, "w1", now + SEC)
            .await
            .unwrap();
        jobs::fail(store.write(), &claimed[0], "w2", "not mine", now, now)
            .await
            .unwrap();
        let stale = get(&store, scope, a).await;
        assert_eq!(stale, again[0], "{b:?}");
        assert_eq!(get(&store, scope, long).await, claimed[0], "{b:?}");
        // The holder does.
        jobs::complete(store.write(), a, "w2", now + 2 * SEC)
            .await
            .unwrap();
        let done = get(&store, scope, a).await;
        assert_eq!(done.state, "done", "{b:?}");
        assert_eq!(done.finished_at, Some(now + 2 * SEC));
        assert_eq!(done.updated_at, now + 2 * SEC);
        assert_eq!((done.locked_by, done.locked_until), (None, None));
        assert_eq!(done.attempts, 2);
        // A done job is never claimed again, however late.
        let later = T0 + 3600 * SEC;
        let rest = jobs::claim(store.write(), "w3", 10, later, lease(later, later + SEC))
            .await
            .unwrap();
        assert_eq!(ids(&rest), vec![long], "{b:?}");
    }
}

#[tokio::test]
async fn locks_expire_on_the_lease_timeline_and_heartbeats_extend_them() {
    // The lease timeline (real time) has nothing to do with the injected clock's.
    const L0: i64 = 5_000 * SEC;
    for store in stores().await {
        let b = store.backend();
        let scope = Uuid::now_v7();
        let a = enqueue_one(&store, scope, at("k", T0), T0).await;
        let claimed = jobs::claim(store.write(), "w1", 10, T0, lease(L0, L0 + 30 * SEC))
            .await
            .unwrap();
        assert_eq!(ids(&claimed), vec![a], "{b:?}");
        // The injected clock jumps ten hours: a lock 1 s into its 30 s stays held.
        let jumped = T0 + 36_000 * SEC;
        let none = jobs::claim(
            store.write(),
            "w2",
            10,
            jumped,
            lease(L0 + SEC, L0 + 61 * SEC),
        )
        .await
        .unwrap();
        assert!(none.is_empty(), "{b:?}: the clock jump expired a lock");
        // w1's heartbeat extends its lock past the first 30 s.
        assert_eq!(
            jobs::renew(store.write(), "w1", L0 + 90 * SEC)
                .await
                .unwrap(),
            1,
            "{b:?}"
        );
        assert_eq!(
            get(&store, scope, a).await.locked_until,
            Some(L0 + 90 * SEC)
        );
        let none = jobs::claim(
            store.write(),
            "w2",
            10,
            jumped,
            lease(L0 + 60 * SEC, L0 + 120 * SEC),
        )
        .await
        .unwrap();
        assert!(none.is_empty(), "{b:?}: a renewed lock expired");
        // Without further beats it expires; the new holder's lock is not w1's to renew.
        let taken = jobs::claim(
            store.write(),
            "w2",
            10,
            jumped,
            lease(L0 + 91 * SEC, L0 + 151 * SEC),
        )
        .await
        .unwrap();
        assert_eq!(ids(&taken), vec![a], "{b:?}");
        assert_eq!(taken[0].attempts, 2);
        assert_eq!(
            jobs::renew(store.write(), "w1", L0 + 500 * SEC)
                .await
                .unwrap(),
            0,
            "{b:?}"
        );
        assert_eq!(
            get(&store, scope, a).await.locked_until,
            Some(L0 + 151 * SEC)
        );
        // A finished job is no longer renewed.
        jobs::complete(store.write(), a, "w2", jumped)
            .await
            .unwrap();
        assert_eq!(
            jobs::renew(store.write(), "w2", L0 + 500 * SEC)
                .await
                .unwrap(),
            0,
            "{b:?}"
        );
        let done = get(&store, scope, a).await;
        assert_eq!((done.state.as_str(), done.locked_until), ("done", None));
    }
}
