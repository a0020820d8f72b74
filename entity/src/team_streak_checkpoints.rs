//! A team's streak state after an old, closed day, so that the streak resumes
//! from it instead of counting a year of acts. Only a cache: valid while its
//! fingerprint (rules version, threshold, working days, organisation settings
//! time, start, acts revision) matches the team.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "team_streak_checkpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub team_id: Uuid,
    pub fingerprint: String,
    pub through: Date,
    pub current: i32,
    pub longest: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
