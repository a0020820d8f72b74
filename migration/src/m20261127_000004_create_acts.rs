//! Acts of kindness and kudos in a team, their recipients (with thanks), and
//! team-streak checkpoints.

use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_helpers::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Bumped whenever an act is withdrawn: a team-streak checkpoint
        // records the revision it was computed at, so withdrawing an old act
        // invalidates it, even one computed while the withdrawal committed.
        add_column(
            manager,
            Teams::Table,
            integer(Teams::ActsRevision).default(0),
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(Acts::Table)
                .col(pk_uuid(Acts::Id))
                .col(uuid(Acts::TeamId))
                // Null once the author deleted their account: what they
                // wrote to others stays, by "a former colleague".
                .col(uuid_null(Acts::AuthorId))
                .col(string(Acts::Kind))
                .col(string(Acts::Category))
                .col(text(Acts::Message))
                .col(string(Acts::Visibility))
                .col(date(Acts::LocalDate))
                .col(timestamp_with_time_zone(Acts::CreatedAt))
                .col(timestamp_with_time_zone_null(Acts::WithdrawnAt))
                .foreign_key(&mut cascading_foreign_key(
                    "acts_team_id_fkey",
                    (Acts::Table, Acts::TeamId),
                    (Teams::Table, Teams::Id),
                ))
                .foreign_key(&mut foreign_key(
                    "acts_author_id_fkey",
                    (Acts::Table, Acts::AuthorId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
            [
                // The feed: a team's acts, newest first. Both team indexes
                // hold only acts not withdrawn, as every query of them asks,
                // so that the planner picks the right one even before it has
                // statistics.
                partial_index(
                    "acts_team_id_created_at_idx",
                    [Acts::TeamId, Acts::CreatedAt, Acts::Id],
                    Expr::col(Acts::WithdrawnAt).is_null(),
                ),
                // The streak and progress: a team's acts per local date.
                partial_index(
                    "acts_team_id_local_date_idx",
                    [Acts::TeamId, Acts::LocalDate, Acts::Visibility],
                    Expr::col(Acts::WithdrawnAt).is_null(),
                ),
                // The daily limit: a person's acts in a team on a local date.
                index(
                    "acts_author_id_team_id_local_date_idx",
                    [Acts::AuthorId, Acts::TeamId, Acts::LocalDate],
                ),
            ],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(ActRecipients::Table)
                .col(uuid(ActRecipients::ActId))
                .col(uuid(ActRecipients::UserId))
                .col(timestamp_with_time_zone(ActRecipients::CreatedAt))
                .col(timestamp_with_time_zone_null(ActRecipients::ThankedAt))
                .primary_key(&mut index(
                    "act_recipients_pkey",
                    [ActRecipients::ActId, ActRecipients::UserId],
                ))
                .foreign_key(&mut cascading_foreign_key(
                    "act_recipients_act_id_fkey",
                    (ActRecipients::Table, ActRecipients::ActId),
                    (Acts::Table, Acts::Id),
                ))
                .foreign_key(&mut cascading_foreign_key(
                    "act_recipients_user_id_fkey",
                    (ActRecipients::Table, ActRecipients::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
            // The kudos a person received, newest first.
            [index(
                "act_recipients_user_id_created_at_idx",
                [
                    ActRecipients::UserId,
                    ActRecipients::CreatedAt,
                    ActRecipients::ActId,
                ],
            )],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(TeamStreakCheckpoints::Table)
                .col(pk_uuid(TeamStreakCheckpoints::TeamId))
                .col(string(TeamStreakCheckpoints::Fingerprint))
                .col(date(TeamStreakCheckpoints::Through))
                .col(integer(TeamStreakCheckpoints::Current))
                .col(integer(TeamStreakCheckpoints::Longest))
                .foreign_key(&mut cascading_foreign_key(
                    "team_streak_checkpoints_team_id_fkey",
                    (TeamStreakCheckpoints::Table, TeamStreakCheckpoints::TeamId),
                    (Teams::Table, Teams::Id),
                ))
                .to_owned(),
            [],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                TeamStreakCheckpoints::Table.into_iden(),
                ActRecipients::Table.into_iden(),
                Acts::Table.into_iden(),
            ],
        )
        .await?;
        drop_column(manager, Teams::Table, Teams::ActsRevision).await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    ActsRevision,
}

#[derive(DeriveIden)]
enum Acts {
    Table,
    Id,
    TeamId,
    AuthorId,
    Kind,
    Category,
    Message,
    Visibility,
    LocalDate,
    CreatedAt,
    WithdrawnAt,
}

#[derive(DeriveIden)]
enum ActRecipients {
    Table,
    ActId,
    UserId,
    CreatedAt,
    ThankedAt,
}

#[derive(DeriveIden)]
enum TeamStreakCheckpoints {
    Table,
    TeamId,
    Fingerprint,
    Through,
    Current,
    Longest,
}
