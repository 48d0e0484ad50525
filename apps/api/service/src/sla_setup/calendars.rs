//! Business-hours calendars: the weekly hours and holidays SLA deadlines count in. The SLA
//! engine checks a whole calendar; its errors name the field (`weekly.mon`, `timezone`).

use std::collections::BTreeSet;

use helpdesk_domain::sla::{Calendar, CalendarError, Weekly};
use helpdesk_domain::{Permission, text};
use helpdesk_storage::repo::business_hours::{self, BusinessHours, CalendarFields};
use helpdesk_storage::repo::sla_policies;
use serde::Serialize;
use uuid::Uuid;

use crate::Service;
use crate::actor::Actor;
use crate::error::{FieldError, ServiceError, ServiceResult};
use crate::permissions::require;
use crate::time::rfc3339;

/// A calendar as the service shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

/// A calendar's fields as a caller gives them; `None` keeps the current value (on
/// creation: the name and time zone are required, the rest is empty).
#[derive(Debug, Clone, Default)]
pub struct CalendarInput {
    pub name: Option<String>,
    /// IANA time zone, e.g. `Europe/Madrid`.
    pub timezone: Option<String>,
    pub weekly: Option<Weekly>,
    /// Dates (`2026-12-25`) in the calendar's zone when it is closed all day.
    pub holidays: Option<Vec<String>>,
}

/// Checks a whole calendar with the SLA engine; errors name the field.
fn validate(
    name: String,
    timezone: String,
    weekly: Weekly,
    holidays: Vec<String>,
) -> ServiceResult<CalendarFields> {
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
        return Err(ServiceError::Validation(errors));
    }
    let holidays: Vec<String> = dates.into_iter().map(|d| d.to_string()).collect();
    Ok(CalendarFields {
        name,
        timezone,
        weekly: serde_json::to_value(&weekly).map_err(ServiceError::internal)?,
        holidays: serde_json::json!(holidays),
    })
}

impl Service {
    pub async fn calendars(&self, actor: &Actor) -> ServiceResult<Vec<CalendarOut>> {
        require(actor, Permission::ReadSla)?;
        let rows = business_hours::list(self.store.read(), &actor.ctx).await?;
        Ok(rows.into_iter().map(CalendarOut::from).collect())
    }

    pub async fn calendar(&self, actor: &Actor, id: Uuid) -> ServiceResult<CalendarOut> {
        require(actor, Permission::ReadSla)?;
        Ok(business_hours::get(self.store.read(), &actor.ctx, id)
            .await?
            .into())
    }

    pub async fn create_calendar(
        &self,
        actor: &Actor,
        input: CalendarInput,
    ) -> ServiceResult<CalendarOut> {
        require(actor, Permission::ManageSla)?;
        let name = input
            .name
            .ok_or_else(|| ServiceError::invalid("name", "is required"))?;
        let name = text::bounded(&name, 1, 200)
            .map_err(|e| ServiceError::invalid("name", e.to_string()))?;
        let timezone = input
            .timezone
            .ok_or_else(|| ServiceError::invalid("timezone", "is required"))?;
        let fields = validate(
            name,
            timezone,
            input.weekly.unwrap_or_default(),
            input.holidays.unwrap_or_default(),
        )?;
        let row =
            business_hours::create(self.store.write(), &actor.ctx, fields, self.now()).await?;
        Ok(row.into())
    }

    /// Changes some fields; the calendar as a whole is validated again.
    pub async fn update_calendar(
        &self,
        actor: &Actor,
        id: Uuid,
        input: CalendarInput,
    ) -> ServiceResult<CalendarOut> {
        require(actor, Permission::ManageSla)?;
        let tx = self.begin().await?;
        let current: CalendarOut = business_hours::get(&tx, &actor.ctx, id).await?.into();
        let name = match input.name {
            Some(n) => text::bounded(&n, 1, 200)
                .map_err(|e| ServiceError::invalid("name", e.to_string()))?,
            None => current.name,
        };
        let fields = validate(
            name,
            input.timezone.unwrap_or(current.timezone),
            input.weekly.unwrap_or(current.weekly),
            input.holidays.unwrap_or(current.holidays),
        )?;
        let row = business_hours::replace(&tx, &actor.ctx, id, fields, self.now()).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Deletes a calendar no SLA policy uses.
    pub async fn delete_calendar(&self, actor: &Actor, id: Uuid) -> ServiceResult<()> {
        require(actor, Permission::ManageSla)?;
        let tx = self.begin().await?;
        business_hours::get(&tx, &actor.ctx, id).await?;
        if sla_policies::uses_calendar(&tx, &actor.ctx, id).await? {
            return Err(ServiceError::Conflict(
                "an SLA policy uses this calendar".into(),
            ));
        }
        business_hours::delete(&tx, &actor.ctx, id).await?;
        tx.commit().await?;
        Ok(())
    }
}
