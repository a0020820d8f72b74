//! A person named by kudos, and whether they thanked its author.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "act_recipients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub act_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// The act's own creation time, kept here to page a person's kudos.
    pub created_at: DateTimeUtc,
    pub thanked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
