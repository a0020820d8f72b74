//! Accounts and what authentication keeps: users, refresh-token families,
//! rate-limit windows shared by every instance, and service settings such as
//! the generated signing secret.

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
                .table(Users::Table)
                .col(pk_uuid(Users::Id))
                .col(string(Users::Email))
                .col(text(Users::PasswordHash))
                .col(string(Users::DisplayName))
                .col(string(Users::Timezone))
                .col(small_integer(Users::DayStartsAtHour))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .to_owned(),
            // Named so that the error mapper can turn a duplicate into a 409.
            [unique_index("users_email_key", [Users::Email])],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(RefreshTokens::Table)
                .col(pk_uuid(RefreshTokens::Id))
                .col(uuid(RefreshTokens::FamilyId))
                .col(uuid(RefreshTokens::UserId))
                .col(string(RefreshTokens::TokenHash))
                .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                .foreign_key(&mut cascading_foreign_key(
                    "refresh_tokens_user_id_fkey",
                    (RefreshTokens::Table, RefreshTokens::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
            [
                unique_index("refresh_tokens_token_hash_key", [RefreshTokens::TokenHash]),
                index("refresh_tokens_family_id_idx", [RefreshTokens::FamilyId]),
                index("refresh_tokens_user_id_idx", [RefreshTokens::UserId]),
            ],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(RateLimitWindows::Table)
                .col(string(RateLimitWindows::Key))
                .col(timestamp_with_time_zone(RateLimitWindows::WindowStart))
                .col(integer(RateLimitWindows::Hits))
                .primary_key(&mut index(
                    "rate_limit_windows_pkey",
                    [RateLimitWindows::Key, RateLimitWindows::WindowStart],
                ))
                .to_owned(),
            [index(
                "rate_limit_windows_window_start_idx",
                [RateLimitWindows::WindowStart],
            )],
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(ServiceSettings::Table)
                .col(string(ServiceSettings::Key).primary_key())
                .col(text(ServiceSettings::Value))
                .col(timestamp_with_time_zone(ServiceSettings::CreatedAt))
                .to_owned(),
            [],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                ServiceSettings::Table.into_iden(),
                RateLimitWindows::Table.into_iden(),
                RefreshTokens::Table.into_iden(),
                Users::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    DisplayName,
    Timezone,
    DayStartsAtHour,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    FamilyId,
    UserId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum RateLimitWindows {
    Table,
    Key,
    WindowStart,
    Hits,
}

#[derive(DeriveIden)]
enum ServiceSettings {
    Table,
    Key,
    Value,
    CreatedAt,
}
