//! "My profile" for everyone signed in: the name others see, and the password.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use helpdesk_domain::preferences::Preferences;
use helpdesk_service::ServiceError;
use helpdesk_service::auth::preferences::{EmailNotificationsInput, PreferencesInput};
use helpdesk_service::auth::profile::PasswordChange;
use serde::Deserialize;

use crate::error::WebError;
use crate::form::{Errors, Posted};
use crate::render::{Chrome, html, html_status, see_other, see_other_with_cookie};
use crate::session::{Member, SignedIn, Staff, Visit, session_cookie, set_cookie};
use crate::state::WebState;

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    chrome: Chrome,
    errors: Errors,
    name: String,
    email: String,
    saved: bool,
    /// Staff have preferences (shortcuts, signature, emails).
    staff: bool,
    prefs: Preferences,
}

fn page(visit: &Visit, me: &SignedIn, name: String, errors: Errors, saved: bool) -> ProfilePage {
    ProfilePage {
        chrome: Chrome::new(visit, "profile"),
        errors,
        name,
        email: me.user.email.clone(),
        saved,
        staff: me.is_staff(),
        prefs: Preferences::from_json(&me.user.preferences),
    }
}

#[derive(Debug, Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

pub async fn show(Member(visit, me): Member, Query(q): Query<Saved>) -> Result<Response, WebError> {
    html(&page(
        &visit,
        &me,
        me.user.name.clone(),
        Errors::default(),
        q.saved.is_some(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameForm {
    name: String,
}

pub async fn save(
    State(state): State<WebState>,
    Member(visit, me): Member,
    Posted(form): Posted<NameForm>,
) -> Result<Response, WebError> {
    match state.service.rename_self(&me.actor, &form.name).await {
        Ok(_) => Ok(see_other("/profile?saved=1")),
        Err(ServiceError::Validation(list)) => {
            let errors = Errors::fields(list, &[("name", "Your name")]);
            let p = page(&visit, &me, form.name, errors, false);
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub async fn password(
    State(state): State<WebState>,
    Member(visit, me): Member,
    Posted(form): Posted<PasswordForm>,
) -> Result<Response, WebError> {
    let change = PasswordChange {
        current: form.current_password,
        new: form.new_password,
    };
    match state.service.change_password(&me.actor, change).await {
        Ok(()) => {
            let secure = state.settings.secure_cookies;
            let cookie = set_cookie(session_cookie(secure), "", secure, Some(0));
            Ok(see_other_with_cookie("/login?done=reset", cookie))
        }
        Err(ServiceError::Validation(list)) => {
            let labels = [
                ("current_password", "Current password"),
                ("new_password", "New password"),
            ];
            let errors = Errors::fields(list, &labels);
            let p = page(&visit, &me, me.user.name.clone(), errors, false);
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreferencesForm {
    keyboard_shortcuts: Option<String>,
    #[serde(default)]
    signature: String,
    notify_assigned: Option<String>,
    notify_customer_reply: Option<String>,
    notify_note: Option<String>,
    notify_sla: Option<String>,
}

/// Staff's preferences: every box of the form, ticked or not.
pub async fn preferences(
    State(state): State<WebState>,
    Staff(visit, me): Staff,
    Posted(form): Posted<PreferencesForm>,
) -> Result<Response, WebError> {
    let input = PreferencesInput {
        keyboard_shortcuts: Some(form.keyboard_shortcuts.is_some()),
        signature: Some(Some(form.signature.clone())),
        email_notifications: Some(EmailNotificationsInput {
            assigned: Some(form.notify_assigned.is_some()),
            customer_reply: Some(form.notify_customer_reply.is_some()),
            note: Some(form.notify_note.is_some()),
            sla: Some(form.notify_sla.is_some()),
        }),
    };
    match state.service.set_my_preferences(&me.actor, input).await {
        Ok(_) => Ok(see_other("/profile?saved=1")),
        Err(ServiceError::Validation(list)) => {
            let errors = Errors::fields(list, &[("signature", "Signature")]);
            let mut p = page(&visit, &me, me.user.name.clone(), errors, false);
            p.prefs.signature = Some(form.signature);
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(e) => Err(e.into()),
    }
}
