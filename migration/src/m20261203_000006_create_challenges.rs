//! Challenges an organisation sets itself or one of its teams: a number of
//! acts, or of complete habit days, between two dates.

use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_helpers::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_table(
            manager,
            Table::create()
                .table(Challenges::Table)
                .col(pk_uuid(Challenges::Id))
                .col(uuid(Challenges::OrgId))
                // Null for the whole organisation.
                .col(uuid_null(Challenges::TeamId))
                .col(string(Challenges::Title))
                .col(text_null(Challenges::Description))
                .col(string(Challenges::Metric))
                .col(integer(Challenges::Target))
                .col(date(Challenges::StartsOn))
                .col(date(Challenges::EndsOn))
                // When an `acts` challenge's count first reached its target;
                // written once.
                .col(timestamp_with_time_zone_null(Challenges::CompletedAt))
                .col(timestamp_with_time_zone(Challenges::CreatedAt))
                .foreign_key(&mut cascading_foreign_key(
                    "challenges_org_id_fkey",
                    (Challenges::Table, Challenges::OrgId),
                    (Organisations::Table, Organisations::Id),
                ))
                .foreign_key(&mut cascading_foreign_key(
                    "challenges_team_id_fkey",
                    (Challenges::Table, Challenges::TeamId),
                    (Teams::Table, Teams::Id),
                ))
                .to_owned(),
            [
                // The organisation's challenges, newest first.
                index(
                    "challenges_org_id_created_at_idx",
                    [Challenges::OrgId, Challenges::CreatedAt, Challenges::Id],
                ),
                // A team's challenges (its progress, and the cascade).
                index(
                    "challenges_team_id_ends_on_idx",
                    [Challenges::TeamId, Challenges::EndsOn],
                ),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Challenges::Table.into_iden()]).await
    }
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Challenges {
    Table,
    Id,
    OrgId,
    TeamId,
    Title,
    Description,
    Metric,
    Target,
    StartsOn,
    EndsOn,
    CompletedAt,
    CreatedAt,
}
