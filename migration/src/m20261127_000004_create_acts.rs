//! Acts of kindness and kudos in a team, their recipients (with thanks), and
//! team-streak checkpoints.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Bumped whenever an act is withdrawn: a team-streak checkpoint
        // records the revision it was computed at, so withdrawing an old act
        // invalidates it, even one computed while the withdrawal committed.
        manager
            .alter_table(
                Table::alter()
                    .table(Teams::Table)
                    .add_column(integer(Teams::ActsRevision).default(0))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
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
                    .foreign_key(
                        ForeignKey::create()
                            .name("acts_team_id_fkey")
                            .from(Acts::Table, Acts::TeamId)
                            .to(Teams::Table, Teams::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("acts_author_id_fkey")
                            .from(Acts::Table, Acts::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // The feed: a team's acts, newest first. Both team indexes hold only
        // acts not withdrawn, as every query of them asks, so that the
        // planner picks the right one even before it has statistics.
        manager
            .create_index(
                Index::create()
                    .name("acts_team_id_created_at_idx")
                    .table(Acts::Table)
                    .col(Acts::TeamId)
                    .col(Acts::CreatedAt)
                    .col(Acts::Id)
                    .and_where(Expr::col(Acts::WithdrawnAt).is_null())
                    .to_owned(),
            )
            .await?;
        // The streak and progress: a team's acts per local date.
        manager
            .create_index(
                Index::create()
                    .name("acts_team_id_local_date_idx")
                    .table(Acts::Table)
                    .col(Acts::TeamId)
                    .col(Acts::LocalDate)
                    .col(Acts::Visibility)
                    .and_where(Expr::col(Acts::WithdrawnAt).is_null())
                    .to_owned(),
            )
            .await?;
        // The daily limit: a person's acts in a team on a local date.
        manager
            .create_index(
                Index::create()
                    .name("acts_author_id_team_id_local_date_idx")
                    .table(Acts::Table)
                    .col(Acts::AuthorId)
                    .col(Acts::TeamId)
                    .col(Acts::LocalDate)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActRecipients::Table)
                    .col(uuid(ActRecipients::ActId))
                    .col(uuid(ActRecipients::UserId))
                    .col(timestamp_with_time_zone(ActRecipients::CreatedAt))
                    .col(timestamp_with_time_zone_null(ActRecipients::ThankedAt))
                    .primary_key(
                        Index::create()
                            .name("act_recipients_pkey")
                            .col(ActRecipients::ActId)
                            .col(ActRecipients::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("act_recipients_act_id_fkey")
                            .from(ActRecipients::Table, ActRecipients::ActId)
                            .to(Acts::Table, Acts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("act_recipients_user_id_fkey")
                            .from(ActRecipients::Table, ActRecipients::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The kudos a person received, newest first.
        manager
            .create_index(
                Index::create()
                    .name("act_recipients_user_id_created_at_idx")
                    .table(ActRecipients::Table)
                    .col(ActRecipients::UserId)
                    .col(ActRecipients::CreatedAt)
                    .col(ActRecipients::ActId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TeamStreakCheckpoints::Table)
                    .col(pk_uuid(TeamStreakCheckpoints::TeamId))
                    .col(string(TeamStreakCheckpoints::Fingerprint))
                    .col(date(TeamStreakCheckpoints::Through))
                    .col(integer(TeamStreakCheckpoints::Current))
                    .col(integer(TeamStreakCheckpoints::Longest))
                    .foreign_key(
                        ForeignKey::create()
                            .name("team_streak_checkpoints_team_id_fkey")
                            .from(TeamStreakCheckpoints::Table, TeamStreakCheckpoints::TeamId)
                            .to(Teams::Table, Teams::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TeamStreakCheckpoints::Table.into_iden(),
            ActRecipients::Table.into_iden(),
            Acts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Teams::Table)
                    .drop_column(Teams::ActsRevision)
                    .to_owned(),
            )
            .await
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
