//! An act of kindness or kudos, logged in a team. A withdrawn act stays as a
//! tombstone (its message erased) so that its id is not reused and it still
//! counts toward its author's daily limit.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "acts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub team_id: Uuid,
    /// `None` once the author deleted their account.
    pub author_id: Option<Uuid>,
    /// `act` or `kudos`.
    pub kind: String,
    pub category: String,
    #[sea_orm(column_type = "Text")]
    pub message: String,
    /// `team` or `recipients`.
    pub visibility: String,
    /// The organisation's local date when it was logged.
    pub local_date: Date,
    pub created_at: DateTimeUtc,
    pub withdrawn_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
