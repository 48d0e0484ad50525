//! Keyset pages of lists: the `limit` and opaque `cursor` a caller asks with, and the page
//! it gets back with the cursor of the next one.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use helpdesk_storage::repo::Page;
use serde::Serialize;
use uuid::Uuid;

use crate::error::{ServiceError, ServiceResult};

pub const DEFAULT_LIMIT: u64 = 25;
pub const MAX_LIMIT: u64 = 100;

/// What a caller asked for; checked by [`PageRequest::page`].
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

impl PageRequest {
    pub fn page(&self) -> ServiceResult<Page> {
        page(self.limit, self.cursor.as_deref())
    }
}

/// A page of a list: `next_cursor` is null on the last page.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Paginated<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Paginated<T> {
    pub fn map<U>(self, f: impl Fn(T) -> U) -> Paginated<U> {
        Paginated {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

/// Turns a limit and a cursor into a keyset page; bad values are invalid fields.
pub fn page(limit: Option<u64>, cursor: Option<&str>) -> ServiceResult<Page> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ServiceError::invalid(
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
                .ok_or_else(|| ServiceError::invalid("cursor", "is not a cursor this API issued"))
        })
        .transpose()?;
    Ok(Page { limit, after })
}

/// Cuts the extra row a repository fetched and encodes the cursor for the next page.
pub fn paginate<R, T, E>(
    mut rows: Vec<R>,
    page: Page,
    id_of: impl Fn(&R) -> Uuid,
    map: impl Fn(R) -> Result<T, E>,
) -> Result<Paginated<T>, E> {
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

/// [`paginate`] of rows shown as they are.
pub fn paginate_rows<R>(rows: Vec<R>, page: Page, id_of: impl Fn(&R) -> Uuid) -> Paginated<R> {
    match paginate(rows, page, id_of, Ok::<R, std::convert::Infallible>) {
        Ok(p) => p,
        Err(never) => match never {},
    }
}
