//! Streaks that forgive, computed from complete days alone so that a backfill
//! or an undo always gives the right answer.
//!
//! The rules (API.md, "Streaks that forgive"):
//! - A *period* is a day (`daily`, `weekdays`) or an ISO week
//!   (`times_per_week`). A day period is scheduled when the schedule names its
//!   weekday; a week is complete when it holds `times` complete days.
//! - Paused days neither count nor break; nor do days outside the schedule, or
//!   before the habit starts. A week's `times` shrinks to the days of it that
//!   are neither paused nor before the start.
//! - The open period (today, or this week) counts when complete and never
//!   breaks when not.
//! - Every 7 consecutive complete periods earn a rest period, at most 2 banked.
//!   A missed period spends one and the streak goes on without growing; with
//!   none banked the streak ends.
//! - `rhythm` is the share of the last 28 days (4 weeks) that were complete,
//!   leaving out periods that were not scheduled, paused, open and not yet
//!   done, or covered by a rest period.
//!
//! History older than the editable window never changes, so the state after
//! an old period can be kept as a [`Checkpoint`] and the computation resumed
//! from it: a request then reads a few weeks of check-ins, not years.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use strum::{EnumString, IntoStaticStr, VariantArray, VariantNames};

use super::calendar::{iso_weekday, week_start};

/// Most rest periods that can be banked.
pub const MAX_REST_BANKED: u32 = 2;
/// Consecutive complete periods that earn one rest period.
pub const PERIODS_PER_REST: u32 = 7;
/// Days that `rhythm` looks back over, today included.
pub const RHYTHM_DAYS: i64 = 28;
/// The shortest streak whose end a comeback answers: a streak "ended" for
/// `welcome_back` when one of at least 2 periods was broken.
pub const COMEBACK_AFTER: u32 = 2;

/// ISO weekdays as a set: bit `d - 1` for weekday `d` (Monday = 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekdaySet(u8);

impl WeekdaySet {
    /// A non-empty set of distinct ISO weekdays 1–7.
    pub fn parse(days: &[i64]) -> Result<Self, String> {
        if days.is_empty() {
            return Err("must name at least one weekday (1 = Monday … 7 = Sunday)".to_owned());
        }
        let mut bits = 0u8;
        for &day in days {
            let bit = match day {
                1..=7 => 1u8 << (day - 1),
                _ => return Err("weekdays are 1 (Monday) to 7 (Sunday)".to_owned()),
            };
            if bits & bit != 0 {
                return Err("each weekday may be named once".to_owned());
            }
            bits |= bit;
        }
        Ok(Self(bits))
    }

    pub fn contains(self, iso_weekday: u8) -> bool {
        (1..=7).contains(&iso_weekday) && self.0 & (1 << (iso_weekday - 1)) != 0
    }

    /// The weekdays in order, Monday first.
    pub fn days(self) -> Vec<u8> {
        (1..=7).filter(|&day| self.contains(day)).collect()
    }
}

/// When a habit is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    Daily,
    Weekdays(WeekdaySet),
    TimesPerWeek(u8),
}

/// What a streak counts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum Unit {
    Day,
    Week,
}

impl Schedule {
    pub fn times_per_week(times: i64) -> Result<Self, String> {
        match u8::try_from(times) {
            Ok(times @ 1..=7) => Ok(Self::TimesPerWeek(times)),
            _ => Err("times must be 1 to 7".to_owned()),
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            Self::TimesPerWeek(_) => Unit::Week,
            Self::Daily | Self::Weekdays(_) => Unit::Day,
        }
    }

    /// A stable text form, e.g. `weekdays:1,3,5`; part of a checkpoint's
    /// fingerprint, so a changed schedule never resumes an old checkpoint.
    pub fn canonical(self) -> String {
        match self {
            Self::Daily => "daily".to_owned(),
            Self::Weekdays(days) => format!(
                "weekdays:{}",
                days.days()
                    .iter()
                    .map(u8::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Self::TimesPerWeek(times) => format!("times_per_week:{times}"),
        }
    }
}

/// The days a person declared paused, as inclusive ranges.
#[derive(Debug, Clone, Default)]
pub struct Pauses(Vec<(NaiveDate, NaiveDate)>);

impl Pauses {
    pub fn new(ranges: impl IntoIterator<Item = (NaiveDate, NaiveDate)>) -> Self {
        Self(ranges.into_iter().collect())
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.0
            .iter()
            .any(|&(starts_on, ends_on)| starts_on <= date && date <= ends_on)
    }
}

/// The streak's running state after some closed period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub current: u32,
    pub longest: u32,
    pub rest_available: u32,
    /// Consecutive complete periods since a rest period was last earned or a
    /// period was missed.
    pub toward_rest: u32,
    pub last_completed_on: Option<NaiveDate>,
    /// The last complete day of a streak of at least [`COMEBACK_AFTER`]
    /// periods that a miss ended, while no period has been completed since.
    pub ended_run_on: Option<NaiveDate>,
}

/// [`Progress`] after every period ending on or before `through`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    pub through: NaiveDate,
    pub progress: Progress,
}

/// What the API shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Streak {
    pub current: u32,
    pub longest: u32,
    pub rest_days_available: u32,
    pub last_completed_on: Option<NaiveDate>,
    pub unit: Unit,
    pub rhythm: f64,
    /// The latest comeback since the checkpoint resumed from: what
    /// `welcome_back` pays for, once per ended streak.
    pub comeback: Option<Comeback>,
}

/// A period completed after a streak of at least [`COMEBACK_AFTER`] periods
/// ended (with nothing completed in between).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comeback {
    /// The last complete day of the streak that ended: which ended streak
    /// this answers.
    pub ended_on: NaiveDate,
    /// The comeback period's first and last day (one day, or a week).
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

/// A habit's history as far as streaks care.
pub struct History<'a> {
    pub schedule: Schedule,
    /// The first day the habit exists.
    pub starts_on: NaiveDate,
    /// The person's local today.
    pub today: NaiveDate,
    /// Complete days: at least every one after the checkpoint resumed from.
    pub complete: &'a BTreeSet<NaiveDate>,
    pub pauses: &'a Pauses,
}

enum Outcome {
    /// Neither counts nor breaks.
    Skip,
    /// Complete; the date is the period's latest complete day.
    Complete(NaiveDate),
    Missed,
}

/// The streak as of `history.today`, resuming from `resume` when given (it
/// must lie before the rhythm window, and for weekly schedules on a Sunday).
/// Also returns the latest checkpoint on or before `checkpoint_at`, if a
/// closed period ends by then.
pub fn compute(
    history: &History,
    resume: Option<Checkpoint>,
    checkpoint_at: Option<NaiveDate>,
) -> (Streak, Option<Checkpoint>) {
    let today = history.today;
    let rhythm_from = today - Duration::days(RHYTHM_DAYS - 1);
    debug_assert!(resume.is_none_or(|c| c.through < rhythm_from));
    let (mut progress, first_day) = match resume {
        Some(checkpoint) => (checkpoint.progress, checkpoint.through + Duration::days(1)),
        None => (Progress::default(), history.starts_on),
    };
    let mut checkpoint = None;
    let mut comeback = None;
    let (mut rhythm_done, mut rhythm_counted) = (0u32, 0u32);

    let unit = history.schedule.unit();
    let (mut period, step, rhythm_first_period) = match unit {
        Unit::Day => (first_day, Duration::days(1), rhythm_from),
        Unit::Week => (
            week_start(first_day),
            Duration::days(7),
            week_start(today) - Duration::days(7 * (RHYTHM_DAYS / 7 - 1)),
        ),
    };
    while period <= today {
        let last_day = period + step - Duration::days(1);
        let outcome = match history.schedule {
            Schedule::TimesPerWeek(times) => week_outcome(history, period, times),
            Schedule::Daily | Schedule::Weekdays(_) => day_outcome(history, period),
        };
        let in_rhythm = period >= rhythm_first_period;
        match outcome {
            Outcome::Skip => {}
            Outcome::Complete(day) => {
                if let Some(ended_on) = progress.ended_run_on.take() {
                    comeback = Some(Comeback {
                        ended_on,
                        first_day: period,
                        last_day,
                    });
                }
                progress.current += 1;
                progress.longest = progress.longest.max(progress.current);
                progress.last_completed_on = Some(day);
                progress.toward_rest += 1;
                if progress.toward_rest == PERIODS_PER_REST {
                    progress.toward_rest = 0;
                    progress.rest_available = (progress.rest_available + 1).min(MAX_REST_BANKED);
                }
                if in_rhythm {
                    rhythm_done += 1;
                    rhythm_counted += 1;
                }
            }
            Outcome::Missed => {
                progress.toward_rest = 0;
                if progress.rest_available > 0 {
                    progress.rest_available -= 1;
                } else {
                    if progress.current >= COMEBACK_AFTER {
                        progress.ended_run_on = progress.last_completed_on;
                    }
                    progress.current = 0;
                    if in_rhythm {
                        rhythm_counted += 1;
                    }
                }
            }
        }
        if last_day < today && checkpoint_at.is_some_and(|at| last_day <= at) {
            checkpoint = Some(Checkpoint {
                through: last_day,
                progress,
            });
        }
        period += step;
    }

    let rhythm = if rhythm_counted == 0 {
        0.0
    } else {
        f64::from(rhythm_done) / f64::from(rhythm_counted)
    };
    let streak = Streak {
        current: progress.current,
        longest: progress.longest,
        rest_days_available: progress.rest_available,
        last_completed_on: progress.last_completed_on,
        unit,
        rhythm,
        comeback,
    };
    (streak, checkpoint)
}

fn day_outcome(history: &History, day: NaiveDate) -> Outcome {
    let scheduled = match history.schedule {
        Schedule::Weekdays(days) => days.contains(iso_weekday(day)),
        Schedule::Daily | Schedule::TimesPerWeek(_) => true,
    };
    if day < history.starts_on || !scheduled || history.pauses.contains(day) {
        Outcome::Skip
    } else if history.complete.contains(&day) {
        Outcome::Complete(day)
    } else if day == history.today {
        Outcome::Skip
    } else {
        Outcome::Missed
    }
}

fn week_outcome(history: &History, monday: NaiveDate, times: u8) -> Outcome {
    let available: Vec<NaiveDate> = (0..7)
        .map(|offset| monday + Duration::days(offset))
        .filter(|&day| day >= history.starts_on && !history.pauses.contains(day))
        .collect();
    if available.is_empty() {
        return Outcome::Skip;
    }
    let required = usize::from(times).min(available.len());
    let done: Vec<NaiveDate> = available
        .into_iter()
        .filter(|day| history.complete.contains(day))
        .collect();
    match done.last() {
        Some(&latest) if done.len() >= required => Outcome::Complete(latest),
        _ if monday + Duration::days(6) >= history.today => Outcome::Skip,
        _ => Outcome::Missed,
    }
}

/// Whether a habit is due on `today`: scheduled, not paused, and for a weekly
/// count, the week's count not yet reached (or reached today).
pub fn is_due(
    schedule: Schedule,
    today: NaiveDate,
    pauses: &Pauses,
    complete_this_week: usize,
    complete_today: bool,
) -> bool {
    if pauses.contains(today) {
        return false;
    }
    match schedule {
        Schedule::Daily => true,
        Schedule::Weekdays(days) => days.contains(iso_weekday(today)),
        Schedule::TimesPerWeek(times) => complete_today || complete_this_week < usize::from(times),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn days(from: &str, count: i64) -> Vec<NaiveDate> {
        (0..count).map(|i| date(from) + Duration::days(i)).collect()
    }

    struct Case {
        schedule: Schedule,
        starts_on: &'static str,
        today: &'static str,
        complete: Vec<NaiveDate>,
        pauses: Pauses,
    }

    impl Case {
        fn daily(starts_on: &'static str, today: &'static str) -> Self {
            Self {
                schedule: Schedule::Daily,
                starts_on,
                today,
                complete: Vec::new(),
                pauses: Pauses::default(),
            }
        }

        fn done(mut self, dates: impl IntoIterator<Item = NaiveDate>) -> Self {
            self.complete.extend(dates);
            self
        }

        fn streak(&self) -> Streak {
            let complete: BTreeSet<NaiveDate> = self.complete.iter().copied().collect();
            let history = History {
                schedule: self.schedule,
                starts_on: date(self.starts_on),
                today: date(self.today),
                complete: &complete,
                pauses: &self.pauses,
            };
            compute(&history, None, None).0
        }
    }

    #[test]
    fn consecutive_complete_days_make_the_streak() {
        // Monday 2026-11-02 to Friday the 6th, today Friday.
        let streak = Case::daily("2026-11-02", "2026-11-06")
            .done(days("2026-11-02", 5))
            .streak();
        assert_eq!((streak.current, streak.longest), (5, 5));
        assert_eq!(streak.last_completed_on, Some(date("2026-11-06")));
        assert_eq!(streak.unit, Unit::Day);
    }

    #[test]
    fn today_not_yet_done_does_not_break_the_streak() {
        let streak = Case::daily("2026-11-02", "2026-11-06")
            .done(days("2026-11-02", 4))
            .streak();
        assert_eq!(streak.current, 4);
    }

    #[test]
    fn a_missed_day_with_no_rest_day_banked_ends_the_streak() {
        let streak = Case::daily("2026-11-02", "2026-11-06")
            .done(days("2026-11-02", 2))
            .done(days("2026-11-05", 2))
            .streak();
        assert_eq!((streak.current, streak.longest), (2, 2));
        assert_eq!(streak.rest_days_available, 0);
    }

    #[test]
    fn seven_complete_days_earn_a_rest_day_that_a_miss_spends() {
        // 7 complete days, one missed, 2 complete: the streak goes on, and the
        // rest day does not add to it.
        let streak = Case::daily("2026-11-01", "2026-11-10")
            .done(days("2026-11-01", 7))
            .done(days("2026-11-09", 2))
            .streak();
        assert_eq!(streak.current, 9);
        assert_eq!(streak.rest_days_available, 0);
    }

    #[test]
    fn at_most_two_rest_days_are_banked() {
        let streak = Case::daily("2026-10-01", "2026-10-28")
            .done(days("2026-10-01", 28))
            .streak();
        assert_eq!(streak.current, 28);
        assert_eq!(streak.rest_days_available, 2);
        assert_eq!(streak.rhythm, 1.0);
    }

    #[test]
    fn two_banked_rest_days_cover_two_misses_and_a_third_ends_the_streak() {
        let base = Case::daily("2026-10-01", "2026-10-17").done(days("2026-10-01", 14));
        // Missed the 15th and 16th: both covered.
        let covered = base.streak();
        assert_eq!((covered.current, covered.rest_days_available), (14, 0));
        let ended = Case::daily("2026-10-01", "2026-10-18")
            .done(days("2026-10-01", 14))
            .streak();
        assert_eq!((ended.current, ended.longest), (0, 14));
    }

    #[test]
    fn days_outside_a_weekday_schedule_neither_count_nor_break() {
        // Monday, Wednesday, Friday over two weeks; the days between are empty.
        let mut case = Case::daily("2026-11-02", "2026-11-13");
        case.schedule = Schedule::Weekdays(WeekdaySet::parse(&[1, 3, 5]).unwrap());
        let case = case.done(
            [
                "2026-11-02",
                "2026-11-04",
                "2026-11-06",
                "2026-11-09",
                "2026-11-11",
                "2026-11-13",
            ]
            .map(date),
        );
        let streak = case.streak();
        assert_eq!(streak.current, 6);
        assert_eq!(streak.rhythm, 1.0);
    }

    #[test]
    fn a_completion_on_an_unscheduled_day_does_not_count() {
        let mut case = Case::daily("2026-11-02", "2026-11-06");
        case.schedule = Schedule::Weekdays(WeekdaySet::parse(&[1]).unwrap());
        let streak = case.done([date("2026-11-03")]).streak();
        assert_eq!(streak.current, 0);
        assert_eq!(streak.last_completed_on, None);
    }

    #[test]
    fn paused_days_neither_count_nor_break() {
        let mut case = Case::daily("2026-11-01", "2026-11-10")
            .done(days("2026-11-01", 3))
            .done(days("2026-11-08", 3));
        case.pauses = Pauses::new([(date("2026-11-04"), date("2026-11-07"))]);
        let streak = case.streak();
        assert_eq!(streak.current, 6);
        assert_eq!(streak.rest_days_available, 0);
        assert_eq!(streak.rhythm, 1.0);
    }

    #[test]
    fn a_completion_inside_a_pause_does_not_count() {
        let mut case = Case::daily("2026-11-01", "2026-11-03").done([date("2026-11-02")]);
        case.pauses = Pauses::new([(date("2026-11-02"), date("2026-11-02"))]);
        assert_eq!(case.streak().current, 0);
    }

    #[test]
    fn weekly_counts_make_a_streak_of_weeks() {
        let mut case = Case::daily("2026-11-02", "2026-11-18");
        case.schedule = Schedule::TimesPerWeek(2);
        // Week of the 2nd: 2 days; week of the 9th: 3 days; this week: 1 so far.
        let case = case.done(
            [
                "2026-11-03",
                "2026-11-05",
                "2026-11-09",
                "2026-11-10",
                "2026-11-14",
                "2026-11-17",
            ]
            .map(date),
        );
        let streak = case.streak();
        assert_eq!(streak.unit, Unit::Week);
        assert_eq!(streak.current, 2);
        assert_eq!(streak.last_completed_on, Some(date("2026-11-14")));
    }

    #[test]
    fn a_weekly_count_is_capped_by_the_days_the_habit_existed() {
        // Created on Saturday the 7th: that week asks for at most 2 days.
        let mut case = Case::daily("2026-11-07", "2026-11-10");
        case.schedule = Schedule::TimesPerWeek(3);
        let streak = case.done(["2026-11-07", "2026-11-08"].map(date)).streak();
        assert_eq!(streak.current, 1);
    }

    #[test]
    fn a_missed_week_ends_a_weekly_streak_without_rest() {
        let mut case = Case::daily("2026-11-02", "2026-11-18");
        case.schedule = Schedule::TimesPerWeek(1);
        let streak = case.done(["2026-11-03", "2026-11-16"].map(date)).streak();
        assert_eq!((streak.current, streak.longest), (1, 1));
    }

    #[test]
    fn rhythm_leaves_out_rest_days_and_counts_real_misses() {
        // 28 days ending today; complete except the 10th and the 20th…
        let complete: Vec<NaiveDate> = days("2026-10-01", 28)
            .into_iter()
            .filter(|d| *d != date("2026-10-10") && *d != date("2026-10-20"))
            .collect();
        let streak = Case::daily("2026-10-01", "2026-10-28")
            .done(complete)
            .streak();
        // …both covered by rest days earned on the 7th and the 17th.
        assert_eq!(streak.current, 26);
        assert_eq!(streak.rhythm, 1.0);
        // Without rest days banked, a miss counts against the rhythm.
        let streak = Case::daily("2026-10-01", "2026-10-04")
            .done(["2026-10-01", "2026-10-02", "2026-10-04"].map(date))
            .streak();
        assert!((streak.rhythm - 0.75).abs() < 1e-9, "{}", streak.rhythm);
    }

    #[test]
    fn resuming_from_a_checkpoint_gives_the_same_streak() {
        let complete: BTreeSet<NaiveDate> = days("2025-01-01", 700)
            .into_iter()
            .filter(|d| d.ordinal() % 11 != 0)
            .collect();
        let pauses = Pauses::new([(date("2025-06-01"), date("2025-06-20"))]);
        for schedule in [
            Schedule::Daily,
            Schedule::Weekdays(WeekdaySet::parse(&[2, 4, 6]).unwrap()),
            Schedule::TimesPerWeek(4),
        ] {
            let history = History {
                schedule,
                starts_on: date("2025-01-01"),
                today: date("2026-11-27"),
                complete: &complete,
                pauses: &pauses,
            };
            let (whole, checkpoint) = compute(&history, None, Some(date("2026-10-20")));
            let checkpoint = checkpoint.expect("a checkpoint");
            assert!(checkpoint.through <= date("2026-10-20"));
            let later: BTreeSet<NaiveDate> = complete
                .range(checkpoint.through + Duration::days(1)..)
                .copied()
                .collect();
            let resumed = History {
                complete: &later,
                ..history
            };
            assert_eq!(
                compute(&resumed, Some(checkpoint), None).0,
                whole,
                "{schedule:?}"
            );
        }
    }

    #[test]
    fn due_follows_the_schedule_and_pauses() {
        let friday = date("2026-11-27");
        let none = Pauses::default();
        assert!(is_due(Schedule::Daily, friday, &none, 0, false));
        let mwf = Schedule::Weekdays(WeekdaySet::parse(&[1, 3, 5]).unwrap());
        assert!(is_due(mwf, friday, &none, 0, false));
        assert!(!is_due(mwf, friday + Duration::days(1), &none, 0, false));
        let twice = Schedule::TimesPerWeek(2);
        assert!(is_due(twice, friday, &none, 1, false));
        assert!(!is_due(twice, friday, &none, 2, false));
        assert!(is_due(twice, friday, &none, 2, true));
        let paused = Pauses::new([(friday, friday)]);
        assert!(!is_due(Schedule::Daily, friday, &paused, 0, false));
    }

    #[test]
    fn weekday_sets_refuse_empty_repeated_and_unknown_days() {
        assert!(WeekdaySet::parse(&[]).is_err());
        assert!(WeekdaySet::parse(&[1, 1]).is_err());
        assert!(WeekdaySet::parse(&[0]).is_err());
        assert!(WeekdaySet::parse(&[8]).is_err());
        assert_eq!(WeekdaySet::parse(&[5, 1, 3]).unwrap().days(), vec![1, 3, 5]);
    }
}

#[cfg(test)]
#[path = "streak_props.rs"]
mod props;
