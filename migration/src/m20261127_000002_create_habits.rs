//! Self-kindness habits, their check-ins on local dates, pauses, the sync
//! change sequence and tombstones, and streak checkpoints.

use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_helpers::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Every change to a person's habits and check-ins takes the next
        // numbers of this sequence under the user row's lock, so a sync
        // cursor (a number) never skips a change committed later.
        add_column(
            manager,
            Users::Table,
            big_integer(Users::SyncSeq).default(0),
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(Habits::Table)
                .col(pk_uuid(Habits::Id))
                .col(uuid(Habits::UserId))
                .col(string(Habits::Title))
                .col(string(Habits::Category))
                .col(string(Habits::ScheduleKind))
                .col(string_null(Habits::ScheduleDays))
                .col(small_integer_null(Habits::ScheduleTimes))
                .col(integer(Habits::TargetPerDay))
                .col(string_null(Habits::ReminderTime))
                .col(string_null(Habits::Colour))
                .col(string_null(Habits::Icon))
                .col(boolean(Habits::Archived))
                .col(date(Habits::StartsOn))
                .col(big_integer(Habits::SyncSeq))
                .col(timestamp_with_time_zone(Habits::CreatedAt))
                .col(timestamp_with_time_zone(Habits::UpdatedAt))
                .foreign_key(&mut cascading_foreign_key(
                    "habits_user_id_fkey",
                    (Habits::Table, Habits::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
            [index(
                "habits_user_id_sync_seq_idx",
                [Habits::UserId, Habits::SyncSeq],
            )],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(CheckIns::Table)
                .col(pk_uuid(CheckIns::Id))
                .col(uuid(CheckIns::HabitId))
                .col(uuid(CheckIns::UserId))
                .col(date(CheckIns::LocalDate))
                .col(integer(CheckIns::Count))
                .col(small_integer_null(CheckIns::Mood))
                .col(text_null(CheckIns::Note))
                .col(big_integer(CheckIns::SyncSeq))
                .col(timestamp_with_time_zone(CheckIns::CreatedAt))
                .col(timestamp_with_time_zone(CheckIns::UpdatedAt))
                .foreign_key(&mut cascading_foreign_key(
                    "check_ins_habit_id_fkey",
                    (CheckIns::Table, CheckIns::HabitId),
                    (Habits::Table, Habits::Id),
                ))
                .foreign_key(&mut cascading_foreign_key(
                    "check_ins_user_id_fkey",
                    (CheckIns::Table, CheckIns::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
            [
                // One check-in per habit and day; also the index that streaks
                // and range listings read.
                unique_index(
                    "check_ins_habit_id_local_date_key",
                    [CheckIns::HabitId, CheckIns::LocalDate],
                ),
                index(
                    "check_ins_user_id_sync_seq_idx",
                    [CheckIns::UserId, CheckIns::SyncSeq],
                ),
            ],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(SyncTombstones::Table)
                .col(pk_uuid(SyncTombstones::Id))
                .col(uuid(SyncTombstones::UserId))
                .col(string(SyncTombstones::Kind))
                .col(uuid(SyncTombstones::HabitId))
                .col(date_null(SyncTombstones::LocalDate))
                .col(big_integer(SyncTombstones::SyncSeq))
                .col(timestamp_with_time_zone(SyncTombstones::DeletedAt))
                .foreign_key(&mut cascading_foreign_key(
                    "sync_tombstones_user_id_fkey",
                    (SyncTombstones::Table, SyncTombstones::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
            [
                index(
                    "sync_tombstones_user_id_sync_seq_idx",
                    [SyncTombstones::UserId, SyncTombstones::SyncSeq],
                ),
                index(
                    "sync_tombstones_habit_id_idx",
                    [SyncTombstones::HabitId, SyncTombstones::LocalDate],
                ),
            ],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(Pauses::Table)
                .col(pk_uuid(Pauses::Id))
                .col(uuid(Pauses::UserId))
                .col(date(Pauses::StartsOn))
                .col(date(Pauses::EndsOn))
                .col(timestamp_with_time_zone(Pauses::CreatedAt))
                .foreign_key(&mut cascading_foreign_key(
                    "pauses_user_id_fkey",
                    (Pauses::Table, Pauses::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
            [index("pauses_user_id_idx", [Pauses::UserId])],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(StreakCheckpoints::Table)
                .col(uuid(StreakCheckpoints::HabitId).primary_key())
                .col(string(StreakCheckpoints::Fingerprint))
                .col(date(StreakCheckpoints::Through))
                .col(integer(StreakCheckpoints::Current))
                .col(integer(StreakCheckpoints::Longest))
                .col(integer(StreakCheckpoints::RestAvailable))
                .col(integer(StreakCheckpoints::TowardRest))
                .col(date_null(StreakCheckpoints::LastCompletedOn))
                .foreign_key(&mut cascading_foreign_key(
                    "streak_checkpoints_habit_id_fkey",
                    (StreakCheckpoints::Table, StreakCheckpoints::HabitId),
                    (Habits::Table, Habits::Id),
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
                StreakCheckpoints::Table.into_iden(),
                Pauses::Table.into_iden(),
                SyncTombstones::Table.into_iden(),
                CheckIns::Table.into_iden(),
                Habits::Table.into_iden(),
            ],
        )
        .await?;
        drop_column(manager, Users::Table, Users::SyncSeq).await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    SyncSeq,
}

#[derive(DeriveIden)]
enum Habits {
    Table,
    Id,
    UserId,
    Title,
    Category,
    ScheduleKind,
    ScheduleDays,
    ScheduleTimes,
    TargetPerDay,
    ReminderTime,
    Colour,
    Icon,
    Archived,
    StartsOn,
    SyncSeq,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CheckIns {
    Table,
    Id,
    HabitId,
    UserId,
    LocalDate,
    Count,
    Mood,
    Note,
    SyncSeq,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SyncTombstones {
    Table,
    Id,
    UserId,
    Kind,
    HabitId,
    LocalDate,
    SyncSeq,
    DeletedAt,
}

#[derive(DeriveIden)]
enum Pauses {
    Table,
    Id,
    UserId,
    StartsOn,
    EndsOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StreakCheckpoints {
    Table,
    HabitId,
    Fingerprint,
    Through,
    Current,
    Longest,
    RestAvailable,
    TowardRest,
    LastCompletedOn,
}
