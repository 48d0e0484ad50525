//! The scheduler: one fire per schedule per tick across schedulers; a missed stretch fires
//! once.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use helpdesk_domain::time::{Clock, to_micros};
use helpdesk_jobs::{Schedule, Scheduler};
use helpdesk_storage::repo::jobs;
use helpdesk_storage::repo::schedule;
use jiff::{SignedDuration, Timestamp};

use crate::both;
use crate::harness::TestApp;

#[derive(Debug)]
struct ManualClock(Mutex<Timestamp>);

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

impl ManualClock {
    fn advance(&self, secs: i64) {
        let mut t = self.0.lock().unwrap();
        *t = t.checked_add(SignedDuration::from_secs(secs)).unwrap();
    }
}

async fn one_fire_per_tick_across_schedulers(app: TestApp) {
    // Half past a whole second, so each tick lands between two due times.
    let start = Timestamp::from_second(Timestamp::now().as_second())
        .unwrap()
        .checked_add(SignedDuration::from_millis(500))
        .unwrap();
    let clock = Arc::new(ManualClock(Mutex::new(start)));
    let name = format!("every-second-{}", uuid::Uuid::now_v7().simple());
    let make = || {
        let s = Schedule::new(&name, "* * * * * *", "test.tick").unwrap();
        Scheduler::new(
            app.store.clone(),
            vec![s],
            Duration::from_secs(1),
            Arc::new(tokio::sync::Notify::new()),
            clock.clone(),
        )
    };
    let (a, b) = (make(), make());
    let mut fired = 0;
    for _ in 0..3 {
        fired += a.tick().await.unwrap();
        fired += b.tick().await.unwrap();
        clock.advance(1);
    }
    assert_eq!(fired, 3);
    assert_eq!(schedule::fires(app.store.read(), &name).await.unwrap(), 3);
    // The leader stops; a minute later the other takes over and fires once, not 60 times.
    clock.advance(60);
    assert_eq!(b.tick().await.unwrap(), 1);
    assert_eq!(schedule::fires(app.store.read(), &name).await.unwrap(), 4);
    // Each fire enqueued one system job.
    let page = helpdesk_storage::repo::Page {
        limit: 100,
        after: None,
    };
    let queued = jobs::list(app.store.read(), jobs::SYSTEM, &[], page)
        .await
        .unwrap();
    assert_eq!(queued.iter().filter(|j| j.kind == "test.tick").count(), 4);
    // Two schedulers that both think they lead still record a fire once.
    let t = to_micros(clock.now());
    assert!(
        schedule::record_fire(app.store.write(), &name, t, "x", t)
            .await
            .unwrap()
    );
    assert!(
        !schedule::record_fire(app.store.write(), &name, t, "y", t)
            .await
            .unwrap()
    );
}
both!(one_fire_per_tick_across_schedulers, |c| c.jobs_in_process =
    Some(false));
