//! Ticket lists: filters, sorts, keyset cursors and full-text search, from the query
//! language that the API's query string and the web app's URLs share (every value a string,
//! comma lists, `me` and `none`).

use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use helpdesk_domain::{OrganizationId, Priority, TicketStatus, UserId};
use helpdesk_storage::repo::tickets::{
    self, AssigneeFilter, Cursor, SlaFilter, Sort, TicketFilter,
};
use serde::{Deserialize, Serialize};

use super::sla_view::SlaClock;
use super::view::TicketOut;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};

pub const DEFAULT_LIMIT: u64 = 25;
pub const MAX_LIMIT: u64 = 100;

/// A view of the ticket list as the caller wrote it; every field is parsed here.
#[derive(Debug, Clone, Default)]
pub struct TicketQuery {
    pub status: Option<String>,
    pub priority: Option<String>,
    pub assignee_id: Option<String>,
    pub requester_id: Option<String>,
    pub organization_id: Option<String>,
    pub tag: Option<String>,
    pub q: Option<String>,
    pub created_after: Option<String>,
    pub created_before: Option<String>,
    pub sla: Option<String>,
    pub sort: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// One page of tickets; `next_cursor` is `None` on the last page.
#[derive(Debug)]
pub struct TicketPage {
    pub items: Vec<TicketOut>,
    pub next_cursor: Option<String>,
}

fn list_of<T: FromStr>(field: &str, raw: Option<&str>) -> ServiceResult<Vec<T>>
where
    T::Err: std::fmt::Display,
{
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<T>()
                .map_err(|e| ServiceError::invalid(field, format!("{s:?}: {e}")))
        })
        .collect()
}

fn instant(field: &str, raw: Option<&str>) -> ServiceResult<Option<i64>> {
    raw.map(|s| {
        s.parse::<jiff::Timestamp>()
            .map(helpdesk_domain::time::to_micros)
            .map_err(|_| ServiceError::invalid(field, "must be an RFC 3339 timestamp"))
    })
    .transpose()
}

fn sort_of(raw: Option<&str>) -> ServiceResult<Sort> {
    Ok(match raw.unwrap_or("-created_at") {
        "created_at" => Sort::CreatedAsc,
        "-created_at" => Sort::CreatedDesc,
        "-updated_at" => Sort::UpdatedDesc,
        "-priority" => Sort::PriorityDesc,
        "due" => Sort::Due,
        _ => {
            return Err(ServiceError::invalid(
                "sort",
                "must be one of created_at, -created_at, -updated_at, -priority, due",
            ));
        }
    })
}

fn sort_code(s: Sort) -> &'static str {
    match s {
        Sort::CreatedAsc => "c",
        Sort::CreatedDesc => "-c",
        Sort::UpdatedDesc => "-u",
        Sort::PriorityDesc => "-p",
        Sort::Due => "d",
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct CursorToken {
    s: String,
    k: [i64; 2],
    i: uuid::Uuid,
}

fn encode_cursor(sort: Sort, c: Cursor) -> String {
    let token = CursorToken {
        s: sort_code(sort).into(),
        k: c.keys,
        i: c.id,
    };
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&token).unwrap_or_default())
}

fn decode_cursor(sort: Sort, raw: &str) -> ServiceResult<Cursor> {
    let bad = || ServiceError::invalid("cursor", "is not a cursor of this listing");
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?;
    let token: CursorToken = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if token.s != sort_code(sort) {
        return Err(bad());
    }
    Ok(Cursor {
        keys: token.k,
        id: token.i,
    })
}

/// Words for full-text search: runs of letters and digits, lower-cased.
pub fn search_words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(str::to_lowercase)
        .collect()
}

fn filter_of(p: &TicketQuery, me: Option<UserId>, now: i64) -> ServiceResult<TicketFilter> {
    let sla = match p.sla.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("breached") => Some(SlaFilter::Breached { now }),
        Some("at_risk") => Some(SlaFilter::AtRisk { now }),
        Some(_) => return Err(ServiceError::invalid("sla", "must be breached or at_risk")),
    };
    let assignee = match p.assignee_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("none") => Some(AssigneeFilter::Nobody),
        Some(raw) => {
            let mut ids = Vec::new();
            for part in raw.split(',').map(str::trim) {
                match part {
                    "me" => ids.push(me.ok_or_else(|| {
                        ServiceError::invalid("assignee_id", "`me` needs a user token")
                    })?),
                    other => ids.push(other.parse().map_err(|_| {
                        ServiceError::invalid(
                            "assignee_id",
                            format!("{other:?} is not a user id, me or none"),
                        )
                    })?),
                }
            }
            Some(AssigneeFilter::Any(ids))
        }
    };
    let words = match p.q.as_deref() {
        Some(q) if !q.trim().is_empty() => {
            let w = search_words(q);
            if w.is_empty() {
                return Err(ServiceError::invalid("q", "must contain a word"));
            }
            w
        }
        _ => Vec::new(),
    };
    let tags = list_of::<String>("tag", p.tag.as_deref())?
        .into_iter()
        .map(|t| t.to_lowercase())
        .collect();
    Ok(TicketFilter {
        statuses: list_of::<TicketStatus>("status", p.status.as_deref())?,
        priorities: list_of::<Priority>("priority", p.priority.as_deref())?,
        assignee,
        requesters: list_of::<UserId>("requester_id", p.requester_id.as_deref())?,
        organizations: list_of::<OrganizationId>("organization_id", p.organization_id.as_deref())?,
        tags,
        words,
        created_after: instant("created_after", p.created_after.as_deref())?,
        created_before: instant("created_before", p.created_before.as_deref())?,
        sla,
    })
}

impl Service {
    /// The tickets `actor` may see (customers: their own) that match `p`, one page.
    pub async fn list_tickets(&self, actor: &Actor, p: &TicketQuery) -> ServiceResult<TicketPage> {
        let ctx = &actor.ctx;
        let now = self.now();
        let filter = filter_of(p, ctx.user_id(), now)?;
        let sort = sort_of(p.sort.as_deref())?;
        let limit = p.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ServiceError::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let after = p
            .cursor
            .as_deref()
            .map(|c| decode_cursor(sort, c))
            .transpose()?;
        let db = self.store.read();
        let mut rows = tickets::list(db, ctx, &filter, sort, after, limit).await?;
        let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let next_cursor = more
            .then(|| {
                rows.last()
                    .map(|t| encode_cursor(sort, Cursor::after(t, sort)))
            })
            .flatten();
        let clock = SlaClock::load(db, ctx, &rows.iter().collect::<Vec<_>>(), now).await?;
        let items = rows
            .into_iter()
            .map(|t| TicketOut::from_row(t, &clock))
            .collect::<ServiceResult<_>>()?;
        Ok(TicketPage { items, next_cursor })
    }
}
