//! `/jobs` (ADMIN): the workspace's jobs by state — above all the dead letters — and retry.
//! System jobs (maintenance) belong to no workspace and appear here for nobody.

use axum::Json;
use axum::extract::State;
use helpdesk_service::Actor;
use helpdesk_storage::repo::jobs::Job;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{PageRequest, Paginated, rfc3339, rfc3339_opt};
use crate::error::ApiResult;
use crate::extract::{Admin, Id, StrictQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_jobs))
        .routes(routes!(retry_job))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JobOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    /// `event.dispatch`, `email.send`, `webhook.deliver` …
    pub kind: String,
    /// `queued`, `running`, `failed` (will retry), `done`, `dead`.
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: String,
    pub last_error: Option<String>,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub created_at: String,
    pub finished_at: Option<String>,
}

impl From<Job> for JobOut {
    fn from(j: Job) -> Self {
        Self {
            id: j.id,
            kind: j.kind,
            state: j.state,
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            run_at: rfc3339(j.run_at),
            last_error: j.last_error,
            payload: j.payload,
            created_at: rfc3339(j.created_at),
            finished_at: rfc3339_opt(j.finished_at),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListJobs {
    /// Comma list of `queued`, `running`, `failed`, `done`, `dead`; default `failed,dead`.
    pub state: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/jobs", tag = "jobs", params(ListJobs),
    responses((status = 200, body = Paginated<JobOut>), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_jobs(
    State(state): State<AppState>,
    Admin(authed): Admin,
    StrictQuery(p): StrictQuery<ListJobs>,
) -> ApiResult<Json<Paginated<JobOut>>> {
    let states = p.state.map(|raw| {
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    });
    let page = PageRequest {
        limit: p.limit,
        cursor: p.cursor,
    };
    let list = state
        .service
        .jobs(&Actor::request(authed.ctx), states, page)
        .await?;
    Ok(Json(list.map(JobOut::from)))
}

/// Sends a failed or dead job back to the queue with fresh attempts.
#[utoipa::path(post, path = "/jobs/{id}/retry", tag = "jobs",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = JobOut), (status = 404, body = crate::error::Problem),
        (status = 409, description = "the job is not failed or dead", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn retry_job(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<JobOut>> {
    let job = state
        .service
        .retry_job(&Actor::request(authed.ctx), id)
        .await?;
    Ok(Json(job.into()))
}
