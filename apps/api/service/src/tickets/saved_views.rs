//! Saved views: a named ticket-list query (filters in the list language, a sort, the
//! columns to show) that an agent keeps for themself, or an admin shares with the team.
//! Another agent's personal view does not exist for the caller (404), like another
//! workspace's; a shared view is read by all staff and changed by admins only.

use helpdesk_domain::{Permission, SavedViewId, UserId};
use helpdesk_storage::repo::saved_views::{self, SavedView};
use helpdesk_storage::repo::tickets;
use serde::{Deserialize, Serialize};

use super::list::TicketQuery;
use super::list_query::filter_of;
use super::saved_view_check::fields;
use super::views::COUNT_CAP;
use crate::Service;
use crate::actor::Actor;
use crate::error::{ServiceError, ServiceResult};
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
    pub(super) fn one_by_one(&self) -> ServiceResult<Vec<ViewFilters>> {
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
    pub(super) fn tidy(self) -> Self {
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

pub(super) fn query_of(filters: &ViewFilters, sort: Option<String>) -> TicketQuery {
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
