//! Jobs (admins): the workspace's failed and dead jobs with their error, a retry button
//! each, and how many jobs wait now.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use helpdesk_service::paging::PageRequest;
use helpdesk_storage::repo::jobs::Job;
use jiff::Timestamp;
use serde::Deserialize;
use uuid::Uuid;

use super::Tab;
use crate::display::{self, When};
use crate::error::WebError;
use crate::form::Posted;
use crate::render::{Chrome, html, see_other};
use crate::session::{SignedIn, Staff};
use crate::state::WebState;

#[derive(Debug, Clone)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub attempts: String,
    pub error: String,
    pub when: When,
}

#[derive(Template)]
#[template(path = "admin/jobs.html")]
struct JobsPage {
    chrome: Chrome,
    tabs: Vec<Tab>,
    rows: Vec<JobRow>,
    waiting: String,
    retried: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shown {
    retried: Option<String>,
}

fn row(j: Job, now: Timestamp, tz: &jiff::tz::TimeZone) -> JobRow {
    JobRow {
        id: j.id.to_string(),
        state: j.state,
        attempts: format!("{} of {}", j.attempts, j.max_attempts),
        error: j.last_error.unwrap_or_default(),
        when: display::when(&helpdesk_service::time::rfc3339(j.updated_at), now, tz),
        kind: j.kind,
    }
}

async fn count(state: &WebState, me: &SignedIn, states: &[&str]) -> Result<String, WebError> {
    let page = PageRequest {
        limit: Some(100),
        cursor: None,
    };
    let list = state
        .service
        .jobs(
            &me.actor,
            Some(states.iter().map(|s| (*s).to_owned()).collect()),
            page,
        )
        .await?;
    Ok(if list.next_cursor.is_some() {
        "100 or more".to_owned()
    } else {
        list.items.len().to_string()
    })
}

pub async fn page(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Query(q): Query<Shown>,
) -> Result<Response, WebError> {
    let page = PageRequest {
        limit: Some(100),
        cursor: None,
    };
    let failed = state.service.jobs(&me.actor, None, page).await?;
    let tz = crate::display::zone_of(&me);
    let now = state.service.clock.now();
    html(&JobsPage {
        chrome: Chrome::new(&visit, "admin"),
        tabs: super::tabs(&me, "/admin/jobs"),
        rows: failed.items.into_iter().map(|j| row(j, now, &tz)).collect(),
        waiting: count(&state, &me, &["queued", "running"]).await?,
        retried: q.retried.is_some(),
    })
}

pub async fn retry(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path(id): Path<Uuid>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    state.service.retry_job(&me.actor, id).await?;
    Ok(see_other("/admin/jobs?retried=1"))
}
