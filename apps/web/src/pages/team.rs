//! The team: the workspace's people, and (admins) inviting an agent, an admin or a
//! customer. The invitation link is emailed, and shown to the admin once so it can be
//! handed over where email is not set up yet.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::{OrganizationId, Permission, Role};
use helpdesk_service::ServiceError;
use helpdesk_service::users::create::NewMember;
use helpdesk_storage::repo::Page;
use helpdesk_storage::repo::users::UserFilter;
use serde::Deserialize;

use super::console::options::{self, Choice};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::{Chrome, html_status};
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

const ROLES: &[(&str, &str)] = &[
    ("CUSTOMER", "Customer"),
    ("AGENT", "Agent"),
    ("ADMIN", "Admin"),
];

const LABELS: &[(&str, &str)] = &[("name", "Name"), ("email", "Email"), ("role", "Role")];

#[derive(Debug, Clone)]
pub struct MemberRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    /// The role picker, the current role selected.
    pub role_choices: Vec<Choice>,
    pub active: bool,
    /// Invited, no password chosen yet.
    pub pending: bool,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    chrome: Chrome,
    errors: Errors,
    can_invite: bool,
    members: Vec<MemberRow>,
    roles: Vec<Choice>,
    organizations: Vec<Choice>,
    name: String,
    email: String,
    invited: Option<(String, String)>,
    q: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct InviteForm {
    name: String,
    email: String,
    role: String,
    #[serde(default)]
    organization_id: String,
}

/// What the team page shows besides the people: the invitation form as posted, errors,
/// a link just made, the search.
#[derive(Default)]
pub struct Shown {
    pub form: InviteForm,
    pub errors: Errors,
    pub invited: Option<(String, String)>,
    pub q: String,
}

pub async fn render(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, WebError> {
    let Shown {
        form,
        errors,
        invited,
        q,
    } = shown;
    let svc = &state.service;
    let page = Page {
        limit: 200,
        after: None,
    };
    let filter = UserFilter {
        q: Some(q.trim().to_owned()).filter(|q| !q.is_empty()),
        ..UserFilter::default()
    };
    let users = svc.users(&me.actor, &filter, page).await?;
    let members = users
        .into_iter()
        .map(|u| MemberRow {
            id: u.id.to_string(),
            role: match u.role.as_str() {
                "ADMIN" => "Admin",
                "AGENT" => "Agent",
                _ => "Customer",
            },
            pending: helpdesk_service::users::access::invitation_pending(&u),
            role_choices: options::choices(ROLES, &u.role),
            name: u.name,
            email: u.email,
            active: u.active,
        })
        .collect();
    let orgs = options::organizations(svc, &me.actor).await?;
    let role = if form.role.is_empty() {
        "CUSTOMER"
    } else {
        form.role.as_str()
    };
    html_status(
        status,
        &TeamPage {
            chrome: Chrome::new(visit, "team"),
            errors,
            can_invite: me.actor.ctx.can(Permission::ManageUsers),
            members,
            roles: options::choices(ROLES, role),
            organizations: options::named(
                &[("", "By email domain, or none")],
                &orgs,
                &form.organization_id,
            ),
            name: form.name,
            email: form.email,
            invited,
            q,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    q: Option<String>,
}

pub async fn show(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    axum::extract::Query(s): axum::extract::Query<Search>,
) -> Result<Response, WebError> {
    let shown = Shown {
        q: s.q.unwrap_or_default(),
        ..Shown::default()
    };
    render(&state, &visit, &me, shown, StatusCode::OK).await
}

pub async fn invite(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Posted(form): Posted<InviteForm>,
) -> Result<Response, WebError> {
    let bad = |w: &str| WebError::BadForm(format!("unknown {w}"));
    let role = form.role.parse::<Role>().map_err(|_| bad("role"))?;
    let organization_id = match form.organization_id.as_str() {
        "" => None,
        id => Some(Some(
            id.parse::<OrganizationId>()
                .map_err(|_| bad("organization"))?,
        )),
    };
    let input = NewMember {
        email: form.email.clone(),
        name: form.name.clone(),
        role,
        password: None,
        organization_id: organization_id.filter(|_| role == Role::Customer),
    };
    match state.service.create_user(&me.actor, input).await {
        Ok(done) => {
            let link = done
                .invitation_token
                .map(|t| {
                    format!(
                        "{}/accept-invite?token={t}",
                        state.service.settings.public_url
                    )
                })
                .unwrap_or_default();
            let shown = Shown {
                invited: Some((done.user.email.clone(), link)),
                ..Shown::default()
            };
            render(&state, &visit, &me, shown, StatusCode::OK).await
        }
        Err(ServiceError::Validation(list)) => {
            let shown = Shown {
                form,
                errors: Errors::fields(list, LABELS),
                ..Shown::default()
            };
            render(&state, &visit, &me, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(ServiceError::Conflict(m)) => {
            let errors =
                Errors::fields(vec![helpdesk_service::FieldError::new("email", m)], LABELS);
            let shown = Shown {
                form,
                errors,
                ..Shown::default()
            };
            render(&state, &visit, &me, shown, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
