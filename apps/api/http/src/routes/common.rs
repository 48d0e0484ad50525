//! Response shapes and helpers shared by the route modules.

use axum::http::HeaderValue;
use axum::response::{IntoResponseParts, ResponseParts};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use helpdesk_domain::{OrganizationId, Role, UserId, WorkspaceId};
use helpdesk_storage::repo::{Page, users::User, workspaces::Workspace};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use crate::error::ApiError;
use crate::ratelimit::Decision;

pub use helpdesk_service::time::{rfc3339, rfc3339_opt};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserOut {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organization_id: Option<OrganizationId>,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl UserOut {
    pub fn from_row(u: User) -> Result<Self, ApiError> {
        Ok(Self {
            id: UserId::from_uuid(u.id),
            role: u
                .role
                .parse()
                .map_err(|_| ApiError::Internal(format!("bad role in row {}", u.id).into()))?,
            email: u.email,
            name: u.name,
            organization_id: u.organization_id.map(OrganizationId::from_uuid),
            active: u.active,
            created_at: rfc3339(u.created_at),
            updated_at: rfc3339(u.updated_at),
        })
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkspaceOut {
    pub id: WorkspaceId,
    pub name: String,
    pub slug: String,
}

impl From<Workspace> for WorkspaceOut {
    fn from(w: Workspace) -> Self {
        Self {
            id: WorkspaceId::from_uuid(w.id),
            name: w.name,
            slug: w.slug,
        }
    }
}

/// A page of a list: `next_cursor` is null on the last page.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Paginated<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

pub const DEFAULT_LIMIT: u64 = 25;
pub const MAX_LIMIT: u64 = 100;

/// Turns `?limit=&cursor=` into a keyset page; bad values are 422.
pub fn page(limit: Option<u64>, cursor: Option<&str>) -> Result<Page, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let after = cursor
        .map(|c| {
            URL_SAFE_NO_PAD
                .decode(c)
                .ok()
                .and_then(|b| Uuid::from_slice(&b).ok())
                .ok_or_else(|| ApiError::invalid("cursor", "is not a cursor this API issued"))
        })
        .transpose()?;
    Ok(Page { limit, after })
}

/// Cuts the extra row a repository fetched and encodes the cursor for the next page.
pub fn paginate<R, T>(
    mut rows: Vec<R>,
    page: Page,
    id_of: impl Fn(&R) -> Uuid,
    map: impl Fn(R) -> Result<T, ApiError>,
) -> Result<Paginated<T>, ApiError> {
    let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last()
            .map(|r| URL_SAFE_NO_PAD.encode(id_of(r).as_bytes()))
    } else {
        None
    };
    Ok(Paginated {
        items: rows.into_iter().map(map).collect::<Result<_, _>>()?,
        next_cursor,
    })
}

/// For PATCH bodies: absent → `None`, `null` → `Some(None)`, a value → `Some(Some(v))`.
pub fn double_option<'de, D, T>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(de).map(Some)
}

/// `RateLimit-Limit` / `RateLimit-Remaining` on rate-limited endpoints.
#[derive(Debug, Clone, Copy)]
pub struct RateHeaders(pub Decision);

impl IntoResponseParts for RateHeaders {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        let h = res.headers_mut();
        h.insert("ratelimit-limit", HeaderValue::from(self.0.limit));
        h.insert("ratelimit-remaining", HeaderValue::from(self.0.remaining));
        Ok(res)
    }
}
