//! A finished job, moved out of the queue by the statement that completed it (m0013).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs_done")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub scope_id: Uuid,
    pub kind: String,
    pub payload: Json,
    pub run_at: i64,
    pub attempts: i32,
    pub max_attempts: i32,
    pub dedup_key: Option<String>,
    /// When its last attempt was claimed.
    pub started_at: i64,
    pub finished_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
