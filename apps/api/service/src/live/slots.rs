//! Caps on open live streams, per caller (user or API key) and per workspace, in this
//! process: a burst of connections gets 429 beyond them instead of exhausting memory,
//! tasks and (through replays) the database pool. A slot is given back when its stream
//! ends, however it ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use helpdesk_domain::{Actor, TenantCtx};

#[derive(Debug)]
pub struct StreamSlots {
    per_caller: usize,
    per_workspace: usize,
    open: Mutex<HashMap<String, usize>>,
}

/// One open stream's place; dropping it frees the place.
#[derive(Debug)]
pub struct Slot {
    slots: Arc<StreamSlots>,
    keys: [String; 2],
}

fn caller_key(ctx: &TenantCtx) -> String {
    match ctx.actor {
        Actor::User(u) => format!("user:{u}"),
        Actor::ApiKey(k) => format!("key:{k}"),
        Actor::System => "system".to_owned(),
    }
}

impl StreamSlots {
    pub fn new(per_caller: usize, per_workspace: usize) -> Arc<Self> {
        Arc::new(Self {
            per_caller,
            per_workspace,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// A place for one more stream of `ctx`'s caller, or `None` when a cap is reached.
    pub fn take(self: &Arc<Self>, ctx: &TenantCtx) -> Option<Slot> {
        let keys = [caller_key(ctx), format!("ws:{}", ctx.workspace_id)];
        let mut open = self.open.lock().ok()?;
        let caller = open.get(&keys[0]).copied().unwrap_or(0);
        let workspace = open.get(&keys[1]).copied().unwrap_or(0);
        if caller >= self.per_caller || workspace >= self.per_workspace {
            return None;
        }
        for k in &keys {
            *open.entry(k.clone()).or_insert(0) += 1;
        }
        Some(Slot {
            slots: self.clone(),
            keys,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut open) = self.slots.open.lock() {
            for k in &self.keys {
                if let Some(n) = open.get_mut(k) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        open.remove(k);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use helpdesk_domain::{Role, UserId, WorkspaceId};

    fn ctx(ws: WorkspaceId) -> TenantCtx {
        TenantCtx {
            workspace_id: ws,
            actor: Actor::User(UserId::new()),
            role: Role::Agent,
            organization_id: None,
        }
    }

    #[test]
    fn caps_per_caller_and_workspace_and_frees_on_drop() {
        let slots = StreamSlots::new(2, 3);
        let ws = WorkspaceId::new();
        let a = ctx(ws);
        let first = slots.take(&a);
        let second = slots.take(&a);
        assert!(first.is_some() && second.is_some());
        assert!(slots.take(&a).is_none(), "third stream of one caller");
        let b = ctx(ws);
        let third = slots.take(&b);
        assert!(third.is_some());
        assert!(slots.take(&b).is_none(), "fourth stream of the workspace");
        drop(first);
        assert!(slots.take(&b).is_some(), "a freed place is reusable");
        assert!(
            slots.take(&ctx(WorkspaceId::new())).is_some(),
            "other workspaces"
        );
    }
}
