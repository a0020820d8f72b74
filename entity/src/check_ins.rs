//! A habit's check-in for one local date.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "check_ins")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub habit_id: Uuid,
    /// The owner, kept here so sync and privacy checks need no join.
    pub user_id: Uuid,
    pub local_date: Date,
    pub count: i32,
    pub mood: Option<i16>,
    pub note: Option<String>,
    pub sync_seq: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::habits::Entity",
        from = "Column::HabitId",
        to = "super::habits::Column::Id",
        on_delete = "Cascade"
    )]
    Habit,
}

impl Related<super::habits::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Habit.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
