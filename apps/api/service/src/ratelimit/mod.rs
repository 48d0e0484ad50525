//! Rate limits: authentication per client address and per account, and message posting
//! per author and per ticket (a flood of messages cannot stall other tenants' writes).
//!
//! In-process GCRA (governor) by default; with Redis, a GCRA script shared by all replicas.
//! When Redis fails the limiter falls back to the in-process one (fail-open to local
//! limits, never to no limit) and logs the degradation.

mod client;
mod local;
mod redis_gcra;

use std::net::IpAddr;

use crate::error::{ServiceError, ServiceResult};

pub use client::client_address;
pub use local::LocalLimiter;
pub use redis_gcra::RedisLimiter;

/// What a limit is counted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// Login, register, refresh and reset requests from one client address.
    ClientAddress,
    /// Login and reset attempts against one account (email).
    Account,
    /// Messages and notes posted by one user or API key.
    MessagesByAuthor,
    /// Messages and notes posted on one ticket, by anyone.
    MessagesOnTicket,
}

impl Bucket {
    pub const ALL: [Bucket; 4] = [
        Bucket::ClientAddress,
        Bucket::Account,
        Bucket::MessagesByAuthor,
        Bucket::MessagesOnTicket,
    ];

    /// Its name in Redis keys.
    pub fn key_part(self) -> &'static str {
        match self {
            Bucket::ClientAddress => "ip",
            Bucket::Account => "acct",
            Bucket::MessagesByAuthor => "msg-author",
            Bucket::MessagesOnTicket => "msg-ticket",
        }
    }
}

/// Requests per minute for each bucket.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_address: u32,
    pub per_account: u32,
    pub messages_per_author: u32,
    pub messages_per_ticket: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_address: 30,
            per_account: 10,
            messages_per_author: 30,
            messages_per_ticket: 60,
        }
    }
}

impl Limits {
    pub fn per_minute(&self, bucket: Bucket) -> u32 {
        match bucket {
            Bucket::ClientAddress => self.per_address,
            Bucket::Account => self.per_account,
            Bucket::MessagesByAuthor => self.messages_per_author,
            Bucket::MessagesOnTicket => self.messages_per_ticket,
        }
    }
}

/// The outcome of one check: the headers to send, or how long to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub limit: u32,
    pub remaining: u32,
    pub retry_after_secs: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct RateLimiter {
    local: LocalLimiter,
    redis: Option<RedisLimiter>,
}

impl RateLimiter {
    pub fn new(limits: Limits, redis: Option<RedisLimiter>) -> Self {
        Self {
            local: LocalLimiter::new(limits),
            redis,
        }
    }

    pub async fn check(&self, bucket: Bucket, key: &str) -> Decision {
        if let Some(redis) = &self.redis {
            match redis.check(bucket, key).await {
                Ok(d) => return d,
                Err(e) => {
                    tracing::warn!(error = %e, "redis rate limiter unavailable; using the local limiter")
                }
            }
        }
        self.local.check(bucket, key)
    }

    /// Checks the client address and, when given, the account; the first refusal wins.
    pub async fn guard(&self, ip: IpAddr, account: Option<&str>) -> ServiceResult<Decision> {
        let by_ip = self.check(Bucket::ClientAddress, &ip.to_string()).await;
        refuse(by_ip)?;
        if let Some(account) = account {
            let by_account = self.check(Bucket::Account, account).await;
            refuse(by_account)?;
            if by_account.remaining < by_ip.remaining {
                return Ok(by_account);
            }
        }
        Ok(by_ip)
    }
}

impl RateLimiter {
    /// [`guard`](Self::guard) for a sign-in or reset attempt on `email`: attempts count
    /// per account under the normalized email, else the text as sent.
    pub async fn guard_email(&self, ip: IpAddr, email: &str) -> ServiceResult<Decision> {
        let parsed = helpdesk_domain::Email::parse(email).ok();
        let account = parsed
            .as_ref()
            .map_or(email, helpdesk_domain::Email::as_str);
        self.guard(ip, Some(account)).await
    }
}

/// `RateLimited` when `d` is a refusal.
pub fn refuse(d: Decision) -> ServiceResult<()> {
    match d.retry_after_secs {
        Some(secs) => Err(ServiceError::RateLimited {
            retry_after_secs: secs,
        }),
        None => Ok(()),
    }
}
