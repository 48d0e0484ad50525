//! Ticket lists: filters, sorts, keyset cursors and full-text search, from the query
//! language that the API's query string and the web app's URLs share (every value a string,
//! comma lists, `me` and `none`).

use helpdesk_storage::repo::tickets::{self, Cursor};
use serde::Deserialize;

use super::list_query::{decode_cursor, encode_cursor, filter_of, sort_of};
use super::sla_view::SlaClock;
use super::view::TicketOut;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};

pub const DEFAULT_LIMIT: u64 = 25;
pub const MAX_LIMIT: u64 = 100;

/// A view of the ticket list as the caller wrote it (the API's query string, the web app's
/// URL); every field is parsed here.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TicketQuery {
    /// Comma list: `NEW,OPEN`.
    pub status: Option<String>,
    /// Comma list: `HIGH,URGENT`.
    pub priority: Option<String>,
    /// Comma list of user ids, or `me`, or `none` (unassigned).
    pub assignee_id: Option<String>,
    /// Comma list of user ids.
    pub requester_id: Option<String>,
    /// Comma list of organization ids.
    pub organization_id: Option<String>,
    /// Comma list: tickets carrying any of these tags.
    pub tag: Option<String>,
    /// Full text over subject, description and messages (internal notes: staff only).
    pub q: Option<String>,
    /// RFC 3339; inclusive.
    pub created_after: Option<String>,
    /// RFC 3339; exclusive.
    pub created_before: Option<String>,
    /// `breached` (a current SLA cycle breached, or a running deadline is past) or
    /// `at_risk` (a running clock passed its policy's `warn_at_percent`, none breached).
    pub sla: Option<String>,
    /// `created_at`, `-created_at` (default), `-updated_at`, `-priority`, `due` (earliest
    /// running SLA deadline first; tickets without one last).
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
        let mut rows = tickets::list(&self.store, ctx, &filter, sort, after, limit).await?;
        let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let next_cursor = more
            .then(|| {
                rows.last()
                    .map(|t| encode_cursor(sort, Cursor::after(t, sort)))
            })
            .flatten();
        let clock = SlaClock::load(
            self.store.read(),
            ctx,
            &rows.iter().collect::<Vec<_>>(),
            now,
        )
        .await?;
        let items = rows
            .into_iter()
            .map(|t| TicketOut::from_row(t, &clock))
            .collect::<ServiceResult<_>>()?;
        Ok(TicketPage { items, next_cursor })
    }
}
