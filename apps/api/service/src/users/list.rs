//! Listing workspace members (staff), filtered and a page at a time.

use helpdesk_domain::Permission;
use helpdesk_storage::repo::Page;
use helpdesk_storage::repo::users::{self, User, UserFilter};

use crate::Service;
use crate::actor::Actor;
use crate::error::ServiceResult;
use crate::permissions::require;

impl Service {
    /// One page of the workspace's users matching `filter`; the repository reads one row
    /// past the page so the caller can tell whether another follows.
    pub async fn users(
        &self,
        actor: &Actor,
        filter: &UserFilter,
        page: Page,
    ) -> ServiceResult<Vec<User>> {
        require(actor, Permission::ReadUsers)?;
        Ok(users::list(self.store.read(), &actor.ctx, filter, page).await?)
    }
}
