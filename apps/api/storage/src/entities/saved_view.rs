//! A saved ticket-list view: filters, sort and columns, an agent's own or shared.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saved_views")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workspace_id: Uuid,
    /// Who made it; a personal view is seen by its owner only.
    pub owner_id: Uuid,
    pub shared: bool,
    pub name: String,
    /// The list language's parameters, strings by name.
    pub filters: Json,
    pub sort: Option<String>,
    /// The list's columns in order.
    pub columns: Json,
    pub position: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
