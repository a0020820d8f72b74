//! Streaks for a set of habits: resume each from its checkpoint, read only the
//! check-ins after it, and move the checkpoint forward now and then.

use std::collections::{BTreeSet, HashMap};

use chrono::{Duration, NaiveDate};
use entity::streak_checkpoints;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, Iterable, QueryFilter, Set,
    sea_query::OnConflict,
};
use uuid::Uuid;

use super::{Lock, WriteTxn, Writer, habits::Habit};
use crate::domain::{
    habit::BACKFILL_DAYS,
    streak::{self, Checkpoint, History, Pauses, Progress, RHYTHM_DAYS, Streak},
};

/// Days by which a change of timezone or day start can move "today".
const TIMEZONE_SLACK_DAYS: i64 = 2;
/// Checkpoints stay this far behind today: further back than any check-in
/// may be dated (30 days, plus the timezone slack) and than the rhythm looks.
const CHECKPOINT_LAG_DAYS: i64 = 35;
/// The version of the rules a checkpoint's progress was computed by, part of
/// its fingerprint: a checkpoint from older rules (before ended streaks were
/// remembered for comebacks) is ignored and recomputed.
const CHECKPOINT_RULES: u32 = 2;
/// A checkpoint is rewritten only once it is this much older than it could be.
const CHECKPOINT_REFRESH_DAYS: i64 = 14;

const _: () = assert!(
    CHECKPOINT_LAG_DAYS > BACKFILL_DAYS + TIMEZONE_SLACK_DAYS && CHECKPOINT_LAG_DAYS > RHYTHM_DAYS
);

/// A habit's streak and its recent complete days (at least the last 28).
pub struct HabitStreak {
    pub streak: Streak,
    pub recent_complete: BTreeSet<NaiveDate>,
}

fn fingerprint(habit: &Habit, schedule: streak::Schedule) -> String {
    format!(
        "{CHECKPOINT_RULES}|{}|{}|{}",
        schedule.canonical(),
        habit.fields.target_per_day,
        habit.starts_on
    )
}

/// Reads through `db`; saves moved checkpoints through a write transaction
/// of its own on `writer`, so it is never called while a `Unit` is open (on
/// SQLite that unit holds the one writer connection): inside a write, use
/// [`computed`].
pub async fn for_habits(
    db: &impl ConnectionTrait,
    writer: &Writer,
    habits: &[Habit],
    today: NaiveDate,
    pauses: &Pauses,
) -> Result<HashMap<Uuid, HabitStreak>, DbErr> {
    let (result, refreshed) = computed(db, habits, today, pauses).await?;
    // Only a cache: failing to save one (say, the habit was deleted in the
    // meantime) costs the next request some reading, nothing more.
    if !refreshed.is_empty()
        && let Err(error) = save_checkpoints(writer, refreshed).await
    {
        tracing::warn!(%error, "saving streak checkpoints");
    }
    Ok(result)
}

/// The habits' streaks, read through `db` (a write's own transaction too),
/// and the checkpoints that have moved far enough to be worth saving.
pub async fn computed(
    db: &impl ConnectionTrait,
    habits: &[Habit],
    today: NaiveDate,
    pauses: &Pauses,
) -> Result<
    (
        HashMap<Uuid, HabitStreak>,
        Vec<streak_checkpoints::ActiveModel>,
    ),
    DbErr,
> {
    let stored: HashMap<Uuid, streak_checkpoints::Model> = if habits.is_empty() {
        HashMap::new()
    } else {
        streak_checkpoints::Entity::find()
            .filter(streak_checkpoints::Column::HabitId.is_in(habits.iter().map(|h| h.id)))
            .all(db)
            .await?
            .into_iter()
            .map(|row| (row.habit_id, row))
            .collect()
    };
    let checkpoint_at = today - Duration::days(CHECKPOINT_LAG_DAYS);

    let mut plans = Vec::with_capacity(habits.len());
    for habit in habits {
        let schedule = habit.fields.schedule;
        let fingerprint = fingerprint(habit, schedule);
        let resume = stored
            .get(&habit.id)
            .filter(|row| row.fingerprint == fingerprint && row.through <= checkpoint_at)
            .map(|row| Checkpoint {
                through: row.through,
                progress: Progress {
                    current: row.current.max(0) as u32,
                    longest: row.longest.max(0) as u32,
                    rest_available: row.rest_available.max(0) as u32,
                    toward_rest: row.toward_rest.max(0) as u32,
                    last_completed_on: row.last_completed_on,
                    ended_run_on: row.ended_run_on,
                },
            });
        // Without a checkpoint, read from as far before the habit's creation
        // as a check-in written after it can be dated.
        let since = match resume {
            Some(checkpoint) => checkpoint.through + Duration::days(1),
            None => habit.starts_on - Duration::days(BACKFILL_DAYS + TIMEZONE_SLACK_DAYS),
        };
        plans.push((habit, schedule, fingerprint, resume, since));
    }

    let windows: Vec<(&Habit, NaiveDate)> = plans
        .iter()
        .map(|(habit, _, _, _, since)| (*habit, *since))
        .collect();
    let mut complete = super::check_ins::complete_days_since(db, &windows).await?;

    let mut result = HashMap::with_capacity(habits.len());
    let mut refreshed = Vec::new();
    for (habit, schedule, fingerprint, resume, _) in plans {
        let days = complete.remove(&habit.id).unwrap_or_default();
        // The streak starts when the habit was created, or on an earlier
        // backfilled complete day; computed rather than stored, so that
        // undoing the backfill moves it back. Past a checkpoint every day
        // after it counts, whatever the start.
        let starts_on = match resume {
            Some(checkpoint) => habit.starts_on.min(checkpoint.through + Duration::days(1)),
            None => days
                .first()
                .map_or(habit.starts_on, |&first| first.min(habit.starts_on)),
        };
        let history = History {
            schedule,
            starts_on,
            today,
            complete: &days,
            pauses,
        };
        let (streak, checkpoint) = streak::compute(&history, resume, Some(checkpoint_at));
        if let Some(checkpoint) = checkpoint {
            let stale = resume.is_none_or(|old| {
                (checkpoint.through - old.through).num_days() >= CHECKPOINT_REFRESH_DAYS
            });
            if stale {
                refreshed.push(checkpoint_row(habit.id, fingerprint, checkpoint));
            }
        }
        let recent_from = today - Duration::days(RHYTHM_DAYS);
        let recent_complete = days.range(recent_from..).copied().collect();
        result.insert(
            habit.id,
            HabitStreak {
                streak,
                recent_complete,
            },
        );
    }
    Ok((result, refreshed))
}

fn checkpoint_row(
    habit_id: Uuid,
    fingerprint: String,
    checkpoint: Checkpoint,
) -> streak_checkpoints::ActiveModel {
    let progress = checkpoint.progress;
    let int = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    streak_checkpoints::ActiveModel {
        habit_id: Set(habit_id),
        fingerprint: Set(fingerprint),
        through: Set(checkpoint.through),
        current: Set(int(progress.current)),
        longest: Set(int(progress.longest)),
        rest_available: Set(int(progress.rest_available)),
        toward_rest: Set(int(progress.toward_rest)),
        last_completed_on: Set(progress.last_completed_on),
        ended_run_on: Set(progress.ended_run_on),
    }
}

/// Upserts checkpoints in a transaction of their own.
async fn save_checkpoints(
    writer: &Writer,
    rows: Vec<streak_checkpoints::ActiveModel>,
) -> Result<(), DbErr> {
    let txn = writer.begin(Lock::Nothing).await?;
    save(&txn, rows).await?;
    txn.commit().await
}

/// Upserts the checkpoints [`computed`] found worth saving, in a write's
/// transaction, so that a person who only ever writes does not replay a
/// habit's history on every completed day. Two instances computing the same
/// habit at once write the same values (a checkpoint lies before any day a
/// check-in may still change), so the last write winning is fine. Rows are
/// written in the order of their habit ids, as a write that completes days
/// of several habits saves them, so that two saves never wait on each other
/// in opposite orders.
pub async fn save(
    txn: &WriteTxn,
    mut rows: Vec<streak_checkpoints::ActiveModel>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    rows.sort_by_key(|row| *row.habit_id.as_ref());
    use streak_checkpoints::Column;
    streak_checkpoints::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(Column::HabitId)
                // Every column but the key, so that none added later is
                // left behind when a row moves on.
                .update_columns(Column::iter().filter(|c| !matches!(c, Column::HabitId)))
                .to_owned(),
        )
        .exec(txn)
        .await?;
    Ok(())
}
