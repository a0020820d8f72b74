//! A private self-kindness habit.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "habits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub title: String,
    pub category: String,
    /// `daily`, `weekdays` or `times_per_week`.
    pub schedule_kind: String,
    /// For `weekdays`: ISO weekdays, comma separated (`1,3,5`).
    pub schedule_days: Option<String>,
    /// For `times_per_week`: how many days a week.
    pub schedule_times: Option<i16>,
    pub target_per_day: i32,
    /// `HH:MM`, local time.
    pub reminder_time: Option<String>,
    pub colour: Option<String>,
    pub icon: Option<String>,
    pub archived: bool,
    /// The owner's local date when the habit was created. Streaks start
    /// there, or at an earlier backfilled complete day.
    pub starts_on: Date,
    pub sync_seq: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    User,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
