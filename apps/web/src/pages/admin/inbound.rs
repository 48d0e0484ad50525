//! Received mail (admins): what came in, by state; held mail released (processed as
//! though the check had passed), failed or ignored mail processed again.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use helpdesk_domain::inbound::InboundState;
use helpdesk_service::inbound::{InboundFilter, InboundOut};
use helpdesk_service::paging::PageRequest;
use serde::Deserialize;
use uuid::Uuid;

use super::Tab;
use crate::error::WebError;
use crate::form::{Empty, Posted};
use crate::pages::console::options::{self, Choice};
use crate::render::{Chrome, html, see_other};
use crate::session::Staff;
use crate::state::WebState;

const STATES: &[(&str, &str)] = &[
    ("", "Everything"),
    ("QUARANTINED", "Held"),
    ("FAILED", "Failed"),
    ("IGNORED", "Ignored"),
    ("PROCESSED", "Processed"),
    ("PENDING", "Waiting"),
];

#[derive(Template)]
#[template(path = "admin/inbound.html")]
struct Page {
    chrome: Chrome,
    tabs: Vec<Tab>,
    states: Vec<Choice>,
    rows: Vec<InboundOut>,
    done: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    state: Option<String>,
    done: Option<String>,
}

pub async fn list(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let current = p.state.clone().unwrap_or_default();
    let filter = InboundFilter {
        state: match current.as_str() {
            "" => None,
            s => Some(
                InboundState::parse(s).ok_or_else(|| WebError::BadForm("unknown state".into()))?,
            ),
        },
        page: PageRequest {
            limit: Some(100),
            cursor: None,
        },
    };
    let rows = state.service.list_inbound(&me.actor, filter).await?.items;
    html(&Page {
        chrome: Chrome::new(&visit, "admin"),
        tabs: super::tabs(&me, "/admin/mailboxes"),
        states: options::choices(STATES, &current),
        rows,
        done: p.done,
    })
}

/// `release` (held mail) or `reprocess` (failed or ignored mail).
pub async fn act(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path((id, what)): Path<(Uuid, String)>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    match what.as_str() {
        "release" => state.service.release_inbound(&me.actor, id).await?,
        "reprocess" => state.service.reprocess_inbound(&me.actor, id).await?,
        _ => return Err(WebError::NotFound),
    };
    Ok(see_other(&format!("/admin/inbound?done={what}")))
}
