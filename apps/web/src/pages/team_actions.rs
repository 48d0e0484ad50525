//! What an admin does to one person on the team page: change the role, deactivate or
//! reactivate, send an invitation again or withdraw it. The last-admin rule and every
//! other refusal come from the service and are shown over the list.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::{Role, UserId};
use helpdesk_service::ServiceError;
use helpdesk_service::users::UserEdit;
use serde::Deserialize;

use super::team::{Shown, render};
use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::see_other;
use crate::session::{SignedIn, Staff, Visit};
use crate::state::WebState;

/// The outcome of an action: back to the list, or the list with why not.
async fn answer(
    state: &WebState,
    visit: &Visit,
    me: &SignedIn,
    done: Result<(), ServiceError>,
) -> Result<Response, WebError> {
    match done {
        Ok(()) => Ok(see_other("/team")),
        Err(ServiceError::Conflict(m)) => {
            let shown = Shown {
                errors: Errors::general(format!("Not changed: {m}.")),
                ..Shown::default()
            };
            render(state, visit, me, shown, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleForm {
    role: String,
}

pub async fn role(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<UserId>,
    Posted(form): Posted<RoleForm>,
) -> Result<Response, WebError> {
    let role = form
        .role
        .parse::<Role>()
        .map_err(|_| WebError::BadForm("unknown role".into()))?;
    let edit = UserEdit {
        role: Some(role),
        ..UserEdit::default()
    };
    let done = state.service.update_user(&me.actor, id, edit).await;
    answer(&state, &visit, &me, done.map(|_| ())).await
}

pub async fn deactivate(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<UserId>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    let done = state.service.deactivate_user(&me.actor, id).await;
    answer(&state, &visit, &me, done).await
}

pub async fn reactivate(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<UserId>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    let done = state.service.reactivate_user(&me.actor, id).await;
    answer(&state, &visit, &me, done.map(|_| ())).await
}

/// Sends the invitation again and shows the new link once, like a first invitation.
pub async fn resend(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<UserId>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    match state.service.resend_invitation(&me.actor, id).await {
        Ok(token) => {
            let user = state.service.user(&me.actor, id).await?;
            let link = format!(
                "{}/accept-invite?token={token}",
                state.service.settings.public_url
            );
            let shown = Shown {
                invited: Some((user.email, link)),
                ..Shown::default()
            };
            render(&state, &visit, &me, shown, StatusCode::OK).await
        }
        Err(e) => answer(&state, &visit, &me, Err(e)).await,
    }
}

pub async fn revoke(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Path(id): Path<UserId>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    let done = state.service.revoke_invitation(&me.actor, id).await;
    answer(&state, &visit, &me, done).await
}
