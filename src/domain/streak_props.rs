//! Property tests for the streak rules (API.md, "Streaks that forgive").
//!
//! `compute` is checked against a plain reference written from the rules
//! alone: it lists every period from `starts_on` to `today` with what the
//! period did, then replays that list. The reference keeps each step apart
//! (classify, replay, rhythm) so that each one can be read against the spec.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use proptest::prelude::*;

use super::*;

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

/// A schedule in plain terms, turned into a [`Schedule`] for `compute`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    Daily,
    /// ISO weekday numbers, Monday = 1.
    Weekdays(Vec<u32>),
    TimesPerWeek(usize),
}

impl Plan {
    fn schedule(&self) -> Schedule {
        match self {
            Plan::Daily => Schedule::Daily,
            Plan::Weekdays(days) => {
                let days: Vec<i64> = days.iter().map(|&d| i64::from(d)).collect();
                Schedule::Weekdays(WeekdaySet::parse(&days).unwrap())
            }
            Plan::TimesPerWeek(times) => Schedule::TimesPerWeek(u8::try_from(*times).unwrap()),
        }
    }

    fn weekly(&self) -> bool {
        matches!(self, Plan::TimesPerWeek(_))
    }
}

#[derive(Clone)]
struct Input {
    plan: Plan,
    starts_on: NaiveDate,
    today: NaiveDate,
    complete: BTreeSet<NaiveDate>,
    /// Inclusive ranges.
    pauses: Vec<(NaiveDate, NaiveDate)>,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Complete days as runs, which is far easier to read than a list.
        let mut runs: Vec<String> = Vec::new();
        let mut days = self.complete.iter().copied().peekable();
        while let Some(first) = days.next() {
            let mut last = first;
            while days.peek() == Some(&(last + Duration::days(1))) {
                last = days.next().unwrap();
            }
            runs.push(if first == last {
                first.to_string()
            } else {
                format!("{first}..={last}")
            });
        }
        f.debug_struct("Input")
            .field("plan", &self.plan)
            .field("starts_on", &self.starts_on)
            .field("today", &self.today)
            .field("complete", &runs)
            .field("pauses", &self.pauses)
            .finish()
    }
}

impl Input {
    fn streak(&self) -> Streak {
        self.compute(None, None).0
    }

    fn compute(
        &self,
        resume: Option<Checkpoint>,
        checkpoint_at: Option<NaiveDate>,
    ) -> (Streak, Option<Checkpoint>) {
        let pauses = Pauses::new(self.pauses.iter().copied());
        let history = History {
            schedule: self.plan.schedule(),
            starts_on: self.starts_on,
            today: self.today,
            complete: &self.complete,
            pauses: &pauses,
        };
        compute(&history, resume, checkpoint_at)
    }

    fn with_today(&self, today: NaiveDate) -> Self {
        let mut input = self.clone();
        input.today = today;
        input.complete.retain(|&d| d <= today);
        input
    }

    fn is_paused(&self, day: NaiveDate) -> bool {
        self.pauses
            .iter()
            .any(|&(from, to)| from <= day && day <= to)
    }

    /// The days of the period that holds `today`: today itself, or its week.
    fn open_period(&self) -> Vec<NaiveDate> {
        if self.plan.weekly() {
            let monday = monday_of(self.today);
            (0..7).map(|i| monday + Duration::days(i)).collect()
        } else {
            vec![self.today]
        }
    }
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    let mut monday = day;
    while monday.weekday() != Weekday::Mon {
        monday = monday.pred_opt().unwrap();
    }
    monday
}

// ---------------------------------------------------------------------------
// The reference
// ---------------------------------------------------------------------------

/// What one period did, as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Unscheduled, paused, before the start, or (for a week) all of those.
    NotDue,
    /// The period holding today, not (yet) done: never breaks.
    OpenNotDone,
    /// Done; the day is the latest complete day that counted.
    Done(NaiveDate),
    Missed,
}

/// Every period from the start to today, each with its first day.
fn reference_periods(input: &Input) -> Vec<(NaiveDate, Verdict)> {
    let mut periods = Vec::new();
    match &input.plan {
        Plan::Daily | Plan::Weekdays(_) => {
            let mut day = input.starts_on;
            while day <= input.today {
                let scheduled = match &input.plan {
                    Plan::Weekdays(days) => days.contains(&day.weekday().number_from_monday()),
                    _ => true,
                };
                let verdict = if !scheduled || input.is_paused(day) {
                    Verdict::NotDue
                } else if input.complete.contains(&day) {
                    Verdict::Done(day)
                } else if day == input.today {
                    Verdict::OpenNotDone
                } else {
                    Verdict::Missed
                };
                periods.push((day, verdict));
                day = day.succ_opt().unwrap();
            }
        }
        Plan::TimesPerWeek(times) => {
            let mut monday = monday_of(input.starts_on);
            while monday <= input.today {
                let week: Vec<NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();
                let eligible: Vec<NaiveDate> = week
                    .iter()
                    .copied()
                    .filter(|&d| d >= input.starts_on && !input.is_paused(d))
                    .collect();
                let done: Vec<NaiveDate> = eligible
                    .iter()
                    .copied()
                    .filter(|d| input.complete.contains(d))
                    .collect();
                let needed = (*times).min(eligible.len());
                let verdict = if eligible.is_empty() {
                    Verdict::NotDue
                } else if done.len() >= needed {
                    Verdict::Done(*done.iter().max().unwrap())
                } else if week.contains(&input.today) {
                    Verdict::OpenNotDone
                } else {
                    Verdict::Missed
                };
                periods.push((monday, verdict));
                monday += Duration::days(7);
            }
        }
    }
    periods
}

/// The streak the rules give for `input`.
fn reference(input: &Input) -> Streak {
    let periods = reference_periods(input);

    // Replay the periods. `run` counts consecutive complete periods since the
    // last earned rest period or the last miss.
    let (mut current, mut banked, mut run) = (0u32, 0u32, 0u32);
    // The last done day of a streak of 2 or more that a miss broke, until a
    // period is done again: that period is a comeback.
    let (mut broken, mut comeback) = (None, None);
    let mut currents = vec![0u32];
    let mut last_done = None;
    // Per period: whether a miss was covered by a rest period.
    let mut covered = Vec::new();
    for &(start, verdict) in &periods {
        let mut was_covered = false;
        match verdict {
            Verdict::NotDue | Verdict::OpenNotDone => {}
            Verdict::Done(day) => {
                if let Some(ended_on) = broken.take() {
                    let days = if input.plan.weekly() { 7 } else { 1 };
                    comeback = Some(Comeback {
                        ended_on,
                        first_day: start,
                        last_day: start + Duration::days(days - 1),
                    });
                }
                current += 1;
                last_done = Some(day);
                run += 1;
                if run == 7 {
                    run = 0;
                    if banked < 2 {
                        banked += 1;
                    }
                }
            }
            Verdict::Missed => {
                run = 0;
                if banked >= 1 {
                    banked -= 1;
                    was_covered = true;
                } else {
                    if current >= 2 {
                        broken = last_done;
                    }
                    current = 0;
                }
            }
        }
        covered.push(was_covered);
        currents.push(current);
    }

    // Rhythm: complete / (complete + misses that ended the streak) over the
    // last 28 days, or the 4 ISO weeks ending with this one.
    let window_start = if input.plan.weekly() {
        monday_of(input.today) - Duration::weeks(3)
    } else {
        input.today - Duration::days(27)
    };
    let (mut done, mut ended) = (0u32, 0u32);
    for (&(start, verdict), &was_covered) in periods.iter().zip(&covered) {
        if start < window_start {
            continue;
        }
        match verdict {
            Verdict::Done(_) => done += 1,
            Verdict::Missed if !was_covered => ended += 1,
            _ => {}
        }
    }
    let rhythm = if done + ended == 0 {
        0.0
    } else {
        f64::from(done) / f64::from(done + ended)
    };

    Streak {
        current,
        longest: currents.into_iter().max().unwrap(),
        rest_days_available: banked,
        last_completed_on: last_done,
        unit: if input.plan.weekly() {
            Unit::Week
        } else {
            Unit::Day
        },
        rhythm,
        comeback,
    }
}

// ---------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------

fn day_plan() -> BoxedStrategy<Plan> {
    prop_oneof![
        Just(Plan::Daily),
        proptest::sample::subsequence((1..=7u32).collect::<Vec<_>>(), 1..=7)
            .prop_map(Plan::Weekdays),
    ]
    .boxed()
}

fn weekly_plan() -> BoxedStrategy<Plan> {
    (1usize..=7).prop_map(Plan::TimesPerWeek).boxed()
}

fn plan() -> BoxedStrategy<Plan> {
    prop_oneof![2 => day_plan(), 1 => weekly_plan()].boxed()
}

/// Histories with `today` between `min_span` and 400 days after the start.
fn input(min_span: i64) -> impl Strategy<Value = Input> {
    input_with(plan(), min_span)
}

fn input_with(plan: BoxedStrategy<Plan>, min_span: i64) -> impl Strategy<Value = Input> {
    let first_start = date("2019-01-01");
    (
        plan,
        0i64..3000,
        min_span..=400i64,
        // Percent of days done: nearly all (rest days get earned), down to
        // sparse (streaks end).
        prop_oneof![
            Just(100u8),
            Just(97),
            Just(92),
            Just(85),
            Just(70),
            Just(50),
            Just(20)
        ],
        prop::collection::vec(0u8..100, 401),
        prop::collection::vec((-30i64..=430, 1i64..=90), 0..=3),
    )
        .prop_map(move |(plan, start, span, density, rolls, pauses)| {
            let starts_on = first_start + Duration::days(start);
            let today = starts_on + Duration::days(span);
            let complete = (0..=span)
                .filter(|&i| rolls[i as usize] < density)
                .map(|i| starts_on + Duration::days(i))
                .collect();
            let pauses = pauses
                .into_iter()
                .map(|(from, days)| {
                    let from = starts_on + Duration::days(from);
                    (from, from + Duration::days(days - 1))
                })
                .collect();
            Input {
                plan,
                starts_on,
                today,
                complete,
                pauses,
            }
        })
}

fn assert_same(actual: &Streak, expected: &Streak) -> Result<(), TestCaseError> {
    let Streak { rhythm: a, .. } = *actual;
    let Streak { rhythm: e, .. } = *expected;
    prop_assert!((a - e).abs() < 1e-9, "rhythm {a} != {e}");
    prop_assert_eq!(
        Streak {
            rhythm: 0.0,
            ..*actual
        },
        Streak {
            rhythm: 0.0,
            ..*expected
        }
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn compute_agrees_with_the_reference_on_every_field(input in input(0)) {
        assert_same(&input.streak(), &reference(&input))?;
    }

    #[test]
    fn resuming_from_a_checkpoint_gives_the_same_streak_as_from_scratch(
        input in input(35),
        back in 35i64..=420,
    ) {
        let at = input.today - Duration::days(back);
        let (whole, checkpoint) = input.compute(None, Some(at));
        // A checkpoint exists once a period has closed by `at`: for days, the
        // start itself; for weeks, the Sunday of the start's week.
        let first_close = if input.plan.weekly() {
            monday_of(input.starts_on) + Duration::days(6)
        } else {
            input.starts_on
        };
        prop_assert_eq!(checkpoint.is_some(), first_close <= at);
        let Some(checkpoint) = checkpoint else { return Ok(()) };
        // The latest close on or before `at`.
        if input.plan.weekly() {
            prop_assert_eq!(checkpoint.through.weekday(), Weekday::Sun);
            prop_assert!(at - checkpoint.through < Duration::days(7));
        } else {
            prop_assert_eq!(checkpoint.through, at);
        }
        prop_assert!(checkpoint.through <= at);
        // The checkpoint holds the streak as it stood at its close.
        let then = input.with_today(checkpoint.through + Duration::days(1));
        let mut then_closed = then.clone();
        then_closed.complete.retain(|&d| d <= checkpoint.through);
        let p = checkpoint.progress;
        let expected = reference(&then_closed);
        prop_assert_eq!(
            (p.current, p.longest, p.rest_available, p.last_completed_on),
            (expected.current, expected.longest, expected.rest_days_available,
                expected.last_completed_on)
        );

        let mut later = input.clone();
        later.complete.retain(|&d| d > checkpoint.through);
        let resumed = later.compute(Some(checkpoint), None).0;
        // A resumed computation sees only the comebacks after its checkpoint
        // (earlier ones were paid when they happened).
        let since = Streak {
            comeback: whole.comeback.filter(|c| c.first_day > checkpoint.through),
            ..whole
        };
        assert_same(&resumed, &since)?;
    }

    #[test]
    fn streaks_keep_their_invariants(input in input(0)) {
        let streak = input.streak();
        prop_assert!(streak.current <= streak.longest);
        prop_assert!(streak.rest_days_available <= MAX_REST_BANKED);
        prop_assert!((0.0..=1.0).contains(&streak.rhythm), "rhythm {}", streak.rhythm);
        prop_assert_eq!(streak.unit == Unit::Week, input.plan.weekly());
        if let Some(last) = streak.last_completed_on {
            prop_assert!(input.complete.contains(&last));
            prop_assert!(last <= input.today);
            prop_assert!(last >= input.starts_on);
            prop_assert!(!input.is_paused(last));
        }
        // A streak that never reached 7 periods never earned a rest period.
        if streak.longest < PERIODS_PER_REST {
            prop_assert_eq!(streak.rest_days_available, 0);
        }
    }

    /// "Today (or this week) not yet done does not break the streak": with
    /// nothing done yet in the open period, the streak is exactly what it
    /// would be were the open period paused.
    #[test]
    fn an_open_period_with_nothing_done_yet_counts_as_if_it_were_paused(input in input(0)) {
        let mut not_done = input.clone();
        let open = input.open_period();
        not_done.complete.retain(|d| !open.contains(d));
        let mut paused = not_done.clone();
        paused.pauses.push((open[0], *open.last().unwrap()));
        assert_same(&not_done.streak(), &paused.streak())?;
    }

    /// For day schedules: with today's completion removed, the streak today
    /// is the streak as of yesterday when yesterday was done or not due; when
    /// yesterday was due and missed, a rest day is spent (same current) or,
    /// with none banked, the streak ends. Never anything else.
    #[test]
    fn today_not_yet_done_only_closes_yesterday(input in input_with(day_plan(), 1)) {
        let mut now = input.clone();
        now.complete.remove(&input.today);
        let yesterday = input.today - Duration::days(1);
        let before = input.with_today(yesterday).streak();
        let after = now.streak();
        let due = match &input.plan {
            Plan::Weekdays(days) => days.contains(&yesterday.weekday().number_from_monday()),
            _ => true,
        } && yesterday >= input.starts_on && !input.is_paused(yesterday);
        if !due || input.complete.contains(&yesterday) {
            prop_assert_eq!(
                (after.current, after.longest, after.rest_days_available, after.last_completed_on),
                (before.current, before.longest, before.rest_days_available,
                    before.last_completed_on)
            );
        } else if before.rest_days_available > 0 {
            prop_assert_eq!(after.current, before.current);
            prop_assert_eq!(after.rest_days_available, before.rest_days_available - 1);
        } else {
            prop_assert_eq!(after.current, 0);
            prop_assert_eq!(after.rest_days_available, 0);
        }
        prop_assert_eq!(after.longest, before.longest);
        prop_assert_eq!(after.last_completed_on, before.last_completed_on);
    }

    /// For weekly schedules: with nothing done yet this week, today's streak
    /// (rhythm included) is the streak as of yesterday, within the same week.
    #[test]
    fn a_week_not_yet_done_is_the_same_streak_as_yesterday(
        input in input_with(weekly_plan(), 1),
    ) {
        // Yesterday must lie in the same week: move a Monday on to Tuesday.
        let mut now = input.clone();
        if now.today.weekday() == Weekday::Mon {
            now.today += Duration::days(1);
        }
        let open = now.open_period();
        now.complete.retain(|d| !open.contains(d));
        let before = now.with_today(now.today - Duration::days(1)).streak();
        assert_same(&now.streak(), &before)?;
    }

    #[test]
    fn one_more_complete_day_never_lowers_the_longest_streak(
        input in input(0),
        pick in 0i64..=400,
    ) {
        let span = (input.today - input.starts_on).num_days();
        let day = input.starts_on + Duration::days(pick % (span + 1));
        let before = input.streak();
        let mut more = input.clone();
        more.complete.insert(day);
        let after = more.streak();
        prop_assert!(after.longest >= before.longest, "{day}: {before:?} -> {after:?}");
    }

    #[test]
    fn one_more_complete_day_never_lowers_the_current_streak_or_the_rest_bank(
        input in input(0),
        pick in 0i64..=400,
    ) {
        let span = (input.today - input.starts_on).num_days();
        let day = input.starts_on + Duration::days(pick % (span + 1));
        let before = input.streak();
        let mut more = input.clone();
        more.complete.insert(day);
        let after = more.streak();
        prop_assert!(after.current >= before.current, "{day}: {before:?} -> {after:?}");
        prop_assert!(
            after.rest_days_available >= before.rest_days_available,
            "{day}: {before:?} -> {after:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Calendar edges
// ---------------------------------------------------------------------------

fn days_between(from: &str, to: &str) -> BTreeSet<NaiveDate> {
    let (from, to) = (date(from), date(to));
    from.iter_days().take_while(|&d| d <= to).collect()
}

fn streak_of(
    schedule: Schedule,
    starts_on: &str,
    today: &str,
    complete: &BTreeSet<NaiveDate>,
) -> Streak {
    let pauses = Pauses::default();
    let history = History {
        schedule,
        starts_on: date(starts_on),
        today: date(today),
        complete,
        pauses: &pauses,
    };
    compute(&history, None, None).0
}

#[test]
fn a_daily_streak_across_the_european_spring_forward_is_unbroken() {
    use crate::domain::calendar::local_today;
    use chrono::TimeZone;
    // Europe moves its clocks forward on 2026-03-29. A check-in every day at
    // 08:00 local (07:00 UTC before the change, 06:00 UTC after) lands on
    // consecutive local dates, the 23-hour day included.
    let tz = chrono_tz::Europe::Berlin;
    let complete: BTreeSet<NaiveDate> = days_between("2026-03-23", "2026-04-04")
        .into_iter()
        .map(|d| {
            let at = tz
                .from_local_datetime(&d.and_hms_opt(8, 0, 0).unwrap())
                .single()
                .unwrap()
                .with_timezone(&chrono::Utc);
            local_today(at, tz, 0)
        })
        .collect();
    assert_eq!(complete, days_between("2026-03-23", "2026-04-04"));
    let streak = streak_of(Schedule::Daily, "2026-03-23", "2026-04-04", &complete);
    assert_eq!((streak.current, streak.longest), (13, 13));
    assert_eq!(streak.rest_days_available, 1);
    assert_eq!(streak.last_completed_on, Some(date("2026-04-04")));
    assert_eq!(streak.rhythm, 1.0);
    // Missing the short day itself is one missed day, like any other.
    let mut missed = complete.clone();
    missed.remove(&date("2026-03-29"));
    let streak = streak_of(Schedule::Daily, "2026-03-23", "2026-04-04", &missed);
    assert_eq!((streak.current, streak.longest), (6, 6));
}

#[test]
fn a_daily_streak_across_the_us_spring_forward_is_unbroken() {
    use crate::domain::calendar::local_today;
    use chrono::TimeZone;
    // The US moves its clocks forward on 2026-03-08. Check-ins at 23:30 local,
    // late enough that a one-hour slip would change the date, still land on
    // consecutive local dates.
    let tz = chrono_tz::America::New_York;
    let complete: BTreeSet<NaiveDate> = days_between("2026-03-01", "2026-03-14")
        .into_iter()
        .map(|d| {
            let at = tz
                .from_local_datetime(&d.and_hms_opt(23, 30, 0).unwrap())
                .single()
                .unwrap()
                .with_timezone(&chrono::Utc);
            local_today(at, tz, 0)
        })
        .collect();
    assert_eq!(complete, days_between("2026-03-01", "2026-03-14"));
    let streak = streak_of(Schedule::Daily, "2026-03-01", "2026-03-14", &complete);
    assert_eq!((streak.current, streak.longest), (14, 14));
    assert_eq!(streak.rest_days_available, 2);
    // Weekdays Mon–Fri across the change: Fri 6th, then Mon 9th.
    let weekdays = Schedule::Weekdays(WeekdaySet::parse(&[1, 2, 3, 4, 5]).unwrap());
    let streak = streak_of(weekdays, "2026-03-02", "2026-03-13", &complete);
    assert_eq!(streak.current, 10);
}

#[test]
fn a_weekly_streak_runs_from_iso_week_53_into_week_1() {
    // 2026 starts on a Thursday, so it has 53 ISO weeks: week 53 runs from
    // Monday 2026-12-28 to Sunday 2027-01-03, and week 1 of 2027 starts on
    // Monday 2027-01-04.
    let week_53 = date("2026-12-28");
    assert_eq!(
        (week_53.iso_week().year(), week_53.iso_week().week()),
        (2026, 53)
    );
    assert_eq!(date("2027-01-03").iso_week().week(), 53);
    let week_1 = date("2027-01-04");
    assert_eq!(
        (week_1.iso_week().year(), week_1.iso_week().week()),
        (2027, 1)
    );

    let twice = Schedule::TimesPerWeek(2);
    // Weeks 51 and 52 of 2026; week 53 done once in each calendar year, which
    // is twice in the one ISO week; week 1 of 2027 done twice by Wednesday.
    let complete: BTreeSet<NaiveDate> = [
        "2026-12-15",
        "2026-12-17", // week 51
        "2026-12-22",
        "2026-12-26", // week 52
        "2026-12-31",
        "2027-01-02", // week 53
        "2027-01-05",
        "2027-01-06", // week 1
    ]
    .map(date)
    .into_iter()
    .collect();
    let streak = streak_of(twice, "2026-12-14", "2027-01-06", &complete);
    assert_eq!(streak.unit, Unit::Week);
    assert_eq!((streak.current, streak.longest), (4, 4));
    assert_eq!(streak.last_completed_on, Some(date("2027-01-06")));
    assert_eq!(streak.rhythm, 1.0);

    // Week 53 done only on the 31st: one day is not two, even though a
    // calendar-year week would split there; with no rest banked, week 53 ends
    // the streak and week 1 starts a new one.
    let mut once = complete.clone();
    once.remove(&date("2027-01-02"));
    let streak = streak_of(twice, "2026-12-14", "2027-01-06", &once);
    assert_eq!((streak.current, streak.longest), (1, 2));

    // Week 1 not yet done on the Monday does not break the streak.
    let by_monday: BTreeSet<NaiveDate> = complete.range(..=week_1).copied().collect();
    let streak = streak_of(twice, "2026-12-14", "2027-01-04", &by_monday);
    assert_eq!(streak.current, 3);
    assert_eq!(streak.last_completed_on, Some(date("2027-01-02")));

    // Resuming from the checkpoint at the close of week 52 (Sunday
    // 2026-12-27) crosses the year the same way.
    let pauses = Pauses::default();
    let whole_history = History {
        schedule: twice,
        starts_on: date("2026-12-14"),
        today: date("2027-02-10"),
        complete: &complete,
        pauses: &pauses,
    };
    let (whole, checkpoint) = compute(&whole_history, None, Some(date("2026-12-30")));
    let checkpoint = checkpoint.unwrap();
    assert_eq!(checkpoint.through, date("2026-12-27"));
    let later: BTreeSet<NaiveDate> = complete.range(date("2026-12-28")..).copied().collect();
    let resumed = History {
        complete: &later,
        ..whole_history
    };
    assert_eq!(compute(&resumed, Some(checkpoint), None).0, whole);
}
