//! Permission decisions: every use case asks here, and the answer comes from the one table
//! in `helpdesk_domain::permission`.

use helpdesk_domain::Permission;

use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};

/// Fails with `Forbidden` unless the actor's role has `p`.
pub fn require(actor: &Actor, p: Permission) -> ServiceResult<()> {
    if actor.ctx.can(p) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}
