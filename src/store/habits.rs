//! Habits. Every change takes a number of the owner's sync sequence; a delete
//! leaves a tombstone (and takes the habit's check-ins with it).

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    habits::{ActiveModel, Column, Entity, Model},
    sync_tombstones,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::{WriteTxn, named, weekdays_column, weekdays_from_column};
use crate::domain::{
    habit::{HabitFields, ScheduleKind, TombstoneKind},
    names::Named,
    streak::Schedule,
};

/// A habit, as stored.
#[derive(Debug, Clone)]
pub struct Habit {
    pub id: Uuid,
    pub user_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub fields: HabitFields,
    pub archived: bool,
    /// The owner's local date when it was created: its streak starts then
    /// (or on an earlier backfilled day).
    pub starts_on: NaiveDate,
}

impl TryFrom<Model> for Habit {
    type Error = DbErr;

    fn try_from(row: Model) -> Result<Self, DbErr> {
        let schedule = match named::<ScheduleKind>("habits.schedule_kind", &row.schedule_kind)? {
            ScheduleKind::Daily => Schedule::Daily,
            ScheduleKind::Weekdays => Schedule::Weekdays(weekdays_from_column(
                "habits.schedule_days",
                row.schedule_days.as_deref().unwrap_or_default(),
            )?),
            ScheduleKind::TimesPerWeek => row
                .schedule_times
                .and_then(|times| Schedule::times_per_week(i64::from(times)).ok())
                .ok_or_else(|| DbErr::Type(format!("habit {} has no weekly count", row.id)))?,
        };
        Ok(Self {
            fields: HabitFields {
                title: row.title,
                category: named("habits.category", &row.category)?,
                schedule,
                target_per_day: row.target_per_day,
                reminder_time: row.reminder_time,
                colour: row.colour,
                icon: row.icon,
            },
            id: row.id,
            user_id: row.user_id,
            archived: row.archived,
            starts_on: row.starts_on,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Sets the habit's columns from its fields.
fn apply(fields: HabitFields, habit: &mut ActiveModel) {
    let (days, times) = match fields.schedule {
        Schedule::Daily => (None, None),
        Schedule::Weekdays(days) => (Some(weekdays_column(days)), None),
        Schedule::TimesPerWeek(times) => (None, Some(i16::from(times))),
    };
    habit.title = Set(fields.title);
    habit.category = Set(fields.category.as_str().to_owned());
    habit.schedule_kind = Set(ScheduleKind::of(fields.schedule).as_str().to_owned());
    habit.schedule_days = Set(days);
    habit.schedule_times = Set(times);
    habit.target_per_day = Set(fields.target_per_day);
    habit.reminder_time = Set(fields.reminder_time);
    habit.colour = Set(fields.colour);
    habit.icon = Set(fields.icon);
}

pub struct NewHabit {
    pub id: Uuid,
    pub user_id: Uuid,
    pub fields: HabitFields,
    pub starts_on: NaiveDate,
}

pub async fn insert(
    txn: &WriteTxn,
    habit: NewHabit,
    seq: i64,
    now: DateTime<Utc>,
) -> Result<Habit, DbErr> {
    let mut row = ActiveModel {
        id: Set(habit.id),
        user_id: Set(habit.user_id),
        archived: Set(false),
        starts_on: Set(habit.starts_on),
        sync_seq: Set(seq),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    apply(habit.fields, &mut row);
    row.insert(txn).await?.try_into()
}

/// Any habit with this id, whoever owns it: for telling a replayed create
/// from a conflicting one.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Habit>, DbErr> {
    super::one(db, Entity::find_by_id(id)).await
}

/// The habit, if `user_id` owns it.
pub async fn find_owned(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<Habit>, DbErr> {
    super::one(
        db,
        Entity::find_by_id(id).filter(Column::UserId.eq(user_id)),
    )
    .await
}

/// Whether a habit with this id was deleted (its tombstone remains).
pub async fn was_deleted(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, DbErr> {
    Ok(sync_tombstones::Entity::find()
        .filter(sync_tombstones::Column::HabitId.eq(id))
        .filter(sync_tombstones::Column::Kind.eq(TombstoneKind::Habit.as_str()))
        .one(db)
        .await?
        .is_some())
}

/// How many habits the person keeps, archived ones included.
pub async fn count(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, DbErr> {
    Entity::find()
        .filter(Column::UserId.eq(user_id))
        .count(db)
        .await
}

/// The person's habits, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    include_archived: bool,
) -> Result<Vec<Habit>, DbErr> {
    let mut query = Entity::find().filter(Column::UserId.eq(user_id));
    if !include_archived {
        query = query.filter(Column::Archived.eq(false));
    }
    super::all(
        db,
        query
            .order_by_asc(Column::CreatedAt)
            .order_by_asc(Column::Id),
    )
    .await
}

pub async fn update(
    txn: &WriteTxn,
    habit: Habit,
    fields: HabitFields,
    archived: bool,
    seq: i64,
    now: DateTime<Utc>,
) -> Result<Habit, DbErr> {
    let mut row = ActiveModel {
        id: sea_orm::Unchanged(habit.id),
        archived: Set(archived),
        sync_seq: Set(seq),
        updated_at: Set(now),
        ..Default::default()
    };
    apply(fields, &mut row);
    row.update(txn).await?.try_into()
}

/// Deletes the habit and its check-ins, leaving one tombstone for sync.
pub async fn delete(
    txn: &WriteTxn,
    habit: &Habit,
    seq: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // The habit's tombstone stands for its check-ins too.
    sync_tombstones::Entity::delete_many()
        .filter(sync_tombstones::Column::HabitId.eq(habit.id))
        .exec(txn)
        .await?;
    super::sync::insert_tombstone(
        txn,
        habit.user_id,
        TombstoneKind::Habit,
        habit.id,
        None,
        seq,
        now,
    )
    .await?;
    Entity::delete_by_id(habit.id).exec(txn).await?;
    Ok(())
}
