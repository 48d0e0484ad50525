//! API keys (admins): for RMM and monitoring tools. A new key is shown once; keys show
//! their role, when they were last used, and can be revoked (at once, for every replica).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::{ApiKeyId, Role};
use helpdesk_service::ServiceError;
use helpdesk_service::auth::api_keys::NewApiKey;
use serde::Deserialize;

use super::Tab;
use crate::display;
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::{Chrome, html_status, see_other};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

#[derive(Debug, Clone)]
pub struct KeyRow {
    pub id: String,
    pub name: String,
    pub role: &'static str,
    pub prefix: String,
    pub last_used: String,
    pub created: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "admin/api_keys.html")]
struct KeysPage {
    chrome: Chrome,
    tabs: Vec<Tab>,
    errors: Errors,
    rows: Vec<KeyRow>,
    name: String,
    admin_role: bool,
    /// A key just made: its name and the secret, shown this once.
    created: Option<(String, String)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyForm {
    name: String,
    role: String,
}

async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    form: KeyForm,
    errors: Errors,
    created: Option<(String, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let keys = state.service.api_keys(&me.actor).await?;
    let tz = crate::display::zone_of(me);
    let now = state.service.clock.now();
    let when = |t: i64| display::when(&helpdesk_service::time::rfc3339(t), now, &tz);
    let mut rows: Vec<KeyRow> = keys
        .into_iter()
        .map(|k| KeyRow {
            id: k.id.to_string(),
            role: if k.role == "ADMIN" { "Admin" } else { "Agent" },
            prefix: format!("{}…", k.prefix),
            last_used: k
                .last_used_at
                .map_or_else(|| "never".to_owned(), |t| when(t).relative),
            created: when(k.created_at).exact,
            revoked: k.revoked_at.is_some(),
            name: k.name,
        })
        .collect();
    rows.sort_by_key(|r| r.revoked);
    html_status(
        status,
        &KeysPage {
            chrome: Chrome::new(visit, "admin"),
            tabs: super::tabs(me, "/admin/api-keys"),
            errors,
            rows,
            name: form.name,
            admin_role: form.role == "ADMIN",
            created,
        },
    )
}

pub async fn page(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
) -> Result<Response, WebError> {
    render(
        &state,
        &visit,
        &me,
        KeyForm::default(),
        Errors::default(),
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn create(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Posted(form): Posted<KeyForm>,
) -> Result<Response, WebError> {
    let role = match form.role.as_str() {
        "ADMIN" => Role::Admin,
        "AGENT" => Role::Agent,
        _ => return Err(WebError::BadForm("unknown role".into())),
    };
    let input = NewApiKey {
        name: form.name.clone(),
        role: Some(role),
    };
    match state.service.create_api_key(&me.actor, input).await {
        Ok(made) => {
            let created = Some((made.row.name.clone(), made.key.clone()));
            render(
                &state,
                &visit,
                &me,
                KeyForm::default(),
                Errors::default(),
                created,
                StatusCode::CREATED,
            )
            .await
        }
        Err(ServiceError::Validation(list)) => {
            let errors = Errors::fields(list, &[("name", "Name"), ("role", "Role")]);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&state, &visit, &me, form, errors, None, status).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke(
    State(state): State<WebState>,
    Staff(_, me): Staff,
    Path(id): Path<ApiKeyId>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    state.service.revoke_api_key(&me.actor, id).await?;
    Ok(see_other("/admin/api-keys"))
}
