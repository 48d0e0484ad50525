//! `/users`: workspace members. ADMIN manages, AGENT reads, CUSTOMER sees only itself.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::{OrganizationId, Role, UserId};
use helpdesk_service::Actor;
use helpdesk_service::users::UserEdit;
use helpdesk_service::users::create::NewMember;
use helpdesk_storage::repo::users;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::common::{Paginated, UserOut, double_option, page, paginate};
use crate::error::ApiResult;
use crate::extract::{Admin, Authed, Id, Staff, StrictQuery, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user, deactivate_user))
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    #[garde(length(max = 254))]
    pub email: String,
    #[garde(length(chars, min = 1, max = 100))]
    pub name: String,
    #[garde(skip)]
    pub role: Role,
    /// Without a password an invitation is created and mailed.
    #[garde(skip)]
    pub password: Option<String>,
    /// Customers only. Absent: joined by email domain; `null`: no organization.
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub organization_id: Option<Option<OrganizationId>>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CreateUserParams {
    /// Include the invitation token in the response (for scripts and tests).
    #[serde(default)]
    pub return_token: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedUser {
    #[serde(flatten)]
    pub user: UserOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitation_token: Option<String>,
}

#[utoipa::path(post, path = "/users", tag = "users", params(CreateUserParams),
    request_body = CreateUser,
    responses((status = 201, body = CreatedUser), (status = 403, body = crate::error::Problem),
        (status = 409, description = "email already in the workspace", body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_user(
    State(state): State<AppState>,
    Admin(authed): Admin,
    StrictQuery(params): StrictQuery<CreateUserParams>,
    ValidatedJson(req): ValidatedJson<CreateUser>,
) -> ApiResult<(StatusCode, Json<CreatedUser>)> {
    let input = NewMember {
        email: req.email,
        name: req.name,
        role: req.role,
        password: req.password,
        organization_id: req.organization_id,
    };
    let done = state
        .service
        .create_user(&Actor::request(authed.ctx), input)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUser {
            user: UserOut::from_row(done.user)?,
            invitation_token: done.invitation_token.filter(|_| params.return_token),
        }),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListUsersParams {
    pub role: Option<Role>,
    pub organization_id: Option<OrganizationId>,
    /// Substring of name or email, case-insensitive.
    pub q: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/users", tag = "users", params(ListUsersParams),
    responses((status = 200, body = Paginated<UserOut>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_users(
    State(state): State<AppState>,
    Staff(authed): Staff,
    StrictQuery(params): StrictQuery<ListUsersParams>,
) -> ApiResult<Json<Paginated<UserOut>>> {
    let page = page(params.limit, params.cursor.as_deref())?;
    let filter = users::UserFilter {
        role: params.role,
        organization_id: params.organization_id,
        q: params.q.filter(|q| !q.trim().is_empty()),
    };
    let rows = state
        .service
        .users(&Actor::request(authed.ctx), &filter, page)
        .await?;
    Ok(Json(paginate(rows, page, |u| u.id, UserOut::from_row)?))
}

#[utoipa::path(get, path = "/users/{id}", tag = "users",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = UserOut), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_user(
    State(state): State<AppState>,
    authed: Authed,
    Id(id): Id<UserId>,
) -> ApiResult<Json<UserOut>> {
    let user = state.service.user(&Actor::request(authed.ctx), id).await?;
    Ok(Json(UserOut::from_row(user)?))
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: Option<String>,
    #[garde(length(max = 254))]
    pub email: Option<String>,
    #[garde(skip)]
    pub role: Option<Role>,
    #[garde(skip)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub organization_id: Option<Option<OrganizationId>>,
}

#[utoipa::path(patch, path = "/users/{id}", tag = "users",
    params(("id" = String, Path, format = Uuid)), request_body = UpdateUser,
    responses((status = 200, body = UserOut), (status = 404, body = crate::error::Problem),
        (status = 409, description = "email taken, or the last admin would be demoted", body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_user(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<UserId>,
    ValidatedJson(req): ValidatedJson<UpdateUser>,
) -> ApiResult<Json<UserOut>> {
    let edit = UserEdit {
        name: req.name,
        email: req.email,
        role: req.role,
        organization_id: req.organization_id,
    };
    let user = state
        .service
        .update_user(&Actor::request(authed.ctx), id, edit)
        .await?;
    Ok(Json(UserOut::from_row(user)?))
}

/// Deactivates the user: history stays, sign-in and every token stop working at once.
#[utoipa::path(delete, path = "/users/{id}", tag = "users",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem),
        (status = 409, description = "the last active admin", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn deactivate_user(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<UserId>,
) -> ApiResult<StatusCode> {
    state
        .service
        .deactivate_user(&Actor::request(authed.ctx), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
