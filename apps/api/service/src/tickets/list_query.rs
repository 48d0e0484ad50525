//! The ticket list's query language, parsed: comma lists, `me` and `none`, RFC 3339
//! instants, sort names, search words, and the opaque keyset cursor that remembers its sort.

use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use helpdesk_domain::{OrganizationId, Priority, TicketStatus, UserId};
use helpdesk_storage::repo::tickets::{AssigneeFilter, Cursor, SlaFilter, Sort, TicketFilter};
use serde::{Deserialize, Serialize};

use super::list::TicketQuery;
use crate::error::{ServiceError, ServiceResult};

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

pub(super) fn sort_of(raw: Option<&str>) -> ServiceResult<Sort> {
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

pub(super) fn encode_cursor(sort: Sort, c: Cursor) -> String {
    let token = CursorToken {
        s: sort_code(sort).into(),
        k: c.keys,
        i: c.id,
    };
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&token).unwrap_or_default())
}

pub(super) fn decode_cursor(sort: Sort, raw: &str) -> ServiceResult<Cursor> {
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

pub(super) fn filter_of(
    p: &TicketQuery,
    me: Option<UserId>,
    now: i64,
) -> ServiceResult<TicketFilter> {
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
