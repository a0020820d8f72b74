//! The game: the XP ledger (append-only), each person's balance kept beside
//! it, and the badges people earned.

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
                .table(XpEntries::Table)
                .col(pk_uuid(XpEntries::Id))
                .col(uuid(XpEntries::UserId))
                .col(string(XpEntries::Reason))
                .col(string(XpEntries::SourceType))
                .col(uuid(XpEntries::SourceId))
                .col(date_null(XpEntries::SourceDate))
                // What makes the award one of its kind: reason, source and
                // what else tells two awards of one source apart (the day,
                // the milestone, who thanked).
                .col(string(XpEntries::AwardKey))
                // The n-th entry for the award: even ones pay, odd ones
                // reverse the one before.
                .col(integer(XpEntries::Occurrence))
                .col(integer(XpEntries::Xp))
                .col(timestamp_with_time_zone(XpEntries::CreatedAt))
                .foreign_key(&mut cascading_foreign_key(
                    "xp_entries_user_id_fkey",
                    (XpEntries::Table, XpEntries::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
            [
                // An award's entries, in order; the same entry twice (a
                // replay, two requests at once) cannot be written.
                unique_index(
                    "xp_entries_user_id_award_key_occurrence_key",
                    [
                        XpEntries::UserId,
                        XpEntries::AwardKey,
                        XpEntries::Occurrence,
                    ],
                ),
                // A person's latest entries.
                index(
                    "xp_entries_user_id_created_at_idx",
                    [XpEntries::UserId, XpEntries::CreatedAt, XpEntries::Id],
                ),
            ],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(XpBalances::Table)
                .col(pk_uuid(XpBalances::UserId))
                .col(big_integer(XpBalances::Xp))
                .foreign_key(&mut cascading_foreign_key(
                    "xp_balances_user_id_fkey",
                    (XpBalances::Table, XpBalances::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
            [],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(UserBadges::Table)
                .col(uuid(UserBadges::UserId))
                .col(string(UserBadges::Code))
                .col(timestamp_with_time_zone(UserBadges::EarnedAt))
                .primary_key(&mut index(
                    "user_badges_pkey",
                    [UserBadges::UserId, UserBadges::Code],
                ))
                .foreign_key(&mut cascading_foreign_key(
                    "user_badges_user_id_fkey",
                    (UserBadges::Table, UserBadges::UserId),
                    (Users::Table, Users::Id),
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
                UserBadges::Table.into_iden(),
                XpBalances::Table.into_iden(),
                XpEntries::Table.into_iden(),
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
enum XpEntries {
    Table,
    Id,
    UserId,
    Reason,
    SourceType,
    SourceId,
    SourceDate,
    AwardKey,
    Occurrence,
    Xp,
    CreatedAt,
}

#[derive(DeriveIden)]
enum XpBalances {
    Table,
    UserId,
    Xp,
}

#[derive(DeriveIden)]
enum UserBadges {
    Table,
    UserId,
    Code,
    EarnedAt,
}
