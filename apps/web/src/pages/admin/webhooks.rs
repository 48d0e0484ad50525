//! Webhooks (admins): subscriptions to ticket events. A new one's signing secret is shown
//! once; each shows whether it is on, off, or turned off by failures, and its delivery
//! log with response codes, each delivery sent again on request.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_service::ServiceError;
use helpdesk_service::paging::PageRequest;
use helpdesk_service::webhooks::{EVENT_TYPES, WebhookInput};
use helpdesk_storage::repo::webhooks::Webhook;
use serde::Deserialize;
use uuid::Uuid;

use super::Tab;
use crate::display::{self, When};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

#[derive(Debug, Clone)]
pub struct HookRow {
    pub id: String,
    pub url: String,
    pub events: String,
    /// `On`, `Off`, or `Turned off after failures`.
    pub state: &'static str,
    pub active: bool,
}

fn row(w: Webhook) -> HookRow {
    let events: Vec<String> = serde_json::from_value(w.events).unwrap_or_default();
    HookRow {
        id: w.id.to_string(),
        url: w.url,
        events: events.join(", "),
        state: match (w.active, w.disabled_at) {
            (true, _) => "On",
            (false, Some(_)) => "Turned off after failures",
            (false, None) => "Off",
        },
        active: w.active,
    }
}

#[derive(Debug, Clone)]
pub struct EventBox {
    pub name: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "admin/webhooks.html")]
struct ListPage {
    chrome: Chrome,
    tabs: Vec<Tab>,
    errors: Errors,
    rows: Vec<HookRow>,
    url: String,
    events: Vec<EventBox>,
    /// A webhook just made: its URL and signing secret, shown this once.
    created: Option<(String, String)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookForm {
    url: String,
    #[serde(default)]
    events: Vec<String>,
}

async fn render_list(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    form: HookForm,
    errors: Errors,
    created: Option<(String, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let hooks = state.service.webhooks(&me.actor).await?;
    html_status(
        status,
        &ListPage {
            chrome: Chrome::new(visit, "admin"),
            tabs: super::tabs(me, "/admin/webhooks"),
            errors,
            rows: hooks.into_iter().map(row).collect(),
            events: EVENT_TYPES
                .iter()
                .map(|e| EventBox {
                    name: e,
                    checked: form.events.iter().any(|x| x == e),
                })
                .collect(),
            url: form.url,
            created,
        },
    )
}

pub async fn list(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
) -> Result<Response, WebError> {
    let (form, errors) = (HookForm::default(), Errors::default());
    render_list(&state, &visit, &me, form, errors, None, StatusCode::OK).await
}

pub async fn create(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Posted(form): Posted<HookForm>,
) -> Result<Response, WebError> {
    let input = WebhookInput {
        url: Some(form.url.clone()),
        events: Some(form.events.clone()),
        ..WebhookInput::default()
    };
    let secret = || helpdesk_service::auth::opaque::generate("whsec_");
    match state.service.create_webhook(&me.actor, input, secret).await {
        Ok(made) => {
            let created = Some((made.webhook.url.clone(), made.secret));
            let (form, errors) = (HookForm::default(), Errors::default());
            render_list(
                &state,
                &visit,
                &me,
                form,
                errors,
                created,
                StatusCode::CREATED,
            )
            .await
        }
        Err(ServiceError::Validation(list)) => {
            let errors = Errors::fields(list, &[("url", "URL"), ("events", "Events")]);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_list(&state, &visit, &me, form, errors, None, status).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Clone)]
pub struct DeliveryRow {
    pub id: String,
    pub event: String,
    pub attempt: i32,
    pub ok: bool,
    pub code: String,
    pub duration: String,
    pub error: String,
    pub when: When,
}

#[derive(Template)]
#[template(path = "admin/webhook.html")]
struct HookPage {
    chrome: Chrome,
    tabs: Vec<Tab>,
    hook: HookRow,
    deliveries: Vec<DeliveryRow>,
    notice: Option<&'static str>,
    errors: Errors,
}

async fn render_hook(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    id: Uuid,
    notice: Option<&'static str>,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let svc = &state.service;
    let hook = svc.webhook(&me.actor, id).await?;
    let page = PageRequest {
        limit: Some(50),
        cursor: None,
    };
    let list = svc.webhook_deliveries(&me.actor, id, page).await?;
    let tz = crate::display::zone_of(me);
    let now = svc.clock.now();
    let deliveries = list
        .items
        .into_iter()
        .map(|d| DeliveryRow {
            id: d.id.to_string(),
            event: d.event_type,
            attempt: d.attempt,
            ok: d.success,
            code: d
                .response_code
                .map_or_else(|| "—".into(), |c| c.to_string()),
            duration: format!("{} ms", d.duration_ms),
            error: d.error.unwrap_or_default(),
            when: display::when(&helpdesk_service::time::rfc3339(d.created_at), now, &tz),
        })
        .collect();
    html_status(
        status,
        &HookPage {
            chrome: Chrome::new(visit, "admin"),
            tabs: super::tabs(me, "/admin/webhooks"),
            hook: row(hook),
            deliveries,
            notice,
            errors,
        },
    )
}

pub async fn show(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    render_hook(
        &state,
        &visit,
        &me,
        id,
        None,
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Switch {
    /// `on` or `off`.
    to: String,
}

pub async fn switch(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path(id): Path<Uuid>,
    Posted(s): Posted<Switch>,
) -> Result<Response, WebError> {
    let input = WebhookInput {
        active: Some(s.to == "on"),
        ..WebhookInput::default()
    };
    state.service.update_webhook(&me.actor, id, input).await?;
    Ok(see_other(&format!("/admin/webhooks/{id}")))
}

pub async fn delete(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path(id): Path<Uuid>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    state.service.delete_webhook(&me.actor, id).await?;
    Ok(see_other("/admin/webhooks"))
}

pub async fn redeliver(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path((id, delivery)): Path<(Uuid, Uuid)>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    match state
        .service
        .redeliver_webhook(&me.actor, id, delivery)
        .await
    {
        Ok(()) => {
            let notice = Some("Sent again: the new attempt appears here in a moment.");
            render_hook(
                &state,
                &visit,
                &me,
                id,
                notice,
                Errors::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(ServiceError::Conflict(m)) => {
            let status = StatusCode::CONFLICT;
            render_hook(&state, &visit, &me, id, None, Errors::general(m), status).await
        }
        Err(e) => Err(e.into()),
    }
}
