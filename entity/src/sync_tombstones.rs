//! What remains of a deleted habit or check-in, so that a syncing client
//! learns to delete it too. It holds no content.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_tombstones")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// `habit` or `check_in`.
    pub kind: String,
    pub habit_id: Uuid,
    /// For a check-in: its date.
    pub local_date: Option<Date>,
    pub sync_seq: i64,
    pub deleted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
