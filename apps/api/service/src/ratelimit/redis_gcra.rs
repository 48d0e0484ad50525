//! GCRA in Redis, so every API replica counts against the same limit.

use redis::Script;
use redis::aio::ConnectionManager;

use super::{Bucket, Decision, Limits};

/// Keeps the theoretical arrival time (TAT) per key; uses the server's clock so replicas
/// with skewed clocks agree.
const GCRA: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local emission = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + emission
local allow_at = new_tat - emission * burst
if allow_at > now then
  return {0, allow_at - now}
end
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil(new_tat - now))
return {1, math.floor((emission * burst - (new_tat - now)) / emission)}
"#;

#[derive(Clone)]
pub struct RedisLimiter {
    conn: ConnectionManager,
    script: Script,
    limits: Limits,
    namespace: String,
}

impl std::fmt::Debug for RedisLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLimiter")
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

impl RedisLimiter {
    /// `namespace` prefixes every key (tests give each run its own).
    pub fn new(conn: ConnectionManager, limits: Limits, namespace: impl Into<String>) -> Self {
        Self {
            conn,
            script: Script::new(GCRA),
            limits,
            namespace: namespace.into(),
        }
    }

    pub async fn check(&self, bucket: Bucket, key: &str) -> redis::RedisResult<Decision> {
        let limit = self.limits.per_minute(bucket).max(1);
        let emission_ms = 60_000 / u64::from(limit);
        let bucket_name = bucket.key_part();
        let redis_key = format!("{}:rl:{bucket_name}:{key}", self.namespace);
        let mut conn = self.conn.clone();
        let (allowed, value): (i64, i64) = self
            .script
            .key(redis_key)
            .arg(emission_ms)
            .arg(limit)
            .invoke_async(&mut conn)
            .await?;
        Ok(if allowed == 1 {
            Decision {
                limit,
                remaining: u32::try_from(value.max(0)).unwrap_or(0),
                retry_after_secs: None,
            }
        } else {
            Decision {
                limit,
                remaining: 0,
                retry_after_secs: Some(
                    u64::try_from(value.max(0))
                        .unwrap_or(0)
                        .div_ceil(1000)
                        .max(1),
                ),
            }
        })
    }
}
