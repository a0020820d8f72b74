//! A habit's fields, parsed: what a request may set, valid by construction.

use chrono::{Duration, NaiveDate, NaiveTime};
use strum::{EnumString, IntoStaticStr, VariantArray, VariantNames};

use super::{
    names::Named,
    streak::{Schedule, WeekdaySet},
    text::check_multiline,
};

/// What kind of self-kindness a habit is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum Category {
    Rest,
    Movement,
    Nourishment,
    Mindfulness,
    Connection,
    Boundaries,
    SelfCompassion,
    Learning,
    Joy,
    Other,
}

/// The kinds of [`Schedule`], by name.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum ScheduleKind {
    Daily,
    Weekdays,
    TimesPerWeek,
}

impl ScheduleKind {
    pub fn of(schedule: Schedule) -> Self {
        match schedule {
            Schedule::Daily => Self::Daily,
            Schedule::Weekdays(_) => Self::Weekdays,
            Schedule::TimesPerWeek(_) => Self::TimesPerWeek,
        }
    }
}

/// What a sync tombstone stands for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum TombstoneKind {
    /// A deleted habit, and with it all its check-ins.
    Habit,
    /// An undone day.
    CheckIn,
}

/// What a person sets on a habit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HabitFields {
    pub title: String,
    pub category: Category,
    pub schedule: Schedule,
    pub target_per_day: i32,
    pub reminder_time: Option<String>,
    pub colour: Option<String>,
    pub icon: Option<String>,
}

impl HabitFields {
    /// A new habit's fields: a create is a change of every field from
    /// these, and always gives the title, category and schedule.
    pub fn defaults() -> Self {
        Self {
            title: String::new(),
            category: Category::Other,
            schedule: Schedule::Daily,
            target_per_day: 1,
            reminder_time: None,
            colour: None,
            icon: None,
        }
    }
}

/// A change to a habit's fields, parsed: `None` leaves a field as it is, and
/// `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct HabitChanges {
    pub title: Option<String>,
    pub category: Option<Category>,
    pub schedule: Option<Schedule>,
    pub target_per_day: Option<i32>,
    pub reminder_time: Option<Option<String>>,
    pub colour: Option<Option<String>>,
    pub icon: Option<Option<String>>,
}

impl HabitChanges {
    pub fn apply_to(self, mut fields: HabitFields) -> HabitFields {
        if let Some(title) = self.title {
            fields.title = title;
        }
        if let Some(category) = self.category {
            fields.category = category;
        }
        if let Some(schedule) = self.schedule {
            fields.schedule = schedule;
        }
        if let Some(target) = self.target_per_day {
            fields.target_per_day = target;
        }
        if let Some(reminder_time) = self.reminder_time {
            fields.reminder_time = reminder_time;
        }
        if let Some(colour) = self.colour {
            fields.colour = colour;
        }
        if let Some(icon) = self.icon {
            fields.icon = icon;
        }
        fields
    }
}

/// A check-in's fields, parsed; a count left out is the habit's target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInInput {
    pub count: Option<i32>,
    pub mood: Option<i16>,
    pub note: Option<String>,
}

pub const TITLE_MAX_CHARS: usize = 120;
pub const TARGET_MAX: i64 = 50;
pub const ICON_MAX_CHARS: usize = 64;
pub const NOTE_MAX_CHARS: usize = 1000;
pub const COUNT_MAX: i64 = 1000;
pub const MOOD_MAX: i64 = 5;
/// How far back a check-in may be dated.
pub const BACKFILL_DAYS: i64 = 30;
/// The longest pause.
pub const PAUSE_MAX_DAYS: i64 = 90;
/// How far ahead a pause may start.
pub const PAUSE_MAX_DAYS_AHEAD: i64 = 366;

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

/// The three fields of a schedule, checked together: `days` only with
/// `weekdays`, `times` only with `times_per_week`. Errors name the sub-field.
pub fn parse_schedule(
    kind: &str,
    days: Option<&[i64]>,
    times: Option<i64>,
) -> Result<Schedule, (&'static str, String)> {
    use ScheduleKind::{Daily, TimesPerWeek, Weekdays};
    let kind = ScheduleKind::parse(kind).map_err(|message| ("schedule.kind", message))?;
    match (kind, days, times) {
        (Daily, None, None) => Ok(Schedule::Daily),
        (Weekdays, Some(days), None) => WeekdaySet::parse(days)
            .map(Schedule::Weekdays)
            .map_err(|message| ("schedule.days", message)),
        (Weekdays, None, _) => Err(("schedule.days", "is required for weekdays".to_owned())),
        (TimesPerWeek, None, Some(times)) => {
            Schedule::times_per_week(times).map_err(|message| ("schedule.times", message))
        }
        (TimesPerWeek, _, None) => Err((
            "schedule.times",
            "is required for times_per_week".to_owned(),
        )),
        (Daily | TimesPerWeek, Some(_), _) => Err((
            "schedule.days",
            "is only for the weekdays schedule".to_owned(),
        )),
        (Daily | Weekdays, _, Some(_)) => Err((
            "schedule.times",
            "is only for the times_per_week schedule".to_owned(),
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
    if (1..=MOOD_MAX).contains(&raw) {
        Ok(raw as i16)
    } else {
        Err(format!("must be 1 to {MOOD_MAX}"))
    }
}

/// At most 1000 characters, over as many lines as the person likes.
pub fn parse_note(raw: String) -> Result<String, String> {
    if raw.chars().count() > NOTE_MAX_CHARS {
        return Err(format!("must be at most {NOTE_MAX_CHARS} characters"));
    }
    check_multiline(&raw)?;
    Ok(raw)
}

/// A check-in's date must lie between 30 days before the person's today and
/// today.
pub fn check_in_date_allowed(date: NaiveDate, today: NaiveDate) -> bool {
    date <= today && date >= today - Duration::days(BACKFILL_DAYS)
}

/// A pause: `ends_on` not before `starts_on`, at most 90 days, starting no
/// more than 30 days back nor more than 366 ahead. Errors name the field.
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
    if starts_on > today + Duration::days(PAUSE_MAX_DAYS_AHEAD) {
        return Err((
            "starts_on",
            format!("may be at most {PAUSE_MAX_DAYS_AHEAD} days after today"),
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
