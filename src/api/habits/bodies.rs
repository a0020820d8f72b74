//! The habit tag's request and response bodies.

use poem_openapi::{
    ApiResponse, Object,
    payload::Json,
    types::{Example, MaybeUndefined},
};
use uuid::Uuid;

use crate::{
    api::{
        support::{
            bounded::{ColourCode, Int, Note, Printable, SingleLine, Text, TimeOfDay},
            choice::Choice,
            day::Day,
            etag::Polled,
            examples,
            schedule::ScheduleBody,
        },
        views::{CheckInView, HabitData},
    },
    domain::{
        habit,
        streak::{Streak, Unit},
    },
};

/// A new habit.
#[derive(Debug, Object)]
#[oai(example)]
pub struct CreateHabitRequest {
    /// An id chosen by the client (a UUID), so that an offline create can be
    /// replayed safely: the same id with the same fields returns the stored
    /// habit (200); with other fields it is 409 `id_conflict`.
    pub id: Option<Uuid>,
    /// 1 to 120 characters.
    pub title: Text<1, { habit::TITLE_MAX_CHARS }, SingleLine>,
    pub category: Choice<habit::Category>,
    pub schedule: ScheduleBody,
    /// How many times a day make the day complete, 1 to 50 (default 1).
    pub target_per_day: Option<Int<1, { habit::TARGET_MAX }>>,
    /// A local time `HH:MM` for the app to remind at.
    pub reminder_time: Option<TimeOfDay>,
    /// A colour `#RRGGBB`, in either case; kept in lower case.
    pub colour: Option<ColourCode>,
    /// The app's icon name, 1 to 64 characters.
    pub icon: Option<Text<1, { habit::ICON_MAX_CHARS }, Printable>>,
}

/// The water habit ([`HabitData::example`]), created offline with the
/// client's own id.
impl Example for CreateHabitRequest {
    fn example() -> Self {
        let habit = HabitData::example();
        Self {
            id: Some(habit.id),
            title: Text::new(habit.title),
            category: habit.category,
            schedule: habit.schedule,
            target_per_day: Some(Int(habit.target_per_day.into())),
            reminder_time: habit.reminder_time,
            colour: habit.colour,
            icon: habit.icon.map(Text::new),
        }
    }
}

/// Changes to a habit; fields left out stay as they are, and `null` clears
/// `reminder_time`, `colour` or `icon`. A changed `schedule` recomputes the
/// streak over the whole history.
#[derive(Debug, Object)]
#[oai(example, skip_serializing_if_is_none)]
pub struct UpdateHabitRequest {
    /// 1 to 120 characters.
    pub title: Option<Text<1, { habit::TITLE_MAX_CHARS }, SingleLine>>,
    pub category: Option<Choice<habit::Category>>,
    pub schedule: Option<ScheduleBody>,
    /// How many times a day make the day complete, 1 to 50.
    pub target_per_day: Option<Int<1, { habit::TARGET_MAX }>>,
    /// A local time `HH:MM`, or `null` for none.
    #[oai(nullable)]
    pub reminder_time: MaybeUndefined<TimeOfDay>,
    /// A colour `#RRGGBB` (kept in lower case), or `null` for none.
    #[oai(nullable)]
    pub colour: MaybeUndefined<ColourCode>,
    /// An icon name, or `null` for none.
    #[oai(nullable)]
    pub icon: MaybeUndefined<Text<1, { habit::ICON_MAX_CHARS }, Printable>>,
    /// Archived habits are not due and are listed only on request.
    pub archived: Option<bool>,
}

/// One more glass a day, and an earlier reminder.
impl Example for UpdateHabitRequest {
    fn example() -> Self {
        Self {
            title: None,
            category: None,
            schedule: None,
            target_per_day: Some(Int(4)),
            reminder_time: MaybeUndefined::Value(Text::new("09:30".to_owned())),
            colour: MaybeUndefined::Undefined,
            icon: MaybeUndefined::Undefined,
            archived: None,
        }
    }
}

/// A streak that forgives.
#[derive(Debug, Object)]
#[oai(example)]
pub struct StreakView {
    /// Consecutive complete days (or weeks, for `times_per_week`). Today not
    /// yet done does not break it; a spent rest day keeps it without adding.
    pub current: i64,
    /// The longest the streak has been.
    pub longest: i64,
    /// Rest days banked: one earned per 7 consecutive complete days, at most
    /// 2, spent automatically on a missed day. For `times_per_week` habits
    /// these are rest weeks, earned per 7 complete weeks.
    #[oai(validator(minimum(value = "0"), maximum(value = "2")))]
    pub rest_days_available: i64,
    /// The latest complete day that counted.
    #[oai(nullable)]
    pub last_completed_on: Option<Day>,
    pub unit: Choice<Unit>,
    /// Share of scheduled days completed over the last 28 days (for weekly
    /// counts, of the 4 ISO weeks ending with this one), 0.0 to 1.0, leaving
    /// out rest and paused days and today while not yet done; 0.0 before
    /// anything was due.
    #[oai(validator(minimum(value = "0"), maximum(value = "1")))]
    pub rhythm: f64,
}

/// Twelve complete days up to today, which earned a rest day, after a
/// spotty start: 21 of the last 28 days complete.
impl Example for StreakView {
    fn example() -> Self {
        Self {
            current: 12,
            longest: 21,
            rest_days_available: 1,
            last_completed_on: Some(examples::today()),
            unit: Choice::of(Unit::Day),
            rhythm: 0.75,
        }
    }
}

impl From<Streak> for StreakView {
    fn from(streak: Streak) -> Self {
        Self {
            current: streak.current.into(),
            longest: streak.longest.into(),
            rest_days_available: streak.rest_days_available.into(),
            last_completed_on: streak.last_completed_on.map(Day),
            unit: Choice::of(streak.unit),
            rhythm: streak.rhythm,
        }
    }
}

/// A private self-kindness habit with its streak as of the owner's local
/// today.
#[derive(Debug, Object)]
#[oai(example)]
pub struct HabitView {
    #[oai(flatten)]
    pub habit: HabitData,
    pub streak: StreakView,
}

impl Example for HabitView {
    fn example() -> Self {
        Self {
            habit: HabitData::example(),
            streak: StreakView::example(),
        }
    }
}

impl Polled for HabitView {
    const DESCRIPTION: &'static str = "The habit.";
}

/// The caller's habits.
#[derive(Debug, Object)]
#[oai(example)]
pub struct HabitList {
    /// Every habit, oldest first (a person keeps at most 200, so the list is
    /// never paged).
    #[oai(validator(max_items = 200))]
    pub items: Vec<HabitView>,
}

impl Example for HabitList {
    fn example() -> Self {
        Self {
            items: vec![HabitView::example()],
        }
    }
}

impl Polled for HabitList {
    const DESCRIPTION: &'static str = "The habits.";
}

/// A day's check-in.
#[derive(Debug, Object)]
#[oai(example)]
pub struct CheckInRequest {
    /// How many times today, 1 to 1000; the habit's `target_per_day` when
    /// left out.
    pub count: Option<Int<1, { habit::COUNT_MAX }>>,
    /// How the person felt, 1 to 5.
    pub mood: Option<Int<1, { habit::MOOD_MAX }>>,
    /// A private note, at most 1000 characters; line breaks and tabs are
    /// kept, other control characters (NUL among them) are refused.
    pub note: Option<Text<0, { habit::NOTE_MAX_CHARS }, Note>>,
}

/// What makes [`CheckInView::example`].
impl Example for CheckInRequest {
    fn example() -> Self {
        let stored = CheckInView::example();
        Self {
            count: Some(Int(stored.count.into())),
            mood: stored.mood.map(|mood| Int(mood.into())),
            note: stored.note.map(Text::new),
        }
    }
}

/// A page of check-ins, oldest first.
#[derive(Debug, Object)]
#[oai(example)]
pub struct CheckInPage {
    /// The check-ins.
    pub items: Vec<CheckInView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

/// Yesterday and today; nothing can follow today.
impl Example for CheckInPage {
    fn example() -> Self {
        Self {
            items: vec![CheckInView::yesterday_example(), CheckInView::example()],
            next_cursor: None,
        }
    }
}

/// A habit due today.
#[derive(Debug, Object)]
#[oai(example)]
pub struct TodayItem {
    pub habit: HabitView,
    /// Today's count so far (0 when not checked in).
    pub count: i32,
    /// The count that completes the day.
    pub target: i32,
    /// Whether today is complete.
    pub done: bool,
}

/// The water habit, done for today ([`CheckInView::example`]).
impl Example for TodayItem {
    fn example() -> Self {
        let habit = HabitView::example();
        let check_in = CheckInView::example();
        Self {
            count: check_in.count,
            target: habit.habit.target_per_day,
            done: check_in.done,
            habit,
        }
    }
}

/// The caller's day.
#[derive(Debug, Object)]
#[oai(example)]
pub struct Today {
    /// The caller's local today, by their timezone and day start.
    pub date: Day,
    /// Active habits due today: scheduled, not paused, and for weekly counts
    /// not yet reached this week (or reached today).
    pub items: Vec<TodayItem>,
}

impl Example for Today {
    fn example() -> Self {
        Self {
            date: examples::today(),
            items: vec![TodayItem::example()],
        }
    }
}

impl Polled for Today {
    const DESCRIPTION: &'static str = "Today's habits.";
}

#[derive(ApiResponse)]
pub enum CreateHabitResponse {
    /// The habit was created.
    #[oai(status = 201)]
    Created(
        Json<HabitView>,
        /// Where the habit lives.
        #[oai(header = "Location")]
        String,
    ),
    /// A replay of an earlier create with the same id and fields: the stored
    /// habit.
    #[oai(status = 200)]
    Replayed(Json<HabitView>),
}

#[derive(ApiResponse)]
pub enum UpdatedHabitResponse {
    /// The habit as changed.
    #[oai(status = 200)]
    Ok(Json<HabitView>),
}

#[derive(ApiResponse)]
pub enum CheckInResponse {
    /// The day's check-in as stored.
    #[oai(status = 200)]
    Ok(Json<CheckInView>),
}

#[derive(ApiResponse)]
pub enum CheckInPageResponse {
    /// The check-ins in the range.
    #[oai(status = 200)]
    Ok(Json<CheckInPage>),
}
