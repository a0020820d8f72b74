//! An organisation: the workplace whose people keep teams together.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// IANA timezone that decides the organisation's days.
    pub timezone: String,
    /// ISO weekdays, comma separated (`1,2,3,4,5`).
    pub working_days: String,
    /// Fewest people a report cell may stand for (3–50).
    pub min_group_size: i32,
    pub team_leaderboard_enabled: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
