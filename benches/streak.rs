//! The streak rules over ten years of daily history: from scratch, and
//! resumed from a checkpoint 35 days back as requests do.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kindling::domain::streak::{Checkpoint, History, Pauses, Schedule, WeekdaySet, compute};

fn history_days() -> (NaiveDate, NaiveDate, BTreeSet<NaiveDate>) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let starts_on = today - Duration::days(3652);
    // Most days done, with a gap every 13 days so rest days are earned and spent.
    let complete = (0..=3652)
        .map(|offset| starts_on + Duration::days(offset))
        .filter(|day| (*day - starts_on).num_days() % 13 != 12)
        .collect();
    (starts_on, today, complete)
}

fn streaks(c: &mut Criterion) {
    let (starts_on, today, complete) = history_days();
    let pauses = Pauses::new([
        (
            starts_on + Duration::days(400),
            starts_on + Duration::days(430),
        ),
        (
            starts_on + Duration::days(2000),
            starts_on + Duration::days(2089),
        ),
    ]);
    let schedules = [
        ("daily", Schedule::Daily),
        (
            "weekdays",
            Schedule::Weekdays(WeekdaySet::parse(&[1, 2, 3, 4, 5]).unwrap()),
        ),
        ("times_per_week", Schedule::TimesPerWeek(3)),
    ];
    for (name, schedule) in schedules {
        let history = History {
            schedule,
            starts_on,
            today,
            complete: &complete,
            pauses: &pauses,
        };
        c.bench_function(&format!("streak/{name}/10_years_from_scratch"), |b| {
            b.iter(|| compute(black_box(&history), None, None))
        });

        let (_, checkpoint) = compute(&history, None, Some(today - Duration::days(35)));
        let checkpoint: Checkpoint = checkpoint.unwrap();
        let recent: BTreeSet<NaiveDate> = complete
            .range(checkpoint.through + Duration::days(1)..)
            .copied()
            .collect();
        let resumed = History {
            complete: &recent,
            ..history
        };
        c.bench_function(&format!("streak/{name}/resumed_from_checkpoint"), |b| {
            b.iter(|| compute(black_box(&resumed), Some(checkpoint), None))
        });
    }
}

criterion_group!(benches, streaks);
criterion_main!(benches);
