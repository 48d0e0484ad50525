//! In-process GCRA limits, one keyed governor limiter per bucket.

use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

type Keyed =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

use super::{Bucket, Decision, Limits};

#[derive(Debug, Clone)]
pub struct LocalLimiter {
    limits: Limits,
    /// One keyed limiter per bucket, in `Bucket::ALL` order.
    buckets: Arc<[Keyed; 4]>,
}

fn quota(per_minute: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN))
}

impl LocalLimiter {
    pub fn new(limits: Limits) -> Self {
        let keyed = |b: Bucket| {
            RateLimiter::keyed(quota(limits.per_minute(b)))
                .with_middleware::<StateInformationMiddleware>()
        };
        Self {
            limits,
            buckets: Arc::new(Bucket::ALL.map(keyed)),
        }
    }

    pub fn check(&self, bucket: Bucket, key: &str) -> Decision {
        let index = Bucket::ALL.iter().position(|b| *b == bucket).unwrap_or(0);
        let limiter = &self.buckets[index];
        // Keys of idle clients are dropped now and then so memory stays bounded.
        if limiter.len() > 10_000 {
            limiter.retain_recent();
        }
        let limit = self.limits.per_minute(bucket);
        match limiter.check_key(&key.to_owned()) {
            Ok(snapshot) => Decision {
                limit,
                remaining: snapshot.remaining_burst_capacity(),
                retry_after_secs: None,
            },
            Err(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                Decision {
                    limit,
                    remaining: 0,
                    retry_after_secs: Some(wait.as_secs() + 1),
                }
            }
        }
    }
}
