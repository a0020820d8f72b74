//! Accounts.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use entity::users::{ActiveModel, Column, Entity, Model};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QuerySelect, Set,
    sea_query::{Expr, ExprTrait, LockType},
};
use uuid::Uuid;

use super::WriteTxn;
use crate::domain::account::{DayStartHour, DisplayName, Email, parse_timezone};

/// An account, as stored.
#[derive(Debug, Clone)]
pub struct User {
    pub id: Uuid,
    /// Lower-cased.
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub timezone: Tz,
    pub day_starts_at_hour: i16,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<Model> for User {
    type Error = DbErr;

    fn try_from(row: Model) -> Result<Self, DbErr> {
        Ok(Self {
            timezone: parse_timezone(&row.timezone)
                .map_err(|_| DbErr::Type(format!("users.timezone holds {:?}", row.timezone)))?,
            id: row.id,
            email: row.email,
            password_hash: row.password_hash,
            display_name: row.display_name,
            day_starts_at_hour: row.day_starts_at_hour,
            created_at: row.created_at,
        })
    }
}

pub struct NewUser {
    pub email: Email,
    pub password_hash: String,
    pub display_name: DisplayName,
    pub timezone: Tz,
}

pub async fn insert(txn: &WriteTxn, user: NewUser, now: DateTime<Utc>) -> Result<User, DbErr> {
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
    .insert(txn)
    .await?
    .try_into()
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<User>, DbErr> {
    super::one(db, Entity::find_by_id(id)).await
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &Email,
) -> Result<Option<User>, DbErr> {
    super::one(db, Entity::find().filter(Column::Email.eq(email.as_str()))).await
}

#[derive(Default)]
pub struct ProfileChanges {
    pub display_name: Option<DisplayName>,
    pub timezone: Option<Tz>,
    pub day_starts_at_hour: Option<DayStartHour>,
}

impl ProfileChanges {
    fn is_empty(&self) -> bool {
        self.display_name.is_none() && self.timezone.is_none() && self.day_starts_at_hour.is_none()
    }
}

/// Applies the changes; the account as it then is, or `None` when there is
/// no such account.
pub async fn update_profile(
    txn: &WriteTxn,
    user_id: Uuid,
    changes: ProfileChanges,
    now: DateTime<Utc>,
) -> Result<Option<User>, DbErr> {
    let Some(row) = Entity::find_by_id(user_id).one(txn).await? else {
        return Ok(None);
    };
    if changes.is_empty() {
        return row.try_into().map(Some);
    }
    let mut row: ActiveModel = row.into();
    if let Some(name) = changes.display_name {
        row.display_name = Set(name.into_inner());
    }
    if let Some(timezone) = changes.timezone {
        row.timezone = Set(timezone.name().to_owned());
    }
    if let Some(hour) = changes.day_starts_at_hour {
        row.day_starts_at_hour = Set(hour.get());
    }
    row.updated_at = Set(now);
    row.update(txn).await?.try_into().map(Some)
}

/// Takes the person's row lock, as [`super::Lock::Person`] does, in a
/// write that learnt whose it is only after it began; false when the
/// account is gone.
pub async fn lock(txn: &WriteTxn, user_id: Uuid) -> Result<bool, DbErr> {
    super::write::lock_row::<Entity>(txn, Column::Id, Column::SyncSeq, user_id).await
}

/// Holds these accounts until the transaction ends, on PostgreSQL, so that
/// a write that will refer to them (kudos to them, their team membership)
/// reads whether they still exist after any erasure of theirs has
/// committed, rather than fail on the foreign key when it writes. On
/// SQLite the transaction holds the write lock already.
pub async fn hold(txn: &WriteTxn, ids: &[Uuid]) -> Result<(), DbErr> {
    if ids.is_empty() || txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Id.is_in(ids.iter().copied()))
        .lock(LockType::KeyShare)
        .into_tuple::<Uuid>()
        .all(txn)
        .await?;
    Ok(())
}

/// Deletes the account and, by their foreign keys, everything that is only
/// the person's: habits, check-ins, tombstones, pauses, logins,
/// memberships, XP and badges, and their place among kudos' recipients.
/// Acts they wrote stay, with no author.
pub async fn delete(txn: &WriteTxn, user_id: Uuid) -> Result<(), DbErr> {
    Entity::delete_by_id(user_id).exec(txn).await?;
    Ok(())
}

/// Reserves `n` numbers of the person's sync sequence and returns the first.
/// Called under the person's [`super::Lock::Person`], which makes the
/// numbers commit in order.
pub async fn take_sync_seqs(txn: &WriteTxn, user_id: Uuid, n: i64) -> Result<i64, DbErr> {
    let rows = Entity::update_many()
        .col_expr(Column::SyncSeq, Expr::col(Column::SyncSeq).add(n))
        .filter(Column::Id.eq(user_id))
        .exec_with_returning(txn)
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

/// The person's display name; empty once their account is gone.
pub async fn display_name(db: &impl ConnectionTrait, id: Uuid) -> Result<String, DbErr> {
    Ok(display_names(db, [id])
        .await?
        .remove(&id)
        .unwrap_or_default())
}

/// Each row with the display name of the person it names.
pub async fn with_names<T>(
    db: &impl ConnectionTrait,
    rows: Vec<T>,
    person: impl Fn(&T) -> Uuid,
) -> Result<Vec<(T, String)>, DbErr> {
    let names = display_names(db, rows.iter().map(&person)).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let name = names.get(&person(&row)).cloned().unwrap_or_default();
            (row, name)
        })
        .collect())
}
