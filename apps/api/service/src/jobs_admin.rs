//! The workspace's background jobs for admins: listing them by state (above all the dead
//! letters) and sending a failed or dead one back to the queue. System jobs (maintenance)
//! belong to no workspace and are nobody's to see here.

use helpdesk_domain::Permission;
use helpdesk_storage::repo::jobs::{self, Job};
use uuid::Uuid;

use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::paging::{PageRequest, Paginated, paginate_rows};
use crate::permissions::require;

/// The states a job can be in.
pub const STATES: [&str; 5] = ["queued", "running", "failed", "done", "dead"];

/// Listed when the caller names no state.
pub const DEFAULT_STATES: [&str; 2] = ["failed", "dead"];

impl Service {
    /// Jobs by kind and state (not the finished ones), for the metrics scrape.
    pub async fn queue_depth(&self) -> ServiceResult<Vec<(String, String, i64)>> {
        Ok(jobs::depth(self.store.read()).await?)
    }

    /// One round trip to the database, for readiness.
    pub async fn database_ready(&self) -> ServiceResult<()> {
        Ok(self.store.ping().await?)
    }

    /// The workspace's jobs in `states` (`None`: failed and dead; empty: all), newest first.
    pub async fn jobs(
        &self,
        actor: &Actor,
        states: Option<Vec<String>>,
        page: PageRequest,
    ) -> ServiceResult<Paginated<Job>> {
        require(actor, Permission::ManageJobs)?;
        let states = match states {
            None => DEFAULT_STATES.to_vec(),
            Some(asked) => asked
                .iter()
                .map(|s| {
                    STATES.iter().copied().find(|k| k == s).ok_or_else(|| {
                        ServiceError::invalid(
                            "state",
                            format!("{s:?} is not one of {}", STATES.join(", ")),
                        )
                    })
                })
                .collect::<ServiceResult<_>>()?,
        };
        let page = page.page()?;
        let scope = actor.ctx.workspace_id.as_uuid();
        let rows = jobs::list(self.store.read(), scope, &states, page).await?;
        Ok(paginate_rows(rows, page, |j| j.id))
    }

    /// Sends a failed or dead job back to the queue with fresh attempts and wakes the
    /// workers; any other state is a conflict.
    pub async fn retry_job(&self, actor: &Actor, id: Uuid) -> ServiceResult<Job> {
        require(actor, Permission::ManageJobs)?;
        let scope = actor.ctx.workspace_id.as_uuid();
        let db = self.store.write();
        match jobs::retry(db, scope, id, self.now()).await? {
            Some(j) => {
                self.live.wake_workers().await;
                Ok(j)
            }
            None => match jobs::get(db, scope, id).await? {
                Some(_) => Err(ServiceError::Conflict(
                    "only failed or dead jobs can be retried".into(),
                )),
                None => Err(ServiceError::NotFound),
            },
        }
    }
}
