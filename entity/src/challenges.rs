//! A challenge set for an organisation or one of its teams.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "challenges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    /// Null for the whole organisation.
    pub team_id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    /// `acts` or `check_ins`.
    pub metric: String,
    pub target: i32,
    pub starts_on: Date,
    pub ends_on: Date,
    /// When an `acts` challenge first reached its target.
    pub completed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
