//! A person's habits: create (replayable by a client-chosen id), change,
//! delete. Every change takes a number of the owner's sync sequence, under
//! the owner's lock.

use std::ops::Range;

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Created, Error, Unit};
use crate::{
    domain::{
        Event,
        event::{HabitDay, retargeted},
        habit::{HabitChanges, HabitFields},
    },
    store::{
        self,
        habits::{Habit, NewHabit},
    },
};

/// Most habits one person may keep (archived ones included).
pub const MAX_HABITS: u64 = 200;

/// Creates a habit starting `today`. The same `id` with the same fields is a
/// replay and answers the stored habit; with other fields, someone else's,
/// or a deleted habit's, it is a conflict.
pub async fn create(
    unit: &mut Unit,
    owner: Uuid,
    today: NaiveDate,
    id: Option<Uuid>,
    fields: HabitFields,
) -> Result<Created<Habit>, Error> {
    if let Some(id) = id {
        if let Some(existing) = store::habits::find(unit.txn(), id).await? {
            if existing.user_id == owner && existing.fields == fields {
                return Ok(Created::Replayed(existing));
            }
            return Err(id_conflict());
        }
        if store::habits::was_deleted(unit.txn(), id).await? {
            return Err(id_conflict());
        }
    }
    if store::habits::count(unit.txn(), owner).await? >= MAX_HABITS {
        return Err(Error::conflict(
            "habit_limit",
            format!("A person keeps at most {MAX_HABITS} habits; delete one first."),
        ));
    }
    let seq = store::users::take_sync_seqs(unit.txn(), owner, 1).await?;
    let new_habit = NewHabit {
        id: id.unwrap_or_else(Uuid::now_v7),
        user_id: owner,
        fields,
        starts_on: today,
    };
    let habit = store::habits::insert(unit.txn(), new_habit, seq, unit.now).await?;
    Ok(Created::New(habit))
}

/// Changes the habit's fields and whether it is archived; a change that
/// changes nothing writes nothing.
pub async fn update(
    unit: &mut Unit,
    owner: Uuid,
    habit_id: Uuid,
    changes: HabitChanges,
    archived: Option<bool>,
) -> Result<Habit, Error> {
    let habit = owned(unit, owner, habit_id).await?;
    let fields = changes.apply_to(habit.fields.clone());
    let archived = archived.unwrap_or(habit.archived);
    if fields == habit.fields && archived == habit.archived {
        return Ok(habit);
    }
    // A day is complete by the habit's target: a new target completes or
    // undoes the days whose count lies between the two.
    if let Some((counts, completed)) =
        retargeted(habit.fields.target_per_day, fields.target_per_day)
    {
        raise_days(unit, &habit, counts, completed).await?;
    }
    let seq = store::users::take_sync_seqs(unit.txn(), owner, 1).await?;
    Ok(store::habits::update(unit.txn(), habit, fields, archived, seq, unit.now).await?)
}

/// Deletes the habit and its check-ins for good, leaving a tombstone; each
/// of its complete days is undone.
pub async fn delete(unit: &mut Unit, owner: Uuid, habit_id: Uuid) -> Result<(), Error> {
    let habit = owned(unit, owner, habit_id).await?;
    raise_days(unit, &habit, habit.fields.target_per_day..i32::MAX, false).await?;
    let seq = store::users::take_sync_seqs(unit.txn(), owner, 1).await?;
    store::habits::delete(unit.txn(), &habit, seq, unit.now).await?;
    unit.raise(Event::HabitDeleted {
        user_id: owner,
        habit_id,
    });
    Ok(())
}

/// The habit if `owner` owns it; for anybody else there is no such habit.
pub async fn owned(unit: &Unit, owner: Uuid, habit_id: Uuid) -> Result<Habit, Error> {
    store::habits::find_owned(unit.txn(), owner, habit_id)
        .await?
        .ok_or(Error::NotFound("habit"))
}

/// Raises `DayCompleted` (or `DayUndone`) for each of the habit's days
/// whose count lies in `counts`.
async fn raise_days(
    unit: &mut Unit,
    habit: &Habit,
    counts: Range<i32>,
    completed: bool,
) -> Result<(), Error> {
    for date in store::check_ins::dates_with_count(unit.txn(), habit.id, counts).await? {
        let day = HabitDay {
            user_id: habit.user_id,
            habit_id: habit.id,
            date,
        };
        unit.raise(day.event(completed));
    }
    Ok(())
}

fn id_conflict() -> Error {
    Error::conflict(
        "id_conflict",
        "This id is already used by a different habit; choose a new id.",
    )
}
