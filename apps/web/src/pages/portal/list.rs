//! "My requests": the customer's tickets, open first, searchable.

use askama::Template;
use axum::response::Response;
use helpdesk_service::tickets::list::TicketQuery;
use serde::Deserialize;

use crate::display::{self, Pill, When, when};
use crate::error::WebError;
use crate::render::{Chrome, html};
use crate::session::{SignedIn, Visit};
use crate::state::WebState;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default)]
    q: String,
    /// `open` (default) or `closed`.
    #[serde(default)]
    show: String,
    #[serde(default)]
    cursor: String,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub number: i64,
    pub subject: String,
    pub status: Pill,
    pub updated: When,
}

#[derive(Template)]
#[template(path = "portal/list.html")]
struct ListPage {
    chrome: Chrome,
    q: String,
    closed: bool,
    requests: Vec<Request>,
    next_url: Option<String>,
}

pub async fn page(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    raw: &str,
) -> Result<Response, WebError> {
    let p: Params = serde_html_form::from_str(raw).map_err(|e| WebError::BadForm(e.to_string()))?;
    let closed = p.show == "closed";
    let query = TicketQuery {
        status: Some(
            if closed {
                "RESOLVED,CLOSED"
            } else {
                "NEW,OPEN,PENDING,ON_HOLD"
            }
            .to_owned(),
        ),
        q: Some(p.q.clone()).filter(|q| !q.trim().is_empty()),
        sort: Some("-updated_at".to_owned()),
        cursor: Some(p.cursor.clone()).filter(|c| !c.is_empty()),
        ..TicketQuery::default()
    };
    let page = state.service.list_tickets(&me.actor, &query).await?;
    let tz = crate::display::zone_of(me);
    let now = state.service.clock.now();
    let requests = page
        .items
        .iter()
        .map(|t| Request {
            number: t.number,
            subject: t.subject.clone(),
            status: display::customer_status(t.status),
            updated: when(&t.updated_at, now, &tz),
        })
        .collect();
    let next_url = page.next_cursor.map(|c| {
        let pairs = [
            ("q", p.q.as_str()),
            ("show", p.show.as_str()),
            ("cursor", c.as_str()),
        ];
        format!(
            "/tickets?{}",
            serde_html_form::to_string(pairs).unwrap_or_default()
        )
    });
    html(&ListPage {
        chrome: Chrome::new(visit, "tickets"),
        q: p.q,
        closed,
        requests,
        next_url,
    })
}
