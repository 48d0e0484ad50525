//! Saved views in the console: the sidebar's own and team views with their counts, and
//! the editor under the filters that saves the list's current filters as a view, renames
//! one, picks its columns, shares it with the team (admins) or deletes it.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use helpdesk_domain::{Permission, SavedViewId};
use helpdesk_service::ServiceError;
use helpdesk_service::tickets::list::TicketQuery;
use helpdesk_service::tickets::saved_views::{SavedViewInput, SavedViewOut, ViewFilters};
use helpdesk_service::tickets::views::COUNT_CAP;
use serde::Deserialize;

use super::columns::{self, Col, ColumnChoice};
use super::list::{self, Rejected};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::see_other;
use crate::session::{SignedIn, Staff};
use crate::state::WebState;

/// A saved view in the sidebar.
#[derive(Debug, Clone)]
pub struct SavedLink {
    pub id: String,
    pub name: String,
    pub count: String,
    pub current: bool,
}

/// A count as a badge reads it.
pub fn badge(n: u64) -> String {
    if n >= COUNT_CAP {
        format!("{}+", COUNT_CAP - 1)
    } else {
        n.to_string()
    }
}

/// The sidebar's saved views: the caller's own, and the team's.
#[derive(Debug, Clone, Default)]
pub struct SavedLinks {
    pub mine: Vec<SavedLink>,
    pub team: Vec<SavedLink>,
}

/// The caller's own views and the team's, with counts, `current` marked.
pub async fn links(
    state: &WebState,
    me: &SignedIn,
    current: Option<SavedViewId>,
) -> Result<SavedLinks, WebError> {
    let views = state.service.saved_views(&me.actor, true).await?;
    let mut out = SavedLinks::default();
    for v in views {
        let link = SavedLink {
            id: v.id.to_string(),
            current: Some(v.id) == current,
            name: v.name,
            count: badge(v.count.unwrap_or(0)),
        };
        if v.shared {
            out.team.push(link);
        } else {
            out.mine.push(link);
        }
    }
    Ok(out)
}

/// The saved view a list URL names; another agent's or a malformed id is not found.
pub async fn load(state: &WebState, me: &SignedIn, raw: &str) -> Result<SavedViewOut, WebError> {
    let id = raw.parse::<SavedViewId>().map_err(|_| WebError::NotFound)?;
    Ok(state.service.saved_view(&me.actor, id).await?)
}

/// The editor under the filters: a new view from the current filters, or the open one.
#[derive(Debug, Clone)]
pub struct Editor {
    /// The view being edited; none saves a new one.
    pub id: Option<String>,
    pub name: String,
    pub shared: bool,
    pub can_share: bool,
    /// A shared view is changed by admins only; others see who may.
    pub can_edit: bool,
    pub columns: Vec<ColumnChoice>,
    /// The filters a new view takes, as hidden fields.
    pub filters: Vec<(&'static str, String)>,
    /// Shown open (after an error), with the service's errors on its fields.
    pub open: bool,
    pub errors: Errors,
}

impl Editor {
    pub fn new(
        me: &SignedIn,
        saved: Option<&SavedViewOut>,
        query: &TicketQuery,
        cols: &[Col],
        rejected: Option<&Rejected>,
    ) -> Self {
        let can_share = me.actor.ctx.can(Permission::ManageSharedViews);
        let pick = |q: &Option<String>| q.clone().unwrap_or_default();
        let filters = [
            ("status", pick(&query.status)),
            ("priority", pick(&query.priority)),
            ("assignee_id", pick(&query.assignee_id)),
            ("requester_id", pick(&query.requester_id)),
            ("organization_id", pick(&query.organization_id)),
            ("tag", pick(&query.tag)),
            ("q", pick(&query.q)),
            ("sla", pick(&query.sla)),
            ("created_after", pick(&query.created_after)),
            ("created_before", pick(&query.created_before)),
            ("sort", pick(&query.sort)),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        let mut editor = Editor {
            id: saved.map(|s| s.id.to_string()),
            name: saved.map(|s| s.name.clone()).unwrap_or_default(),
            shared: saved.is_some_and(|s| s.shared),
            can_share,
            can_edit: saved.is_none_or(|s| !s.shared || can_share),
            columns: columns::choices(cols),
            filters,
            open: false,
            errors: Errors::default(),
        };
        if let Some(r) = rejected {
            editor.name.clone_from(&r.name);
            editor.shared = r.shared;
            editor.columns = columns::choices(&columns::of(Some(&r.columns)));
            editor.open = true;
            editor.errors = r.errors.clone();
        }
        editor
    }
}

/// The editor's form: the view's name, columns and sharing, and (new views) the filters.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewForm {
    name: String,
    shared: Option<String>,
    #[serde(default)]
    columns: Vec<String>,
    status: Option<String>,
    priority: Option<String>,
    assignee_id: Option<String>,
    requester_id: Option<String>,
    organization_id: Option<String>,
    tag: Option<String>,
    q: Option<String>,
    sla: Option<String>,
    created_after: Option<String>,
    created_before: Option<String>,
    sort: Option<String>,
}

impl ViewForm {
    fn filters(&self) -> ViewFilters {
        ViewFilters {
            status: self.status.clone(),
            priority: self.priority.clone(),
            assignee_id: self.assignee_id.clone(),
            requester_id: self.requester_id.clone(),
            organization_id: self.organization_id.clone(),
            tag: self.tag.clone(),
            q: self.q.clone(),
            sla: self.sla.clone(),
            created_after: self.created_after.clone(),
            created_before: self.created_before.clone(),
        }
    }

    /// The list URL of these filters, to show the list again with the form's errors.
    fn list_query(&self) -> String {
        let f = self.filters();
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [
            ("status", f.status),
            ("priority", f.priority),
            ("assignee_id", f.assignee_id),
            ("organization_id", f.organization_id),
            ("tag", f.tag),
            ("q", f.q),
            ("sort", self.sort.clone()),
        ] {
            pairs.push((k, v.unwrap_or_default()));
        }
        serde_html_form::to_string(&pairs).unwrap_or_default()
    }

    fn rejected(&self, errors: Errors) -> Rejected {
        Rejected {
            errors,
            name: self.name.clone(),
            shared: self.shared.is_some(),
            columns: self.columns.clone(),
        }
    }
}

const LABELS: &[(&str, &str)] = &[("name", "View name"), ("sort", "Sort")];

/// The service's refusal as the editor shows it: on its fields, or over the form.
fn refusal(e: ServiceError) -> Result<Errors, WebError> {
    match e {
        ServiceError::Validation(list) => Ok(Errors::fields(list, LABELS)),
        ServiceError::Conflict(m) => Ok(Errors::general(m)),
        e => Err(e.into()),
    }
}

/// Saves the list's filters as a new view and opens it.
pub async fn create(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Posted(form): Posted<ViewForm>,
) -> Result<Response, WebError> {
    let input = SavedViewInput {
        name: Some(form.name.clone()),
        shared: Some(form.shared.is_some()),
        filters: Some(form.filters()),
        sort: Some(form.sort.clone()),
        columns: Some(form.columns.clone()),
        position: None,
    };
    match state.service.create_saved_view(&me.actor, input).await {
        Ok(v) => Ok(see_other(&format!("/tickets?saved={}", v.id))),
        Err(e) => {
            let rejected = form.rejected(refusal(e)?);
            let raw = form.list_query();
            list::page_with(&state, &visit, &me, &raw, &HeaderMap::new(), Some(rejected)).await
        }
    }
}

/// Renames a view, changes its columns or its sharing.
pub async fn update(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<String>,
    Posted(form): Posted<ViewForm>,
) -> Result<Response, WebError> {
    let view = load(&state, &me, &id).await?;
    let input = SavedViewInput {
        name: Some(form.name.clone()),
        shared: me
            .actor
            .ctx
            .can(Permission::ManageSharedViews)
            .then_some(form.shared.is_some()),
        columns: Some(form.columns.clone()),
        ..SavedViewInput::default()
    };
    match state
        .service
        .update_saved_view(&me.actor, view.id, input)
        .await
    {
        Ok(v) => Ok(see_other(&format!("/tickets?saved={}", v.id))),
        Err(e) => {
            let rejected = form.rejected(refusal(e)?);
            let raw = format!("saved={}", view.id);
            list::page_with(&state, &visit, &me, &raw, &HeaderMap::new(), Some(rejected)).await
        }
    }
}

pub async fn delete(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path(id): Path<String>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    let view = load(&state, &me, &id).await?;
    state.service.delete_saved_view(&me.actor, view.id).await?;
    Ok(see_other("/tickets"))
}
