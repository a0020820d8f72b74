//! Streak checkpoints remember what `welcome_back` needs: the last complete
//! day of a streak of at least 2 that ended, until something is completed
//! again.

use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_helpers::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            manager,
            StreakCheckpoints::Table,
            date_null(StreakCheckpoints::EndedRunOn),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(
            manager,
            StreakCheckpoints::Table,
            StreakCheckpoints::EndedRunOn,
        )
        .await
    }
}

#[derive(DeriveIden)]
enum StreakCheckpoints {
    Table,
    EndedRunOn,
}
