//! A team's streak: resume from its checkpoint, count only the acts of the
//! days after it, and move the checkpoint forward now and then.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{team_streak_checkpoints, teams};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set, sea_query::OnConflict};

use super::{Lock, Writer};
use crate::domain::{
    streak::WeekdaySet,
    team_streak::{self, TeamCheckpoint, TeamHistory, TeamProgress, TeamStreak},
};

/// Acts are only ever logged on the organisation's today, so every earlier
/// day is closed but for withdrawals (which move the team's acts revision)
/// and a change of timezone (which moves the settings' time), which can
/// move today back by up to this much.
const CHECKPOINT_LAG_DAYS: i64 = 2;
/// A checkpoint is rewritten only once it is this much older than it could be.
const CHECKPOINT_REFRESH_DAYS: i64 = 7;

/// The organisation's calendar as the team streak sees it.
pub struct OrgDays {
    pub working_days: WeekdaySet,
    /// When the organisation's settings (timezone, working days) last
    /// changed: any change invalidates the checkpoint, even one undone.
    pub settings_changed_at: DateTime<Utc>,
    pub today: NaiveDate,
    /// The team's first day in the organisation's timezone.
    pub team_starts_on: NaiveDate,
}

/// What a checkpoint depends on. `v1` names the rules it was computed by.
fn fingerprint(team: &teams::Model, days: &OrgDays) -> String {
    format!(
        "v1|{}|{:?}|{}|{}|{}",
        team.daily_act_threshold,
        days.working_days.days(),
        days.settings_changed_at.timestamp_micros(),
        days.team_starts_on,
        team.acts_revision
    )
}

/// The team's streak. `team` must have been read before this call, so that a
/// withdrawal committing meanwhile leaves its checkpoint stale, never wrong.
/// Reads through `db`; saves a moved checkpoint through a write transaction
/// of its own on `writer`, so it is never called while a `Unit` is open
/// (inside a write, use [`computed`]).
pub async fn for_team(
    db: &impl ConnectionTrait,
    writer: &Writer,
    team: &teams::Model,
    days: &OrgDays,
) -> Result<TeamStreak, DbErr> {
    let (streak, moved) = computed(db, team, days).await?;
    // Only a cache: failing to save it (say, the team was deleted in the
    // meantime) costs the next request some counting, nothing more.
    if let Some((fingerprint, checkpoint)) = moved
        && let Err(error) = save(writer, team, fingerprint, checkpoint).await
    {
        tracing::warn!(%error, "saving a team streak checkpoint");
    }
    Ok(streak)
}

/// The team's streak, read through `db` (a write's own transaction too),
/// and its checkpoint with its fingerprint when it has moved far enough to
/// be worth saving.
pub async fn computed(
    db: &impl ConnectionTrait,
    team: &teams::Model,
    days: &OrgDays,
) -> Result<(TeamStreak, Option<(String, TeamCheckpoint)>), DbErr> {
    let fingerprint = fingerprint(team, days);
    let checkpoint_at = days.today - Duration::days(CHECKPOINT_LAG_DAYS);
    let resume = team_streak_checkpoints::Entity::find_by_id(team.id)
        .one(db)
        .await?
        .filter(|row| row.fingerprint == fingerprint && row.through <= checkpoint_at)
        .map(|row| TeamCheckpoint {
            through: row.through,
            progress: TeamProgress {
                current: row.current.max(0) as u32,
                longest: row.longest.max(0) as u32,
            },
        });
    let from = resume.map_or(days.team_starts_on, |checkpoint| {
        checkpoint.through + Duration::days(1)
    });
    let acts_per_day = super::acts::per_day(db, team.id, from, days.today).await?;
    let history = TeamHistory {
        working_days: days.working_days,
        threshold: team.daily_act_threshold.max(1) as u32,
        starts_on: days.team_starts_on,
        today: days.today,
        acts_per_day: &acts_per_day,
    };
    let (streak, checkpoint) = team_streak::compute(&history, resume, Some(checkpoint_at));
    let moved = checkpoint.filter(|checkpoint| {
        resume.is_none_or(|old| {
            (checkpoint.through - old.through).num_days() >= CHECKPOINT_REFRESH_DAYS
        })
    });
    Ok((streak, moved.map(|checkpoint| (fingerprint, checkpoint))))
}

/// Upserts the checkpoint. Two instances computing the same team at once
/// write the same values, so the last write winning is fine.
async fn save(
    writer: &Writer,
    team: &teams::Model,
    fingerprint: String,
    checkpoint: TeamCheckpoint,
) -> Result<(), DbErr> {
    use team_streak_checkpoints::Column;
    let int = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let row = team_streak_checkpoints::ActiveModel {
        team_id: Set(team.id),
        fingerprint: Set(fingerprint),
        through: Set(checkpoint.through),
        current: Set(int(checkpoint.progress.current)),
        longest: Set(int(checkpoint.progress.longest)),
    };
    let txn = writer.begin(Lock::Nothing).await?;
    team_streak_checkpoints::Entity::insert(row)
        .on_conflict(
            OnConflict::column(Column::TeamId)
                .update_columns([
                    Column::Fingerprint,
                    Column::Through,
                    Column::Current,
                    Column::Longest,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    txn.commit().await
}
