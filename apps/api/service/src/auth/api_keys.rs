//! API keys (admins): integration credentials acting as staff, shown once at creation and
//! stored only as their hash.

use std::fmt;

use helpdesk_domain::{ApiKeyId, Permission, Role, text};
use helpdesk_storage::repo::api_keys::{self, ApiKey};

use super::opaque;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;

/// Prefix that tells an API key from a JWT.
pub const API_KEY_PREFIX: &str = "hdk_";

/// A key to create.
#[derive(Debug, Clone, Default)]
pub struct NewApiKey {
    pub name: String,
    /// `Agent` when absent; customers cannot be keys.
    pub role: Option<Role>,
}

/// A created key and its secret, which is never shown again.
#[derive(Clone)]
pub struct CreatedApiKey {
    pub row: ApiKey,
    pub key: String,
}

impl fmt::Debug for CreatedApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedApiKey")
            .field("row", &self.row)
            .finish_non_exhaustive()
    }
}

impl Service {
    /// The workspace's keys, revoked ones included.
    pub async fn api_keys(&self, actor: &Actor) -> ServiceResult<Vec<ApiKey>> {
        require(actor, Permission::ManageApiKeys)?;
        Ok(api_keys::list(self.store.read(), &actor.ctx).await?)
    }

    /// Creates a key acting as `AGENT` or `ADMIN`.
    pub async fn create_api_key(
        &self,
        actor: &Actor,
        input: NewApiKey,
    ) -> ServiceResult<CreatedApiKey> {
        require(actor, Permission::ManageApiKeys)?;
        let name = text::bounded(&input.name, 1, 100)
            .map_err(|e| ServiceError::invalid("name", e.to_string()))?;
        let role = input.role.unwrap_or(Role::Agent);
        if role == Role::Customer {
            return Err(ServiceError::invalid(
                "role",
                "API keys act as AGENT or ADMIN",
            ));
        }
        // A key acts for the admin who made it, or, made by another key, for that key's
        // admin: revoking or demoting that person then reaches every key they made.
        let created_by = match actor.ctx.actor {
            helpdesk_domain::Actor::User(u) => Some(u.as_uuid()),
            helpdesk_domain::Actor::ApiKey(k) => {
                api_keys::get(self.store.read(), &actor.ctx, k)
                    .await?
                    .created_by
            }
            helpdesk_domain::Actor::System => None,
        };
        if role.rank() > actor.ctx.role.rank() {
            return Err(ServiceError::invalid(
                "role",
                "a key cannot carry a role above its creator's",
            ));
        }
        let key = opaque::generate(API_KEY_PREFIX);
        let prefix: String = key.chars().take(API_KEY_PREFIX.len() + 6).collect();
        let new = api_keys::NewApiKey {
            name,
            role,
            prefix,
            key_hash: opaque::hash(&key),
            created_by,
        };
        let row = api_keys::create(self.store.write(), &actor.ctx, new, self.now()).await?;
        Ok(CreatedApiKey { row, key })
    }

    /// Revokes a key: it stops working at once.
    pub async fn revoke_api_key(&self, actor: &Actor, id: ApiKeyId) -> ServiceResult<()> {
        require(actor, Permission::ManageApiKeys)?;
        Ok(api_keys::revoke(self.store.write(), &actor.ctx, id, self.now()).await?)
    }
}
