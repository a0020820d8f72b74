//! The XP ledger: append-only. A correction is a reversal entry, never an
//! edit.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "xp_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub reason: String,
    /// `habit_day`, `act`, `habit` or `team`.
    pub source_type: String,
    pub source_id: Uuid,
    /// The day, for a `habit_day`.
    pub source_date: Option<Date>,
    /// Reason, source and what else tells this award apart.
    pub award_key: String,
    /// The award's n-th entry: even ones pay, odd ones reverse.
    pub occurrence: i32,
    pub xp: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
