//! The console's ticket list: the sidebar's views with counts, the filter bar, one page of
//! rows and the link to the next. The URL holds the whole view; htmx asks for the results
//! fragment only, and the page works without it.

use askama::Template;
use axum::http::HeaderMap;
use axum::response::Response;
use helpdesk_service::ServiceError;
use helpdesk_service::tickets::list::TicketQuery;
use helpdesk_service::tickets::views::View;
use serde::{Deserialize, Serialize};

use super::columns::{self, Col};
use super::options::{self, Choice};
use super::rows::{Row, ids_of};
use super::saved::{self, Editor, SavedLinks};
use crate::error::WebError;
use crate::form::Errors;
use crate::render::{Chrome, html, html_status};
use crate::session::{SignedIn, Visit, is_htmx};
use crate::state::WebState;

/// The list's URL parameters.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    /// A saved view's id: its filters, sort and columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// The outcome of a bulk action, shown once.
    #[serde(skip_serializing)]
    pub report: Option<String>,
    #[serde(skip_serializing)]
    pub welcome: Option<String>,
}

impl ListParams {
    /// The view this URL names: a built-in one, or the filters as given when `custom` (the
    /// URL names any filter, even empty), else All open.
    fn query(&self, custom: bool) -> (Option<View>, TicketQuery) {
        let view = self.view.as_deref().and_then(View::from_slug);
        let (view, mut q) = match view {
            Some(v) => (Some(v), v.query()),
            None if custom => (None, TicketQuery::default()),
            None => (Some(View::AllOpen), View::AllOpen.query()),
        };
        if view.is_none() {
            let given = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
            q.status = given(&self.status);
            q.priority = given(&self.priority);
            q.assignee_id = given(&self.assignee_id);
            q.organization_id = given(&self.organization_id);
            q.tag = given(&self.tag);
            q.q = given(&self.q);
            q.sort = given(&self.sort);
        }
        q.cursor = self.cursor.clone().filter(|c| !c.is_empty());
        (view, q)
    }
}

/// The parameters that make a custom view.
const FILTER_KEYS: [&str; 7] = [
    "status",
    "priority",
    "assignee_id",
    "organization_id",
    "tag",
    "q",
    "sort",
];

/// A sidebar entry.
#[derive(Debug, Clone)]
pub struct ViewLink {
    pub slug: &'static str,
    pub label: &'static str,
    pub count: String,
    pub current: bool,
}

/// The part htmx swaps: the bulk bar, the rows and the pager.
#[derive(Debug, Clone)]
pub struct Results {
    pub rows: Vec<Row>,
    pub next_url: Option<String>,
    pub return_to: String,
    pub heading: String,
    pub staff: Vec<(String, String)>,
    pub statuses: Vec<(&'static str, &'static str)>,
    pub priorities: &'static [(&'static str, &'static str)],
    pub macros: Vec<(String, String)>,
    pub columns: Vec<Col>,
    /// Saves these filters as a view, or edits the open one (swapped with the rows, so it
    /// always holds the filters shown).
    pub editor: Editor,
}

/// A view editor's form the service refused: shown again, open, with its errors.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub errors: Errors,
    pub name: String,
    pub shared: bool,
    pub columns: Vec<String>,
}

#[derive(Template)]
#[template(path = "console/list.html")]
struct ListPage {
    chrome: Chrome,
    views: Vec<ViewLink>,
    saved: SavedLinks,
    status: Vec<Choice>,
    priority: Vec<Choice>,
    assignee: Vec<Choice>,
    organization: Vec<Choice>,
    sort: Vec<Choice>,
    tag: String,
    q: String,
    results: Results,
    errors: Errors,
    report: Option<String>,
    welcome: bool,
}

#[derive(Template)]
#[template(path = "console/results_fragment.html")]
struct ResultsFragment {
    chrome: Chrome,
    results: Results,
}

pub async fn page(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    raw: &str,
    headers: &HeaderMap,
) -> Result<Response, WebError> {
    page_with(state, visit, me, raw, headers, None).await
}

/// The list, with the view editor's refused form when there is one.
pub async fn page_with(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    raw: &str,
    headers: &HeaderMap,
    rejected: Option<Rejected>,
) -> Result<Response, WebError> {
    let params: ListParams = serde_html_form::from_str(raw)
        .map_err(|e| WebError::BadForm(format!("the address has an unknown part ({e})")))?;
    // A filter given empty ("any status") still makes the view a custom one.
    let pairs: Vec<(String, String)> = serde_html_form::from_str(raw).unwrap_or_default();
    let custom = pairs.iter().any(|(k, _)| FILTER_KEYS.contains(&k.as_str()));
    let saved = match params.saved.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => Some(saved::load(state, me, id).await?),
        None => None,
    };
    let (view, query) = match &saved {
        Some(s) => {
            let mut q = s.query();
            q.cursor = params.cursor.clone().filter(|c| !c.is_empty());
            (None, q)
        }
        None => params.query(custom),
    };
    let cols = columns::of(saved.as_ref().map(|s| s.columns.as_slice()));
    let svc = &state.service;
    let actor = &me.actor;
    let mut errors = Errors::default();
    let page = match svc.list_tickets(actor, &query).await {
        Ok(p) => p,
        Err(ServiceError::Validation(list)) => {
            errors = Errors::fields(list, &[]);
            svc.list_tickets(actor, &View::AllOpen.query()).await?
        }
        Err(e) => return Err(e.into()),
    };
    let (user_ids, org_ids) = ids_of(&page.items);
    let names = svc.names(actor, &user_ids, &org_ids).await?;
    let tz = crate::display::zone_of(me);
    let now = svc.clock.now();
    let rows = page
        .items
        .iter()
        .map(|t| Row::new(t, &names, now, &tz))
        .collect();
    let mut next = params.clone();
    next.cursor = page.next_cursor.clone();
    let staff = options::staff(svc, actor).await?;
    let mut here = params.clone();
    here.report = None;
    let results = Results {
        rows,
        next_url: page.next_cursor.as_ref().map(|_| url(&next)),
        return_to: url(&here),
        heading: match (&saved, view) {
            (Some(s), _) => s.name.clone(),
            (None, Some(v)) => v.label().to_owned(),
            (None, None) => "Search results".to_owned(),
        },
        staff: staff.clone(),
        statuses: options::statuses(),
        priorities: options::PRIORITIES,
        macros: super::macros::load(state, me, None).await?.0,
        columns: cols.clone(),
        editor: Editor::new(me, saved.as_ref(), &query, &cols, rejected.as_ref()),
    };
    let chrome = Chrome::new(visit, "tickets");
    if is_htmx(headers) && headers.get("hx-target").is_some_and(|t| t == "results") {
        return html(&ResultsFragment { chrome, results });
    }
    let views = view_links(state, me, view).await?;
    let saved_links = saved::links(state, me, saved.as_ref().map(|s| s.id)).await?;
    let status = if rejected.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    if let Some(r) = rejected {
        errors = r.errors;
    }
    let orgs = options::organizations(svc, actor).await?;
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    html_status(
        status,
        &ListPage {
            chrome,
            views,
            saved: saved_links,
            status: options::choices(options::STATUS_FILTERS, &value(&query.status)),
            priority: options::choices(options::PRIORITY_FILTERS, &value(&query.priority)),
            assignee: options::named(
                &[("", "Anyone"), ("me", "Me"), ("none", "Unassigned")],
                &staff,
                &value(&query.assignee_id),
            ),
            organization: options::named(
                &[("", "Any organization")],
                &orgs,
                &value(&query.organization_id),
            ),
            sort: options::choices(options::SORTS, &value(&query.sort)),
            tag: value(&query.tag),
            q: value(&query.q),
            results,
            errors,
            report: params.report.clone(),
            welcome: params.welcome.is_some(),
        },
    )
}

async fn view_links(
    state: &WebState,
    me: &SignedIn,
    current: Option<View>,
) -> Result<Vec<ViewLink>, WebError> {
    let counts = state.service.view_counts(&me.actor).await?;
    Ok(counts
        .into_iter()
        .map(|(v, n)| ViewLink {
            slug: v.slug(),
            label: v.label(),
            count: saved::badge(n),
            current: Some(v) == current,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "console/views.html")]
struct ViewsFragment {
    views: Vec<ViewLink>,
    saved: SavedLinks,
}

#[derive(Debug, Deserialize)]
pub struct CountsQuery {
    view: Option<String>,
    saved: Option<String>,
}

/// The sidebar's views with fresh counts, for live updates.
pub async fn counts(
    axum::extract::State(state): axum::extract::State<WebState>,
    crate::session::Staff(_, me): crate::session::Staff,
    axum::extract::Query(q): axum::extract::Query<CountsQuery>,
) -> Result<Response, WebError> {
    let current = q.view.as_deref().and_then(View::from_slug);
    let saved_id = q.saved.as_deref().and_then(|s| s.parse().ok());
    html(&ViewsFragment {
        views: view_links(&state, &me, current).await?,
        saved: saved::links(&state, &me, saved_id).await?,
    })
}

/// The list's URL for `p`.
pub fn url(p: &ListParams) -> String {
    match serde_html_form::to_string(p) {
        Ok(q) if !q.is_empty() => format!("/tickets?{q}"),
        _ => "/tickets".to_owned(),
    }
}
