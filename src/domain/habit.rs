//! A habit's fields, parsed: what a request may set, valid by construction.

use chrono::{Duration, NaiveDate, NaiveTime};

use super::streak::{Schedule, WeekdaySet};

pub const CATEGORIES: &[&str] = &[
    "rest",
    "movement",
    "nourishment",
    "mindfulness",
    "connection",
    "boundaries",
    "self_compassion",
    "learning",
    "joy",
    "other",
];

pub const SCHEDULE_KINDS: &[&str] = &["daily", "weekdays", "times_per_week"];

pub const TITLE_MAX_CHARS: usize = 120;
pub const TARGET_MAX: i64 = 50;
pub const ICON_MAX_CHARS: usize = 64;
pub const NOTE_MAX_CHARS: usize = 1000;
pub const COUNT_MAX: i64 = 1000;
/// How far back a check-in may be dated.
pub const BACKFILL_DAYS: i64 = 30;
/// The longest pause.
pub const PAUSE_MAX_DAYS: i64 = 90;

pub fn parse_title(raw: &str) -> Result<String, String> {
    let title = raw.trim();
    let chars = title.chars().count();
    if chars == 0 || chars > TITLE_MAX_CHARS {
        return Err(format!("must be 1 to {TITLE_MAX_CHARS} characters"));
    }
    if title.chars().any(char::is_control) {
        return Err("must not contain control characters".to_owned());
    }
    Ok(title.to_owned())
}

pub fn parse_category(raw: &str) -> Result<String, String> {
    if CATEGORIES.contains(&raw) {
        Ok(raw.to_owned())
    } else {
        Err(format!("must be one of {}", CATEGORIES.join(", ")))
    }
}

/// The three fields of a schedule, checked together: `days` only with
/// `weekdays`, `times` only with `times_per_week`. Errors name the sub-field.
pub fn parse_schedule(
    kind: &str,
    days: Option<&[i64]>,
    times: Option<i64>,
) -> Result<Schedule, (&'static str, String)> {
    match (kind, days, times) {
        ("daily", None, None) => Ok(Schedule::Daily),
        ("weekdays", Some(days), None) => WeekdaySet::parse(days)
            .map(Schedule::Weekdays)
            .map_err(|message| ("schedule.days", message)),
        ("weekdays", None, _) => Err(("schedule.days", "is required for weekdays".to_owned())),
        ("times_per_week", None, Some(times)) => {
            Schedule::times_per_week(times).map_err(|message| ("schedule.times", message))
        }
        ("times_per_week", _, None) => Err((
            "schedule.times",
            "is required for times_per_week".to_owned(),
        )),
        ("daily" | "times_per_week", Some(_), _) => Err((
            "schedule.days",
            "is only for the weekdays schedule".to_owned(),
        )),
        ("daily" | "weekdays", _, Some(_)) => Err((
            "schedule.times",
            "is only for the times_per_week schedule".to_owned(),
        )),
        _ => Err((
            "schedule.kind",
            format!("must be one of {}", SCHEDULE_KINDS.join(", ")),
        )),
    }
}

pub fn parse_target(raw: i64) -> Result<i32, String> {
    if (1..=TARGET_MAX).contains(&raw) {
        Ok(raw as i32)
    } else {
        Err(format!("must be 1 to {TARGET_MAX}"))
    }
}

/// `HH:MM`, 24-hour, local time.
pub fn parse_reminder_time(raw: &str) -> Result<String, String> {
    let valid = raw.len() == 5 && NaiveTime::parse_from_str(raw, "%H:%M").is_ok();
    if valid {
        Ok(raw.to_owned())
    } else {
        Err("must be a local time HH:MM, 00:00 to 23:59".to_owned())
    }
}

/// `#RRGGBB`, stored lower-cased.
pub fn parse_colour(raw: &str) -> Result<String, String> {
    let valid =
        raw.len() == 7 && raw.starts_with('#') && raw[1..].chars().all(|c| c.is_ascii_hexdigit());
    if valid {
        Ok(raw.to_ascii_lowercase())
    } else {
        Err("must be a colour #RRGGBB".to_owned())
    }
}

pub fn parse_icon(raw: &str) -> Result<String, String> {
    let chars = raw.chars().count();
    if chars == 0 || chars > ICON_MAX_CHARS || raw.chars().any(char::is_control) {
        Err(format!("must be 1 to {ICON_MAX_CHARS} characters"))
    } else {
        Ok(raw.to_owned())
    }
}

pub fn parse_count(raw: i64) -> Result<i32, String> {
    if (1..=COUNT_MAX).contains(&raw) {
        Ok(raw as i32)
    } else {
        Err(format!("must be 1 to {COUNT_MAX}"))
    }
}

pub fn parse_mood(raw: i64) -> Result<i16, String> {
    if (1..=5).contains(&raw) {
        Ok(raw as i16)
    } else {
        Err("must be 1 to 5".to_owned())
    }
}

pub fn parse_note(raw: String) -> Result<String, String> {
    if raw.chars().count() > NOTE_MAX_CHARS {
        Err(format!("must be at most {NOTE_MAX_CHARS} characters"))
    } else {
        Ok(raw)
    }
}

/// A check-in's date must lie between 30 days before the person's today and
/// today.
pub fn check_in_date_allowed(date: NaiveDate, today: NaiveDate) -> bool {
    date <= today && date >= today - Duration::days(BACKFILL_DAYS)
}

/// A pause: `ends_on` not before `starts_on`, at most 90 days, starting no
/// more than 30 days back. Errors name the field.
pub fn check_pause(
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), (&'static str, String)> {
    if ends_on < starts_on {
        return Err(("ends_on", "must not be before starts_on".to_owned()));
    }
    if (ends_on - starts_on).num_days() + 1 > PAUSE_MAX_DAYS {
        return Err((
            "ends_on",
            format!("a pause lasts at most {PAUSE_MAX_DAYS} days"),
        ));
    }
    if starts_on < today - Duration::days(BACKFILL_DAYS) {
        return Err((
            "starts_on",
            format!("may be at most {BACKFILL_DAYS} days before today"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_take_only_their_own_fields() {
        assert_eq!(parse_schedule("daily", None, None), Ok(Schedule::Daily));
        assert!(matches!(
            parse_schedule("weekdays", Some(&[1, 3, 5]), None),
            Ok(Schedule::Weekdays(_))
        ));
        assert_eq!(
            parse_schedule("times_per_week", None, Some(3)),
            Ok(Schedule::TimesPerWeek(3))
        );
        for (kind, days, times, field) in [
            ("weekdays", None, None, "schedule.days"),
            ("weekdays", Some(&[][..]), None, "schedule.days"),
            ("weekdays", Some(&[9][..]), None, "schedule.days"),
            ("times_per_week", None, None, "schedule.times"),
            ("times_per_week", None, Some(8), "schedule.times"),
            ("times_per_week", None, Some(0), "schedule.times"),
            ("daily", Some(&[1][..]), None, "schedule.days"),
            ("daily", None, Some(2), "schedule.times"),
            ("hourly", None, None, "schedule.kind"),
        ] {
            assert_eq!(
                parse_schedule(kind, days, times).unwrap_err().0,
                field,
                "{kind} {days:?} {times:?}"
            );
        }
    }

    #[test]
    fn reminder_times_are_hh_mm() {
        assert!(parse_reminder_time("07:30").is_ok());
        assert!(parse_reminder_time("23:59").is_ok());
        for bad in ["7:30", "24:00", "07:60", "07:30:00", "", "noon"] {
            assert!(parse_reminder_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn colours_are_hex_triplets() {
        assert_eq!(parse_colour("#FFAA00").unwrap(), "#ffaa00");
        for bad in ["FFAA00", "#FFAA0", "#GGGGGG", "red"] {
            assert!(parse_colour(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn check_ins_may_be_dated_up_to_thirty_days_back_and_not_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert!(check_in_date_allowed(today, today));
        assert!(check_in_date_allowed(today - Duration::days(30), today));
        assert!(!check_in_date_allowed(today - Duration::days(31), today));
        assert!(!check_in_date_allowed(today + Duration::days(1), today));
    }

    #[test]
    fn pauses_are_bounded() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let days = Duration::days;
        assert!(check_pause(today, today, today).is_ok());
        assert!(check_pause(today - days(30), today + days(59), today).is_ok());
        assert_eq!(
            check_pause(today, today + days(90), today).unwrap_err().0,
            "ends_on"
        );
        assert_eq!(
            check_pause(today, today - days(1), today).unwrap_err().0,
            "ends_on"
        );
        assert_eq!(
            check_pause(today - days(31), today, today).unwrap_err().0,
            "starts_on"
        );
    }
}
