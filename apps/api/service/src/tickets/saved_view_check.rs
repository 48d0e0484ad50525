//! Checking a saved view as written, over the view it changes: every filter by the
//! ticket list's own parser (each alone, so every bad one is named), the sort, the
//! columns, the position, and names unique among the views one sidebar shows together.

use helpdesk_domain::{UserId, text};
use helpdesk_storage::repo::saved_views::{SavedView, ViewFields};

use super::list_query::{filter_of, sort_of};
use super::saved_views::{
    COLUMNS, DEFAULT_COLUMNS, MAX_VIEWS, SavedViewInput, SavedViewOut, ViewFilters, query_of,
};
use crate::error::{FieldError, ServiceError, ServiceResult};

/// Every part of `input` over `current`, checked against the list language and the
/// caller's other views.
pub(super) fn fields(
    me: UserId,
    current: Option<&SavedViewOut>,
    input: SavedViewInput,
    others: &[SavedView],
    now: i64,
) -> ServiceResult<ViewFields> {
    let mut errors = Vec::new();
    let name = input
        .name
        .or_else(|| current.map(|c| c.name.clone()))
        .unwrap_or_default();
    let name = text::bounded(&name, 1, 100).unwrap_or_else(|e| {
        errors.push(FieldError::new("name", e.to_string()));
        String::new()
    });
    let shared = input.shared.or(current.map(|c| c.shared)).unwrap_or(false);
    let filters = input
        .filters
        .map(ViewFilters::tidy)
        .or_else(|| current.map(|c| c.filters.clone()))
        .unwrap_or_default();
    let sort = match input.sort {
        Some(s) => s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
        None => current.and_then(|c| c.sort.clone()),
    };
    let columns = input
        .columns
        .or_else(|| current.map(|c| c.columns.clone()))
        .unwrap_or_else(|| DEFAULT_COLUMNS.map(str::to_owned).to_vec());
    // The list's own parser decides, so a saved view always opens; one filter at a time,
    // so every bad one is named.
    for single in filters.one_by_one()? {
        if let Err(ServiceError::Validation(list)) =
            filter_of(&query_of(&single, None), Some(me), now)
        {
            errors.extend(
                list.into_iter()
                    .map(|e| FieldError::new(format!("filters.{}", e.field), e.message)),
            );
        }
    }
    if let Err(ServiceError::Validation(list)) = sort_of(sort.as_deref()) {
        errors.extend(list);
    }
    for (i, c) in columns.iter().enumerate() {
        if !COLUMNS.contains(&c.as_str()) {
            errors.push(FieldError::new(
                format!("columns[{i}]"),
                format!("must be one of {}", COLUMNS.join(", ")),
            ));
        } else if columns[..i].contains(c) {
            errors.push(FieldError::new(format!("columns[{i}]"), "is listed twice"));
        }
    }
    let position = input.position.or(current.map(|c| c.position)).unwrap_or(0);
    if !(0..=10_000).contains(&position) {
        errors.push(FieldError::new("position", "must be between 0 and 10000"));
    }
    // Names are unique among the views one sidebar shows together.
    let same_scope = |v: &&SavedView| {
        current.is_none_or(|c| c.id.as_uuid() != v.id)
            && v.shared == shared
            && (shared || v.owner_id == me.as_uuid())
    };
    let scope: Vec<&SavedView> = others.iter().filter(same_scope).collect();
    if !name.is_empty() && scope.iter().any(|v| v.name.eq_ignore_ascii_case(&name)) {
        errors.push(FieldError::new("name", "another view here has this name"));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Validation(errors));
    }
    if current.is_none_or(|c| c.shared != shared) && scope.len() >= MAX_VIEWS {
        let whose = if shared { "the team has" } else { "you have" };
        return Err(ServiceError::Conflict(format!(
            "{whose} {MAX_VIEWS} views already; delete one first"
        )));
    }
    Ok(ViewFields {
        // A view an admin takes back from the team becomes theirs.
        owner_id: match current {
            Some(c) if c.shared && !shared => me,
            Some(c) => c.owner_id,
            None => me,
        },
        shared,
        name,
        filters: serde_json::to_value(&filters).map_err(ServiceError::internal)?,
        sort,
        columns: serde_json::to_value(&columns).map_err(ServiceError::internal)?,
        position,
    })
}
