//! An invitation code into an organisation, stored only as a hash.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    /// Hex SHA-256 of the code; the code itself is shown once and never stored.
    pub code_hash: String,
    /// The role the invited person joins with.
    pub role: String,
    /// A team the invited person joins too, as a member.
    pub team_id: Option<Uuid>,
    pub max_uses: i32,
    pub uses: i32,
    pub expires_at: DateTimeUtc,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
