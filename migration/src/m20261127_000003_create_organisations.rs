//! Organisations, their members with roles, teams and their members, and
//! invitations to join (optionally into a team).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .col(pk_uuid(Organisations::Id))
                    .col(string(Organisations::Name))
                    .col(string(Organisations::Timezone))
                    .col(string(Organisations::WorkingDays))
                    .col(integer(Organisations::MinGroupSize))
                    .col(boolean(Organisations::TeamLeaderboardEnabled))
                    .col(timestamp_with_time_zone(Organisations::CreatedAt))
                    .col(timestamp_with_time_zone(Organisations::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrgMembers::Table)
                    .col(uuid(OrgMembers::OrgId))
                    .col(uuid(OrgMembers::UserId))
                    .col(string(OrgMembers::Role))
                    .col(timestamp_with_time_zone(OrgMembers::JoinedAt))
                    .primary_key(
                        Index::create()
                            .name("org_members_pkey")
                            .col(OrgMembers::OrgId)
                            .col(OrgMembers::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("org_members_org_id_fkey")
                            .from(OrgMembers::Table, OrgMembers::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("org_members_user_id_fkey")
                            .from(OrgMembers::Table, OrgMembers::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("org_members_user_id_idx")
                    .table(OrgMembers::Table)
                    .col(OrgMembers::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Teams::Table)
                    .col(pk_uuid(Teams::Id))
                    .col(uuid(Teams::OrgId))
                    .col(string(Teams::Name))
                    .col(integer(Teams::DailyActThreshold))
                    .col(integer_null(Teams::WeeklyGoal))
                    .col(timestamp_with_time_zone(Teams::CreatedAt))
                    .col(timestamp_with_time_zone(Teams::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("teams_org_id_fkey")
                            .from(Teams::Table, Teams::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("teams_org_id_idx")
                    .table(Teams::Table)
                    .col(Teams::OrgId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TeamMembers::Table)
                    .col(uuid(TeamMembers::TeamId))
                    .col(uuid(TeamMembers::UserId))
                    .col(string(TeamMembers::Role))
                    .col(timestamp_with_time_zone(TeamMembers::JoinedAt))
                    .primary_key(
                        Index::create()
                            .name("team_members_pkey")
                            .col(TeamMembers::TeamId)
                            .col(TeamMembers::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("team_members_team_id_fkey")
                            .from(TeamMembers::Table, TeamMembers::TeamId)
                            .to(Teams::Table, Teams::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("team_members_user_id_fkey")
                            .from(TeamMembers::Table, TeamMembers::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("team_members_user_id_idx")
                    .table(TeamMembers::Table)
                    .col(TeamMembers::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(pk_uuid(Invitations::Id))
                    .col(uuid(Invitations::OrgId))
                    .col(string(Invitations::CodeHash))
                    .col(string(Invitations::Role))
                    .col(uuid_null(Invitations::TeamId))
                    .col(integer(Invitations::MaxUses))
                    .col(integer(Invitations::Uses))
                    .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                    .col(uuid(Invitations::CreatedBy))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("invitations_org_id_fkey")
                            .from(Invitations::Table, Invitations::OrgId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("invitations_team_id_fkey")
                            .from(Invitations::Table, Invitations::TeamId)
                            .to(Teams::Table, Teams::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("invitations_code_hash_key")
                    .table(Invitations::Table)
                    .col(Invitations::CodeHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Invitations::Table.into_iden(),
            TeamMembers::Table.into_iden(),
            Teams::Table.into_iden(),
            OrgMembers::Table.into_iden(),
            Organisations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Name,
    Timezone,
    WorkingDays,
    MinGroupSize,
    TeamLeaderboardEnabled,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrgMembers {
    Table,
    OrgId,
    UserId,
    Role,
    JoinedAt,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    OrgId,
    Name,
    DailyActThreshold,
    WeeklyGoal,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TeamMembers {
    Table,
    TeamId,
    UserId,
    Role,
    JoinedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    OrgId,
    CodeHash,
    Role,
    TeamId,
    MaxUses,
    Uses,
    ExpiresAt,
    CreatedBy,
    CreatedAt,
}
