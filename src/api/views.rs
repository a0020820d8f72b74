//! Bodies several tags share, and their parsing. Stored rows never leave the
//! service as they are: each is turned into a view here or in its tag.

use poem_openapi::{Object, types::Example};
use uuid::Uuid;

use super::support::{
    bounded::{ColourCode, Text, TimeOfDay},
    choice::Choice,
    day::Day,
    examples,
    fields::Fields,
    schedule::ScheduleBody,
    timestamp::Timestamp,
};
use crate::{
    domain::{
        habit::{self, CheckInInput},
        streak::Schedule,
    },
    http::problem::ApiError,
    store::{check_ins::CheckIn, habits::Habit, users::User},
};

/// A person's account.
#[derive(Debug, Object)]
#[oai(example)]
pub struct UserView {
    /// The person's id.
    pub id: Uuid,
    /// Their email address, lower-cased.
    pub email: String,
    /// The name colleagues see.
    pub display_name: String,
    /// IANA timezone that decides the person's local dates.
    pub timezone: String,
    /// Hour (0–6) at which the person's day begins: with 2, a check-in at
    /// 01:30 counts for the day before.
    #[oai(validator(minimum(value = "0"), maximum(value = "6")))]
    pub day_starts_at_hour: i32,
    /// When the account was created.
    pub created_at: Timestamp,
}

impl Example for UserView {
    fn example() -> Self {
        Self {
            id: examples::ANA,
            email: examples::ANA_EMAIL.to_owned(),
            display_name: examples::ANA_NAME.to_owned(),
            timezone: examples::TIMEZONE.to_owned(),
            day_starts_at_hour: 0,
            created_at: examples::at(examples::ANA_JOINED),
        }
    }
}

impl From<User> for UserView {
    fn from(user: User) -> Self {
        Self {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            timezone: user.timezone.name().to_owned(),
            day_starts_at_hour: user.day_starts_at_hour.into(),
            created_at: user.created_at.into(),
        }
    }
}

/// A habit's own fields, as `/v1/sync` sends them: without the streak, which
/// depends on the day and is read from `/v1/habits` or `/v1/me/today`.
#[derive(Debug, Object)]
#[oai(example)]
pub struct HabitData {
    /// The habit's id.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    pub category: Choice<habit::Category>,
    pub schedule: ScheduleBody,
    /// How many times a day make the day complete.
    pub target_per_day: i32,
    /// Local reminder time `HH:MM`, if any.
    #[oai(nullable)]
    pub reminder_time: Option<TimeOfDay>,
    /// Colour `#rrggbb` (lower case), if any.
    #[oai(nullable)]
    pub colour: Option<ColourCode>,
    /// Icon name, if any.
    #[oai(nullable)]
    pub icon: Option<String>,
    /// Whether it is archived.
    pub archived: bool,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl Example for HabitData {
    fn example() -> Self {
        Self {
            id: examples::HABIT,
            title: examples::HABIT_TITLE.to_owned(),
            category: Choice::of(habit::Category::Nourishment),
            schedule: Schedule::Daily.into(),
            target_per_day: 3,
            // Before 10:00: a YAML 1.1 reader (PyYAML) takes an unquoted
            // `10:00` for the number 600, but not `07:30`.
            reminder_time: Some(Text::new("07:30".to_owned())),
            colour: Some(Text::new("#3ba7f0".to_owned())),
            icon: Some("glass-water".to_owned()),
            archived: false,
            created_at: examples::at("2026-10-02T07:31:12Z"),
            updated_at: examples::at("2026-11-12T18:20:45Z"),
        }
    }
}

impl From<Habit> for HabitData {
    fn from(habit: Habit) -> Self {
        let fields = habit.fields;
        Self {
            id: habit.id,
            title: fields.title,
            category: Choice::of(fields.category),
            schedule: fields.schedule.into(),
            target_per_day: fields.target_per_day,
            reminder_time: fields.reminder_time.map(Text::new),
            colour: fields.colour.map(Text::new),
            icon: fields.icon,
            archived: habit.archived,
            created_at: habit.created_at.into(),
            updated_at: habit.updated_at.into(),
        }
    }
}

/// A habit's check-in for one local date.
#[derive(Debug, Object)]
#[oai(example)]
pub struct CheckInView {
    /// The habit.
    pub habit_id: Uuid,
    /// The local date.
    pub date: Day,
    /// How many times.
    pub count: i32,
    /// Mood 1 to 5, if given.
    #[oai(nullable, validator(minimum(value = "1"), maximum(value = "5")))]
    pub mood: Option<i32>,
    /// The private note, if any.
    #[oai(nullable)]
    pub note: Option<String>,
    /// Whether `count` reaches the habit's `target_per_day`.
    pub done: bool,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// Today's third glass of water, which completes the day.
impl Example for CheckInView {
    fn example() -> Self {
        Self {
            habit_id: examples::HABIT,
            date: examples::today(),
            count: 3,
            mood: Some(4),
            note: Some("A full bottle on my desk made it easy.".to_owned()),
            done: true,
            updated_at: examples::at("2026-11-30T16:05:27Z"),
        }
    }
}

impl CheckInView {
    /// Yesterday's check-in, queued offline and applied this morning.
    pub fn yesterday_example() -> Self {
        Self {
            date: examples::day("2026-11-29"),
            mood: Some(3),
            note: None,
            updated_at: examples::at("2026-11-30T07:45:12Z"),
            ..Self::example()
        }
    }
}

impl CheckInView {
    pub fn of(row: CheckIn, done: bool) -> Self {
        Self {
            habit_id: row.habit_id,
            date: Day(row.local_date),
            done,
            count: row.count,
            mood: row.mood.map(i32::from),
            note: row.note,
            updated_at: row.updated_at.into(),
        }
    }
}

/// Parses a check-in's fields; `prefix` goes before field names (`items[3].`).
pub fn parse_check_in(
    count: Option<i64>,
    mood: Option<i64>,
    note: Option<String>,
    prefix: &str,
) -> Result<CheckInInput, ApiError> {
    let mut fields = Fields::default();
    let count = fields.check_optional(&format!("{prefix}count"), count, habit::parse_count);
    let mood = fields.check_optional(&format!("{prefix}mood"), mood, habit::parse_mood);
    let note = fields.check_optional(&format!("{prefix}note"), note, habit::parse_note);
    match (count, mood, note) {
        (Some(count), Some(mood), Some(note)) => Ok(CheckInInput { count, mood, note }),
        _ => Err(fields.into_error()),
    }
}
