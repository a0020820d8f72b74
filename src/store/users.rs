//! Accounts.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::users::{self, ActiveModel, Column, Entity, Model};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, Set, TryIntoModel,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::domain::account::{DayStartHour, DisplayName, Email};

pub struct NewUser {
    pub email: Email,
    pub password_hash: String,
    pub display_name: DisplayName,
    pub timezone: chrono_tz::Tz,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    user: NewUser,
    now: DateTime<Utc>,
) -> Result<Model, DbErr> {
    ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(user.email.as_str().to_owned()),
        password_hash: Set(user.password_hash),
        display_name: Set(user.display_name.into_inner()),
        timezone: Set(user.timezone.name().to_owned()),
        day_starts_at_hour: Set(0),
        sync_seq: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &Email,
) -> Result<Option<Model>, DbErr> {
    Entity::find()
        .filter(Column::Email.eq(email.as_str()))
        .one(db)
        .await
}

#[derive(Default)]
pub struct ProfileChanges {
    pub display_name: Option<DisplayName>,
    pub timezone: Option<chrono_tz::Tz>,
    pub day_starts_at_hour: Option<DayStartHour>,
}

pub async fn update_profile(
    db: &impl ConnectionTrait,
    user: Model,
    changes: ProfileChanges,
    now: DateTime<Utc>,
) -> Result<Model, DbErr> {
    let mut user: users::ActiveModel = user.into();
    if let Some(name) = changes.display_name {
        user.display_name = Set(name.into_inner());
    }
    if let Some(timezone) = changes.timezone {
        user.timezone = Set(timezone.name().to_owned());
    }
    if let Some(hour) = changes.day_starts_at_hour {
        user.day_starts_at_hour = Set(hour.get());
    }
    if user.is_changed() {
        user.updated_at = Set(now);
        user.update(db).await
    } else {
        user.try_into_model()
    }
}

/// Begins a write transaction that holds the person's row lock, so that one
/// person's writes run one at a time on PostgreSQL as on SQLite, and each
/// reads what the one before it committed.
pub async fn begin_personal_write(
    db: &DatabaseConnection,
    user_id: Uuid,
) -> Result<DatabaseTransaction, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    Entity::update_many()
        .col_expr(Column::SyncSeq, Expr::col(Column::SyncSeq))
        .filter(Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    Ok(txn)
}

/// Reserves `n` numbers of the person's sync sequence and returns the first.
/// Called inside [`begin_personal_write`], whose lock makes the numbers
/// commit in order.
pub async fn take_sync_seqs(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    n: i64,
) -> Result<i64, DbErr> {
    let rows = Entity::update_many()
        .col_expr(Column::SyncSeq, Expr::col(Column::SyncSeq).add(n))
        .filter(Column::Id.eq(user_id))
        .exec_with_returning(db)
        .await?;
    let last = rows
        .first()
        .ok_or_else(|| DbErr::RecordNotFound(format!("user {user_id}")))?
        .sync_seq;
    Ok(last - n + 1)
}

/// The display names of these people, by id.
pub async fn display_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, DbErr> {
    Ok(Entity::find()
        .filter(Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|user| (user.id, user.display_name))
        .collect())
}
