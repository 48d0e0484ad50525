//! `/business-hours`: the calendars SLA deadlines count in (ADMIN writes, staff read).

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use helpdesk_domain::sla::{Calendar, CalendarError};
use helpdesk_storage::repo::business_hours::{self, BusinessHours, CalendarFields};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::rfc3339;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::{Admin, Id, Staff, ValidatedJson};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_calendars, create_calendar))
        .routes(routes!(get_calendar, update_calendar, delete_calendar))
}

pub use helpdesk_domain::sla::Weekly;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub name: String,
    pub timezone: String,
    pub weekly: Weekly,
    pub holidays: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<BusinessHours> for CalendarOut {
    fn from(c: BusinessHours) -> Self {
        Self {
            id: c.id,
            name: c.name,
            timezone: c.timezone,
            weekly: serde_json::from_value(c.weekly).unwrap_or_default(),
            holidays: serde_json::from_value(c.holidays).unwrap_or_default(),
            created_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, garde::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarBody {
    #[garde(length(chars, min = 1, max = 100))]
    pub name: Option<String>,
    /// IANA time zone, e.g. `Europe/Madrid`.
    #[garde(length(min = 1, max = 64))]
    pub timezone: Option<String>,
    #[garde(skip)]
    pub weekly: Option<Weekly>,
    /// Dates (`2026-12-25`) in the calendar's zone when it is closed all day.
    #[garde(length(max = 400))]
    pub holidays: Option<Vec<String>>,
}

/// Checks a whole calendar with the SLA engine; errors name the field.
fn validate(
    name: String,
    timezone: String,
    weekly: Weekly,
    holidays: Vec<String>,
) -> ApiResult<CalendarFields> {
    let mut errors = Vec::new();
    let days = match weekly.intervals() {
        Ok(days) => days,
        Err(bad) => {
            for b in bad {
                errors.push(FieldError::new(
                    format!("weekly.{}", b.day),
                    format!(
                        "{}-{}: times are HH:MM, 00:00 to 24:00",
                        b.interval[0], b.interval[1]
                    ),
                ));
            }
            std::array::from_fn(|_| Vec::new())
        }
    };
    let mut dates = BTreeSet::new();
    for (i, d) in holidays.iter().enumerate() {
        match d.parse::<jiff::civil::Date>() {
            Ok(date) => {
                dates.insert(date);
            }
            Err(_) => errors.push(FieldError::new(
                format!("holidays[{i}]"),
                "must be a date like 2026-12-25",
            )),
        }
    }
    if errors.is_empty()
        && let Err(e) = Calendar::new(&timezone, days, dates.clone())
    {
        let field = match &e {
            CalendarError::UnknownZone(_) => "timezone".to_owned(),
            CalendarError::BadInterval(day) | CalendarError::Overlap(day) => {
                format!("weekly.{day}")
            }
        };
        errors.push(FieldError::new(field, e.to_string()));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let holidays: Vec<String> = dates.into_iter().map(|d| d.to_string()).collect();
    Ok(CalendarFields {
        name,
        timezone,
        weekly: serde_json::to_value(&weekly).map_err(ApiError::internal)?,
        holidays: serde_json::json!(holidays),
    })
}

#[utoipa::path(get, path = "/business-hours", tag = "sla",
    responses((status = 200, body = Vec<CalendarOut>), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn list_calendars(
    State(state): State<AppState>,
    Staff(authed): Staff,
) -> ApiResult<Json<Vec<CalendarOut>>> {
    Ok(Json(
        business_hours::list(state.store.read(), &authed.ctx)
            .await?
            .into_iter()
            .map(CalendarOut::from)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/business-hours", tag = "sla", request_body = CalendarBody,
    responses((status = 201, body = CalendarOut), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn create_calendar(
    State(state): State<AppState>,
    Admin(authed): Admin,
    ValidatedJson(b): ValidatedJson<CalendarBody>,
) -> ApiResult<(StatusCode, Json<CalendarOut>)> {
    let name = b
        .name
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| ApiError::invalid("name", "is required"))?;
    let timezone = b
        .timezone
        .ok_or_else(|| ApiError::invalid("timezone", "is required"))?;
    let fields = validate(
        name,
        timezone,
        b.weekly.unwrap_or_default(),
        b.holidays.unwrap_or_default(),
    )?;
    let row = business_hours::create(state.store.write(), &authed.ctx, fields).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[utoipa::path(get, path = "/business-hours/{id}", tag = "sla", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = CalendarOut), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn get_calendar(
    State(state): State<AppState>,
    Staff(authed): Staff,
    Id(id): Id<Uuid>,
) -> ApiResult<Json<CalendarOut>> {
    Ok(Json(
        business_hours::get(state.store.read(), &authed.ctx, id)
            .await?
            .into(),
    ))
}

/// Changes some fields; the calendar as a whole is validated again.
#[utoipa::path(patch, path = "/business-hours/{id}", tag = "sla", params(("id" = String, Path, format = Uuid)), request_body = CalendarBody,
    responses((status = 200, body = CalendarOut), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_calendar(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
    ValidatedJson(b): ValidatedJson<CalendarBody>,
) -> ApiResult<Json<CalendarOut>> {
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    let current: CalendarOut = business_hours::get(&tx, &authed.ctx, id).await?.into();
    let name = match b.name {
        Some(n) => Some(n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| ApiError::invalid("name", "must not be blank"))?,
        None => current.name,
    };
    let fields = validate(
        name,
        b.timezone.unwrap_or(current.timezone),
        b.weekly.unwrap_or(current.weekly),
        b.holidays.unwrap_or(current.holidays),
    )?;
    let row = business_hours::replace(&tx, &authed.ctx, id, fields).await?;
    tx.commit().await.map_err(ApiError::db)?;
    Ok(Json(row.into()))
}

#[utoipa::path(delete, path = "/business-hours/{id}", tag = "sla", params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::Problem), (status = 409, description = "an SLA policy uses it", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_calendar(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Id(id): Id<Uuid>,
) -> ApiResult<StatusCode> {
    let tx = state.store.begin().await.map_err(ApiError::db)?;
    business_hours::get(&tx, &authed.ctx, id).await?;
    if helpdesk_storage::repo::sla_policies::uses_calendar(&tx, &authed.ctx, id).await? {
        return Err(ApiError::Conflict(
            "an SLA policy uses this calendar".into(),
        ));
    }
    business_hours::delete(&tx, &authed.ctx, id).await?;
    tx.commit().await.map_err(ApiError::db)?;
    Ok(StatusCode::NO_CONTENT)
}
