//! Habits. Every change takes a number of the owner's sync sequence; a delete
//! leaves a tombstone (and takes the habit's check-ins with it).

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    habits::{ActiveModel, Column, Entity, Model},
    sync_tombstones,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ModelTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::domain::streak::{Schedule, WeekdaySet};

/// What a person sets on a habit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HabitFields {
    pub title: String,
    pub category: String,
    pub schedule: Schedule,
    pub target_per_day: i32,
    pub reminder_time: Option<String>,
    pub colour: Option<String>,
    pub icon: Option<String>,
}

impl HabitFields {
    /// What a new habit has unless its create says otherwise. A create always
    /// gives the title, category and schedule.
    pub fn defaults() -> Self {
        Self {
            title: String::new(),
            category: String::new(),
            schedule: Schedule::Daily,
            target_per_day: 1,
            reminder_time: None,
            colour: None,
            icon: None,
        }
    }

    pub fn of(habit: &Model) -> Result<Self, DbErr> {
        Ok(Self {
            title: habit.title.clone(),
            category: habit.category.clone(),
            schedule: schedule_of(habit)?,
            target_per_day: habit.target_per_day,
            reminder_time: habit.reminder_time.clone(),
            colour: habit.colour.clone(),
            icon: habit.icon.clone(),
        })
    }

    fn apply(self, habit: &mut ActiveModel) {
        let (kind, days, times) = match self.schedule {
            Schedule::Daily => ("daily", None, None),
            Schedule::Weekdays(days) => (
                "weekdays",
                Some(
                    days.days()
                        .iter()
                        .map(u8::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                None,
            ),
            Schedule::TimesPerWeek(times) => ("times_per_week", None, Some(i16::from(times))),
        };
        habit.title = Set(self.title);
        habit.category = Set(self.category);
        habit.schedule_kind = Set(kind.to_owned());
        habit.schedule_days = Set(days);
        habit.schedule_times = Set(times);
        habit.target_per_day = Set(self.target_per_day);
        habit.reminder_time = Set(self.reminder_time);
        habit.colour = Set(self.colour);
        habit.icon = Set(self.icon);
    }
}

/// The stored schedule, parsed back.
pub fn schedule_of(habit: &Model) -> Result<Schedule, DbErr> {
    let corrupt = || DbErr::Custom(format!("habit {} has an unreadable schedule", habit.id));
    match habit.schedule_kind.as_str() {
        "daily" => Ok(Schedule::Daily),
        "weekdays" => {
            let days: Vec<i64> = habit
                .schedule_days
                .as_deref()
                .unwrap_or_default()
                .split(',')
                .map(str::parse)
                .collect::<Result<_, _>>()
                .map_err(|_| corrupt())?;
            WeekdaySet::parse(&days)
                .map(Schedule::Weekdays)
                .map_err(|_| corrupt())
        }
        "times_per_week" => habit
            .schedule_times
            .and_then(|times| Schedule::times_per_week(i64::from(times)).ok())
            .ok_or_else(corrupt),
        _ => Err(corrupt()),
    }
}

pub struct NewHabit {
    pub id: Uuid,
    pub user_id: Uuid,
    pub fields: HabitFields,
    pub starts_on: NaiveDate,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    habit: NewHabit,
    seq: i64,
    now: DateTime<Utc>,
) -> Result<Model, DbErr> {
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
    habit.fields.apply(&mut row);
    row.insert(db).await
}

/// Any habit with this id, whoever owns it: for telling a replayed create
/// from a conflicting one.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// The habit, if `user_id` owns it.
pub async fn find_owned(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id)
        .filter(Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// Whether a habit with this id was deleted (its tombstone remains).
pub async fn was_deleted(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, DbErr> {
    Ok(sync_tombstones::Entity::find()
        .filter(sync_tombstones::Column::HabitId.eq(id))
        .filter(sync_tombstones::Column::Kind.eq(super::sync::HABIT))
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
) -> Result<Vec<Model>, DbErr> {
    let mut query = Entity::find().filter(Column::UserId.eq(user_id));
    if !include_archived {
        query = query.filter(Column::Archived.eq(false));
    }
    query
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

pub async fn update(
    db: &impl ConnectionTrait,
    habit: Model,
    fields: HabitFields,
    archived: bool,
    seq: i64,
    now: DateTime<Utc>,
) -> Result<Model, DbErr> {
    let mut row: ActiveModel = habit.into();
    fields.apply(&mut row);
    row.archived = Set(archived);
    row.sync_seq = Set(seq);
    row.updated_at = Set(now);
    row.update(db).await
}

/// Deletes the habit and its check-ins, leaving one tombstone for sync.
pub async fn delete(
    db: &impl ConnectionTrait,
    habit: Model,
    seq: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // The habit's tombstone stands for its check-ins too.
    sync_tombstones::Entity::delete_many()
        .filter(sync_tombstones::Column::HabitId.eq(habit.id))
        .exec(db)
        .await?;
    super::sync::insert_tombstone(
        db,
        habit.user_id,
        super::sync::HABIT,
        habit.id,
        None,
        seq,
        now,
    )
    .await?;
    habit.delete(db).await?;
    Ok(())
}
