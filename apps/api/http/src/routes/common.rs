//! Response shapes and helpers shared by the route modules.

use axum::http::HeaderValue;
use axum::response::{IntoResponseParts, ResponseParts};
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
    /// Invited and not yet signed up (no password chosen).
    pub invitation_pending: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl UserOut {
    pub fn from_row(u: User) -> Result<Self, ApiError> {
        let invitation_pending = helpdesk_service::users::access::invitation_pending(&u);
        Ok(Self {
            id: UserId::from_uuid(u.id),
            role: u
                .role
                .parse()
                .map_err(|_| ApiError::Internal(format!("bad role in row {}", u.id).into()))?,
            email: u.email,
            name: u.name,
            organization_id: u.organization_id.map(OrganizationId::from_uuid),
            invitation_pending,
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

pub use helpdesk_service::paging::{DEFAULT_LIMIT, MAX_LIMIT, PageRequest, Paginated};

/// Turns `?limit=&cursor=` into a keyset page; bad values are 422.
pub fn page(limit: Option<u64>, cursor: Option<&str>) -> Result<Page, ApiError> {
    Ok(helpdesk_service::paging::page(limit, cursor)?)
}

/// Cuts the extra row a repository fetched and encodes the cursor for the next page.
pub fn paginate<R, T>(
    rows: Vec<R>,
    page: Page,
    id_of: impl Fn(&R) -> Uuid,
    map: impl Fn(R) -> Result<T, ApiError>,
) -> Result<Paginated<T>, ApiError> {
    helpdesk_service::paging::paginate(rows, page, id_of, map)
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
