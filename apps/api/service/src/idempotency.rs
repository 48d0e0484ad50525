//! Idempotent commands: a retried command with the same key (same caller, 24 hours) gets
//! the first result and writes nothing twice; the same key with another request is invalid.
//! The key is claimed in the command's own transaction, so a result and its key commit
//! together or not at all.

use helpdesk_domain::TenantCtx;
use helpdesk_storage::StoreError;
use helpdesk_storage::repo::idempotency;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::error::{ServiceError, ServiceResult};

const TTL_MICROS: i64 = 24 * 3600 * 1_000_000;

/// A caller's key and what it is bound to (a hash of the request it came with).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdemKey {
    pub key: String,
    pub request_hash: String,
}

/// The stored result of the first command with a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    /// The first command created something (HTTP answers 201 then).
    pub created: bool,
    /// The result as JSON.
    pub body: String,
}

/// A command's result, or the replay of the first one with its key.
#[derive(Debug)]
pub enum Once<T> {
    Done(T),
    Replayed(Replay),
}

/// One keyed (or unkeyed) command on its way through a use case.
#[derive(Debug)]
pub(crate) struct Keyed {
    key: Option<IdemKey>,
    claim: Option<Uuid>,
}

impl Keyed {
    pub fn new(key: Option<IdemKey>) -> Self {
        Self { key, claim: None }
    }

    /// Whether the command came with a key (and so must claim it in its transaction).
    pub fn is_keyed(&self) -> bool {
        self.key.is_some()
    }

    /// The stored result of an earlier command with this key, if there is one.
    pub async fn replay(
        &self,
        db: &impl ConnectionTrait,
        ctx: &TenantCtx,
        now: i64,
    ) -> ServiceResult<Option<Replay>> {
        let Some(k) = &self.key else {
            return Ok(None);
        };
        let Some(stored) = idempotency::find(db, ctx, &k.key, now).await? else {
            return Ok(None);
        };
        if stored.request_hash != k.request_hash {
            return Err(ServiceError::invalid(
                "Idempotency-Key",
                "was already used with a different request",
            ));
        }
        Ok(Some(Replay {
            created: stored.response_status == 201,
            body: stored.response_body,
        }))
    }

    /// Claims the key in the command's transaction. `Ok(false)`: a concurrent command with
    /// the same key committed first; drop the transaction and replay.
    pub async fn claim(
        &mut self,
        db: &impl ConnectionTrait,
        ctx: &TenantCtx,
        now: i64,
    ) -> ServiceResult<bool> {
        let Some(k) = &self.key else {
            return Ok(true);
        };
        match idempotency::claim(db, ctx, &k.key, &k.request_hash, now, TTL_MICROS).await {
            Ok(id) => {
                self.claim = Some(id);
                Ok(true)
            }
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Stores the result under the claimed key, in the same transaction.
    pub async fn complete<T: serde::Serialize>(
        &self,
        db: &impl ConnectionTrait,
        created: bool,
        body: &T,
    ) -> ServiceResult<()> {
        if let Some(id) = self.claim {
            let json = serde_json::to_string(body).map_err(ServiceError::internal)?;
            let status = if created { 201 } else { 200 };
            idempotency::complete(db, id, status, json).await?;
        }
        Ok(())
    }

    /// After a lost race: the winner's result.
    pub async fn replay_after_race<T>(
        &self,
        db: &impl ConnectionTrait,
        ctx: &TenantCtx,
        now: i64,
    ) -> ServiceResult<Once<T>> {
        match self.replay(db, ctx, now).await? {
            Some(r) => Ok(Once::Replayed(r)),
            None => Err(ServiceError::Conflict(
                "a request with this Idempotency-Key is in progress".into(),
            )),
        }
    }
}
