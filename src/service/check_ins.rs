//! Check-ins: storing and undoing a habit's day, one at a time or as an
//! offline client's batch. A day that becomes complete, or stops being so,
//! raises its event.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use uuid::Uuid;

use super::{Error, InvalidField, Unit, habits::owned};
use crate::{
    domain::{
        event::HabitDay,
        habit::{self, BACKFILL_DAYS, CheckInInput},
    },
    store::{
        self,
        check_ins::{CheckIn, CheckInFields},
        habits::Habit,
    },
};

/// A day's check-in as stored, and whether it completes its day.
pub struct Stored {
    pub check_in: CheckIn,
    pub done: bool,
}

/// Stores the habit's check-in for `date` (an idempotent upsert).
pub async fn put(
    unit: &mut Unit,
    owner: Uuid,
    habit_id: Uuid,
    date: NaiveDate,
    today: NaiveDate,
    input: CheckInInput,
) -> Result<Stored, Error> {
    let habit = owned(unit, owner, habit_id).await?;
    check_date(date, today)?;
    apply(unit, &habit, date, input).await
}

/// Undoes the habit's day, if it has a check-in.
pub async fn undo(
    unit: &mut Unit,
    owner: Uuid,
    habit_id: Uuid,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), Error> {
    let habit = owned(unit, owner, habit_id).await?;
    check_date(date, today)?;
    remove(unit, &habit, date).await
}

/// One item of an offline client's queue.
pub struct BatchEntry {
    pub habit_id: Uuid,
    pub date: NaiveDate,
    pub change: BatchChange,
}

pub enum BatchChange {
    Store(CheckInInput),
    Undo,
}

pub enum BatchOutcome {
    Stored(Stored),
    Undone,
}

/// Applies the entries in order. An entry for a habit that is not the
/// owner's, or dated outside the window, is refused alone (its refusal is
/// its outcome); any other failure aborts the whole batch.
pub async fn batch(
    unit: &mut Unit,
    owner: Uuid,
    today: NaiveDate,
    entries: Vec<BatchEntry>,
) -> Result<Vec<Result<BatchOutcome, Error>>, Error> {
    let habits: HashMap<Uuid, Habit> = store::habits::list(unit.txn(), owner, true)
        .await?
        .into_iter()
        .map(|habit| (habit.id, habit))
        .collect();
    let mut outcomes = Vec::with_capacity(entries.len());
    for entry in entries {
        let outcome = match habits.get(&entry.habit_id) {
            None => Err(Error::NotFound("habit")),
            Some(habit) => match check_date(entry.date, today) {
                Err(refused) => Err(refused),
                Ok(()) => match entry.change {
                    BatchChange::Store(input) => apply(unit, habit, entry.date, input)
                        .await
                        .map(BatchOutcome::Stored),
                    BatchChange::Undo => remove(unit, habit, entry.date)
                        .await
                        .map(|()| BatchOutcome::Undone),
                },
            },
        };
        match outcome {
            Err(error) if error.is_internal() => return Err(error),
            outcome => outcomes.push(outcome),
        }
    }
    Ok(outcomes)
}

/// A check-in's date must lie within the window: refused as
/// `date_out_of_range` on the field `date`.
fn check_date(date: NaiveDate, today: NaiveDate) -> Result<(), Error> {
    if habit::check_in_date_allowed(date, today) {
        return Ok(());
    }
    Err(Error::Invalid {
        code: "date_out_of_range",
        errors: vec![InvalidField::new(
            "date",
            format!(
                "must be between {} and {today}, your local today",
                today - Duration::days(BACKFILL_DAYS)
            ),
        )],
    })
}

/// Stores the check-in unless it is stored as given already.
async fn apply(
    unit: &mut Unit,
    habit: &Habit,
    date: NaiveDate,
    input: CheckInInput,
) -> Result<Stored, Error> {
    let target = habit.fields.target_per_day;
    let fields = CheckInFields {
        count: input.count.unwrap_or(target),
        mood: input.mood,
        note: input.note,
    };
    let existing = store::check_ins::find(unit.txn(), habit.id, date).await?;
    let check_in = match existing {
        Some(row) if store::check_ins::unchanged(&row, &fields) => row,
        existing => {
            let before = existing.as_ref().map(|row| row.count);
            let seq = store::users::take_sync_seqs(unit.txn(), habit.user_id, 1).await?;
            let row =
                store::check_ins::upsert(unit.txn(), habit, date, existing, fields, seq, unit.now)
                    .await?;
            raise_day_change(unit, habit, date, before, Some(row.count));
            row
        }
    };
    Ok(Stored {
        done: check_in.count >= target,
        check_in,
    })
}

/// Deletes the day's check-in, if there is one.
async fn remove(unit: &mut Unit, habit: &Habit, date: NaiveDate) -> Result<(), Error> {
    let Some(existing) = store::check_ins::find(unit.txn(), habit.id, date).await? else {
        return Ok(());
    };
    let before = Some(existing.count);
    let seq = store::users::take_sync_seqs(unit.txn(), habit.user_id, 1).await?;
    store::check_ins::delete(unit.txn(), existing, seq, unit.now).await?;
    raise_day_change(unit, habit, date, before, None);
    Ok(())
}

fn raise_day_change(
    unit: &mut Unit,
    habit: &Habit,
    date: NaiveDate,
    before: Option<i32>,
    after: Option<i32>,
) {
    let day = HabitDay {
        user_id: habit.user_id,
        habit_id: habit.id,
        date,
    };
    if let Some(event) = day.change(habit.fields.target_per_day, before, after) {
        unit.raise(event);
    }
}
