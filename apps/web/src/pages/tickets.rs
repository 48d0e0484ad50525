//! Ticket URLs that staff and customers share (`/tickets`, `/tickets/new`,
//! `/tickets/{number}`): each resolves to the console's page for staff and the portal's for
//! customers, so links in emails work for everyone.

use axum::extract::{Path, Query, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::{console, portal};
use crate::error::WebError;
use crate::form::Errors;
use crate::session::Member;
use crate::state::WebState;
use crate::upload::WithFiles;

pub async fn list(
    State(state): State<WebState>,
    Member(visit, me): Member,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let query = query.unwrap_or_default();
    if me.is_staff() {
        console::list::page(&state, &visit, &me, &query, &headers).await
    } else {
        portal::list::page(&state, &visit, &me, &query).await
    }
}

pub async fn new_form(
    State(state): State<WebState>,
    Member(visit, me): Member,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    if me.is_staff() {
        console::new::form(&state, &visit, &me, query.as_deref().unwrap_or("")).await
    } else {
        portal::new::form(&visit)
    }
}

pub async fn create(
    State(state): State<WebState>,
    Member(visit, me): Member,
    form: WithFiles,
) -> Result<Response, WebError> {
    if me.is_staff() {
        console::new::create(&state, &visit, &me, form).await
    } else {
        portal::new::create(&state, &visit, &me, form).await
    }
}

/// What a ticket page may be told in its URL: files a create could not attach.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowQuery {
    not_attached: Option<String>,
    /// A macro to preview (staff).
    #[serde(rename = "macro")]
    preview: Option<String>,
}

pub async fn show(
    State(state): State<WebState>,
    Member(visit, me): Member,
    Path(number): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    let errors = match q.not_attached {
        Some(f) => Errors::general(format!(
            "The ticket was created, but these files could not be attached: {f}."
        )),
        None => Errors::default(),
    };
    if me.is_staff() {
        let preview = q.preview.as_deref().and_then(|m| m.parse().ok());
        console::ticket::page(&state, &visit, &me, number, errors, preview).await
    } else {
        portal::ticket::page(&state, &visit, &me, number, errors).await
    }
}

pub async fn reply(
    State(state): State<WebState>,
    Member(visit, me): Member,
    Path(number): Path<String>,
    form: WithFiles,
) -> Result<Response, WebError> {
    let number = ticket_number(&number)?;
    if me.is_staff() {
        console::ticket::reply(&state, &visit, &me, number, form).await
    } else {
        portal::ticket::reply(&state, &visit, &me, number, form).await
    }
}

/// The conversation of a ticket alone (live updates append what is new).
pub async fn conversation(
    State(state): State<WebState>,
    Member(_, me): Member,
    Path(number): Path<String>,
) -> Result<Response, WebError> {
    super::conversation::fragment(&state, &me, ticket_number(&number)?).await
}

/// A ticket's number as in its URL; anything else is no page.
pub fn ticket_number(raw: &str) -> Result<i64, WebError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or(WebError::NotFound)
}

/// Parses form pairs into `T` (unknown fields refused), for pages whose form depends on
/// the role.
pub fn parse_form<T: serde::de::DeserializeOwned>(
    pairs: Vec<(String, String)>,
) -> Result<T, WebError> {
    let encoded = serde_html_form::to_string(&pairs)
        .map_err(|_| WebError::BadForm("the form could not be read".into()))?;
    serde_html_form::from_str(&encoded).map_err(|e| WebError::BadForm(e.to_string()))
}
