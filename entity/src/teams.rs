//! A team within an organisation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teams")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    /// Acts a working day needs for the team streak.
    pub daily_act_threshold: i32,
    /// Acts a week the team aims for, if it set a goal.
    pub weekly_goal: Option<i32>,
    /// Bumped when an act is withdrawn, invalidating streak checkpoints.
    pub acts_revision: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
