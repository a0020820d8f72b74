//! Check-ins, one per habit and local date. Undoing a day deletes its row and
//! leaves a tombstone for sync; checking in again removes the tombstone.

use std::{
    collections::{BTreeSet, HashMap},
    ops::Range,
};

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    check_ins::{ActiveModel, Column, Entity, Model},
    sync_tombstones,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, ModelTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::WriteTxn;
use super::{habits::Habit, sync::insert_tombstone};
use crate::domain::habit::TombstoneKind;

/// A habit's check-in for one local date, as stored.
pub type CheckIn = Model;

/// What a check-in says about its day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInFields {
    pub count: i32,
    pub mood: Option<i16>,
    pub note: Option<String>,
}

pub async fn find(
    db: &impl ConnectionTrait,
    habit_id: Uuid,
    date: NaiveDate,
) -> Result<Option<Model>, DbErr> {
    let day = Entity::find()
        .filter(Column::HabitId.eq(habit_id))
        .filter(Column::LocalDate.eq(date));
    super::row(db, day).await
}

/// Whether storing `fields` for this day would change anything.
pub fn unchanged(existing: &Model, fields: &CheckInFields) -> bool {
    existing.count == fields.count && existing.mood == fields.mood && existing.note == fields.note
}

/// Stores the day's check-in (creating or replacing it) under `seq`.
pub async fn upsert(
    txn: &WriteTxn,
    habit: &Habit,
    date: NaiveDate,
    existing: Option<Model>,
    fields: CheckInFields,
    seq: i64,
    now: DateTime<Utc>,
) -> Result<Model, DbErr> {
    let row = match existing {
        Some(existing) => {
            let mut row: ActiveModel = existing.into();
            row.count = Set(fields.count);
            row.mood = Set(fields.mood);
            row.note = Set(fields.note);
            row.sync_seq = Set(seq);
            row.updated_at = Set(now);
            row.update(txn).await?
        }
        None => {
            sync_tombstones::Entity::delete_many()
                .filter(sync_tombstones::Column::HabitId.eq(habit.id))
                .filter(sync_tombstones::Column::LocalDate.eq(date))
                .exec(txn)
                .await?;
            ActiveModel {
                id: Set(Uuid::now_v7()),
                habit_id: Set(habit.id),
                user_id: Set(habit.user_id),
                local_date: Set(date),
                count: Set(fields.count),
                mood: Set(fields.mood),
                note: Set(fields.note),
                sync_seq: Set(seq),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(txn)
            .await?
        }
    };
    Ok(row)
}

/// Undoes the day: deletes its check-in and leaves a tombstone.
pub async fn delete(
    txn: &WriteTxn,
    existing: Model,
    seq: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    insert_tombstone(
        txn,
        existing.user_id,
        TombstoneKind::CheckIn,
        existing.habit_id,
        Some(existing.local_date),
        seq,
        now,
    )
    .await?;
    existing.delete(txn).await?;
    Ok(())
}

/// The habit's check-ins from `from` to `to`, oldest first, after the date
/// `after` when paging on.
pub async fn in_range(
    db: &impl ConnectionTrait,
    habit_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    after: Option<NaiveDate>,
    limit: u64,
) -> Result<Vec<Model>, DbErr> {
    let mut query = Entity::find()
        .filter(Column::HabitId.eq(habit_id))
        .filter(Column::LocalDate.gte(from))
        .filter(Column::LocalDate.lte(to));
    if let Some(after) = after {
        query = query.filter(Column::LocalDate.gt(after));
    }
    query
        .order_by_asc(Column::LocalDate)
        .limit(limit)
        .all(db)
        .await
}

/// For each habit, its complete days on or after the date given for it, in
/// one query that walks the (habit, date) index.
pub async fn complete_days_since(
    db: &impl ConnectionTrait,
    habits: &[(&Habit, NaiveDate)],
) -> Result<HashMap<Uuid, BTreeSet<NaiveDate>>, DbErr> {
    let mut days: HashMap<Uuid, BTreeSet<NaiveDate>> = habits
        .iter()
        .map(|(habit, _)| (habit.id, BTreeSet::new()))
        .collect();
    if habits.is_empty() {
        return Ok(days);
    }
    let condition = habits.iter().fold(Condition::any(), |any, (habit, since)| {
        any.add(
            Condition::all()
                .add(Column::HabitId.eq(habit.id))
                .add(Column::LocalDate.gte(*since))
                .add(Column::Count.gte(habit.fields.target_per_day)),
        )
    });
    let rows: Vec<(Uuid, NaiveDate)> = Entity::find()
        .select_only()
        .column(Column::HabitId)
        .column(Column::LocalDate)
        .filter(condition)
        .into_tuple()
        .all(db)
        .await?;
    for (habit_id, date) in rows {
        days.entry(habit_id).or_default().insert(date);
    }
    Ok(days)
}

/// The dates of the habit's check-ins whose count lies in `counts`.
pub async fn dates_with_count(
    db: &impl ConnectionTrait,
    habit_id: Uuid,
    counts: Range<i32>,
) -> Result<Vec<NaiveDate>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::LocalDate)
        .filter(Column::HabitId.eq(habit_id))
        .filter(Column::Count.gte(counts.start))
        .filter(Column::Count.lt(counts.end))
        .order_by_asc(Column::LocalDate)
        .into_tuple()
        .all(db)
        .await
}

/// The check-ins of these habits on one date.
pub async fn on_date(
    db: &impl ConnectionTrait,
    habit_ids: &[Uuid],
    date: NaiveDate,
) -> Result<HashMap<Uuid, Model>, DbErr> {
    if habit_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(Entity::find()
        .filter(Column::HabitId.is_in(habit_ids.iter().copied()))
        .filter(Column::LocalDate.eq(date))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.habit_id, row))
        .collect())
}
