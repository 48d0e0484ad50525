//! The incremental export: tickets changed since a cursor, oldest change first, for sync
//! into a data warehouse or PSA. It stays `export_lag` behind the clock so that changes
//! committing late are not skipped.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use helpdesk_domain::Permission;
use helpdesk_storage::repo::tickets;
use serde::Serialize;

use super::list::MAX_LIMIT;
use super::sla_view::SlaClock;
use super::view::TicketOut;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::permissions::require;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportPage {
    pub items: Vec<TicketOut>,
    /// Pass it back to continue; keep it to resume later.
    pub next_cursor: String,
    /// True when this page reached the present: poll again later with `next_cursor`.
    pub end_of_stream: bool,
}

fn decode(raw: &str) -> ServiceResult<(i64, uuid::Uuid)> {
    let bad = || ServiceError::invalid("cursor", "is not an export cursor");
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?;
    let (t, id) = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|s| s.split_once(':'))
        .ok_or_else(bad)?;
    Ok((
        t.parse().map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}

fn encode(t: i64, id: uuid::Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{t}:{id}"))
}

impl Service {
    /// One page of the export after `cursor` (absent: from the beginning).
    pub async fn export_tickets(
        &self,
        actor: &Actor,
        cursor: Option<String>,
        limit: Option<u64>,
    ) -> ServiceResult<ExportPage> {
        require(actor, Permission::WorkTickets)?;
        let limit = limit.unwrap_or(MAX_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ServiceError::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let after = cursor.as_deref().map(decode).transpose()?;
        let lag = i64::try_from(self.settings.export_lag.as_micros()).unwrap_or(0);
        let now = self.now();
        let db = self.store.read();
        let rows = tickets::changed_since(db, &actor.ctx, after, now - lag, limit).await?;
        let end_of_stream = rows.len() < usize::try_from(limit).unwrap_or(usize::MAX);
        let next_cursor = match (rows.last(), cursor) {
            (Some(t), _) => encode(t.updated_at, t.id),
            (None, Some(c)) => c,
            (None, None) => encode(0, uuid::Uuid::nil()),
        };
        let clock = SlaClock::load(db, &actor.ctx, &rows.iter().collect::<Vec<_>>(), now).await?;
        let items = rows
            .into_iter()
            .map(|t| TicketOut::from_row(t, &clock))
            .collect::<ServiceResult<_>>()?;
        Ok(ExportPage {
            items,
            next_cursor,
            end_of_stream,
        })
    }
}
