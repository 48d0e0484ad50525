//! What an event dispatch needs to know about its workspace's rules and webhooks, kept in
//! memory per workspace and keyed by the workspace's `config_version` (m0017: triggers bump
//! it on every change that matters). The dispatcher reads the workspace row anyway; when its
//! version is the cached one, the rules and hooks cost no query. Every process (API
//! replicas, workers) keeps its own copy, and none can be stale: a change is a new version.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use helpdesk_storage::repo::webhooks::{self, Webhook};
use helpdesk_storage::repo::{automations, workspaces::Workspace};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::error::ServiceResult;

/// Workspaces remembered at most; beyond, the cache starts over (a reload is two queries).
const CAPACITY: usize = 10_000;

/// One workspace's dispatch configuration at one version.
#[derive(Debug)]
pub struct DispatchConfig {
    version: i64,
    /// Triggers that have at least one active rule.
    pub rule_triggers: HashSet<String>,
    /// Active webhooks.
    pub webhooks: Vec<Webhook>,
}

impl DispatchConfig {
    /// The active webhooks subscribed to `event_type`.
    pub fn subscribed<'a>(&'a self, event_type: &'a str) -> impl Iterator<Item = &'a Webhook> {
        self.webhooks
            .iter()
            .filter(move |w| webhooks::subscribes(w, event_type))
    }
}

#[derive(Debug, Default)]
pub struct DispatchConfigs(RwLock<HashMap<Uuid, Arc<DispatchConfig>>>);

impl DispatchConfigs {
    /// The configuration of `ws` at the version its row shows, read through `db` (the
    /// read pool, before the dispatch's transaction) when not cached.
    pub async fn get(
        &self,
        db: &impl ConnectionTrait,
        ws: &Workspace,
    ) -> ServiceResult<Arc<DispatchConfig>> {
        let cached = self.0.read().ok().and_then(|m| m.get(&ws.id).cloned());
        if let Some(c) = cached.filter(|c| c.version == ws.config_version) {
            return Ok(c);
        }
        let loaded = Arc::new(DispatchConfig {
            version: ws.config_version,
            rule_triggers: automations::active_triggers(db, ws.id)
                .await?
                .into_iter()
                .collect(),
            webhooks: webhooks::active(db, ws.id).await?,
        });
        if let Ok(mut m) = self.0.write() {
            if m.len() >= CAPACITY {
                m.clear();
            }
            // Never replace a newer version read by a concurrent dispatch.
            let keep = m.get(&ws.id).is_some_and(|c| c.version > loaded.version);
            if !keep {
                m.insert(ws.id, loaded.clone());
            }
        }
        Ok(loaded)
    }
}
