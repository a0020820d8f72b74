//! A habit's streak state after an old, closed period, so that streaks resume
//! from it instead of replaying years of check-ins. Only a cache: valid while
//! its fingerprint (schedule, target, start) matches the habit.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "streak_checkpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub habit_id: Uuid,
    pub fingerprint: String,
    pub through: Date,
    pub current: i32,
    pub longest: i32,
    pub rest_available: i32,
    pub toward_rest: i32,
    pub last_completed_on: Option<Date>,
    /// The last complete day of a streak of at least 2 that ended, while
    /// nothing was completed since.
    pub ended_run_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
