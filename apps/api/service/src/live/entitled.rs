//! Whether a live stream's caller may still receive events. A stream outlives the request
//! that opened it, so it asks again before each event it sends: a deactivation, demotion,
//! logout, password reset or revoked session or key ends it at once. Changes evict the
//! auth cache on every replica (through Redis), so this is a memory read for sessions
//! until something changes, and then a database read that says no.

use helpdesk_domain::{Actor, SessionId, TenantCtx};

use crate::Service;

impl Service {
    /// Whether the caller identified as `ctx` (with `session`, for users) is still exactly
    /// that: same role, organization and workspace, and still signed in.
    pub async fn still_entitled(&self, ctx: &TenantCtx, session: Option<SessionId>) -> bool {
        let now = match (ctx.actor, session) {
            (Actor::User(user), Some(sid)) => {
                self.identify_session(ctx.workspace_id, user, sid).await
            }
            (Actor::ApiKey(key), _) => self.identify_api_key_id(ctx.workspace_id, key).await,
            _ => return false,
        };
        matches!(now, Ok(id) if id.ctx == *ctx)
    }
}
