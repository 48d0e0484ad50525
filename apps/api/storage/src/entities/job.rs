//! Queued work: written in the transaction of the change that causes it, run by workers.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub scope_id: Uuid,
    pub kind: String,
    pub payload: Json,
    /// `queued`, `running`, `failed` (will retry), `dead`; finished jobs are in `jobs_done`.
    pub state: String,
    pub run_at: i64,
    pub attempts: i32,
    pub max_attempts: i32,
    pub last_error: Option<String>,
    pub locked_by: Option<String>,
    pub locked_until: Option<i64>,
    pub dedup_key: Option<String>,
    pub finished_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
