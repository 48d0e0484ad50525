//! Business-hours calendars: a time zone, weekly opening intervals and holidays.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "business_hours")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub name: String,
    /// IANA zone, e.g. `Europe/Madrid`.
    pub timezone: String,
    /// `{"mon": [["09:00", "17:00"]], …}`, as the API shows it.
    pub weekly: Json,
    /// `["2026-12-25", …]`, dates in the calendar's zone.
    pub holidays: Json,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
