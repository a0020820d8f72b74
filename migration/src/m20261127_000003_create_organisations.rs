//! Organisations, their members with roles, teams and their members, and
//! invitations to join (optionally into a team).

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
            [],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(OrgMembers::Table)
                .col(uuid(OrgMembers::OrgId))
                .col(uuid(OrgMembers::UserId))
                .col(string(OrgMembers::Role))
                .col(timestamp_with_time_zone(OrgMembers::JoinedAt))
                .primary_key(&mut index(
                    "org_members_pkey",
                    [OrgMembers::OrgId, OrgMembers::UserId],
                ))
                .foreign_key(&mut cascading_foreign_key(
                    "org_members_org_id_fkey",
                    (OrgMembers::Table, OrgMembers::OrgId),
                    (Organisations::Table, Organisations::Id),
                ))
                .foreign_key(&mut cascading_foreign_key(
                    "org_members_user_id_fkey",
                    (OrgMembers::Table, OrgMembers::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
            [index("org_members_user_id_idx", [OrgMembers::UserId])],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(Teams::Table)
                .col(pk_uuid(Teams::Id))
                .col(uuid(Teams::OrgId))
                .col(string(Teams::Name))
                .col(integer(Teams::DailyActThreshold))
                .col(integer_null(Teams::WeeklyGoal))
                .col(timestamp_with_time_zone(Teams::CreatedAt))
                .col(timestamp_with_time_zone(Teams::UpdatedAt))
                .foreign_key(&mut cascading_foreign_key(
                    "teams_org_id_fkey",
                    (Teams::Table, Teams::OrgId),
                    (Organisations::Table, Organisations::Id),
                ))
                .to_owned(),
            [index("teams_org_id_idx", [Teams::OrgId])],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(TeamMembers::Table)
                .col(uuid(TeamMembers::TeamId))
                .col(uuid(TeamMembers::UserId))
                .col(string(TeamMembers::Role))
                .col(timestamp_with_time_zone(TeamMembers::JoinedAt))
                .primary_key(&mut index(
                    "team_members_pkey",
                    [TeamMembers::TeamId, TeamMembers::UserId],
                ))
                .foreign_key(&mut cascading_foreign_key(
                    "team_members_team_id_fkey",
                    (TeamMembers::Table, TeamMembers::TeamId),
                    (Teams::Table, Teams::Id),
                ))
                .foreign_key(&mut cascading_foreign_key(
                    "team_members_user_id_fkey",
                    (TeamMembers::Table, TeamMembers::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
            [index("team_members_user_id_idx", [TeamMembers::UserId])],
        )
        .await?;

        create_table(
            manager,
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
                .foreign_key(&mut cascading_foreign_key(
                    "invitations_org_id_fkey",
                    (Invitations::Table, Invitations::OrgId),
                    (Organisations::Table, Organisations::Id),
                ))
                .foreign_key(&mut cascading_foreign_key(
                    "invitations_team_id_fkey",
                    (Invitations::Table, Invitations::TeamId),
                    (Teams::Table, Teams::Id),
                ))
                .to_owned(),
            [unique_index(
                "invitations_code_hash_key",
                [Invitations::CodeHash],
            )],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                Invitations::Table.into_iden(),
                TeamMembers::Table.into_iden(),
                Teams::Table.into_iden(),
                OrgMembers::Table.into_iden(),
                Organisations::Table.into_iden(),
            ],
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
