//! `/jobs` (ADMIN): the workspace's jobs by state — above all the dead letters — and retry.
//! System jobs (maintenance) belong to no workspace and appear here for nobody.

use axum::Json;
use axum::extract::State;
use helpdesk_storage::repo::jobs::{self, Job};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{Paginated, page, paginate, rfc3339, rfc3339_opt};
use crate::error::{ApiError, ApiResult};
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

const STATES: [&str; 5] = ["queued", "running", "failed", "done", "dead"];

#[utoipa::path(get, path = "/jobs", tag = "jobs", params(ListJobs),
    responses((status = 200, body = Paginated<JobOut>), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_jobs(
    State(state): State<AppState>,
    Admin(authed): Admin,
    StrictQuery(p): StrictQuery<ListJobs>,
) -> ApiResult<Json<Paginated<JobOut>>> {
    let raw = p.state.as_deref().unwrap_or("failed,dead");
    let mut states = Vec::new();
    for s in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let known = STATES.iter().find(|k| **k == s).ok_or_else(|| {
            ApiError::invalid(
                "state",
                format!("{s:?} is not one of {}", STATES.join(", ")),
            )
        })?;
        states.push(*known);
    }
    let page = page(p.limit, p.cursor.as_deref())?;
    let rows = jobs::list(
        state.store.read(),
        authed.ctx.workspace_id.as_uuid(),
        &states,
        page,
    )
    .await?;
    Ok(Json(paginate(rows, page, |j| j.id, |j| Ok(j.into()))?))
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
    let scope = authed.ctx.workspace_id.as_uuid();
    let db = state.store.write();
    match jobs::retry(db, scope, id, state.now()).await? {
        Some(j) => {
            state.events.wake_workers().await;
            Ok(Json(j.into()))
        }
        None => match jobs::get(db, scope, id).await? {
            Some(_) => Err(ApiError::Conflict(
                "only failed or dead jobs can be retried".into(),
            )),
            None => Err(ApiError::NotFound),
        },
    }
}
