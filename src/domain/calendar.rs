//! Local dates. A person's "today" comes from their IANA timezone and the hour
//! their day starts at, never from the server's clock zone.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The person's local date at `now`. With `day_starts_at_hour` = 2, the small
/// hours before 02:00 (wall-clock time) still belong to the day before.
pub fn local_today(now: DateTime<Utc>, timezone: Tz, day_starts_at_hour: i16) -> NaiveDate {
    let wall_clock = now.with_timezone(&timezone).naive_local();
    (wall_clock - Duration::hours(i64::from(day_starts_at_hour))).date()
}

/// When the organisation's (or person's) next day begins after `now`: the
/// next local midnight, or the first instant after it where a daylight-saving
/// change skips midnight.
pub fn next_day_starts(now: DateTime<Utc>, timezone: Tz) -> DateTime<Utc> {
    let tomorrow = local_today(now, timezone, 0) + Duration::days(1);
    let midnight = tomorrow.and_time(chrono::NaiveTime::MIN);
    (0..=24 * 4)
        .find_map(|quarter| {
            timezone
                .from_local_datetime(&(midnight + Duration::minutes(15 * quarter)))
                .earliest()
        })
        .map_or(now + Duration::days(1), |start| start.with_timezone(&Utc))
}

/// The first and the last date a client may name: four-digit years, which
/// both databases hold and no arithmetic of a few years overflows.
pub const FIRST_DATE: NaiveDate = NaiveDate::from_ymd_opt(1, 1, 1).expect("a date");
pub const LAST_DATE: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date");

/// `date`, if it lies from [`FIRST_DATE`] to [`LAST_DATE`].
pub fn within_calendar(date: NaiveDate) -> Result<NaiveDate, String> {
    if (FIRST_DATE..=LAST_DATE).contains(&date) {
        Ok(date)
    } else {
        Err(format!("must be a date from {FIRST_DATE} to {LAST_DATE}"))
    }
}

/// The Monday that starts `date`'s ISO week.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// ISO weekday number, Monday = 1 … Sunday = 7.
pub fn iso_weekday(date: NaiveDate) -> u8 {
    // number_from_monday is 1..=7, so the cast cannot truncate.
    date.weekday().number_from_monday() as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_next_day_starts_at_local_midnight_or_just_after_a_skipped_one() {
        assert_eq!(
            next_day_starts(utc(2026, 11, 27, 9, 30), chrono_tz::Europe::London),
            utc(2026, 11, 28, 0, 0)
        );
        assert_eq!(
            next_day_starts(utc(2026, 11, 27, 9, 30), chrono_tz::Asia::Tokyo),
            utc(2026, 11, 27, 15, 0)
        );
        // Santiago springs forward at midnight on 2026-09-06: 00:00 is
        // skipped and the day begins at 01:00 (UTC-3).
        assert_eq!(
            next_day_starts(utc(2026, 9, 5, 18, 0), chrono_tz::America::Santiago),
            utc(2026, 9, 6, 4, 0)
        );
    }

    #[test]
    fn today_follows_the_persons_timezone_not_utc() {
        let now = utc(2026, 11, 27, 23, 30);
        assert_eq!(local_today(now, chrono_tz::UTC, 0), date(2026, 11, 27));
        assert_eq!(
            local_today(now, chrono_tz::Asia::Tokyo, 0),
            date(2026, 11, 28)
        );
        assert_eq!(
            local_today(now, chrono_tz::America::Los_Angeles, 0),
            date(2026, 11, 27)
        );
    }

    #[test]
    fn the_date_line_splits_the_same_instant_into_three_dates() {
        let now = utc(2026, 11, 27, 11, 0);
        assert_eq!(
            local_today(now, chrono_tz::Pacific::Kiritimati, 0),
            date(2026, 11, 28)
        );
        assert_eq!(
            local_today(now, chrono_tz::Pacific::Pago_Pago, 0),
            date(2026, 11, 27)
        );
        assert_eq!(
            local_today(utc(2026, 11, 27, 23, 0), chrono_tz::Pacific::Pago_Pago, 0),
            date(2026, 11, 27)
        );
        assert_eq!(
            local_today(utc(2026, 11, 27, 23, 0), chrono_tz::Pacific::Kiritimati, 0),
            date(2026, 11, 28)
        );
        assert_eq!(
            local_today(utc(2026, 11, 27, 10, 30), chrono_tz::Pacific::Kiritimati, 0),
            date(2026, 11, 28)
        );
    }

    #[test]
    fn half_and_quarter_hour_zones_turn_the_day_on_their_own_minute() {
        // India is UTC+05:30: its midnight is 18:30 UTC.
        assert_eq!(
            local_today(utc(2026, 11, 27, 18, 29), chrono_tz::Asia::Kolkata, 0),
            date(2026, 11, 27)
        );
        assert_eq!(
            local_today(utc(2026, 11, 27, 18, 30), chrono_tz::Asia::Kolkata, 0),
            date(2026, 11, 28)
        );
        // Nepal is UTC+05:45.
        assert_eq!(
            local_today(utc(2026, 11, 27, 18, 14), chrono_tz::Asia::Kathmandu, 0),
            date(2026, 11, 27)
        );
        assert_eq!(
            local_today(utc(2026, 11, 27, 18, 15), chrono_tz::Asia::Kathmandu, 0),
            date(2026, 11, 28)
        );
    }

    #[test]
    fn a_late_day_start_keeps_the_small_hours_in_yesterday() {
        // 01:30 in London (winter, UTC+0) with the day starting at 02:00.
        let now = utc(2026, 11, 27, 1, 30);
        assert_eq!(
            local_today(now, chrono_tz::Europe::London, 2),
            date(2026, 11, 26)
        );
        assert_eq!(
            local_today(utc(2026, 11, 27, 2, 0), chrono_tz::Europe::London, 2),
            date(2026, 11, 27)
        );
        assert_eq!(
            local_today(now, chrono_tz::Europe::London, 0),
            date(2026, 11, 27)
        );
    }

    #[test]
    fn the_day_start_is_wall_clock_time_across_daylight_saving_changes() {
        // London springs forward at 01:00 UTC on 2026-03-29 (01:00 → 02:00 local).
        // At 00:59 UTC it is 00:59 local, before a 02:00 day start: still the 28th.
        assert_eq!(
            local_today(utc(2026, 3, 29, 0, 59), chrono_tz::Europe::London, 2),
            date(2026, 3, 28)
        );
        // At 01:00 UTC it is 02:00 BST: the 29th has begun.
        assert_eq!(
            local_today(utc(2026, 3, 29, 1, 0), chrono_tz::Europe::London, 2),
            date(2026, 3, 29)
        );
        // Falling back on 2026-10-25 (02:00 BST → 01:00 GMT): 01:30 GMT is
        // still before the 02:00 start, so still the 24th.
        assert_eq!(
            local_today(utc(2026, 10, 25, 1, 30), chrono_tz::Europe::London, 2),
            date(2026, 10, 24)
        );
        assert_eq!(
            local_today(utc(2026, 10, 25, 2, 0), chrono_tz::Europe::London, 2),
            date(2026, 10, 25)
        );
        // New York midnight in summer is 04:00 UTC, in winter 05:00 UTC.
        assert_eq!(
            local_today(utc(2026, 7, 1, 3, 59), chrono_tz::America::New_York, 0),
            date(2026, 6, 30)
        );
        assert_eq!(
            local_today(utc(2026, 12, 1, 4, 59), chrono_tz::America::New_York, 0),
            date(2026, 11, 30)
        );
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_start(date(2026, 11, 27)), date(2026, 11, 23));
        assert_eq!(week_start(date(2026, 11, 23)), date(2026, 11, 23));
        assert_eq!(week_start(date(2026, 11, 29)), date(2026, 11, 23));
        assert_eq!(iso_weekday(date(2026, 11, 23)), 1);
        assert_eq!(iso_weekday(date(2026, 11, 29)), 7);
    }
}
