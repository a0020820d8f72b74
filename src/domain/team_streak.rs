//! Team kindness streaks (API.md, "Acts of kindness and kudos"): consecutive
//! organisation working days, in the organisation's timezone, on which the
//! team logged at least `daily_act_threshold` acts.
//!
//! - Days that are not working days neither count nor break.
//! - Today not yet at the threshold does not break; it counts once reached.
//! - Withdrawn acts are not in the counts the caller passes.
//! - There are no rest days: a missed working day ends the streak.
//!
//! Like habit streaks, the computation walks forward from the team's first
//! day and can resume from a [`TeamCheckpoint`] so that a request reads only
//! recent days.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use super::{calendar::iso_weekday, streak::WeekdaySet};

/// The running state after some closed day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TeamProgress {
    pub current: u32,
    pub longest: u32,
}

/// [`TeamProgress`] after every day up to and including `through`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamCheckpoint {
    pub through: NaiveDate,
    pub progress: TeamProgress,
}

/// What `GET /v1/teams/{id}/streak` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamStreak {
    pub current: u32,
    pub longest: u32,
    pub today_count: u32,
    pub threshold: u32,
}

/// A team's acts as far as its streak cares.
pub struct TeamHistory<'a> {
    pub working_days: WeekdaySet,
    /// Acts a day needs; at least 1.
    pub threshold: u32,
    /// The team's first day, in the organisation's timezone.
    pub starts_on: NaiveDate,
    /// The organisation's local today.
    pub today: NaiveDate,
    /// Acts (not withdrawn) per local date: at least every day after the
    /// checkpoint resumed from.
    pub acts_per_day: &'a BTreeMap<NaiveDate, u32>,
}

/// The streak as of `history.today`, resuming from `resume` when given; also
/// the checkpoint after `checkpoint_at`, if that day is closed and not before
/// the team's first day.
pub fn compute(
    history: &TeamHistory,
    resume: Option<TeamCheckpoint>,
    checkpoint_at: Option<NaiveDate>,
) -> (TeamStreak, Option<TeamCheckpoint>) {
    let threshold = history.threshold.max(1);
    let count = |day: NaiveDate| history.acts_per_day.get(&day).copied().unwrap_or(0);
    let (mut progress, mut day) = match resume {
        Some(checkpoint) => (checkpoint.progress, checkpoint.through + Duration::days(1)),
        None => (TeamProgress::default(), history.starts_on),
    };
    let mut checkpoint = None;
    while day <= history.today {
        if history.working_days.contains(iso_weekday(day)) {
            if count(day) >= threshold {
                progress.current += 1;
                progress.longest = progress.longest.max(progress.current);
            } else if day < history.today {
                progress.current = 0;
            }
        }
        if day < history.today && checkpoint_at.is_some_and(|at| day <= at) {
            checkpoint = Some(TeamCheckpoint {
                through: day,
                progress,
            });
        }
        day += Duration::days(1);
    }
    let streak = TeamStreak {
        current: progress.current,
        longest: progress.longest,
        today_count: count(history.today),
        threshold,
    };
    (streak, checkpoint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn weekdays() -> WeekdaySet {
        WeekdaySet::parse(&[1, 2, 3, 4, 5]).unwrap()
    }

    fn streak(threshold: u32, today: &str, acts: &[(&str, u32)]) -> TeamStreak {
        let acts_per_day = acts.iter().map(|&(day, n)| (date(day), n)).collect();
        let history = TeamHistory {
            working_days: weekdays(),
            threshold,
            // A Monday.
            starts_on: date("2026-11-02"),
            today: date(today),
            acts_per_day: &acts_per_day,
        };
        compute(&history, None, None).0
    }

    #[test]
    fn working_days_at_the_threshold_make_the_streak() {
        let s = streak(
            2,
            "2026-11-05",
            &[
                ("2026-11-02", 2),
                ("2026-11-03", 3),
                ("2026-11-04", 2),
                ("2026-11-05", 2),
            ],
        );
        assert_eq!(
            (s.current, s.longest, s.today_count, s.threshold),
            (4, 4, 2, 2)
        );
    }

    #[test]
    fn a_weekend_neither_counts_nor_breaks() {
        // Friday and the next Monday, nothing at the weekend.
        let s = streak(1, "2026-11-09", &[("2026-11-06", 1), ("2026-11-09", 1)]);
        assert_eq!(s.current, 2);
        // Acts at the weekend do not count either.
        let s = streak(1, "2026-11-09", &[("2026-11-07", 5), ("2026-11-09", 1)]);
        assert_eq!(s.current, 1);
    }

    #[test]
    fn today_below_the_threshold_does_not_break_but_a_missed_day_does() {
        let s = streak(
            2,
            "2026-11-04",
            &[("2026-11-02", 2), ("2026-11-03", 2), ("2026-11-04", 1)],
        );
        assert_eq!((s.current, s.today_count), (2, 1));
        let s = streak(
            2,
            "2026-11-05",
            &[("2026-11-02", 2), ("2026-11-03", 2), ("2026-11-04", 1)],
        );
        assert_eq!((s.current, s.longest), (0, 2));
    }

    #[test]
    fn days_before_the_team_existed_are_not_missed() {
        let acts = BTreeMap::from([(date("2026-11-04"), 1)]);
        let history = TeamHistory {
            working_days: weekdays(),
            threshold: 1,
            starts_on: date("2026-11-04"),
            today: date("2026-11-04"),
            acts_per_day: &acts,
        };
        assert_eq!(compute(&history, None, None).0.current, 1);
    }

    #[test]
    fn acts_count_on_the_organisations_local_date_across_daylight_saving() {
        use chrono::{TimeZone, Utc};
        // Berlin springs forward on Sunday 2026-03-29. Acts at 23:30 UTC on
        // Thursday and Friday fall on Friday and Saturday in Berlin (CET,
        // UTC+1, until then): Friday counts, Saturday is no working day; on
        // Sunday at 22:30 UTC it is already Monday 00:30 CEST.
        let berlin = chrono_tz::Europe::Berlin;
        let local = |y, m, d, h, min| {
            super::super::calendar::local_today(
                Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap(),
                berlin,
                0,
            )
        };
        let mut acts = BTreeMap::new();
        for day in [
            local(2026, 3, 26, 12, 0),  // Thursday
            local(2026, 3, 26, 23, 30), // already Friday in Berlin
            local(2026, 3, 27, 23, 30), // Saturday in Berlin
            local(2026, 3, 29, 22, 30), // Monday 00:30 CEST in Berlin
        ] {
            *acts.entry(day).or_insert(0) += 1;
        }
        assert_eq!(local(2026, 3, 29, 22, 30), date("2026-03-30"));
        let history = TeamHistory {
            working_days: weekdays(),
            threshold: 1,
            starts_on: date("2026-03-26"),
            today: date("2026-03-30"),
            acts_per_day: &acts,
        };
        let streak = compute(&history, None, None).0;
        assert_eq!((streak.current, streak.today_count), (3, 1));
    }

    /// The plain reading of the rules: walk back from today for `current`,
    /// and take the longest run of working days at the threshold.
    fn reference(history: &TeamHistory) -> (u32, u32) {
        let working = |day: NaiveDate| history.working_days.contains(iso_weekday(day));
        let reached = |day: NaiveDate| {
            history.acts_per_day.get(&day).copied().unwrap_or(0) >= history.threshold
        };
        let mut current = 0;
        let mut day = history.today;
        while day >= history.starts_on {
            if working(day) {
                if reached(day) {
                    current += 1;
                } else if day != history.today {
                    break;
                }
            }
            day -= Duration::days(1);
        }
        let (mut run, mut longest) = (0, 0);
        let mut day = history.starts_on;
        while day <= history.today {
            if working(day) {
                if reached(day) {
                    run += 1;
                    longest = longest.max(run);
                } else if day != history.today {
                    run = 0;
                }
            }
            day += Duration::days(1);
        }
        (current, longest)
    }

    fn histories()
    -> impl Strategy<Value = (WeekdaySet, u32, NaiveDate, i64, BTreeMap<NaiveDate, u32>)> {
        (
            proptest::collection::btree_set(1i64..=7, 1..=7),
            1u32..=4,
            0i64..3000,
            0i64..200,
            proptest::collection::vec(0u32..=5, 200),
        )
            .prop_map(|(days, threshold, start, length, counts)| {
                let working_days =
                    WeekdaySet::parse(&days.into_iter().collect::<Vec<_>>()).unwrap();
                let starts_on = date("2020-01-01") + Duration::days(start);
                let acts = counts
                    .into_iter()
                    .take(length as usize + 1)
                    .enumerate()
                    .map(|(offset, n)| (starts_on + Duration::days(offset as i64), n))
                    .collect();
                (working_days, threshold, starts_on, length, acts)
            })
    }

    proptest! {
        #[test]
        fn the_streak_agrees_with_the_plain_reading_of_the_rules(
            (working_days, threshold, starts_on, length, acts) in histories()
        ) {
            let history = TeamHistory {
                working_days,
                threshold,
                starts_on,
                today: starts_on + Duration::days(length),
                acts_per_day: &acts,
            };
            let (streak, _) = compute(&history, None, None);
            prop_assert_eq!((streak.current, streak.longest), reference(&history));
            prop_assert!(streak.current <= streak.longest);
            prop_assert_eq!(streak.today_count, acts.get(&history.today).copied().unwrap_or(0));
        }

        #[test]
        fn resuming_from_a_checkpoint_gives_the_same_streak(
            (working_days, threshold, starts_on, length, acts) in histories(),
            back in 1i64..200,
        ) {
            let today = starts_on + Duration::days(length);
            let history = TeamHistory { working_days, threshold, starts_on, today, acts_per_day: &acts };
            let (whole, checkpoint) = compute(&history, None, Some(today - Duration::days(back)));
            if let Some(checkpoint) = checkpoint {
                prop_assert!(checkpoint.through < today);
                let later: BTreeMap<NaiveDate, u32> = acts
                    .range(checkpoint.through + Duration::days(1)..)
                    .map(|(day, n)| (*day, *n))
                    .collect();
                let resumed = TeamHistory { acts_per_day: &later, ..history };
                prop_assert_eq!(compute(&resumed, Some(checkpoint), None).0, whole);
            }
        }
    }
}
