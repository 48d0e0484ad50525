//! Names to show beside ids: the requester, assignee and organization of tickets on a page,
//! and the authors of messages. What a caller may learn is decided here: customers see
//! staff by name only, and no other customer at all.

use std::collections::HashMap;

use helpdesk_domain::{OrganizationId, UserId};
use helpdesk_storage::repo::users::UserRow;
use helpdesk_storage::repo::{organizations, users};
use uuid::Uuid;

use crate::Service;
use crate::actor::Actor;
use crate::error::ServiceResult;

/// A user as a page shows them.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    /// Hidden from customers, except their own.
    pub email: Option<String>,
    pub staff: bool,
}

/// The names a page needs, by id.
#[derive(Debug, Clone, Default)]
pub struct Names {
    users: HashMap<Uuid, Person>,
    orgs: HashMap<Uuid, String>,
}

impl Names {
    pub fn user(&self, id: UserId) -> Option<&Person> {
        self.users.get(&id.as_uuid())
    }

    pub fn org(&self, id: OrganizationId) -> Option<&str> {
        self.orgs.get(&id.as_uuid()).map(String::as_str)
    }
}

impl Service {
    /// The names of `user_ids` and `org_ids` in `actor`'s workspace, as far as `actor` may
    /// see them; the others are left out.
    pub async fn names(
        &self,
        actor: &Actor,
        user_ids: &[UserId],
        org_ids: &[OrganizationId],
    ) -> ServiceResult<Names> {
        let ctx = &actor.ctx;
        let db = self.store.read();
        let staff = actor.is_staff();
        let me = ctx.user_id().map(|u| u.as_uuid());
        let mut out = Names::default();
        for u in users::many(db, ctx, user_ids).await? {
            let role = u.role().ok();
            let is_staff = role.is_some_and(|r| r.is_staff());
            let own = Some(u.id) == me;
            if !(staff || own || is_staff) {
                continue;
            }
            let email = (staff || own).then(|| u.email.clone());
            out.users.insert(
                u.id,
                Person {
                    name: u.name,
                    email,
                    staff: is_staff,
                },
            );
        }
        let orgs: Vec<OrganizationId> = if staff {
            org_ids.to_vec()
        } else {
            org_ids
                .iter()
                .copied()
                .filter(|o| ctx.organization_id == Some(*o))
                .collect()
        };
        out.orgs = organizations::names(db, ctx, &orgs).await?;
        Ok(out)
    }
}
