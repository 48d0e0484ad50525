//! Instants as the service shows them, and instants computed from the injected clock.

use helpdesk_domain::time::{Clock, from_micros, to_micros};

use crate::error::{ServiceError, ServiceResult};

/// RFC 3339 in UTC, e.g. `2026-11-27T10:15:00Z`.
pub fn rfc3339(micros: i64) -> String {
    from_micros(micros).to_string()
}

pub fn rfc3339_opt(micros: Option<i64>) -> Option<String> {
    micros.map(rfc3339)
}

/// The stored instant `ttl` after the clock's now.
pub fn expires_in(clock: &dyn Clock, ttl: std::time::Duration) -> ServiceResult<i64> {
    let ttl = jiff::SignedDuration::try_from(ttl).map_err(ServiceError::internal)?;
    let at = clock
        .now()
        .checked_add(ttl)
        .map_err(ServiceError::internal)?;
    Ok(to_micros(at))
}
