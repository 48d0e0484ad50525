//! Saved views: a named ticket-list query (filters in the list language, a sort, the
//! columns to show) that an agent keeps for themself, or an admin shares with the team.
//! Another agent's personal view does not exist for the caller (404), like another
//! workspace's; a shared view is read by all staff and changed by admins only.

use helpdesk_domain::{Permission, SavedViewId, UserId, text};
use helpdesk_storage::repo::saved_views::{self, SavedView, ViewFields};
use helpdesk_storage::repo::tickets;
use serde::{Deserialize, Serialize};

use super::list::TicketQuery;
use super::list_query::{filter_of, sort_of};
use super::views::COUNT_CAP;
use crate::Service;
use crate::actor::Actor;
use crate::error::{FieldError, ServiceError, ServiceResult};
use crate::permissions::require;
use crate::time::rfc3339;

/// Personal views per agent, and shared views per workspace.
pub const MAX_VIEWS: usize = 50;

/// The list's columns a view may show, in their default order (the ticket's number and
/// subject are always shown first).
pub const COLUMNS: [&str; 7] = [
    "requester",
    "status",
    "priority",
    "assignee",
    "sla",
    "updated",
    "created",
];

/// The columns of a view that names none.
pub const DEFAULT_COLUMNS: [&str; 6] = [
    "requester",
    "status",
    "priority",
    "assignee",
    "sla",
    "updated",
];

/// A view's filters: the ticket list's query parameters, with the same meaning (`me` is
/// whoever opens the view).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ViewFilters {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sla: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_before: Option<String>,
}

impl ViewFilters {
    /// Each filter given, alone.
    fn one_by_one(&self) -> ServiceResult<Vec<ViewFilters>> {
        let serde_json::Value::Object(all) =
            serde_json::to_value(self).map_err(ServiceError::internal)?
        else {
            return Ok(Vec::new());
        };
        all.into_iter()
            .map(|(k, v)| {
                let one = serde_json::Value::Object([(k, v)].into_iter().collect());
                serde_json::from_value(one).map_err(ServiceError::internal)
            })
            .collect()
    }

    /// Blank values dropped, the rest trimmed.
    fn tidy(self) -> Self {
        let t = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        Self {
            status: t(self.status),
            priority: t(self.priority),
            assignee_id: t(self.assignee_id),
            requester_id: t(self.requester_id),
            organization_id: t(self.organization_id),
            tag: t(self.tag),
            q: t(self.q),
            sla: t(self.sla),
            created_after: t(self.created_after),
            created_before: t(self.created_before),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SavedViewOut {
    pub id: SavedViewId,
    pub name: String,
    /// Shared with every agent of the workspace (changed by admins), or the owner's own.
    pub shared: bool,
    pub owner_id: UserId,
    pub filters: ViewFilters,
    /// As the list's `sort`; none means newest first.
    pub sort: Option<String>,
    pub columns: Vec<String>,
    /// Sidebar order, lowest first.
    pub position: i64,
    /// How many tickets the view holds now, up to 1,000 (`?counts=true` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    pub created_at: String,
    pub updated_at: String,
}

impl SavedViewOut {
    /// The view as a list query (its first page).
    pub fn query(&self) -> TicketQuery {
        query_of(&self.filters, self.sort.clone())
    }
}

fn query_of(filters: &ViewFilters, sort: Option<String>) -> TicketQuery {
    let f = filters.clone();
    TicketQuery {
        status: f.status,
        priority: f.priority,
        assignee_id: f.assignee_id,
        requester_id: f.requester_id,
        organization_id: f.organization_id,
        tag: f.tag,
        q: f.q,
        sla: f.sla,
        created_after: f.created_after,
        created_before: f.created_before,
        sort,
        ..TicketQuery::default()
    }
}

fn out(v: SavedView) -> ServiceResult<SavedViewOut> {
    let corrupt = |_| ServiceError::corrupt("a saved view's stored JSON");
    Ok(SavedViewOut {
        id: SavedViewId::from_uuid(v.id),
        name: v.name,
        shared: v.shared,
        owner_id: UserId::from_uuid(v.owner_id),
        filters: serde_json::from_value(v.filters).map_err(corrupt)?,
        sort: v.sort,
        columns: serde_json::from_value(v.columns).map_err(corrupt)?,
        position: v.position,
        count: None,
        created_at: rfc3339(v.created_at),
        updated_at: rfc3339(v.updated_at),
    })
}

/// A view as written; on update, absent fields keep their value.
#[derive(Debug, Clone, Default)]
pub struct SavedViewInput {
    pub name: Option<String>,
    pub shared: Option<bool>,
    pub filters: Option<ViewFilters>,
    /// `Some(None)` goes back to newest first.
    pub sort: Option<Option<String>>,
    pub columns: Option<Vec<String>>,
    pub position: Option<i64>,
}

/// The user a view belongs to: views are people's, not API keys'.
fn person(actor: &Actor) -> ServiceResult<UserId> {
    actor.ctx.user_id().ok_or(ServiceError::Forbidden)
}

/// Whether `viewer` may see `v` at all (else it does not exist for them).
fn sees(v: &SavedView, viewer: Option<UserId>) -> bool {
    v.shared || viewer.is_some_and(|u| u.as_uuid() == v.owner_id)
}

/// Every part of `input` over `current`, checked against the list language and the
/// caller's other views.
fn fields(
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

impl Service {
    /// The views `actor` sees (the shared ones and their own), in sidebar order; with
    /// `counts`, how many tickets each holds now.
    pub async fn saved_views(
        &self,
        actor: &Actor,
        counts: bool,
    ) -> ServiceResult<Vec<SavedViewOut>> {
        require(actor, Permission::WorkTickets)?;
        let ctx = &actor.ctx;
        let db = self.store.read();
        let me = ctx.user_id();
        // An API key sees the shared ones.
        let rows = saved_views::visible(db, ctx, me).await?;
        let now = self.now();
        let mut out_list = Vec::with_capacity(rows.len());
        for row in rows {
            let mut v = out(row)?;
            if counts {
                // A view whose filter no longer parses (a deleted user's id stays valid
                // text, so this is only a view made before a language change) counts 0.
                v.count = Some(match filter_of(&v.query(), me, now) {
                    Ok(f) => tickets::count(db, ctx, &f, COUNT_CAP).await?,
                    Err(_) => 0,
                });
            }
            out_list.push(v);
        }
        Ok(out_list)
    }

    pub async fn saved_view(&self, actor: &Actor, id: SavedViewId) -> ServiceResult<SavedViewOut> {
        require(actor, Permission::WorkTickets)?;
        let v = saved_views::get(self.store.read(), &actor.ctx, id).await?;
        if !sees(&v, actor.ctx.user_id()) {
            return Err(ServiceError::NotFound);
        }
        out(v)
    }

    pub async fn create_saved_view(
        &self,
        actor: &Actor,
        input: SavedViewInput,
    ) -> ServiceResult<SavedViewOut> {
        require(actor, Permission::WorkTickets)?;
        let me = person(actor)?;
        if input.shared == Some(true) {
            require(actor, Permission::ManageSharedViews)?;
        }
        let tx = self.begin().await?;
        let others = saved_views::visible(&tx, &actor.ctx, Some(me)).await?;
        let f = fields(me, None, input, &others, self.now())?;
        let row = saved_views::create(&tx, &actor.ctx, f, self.now()).await?;
        tx.commit().await?;
        out(row)
    }

    pub async fn update_saved_view(
        &self,
        actor: &Actor,
        id: SavedViewId,
        input: SavedViewInput,
    ) -> ServiceResult<SavedViewOut> {
        require(actor, Permission::WorkTickets)?;
        let tx = self.begin().await?;
        let row = saved_views::get(&tx, &actor.ctx, id).await?;
        if !sees(&row, actor.ctx.user_id()) {
            return Err(ServiceError::NotFound);
        }
        if row.shared || input.shared == Some(true) {
            require(actor, Permission::ManageSharedViews)?;
        }
        // An admin's API key edits shared views in place; taking one back needs a person.
        let me = match actor.ctx.user_id() {
            Some(me) => me,
            None if input.shared != Some(false) => UserId::from_uuid(row.owner_id),
            None => return Err(ServiceError::Forbidden),
        };
        let others = saved_views::visible(&tx, &actor.ctx, Some(me)).await?;
        let current = out(row)?;
        let f = fields(me, Some(&current), input, &others, self.now())?;
        let row = saved_views::replace(&tx, &actor.ctx, id, f, self.now()).await?;
        tx.commit().await?;
        out(row)
    }

    pub async fn delete_saved_view(&self, actor: &Actor, id: SavedViewId) -> ServiceResult<()> {
        require(actor, Permission::WorkTickets)?;
        let tx = self.begin().await?;
        let row = saved_views::get(&tx, &actor.ctx, id).await?;
        if !sees(&row, actor.ctx.user_id()) {
            return Err(ServiceError::NotFound);
        }
        if row.shared {
            require(actor, Permission::ManageSharedViews)?;
        }
        saved_views::delete(&tx, &actor.ctx, id).await?;
        tx.commit().await?;
        Ok(())
    }
}
