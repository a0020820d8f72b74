//! `/v1/habits`, their check-ins, and `/v1/me/today`. Habits are their
//! owner's alone: for anybody else every route answers 404, as if the habit
//! did not exist.

use chrono::{Duration, NaiveDate};
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Header, Path, Query},
    payload::Json,
    types::MaybeUndefined,
};
use uuid::Uuid;

use super::{
    ApiTag, Person,
    choice::{Choice, HabitCategories, ScheduleKinds},
    cursor, etag, person,
    timestamp::Timestamp,
};
use crate::{
    app::AppState,
    auth::scheme::BearerAuth,
    domain::{
        calendar::week_start,
        fields::Fields,
        habit::{self, BACKFILL_DAYS},
        streak::{self, Schedule, Streak, Unit},
    },
    error::{ApiError, FieldError, Problem, status::*},
    store::{
        self,
        check_ins::CheckInFields,
        habits::{HabitFields, NewHabit},
    },
};

/// Most habits one person may keep (archived ones included).
pub const MAX_HABITS: u64 = 200;
/// Longest range one check-in listing may span.
const MAX_RANGE_DAYS: i64 = 366;
const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 200;

pub struct HabitsApi;

/// When a habit is due.
#[derive(Debug, Clone, Object)]
pub struct ScheduleBody {
    /// `daily`; `weekdays`, with `days`; or `times_per_week`, with `times`.
    pub kind: Choice<ScheduleKinds>,
    /// For `weekdays`: the ISO weekdays it is due, Monday = 1 … Sunday = 7.
    pub days: Option<Vec<i64>>,
    /// For `times_per_week`: how many days a week, 1 to 7.
    pub times: Option<i64>,
}

impl From<Schedule> for ScheduleBody {
    fn from(schedule: Schedule) -> Self {
        let (kind, days, times) = match schedule {
            Schedule::Daily => ("daily", None, None),
            Schedule::Weekdays(days) => (
                "weekdays",
                Some(days.days().into_iter().map(i64::from).collect()),
                None,
            ),
            Schedule::TimesPerWeek(times) => ("times_per_week", None, Some(i64::from(times))),
        };
        Self {
            kind: Choice::new(kind),
            days,
            times,
        }
    }
}

/// A new habit.
#[derive(Debug, Object)]
pub struct CreateHabitRequest {
    /// An id chosen by the client (a UUID), so that an offline create can be
    /// replayed safely: the same id with the same fields returns the stored
    /// habit (200); with other fields it is 409 `id_conflict`.
    pub id: Option<Uuid>,
    /// 1 to 120 characters.
    pub title: String,
    /// What kind of self-kindness it is.
    pub category: Choice<HabitCategories>,
    /// When it is due.
    pub schedule: ScheduleBody,
    /// How many times a day make the day complete, 1 to 50 (default 1).
    pub target_per_day: Option<i64>,
    /// A local time `HH:MM` for the app to remind at.
    pub reminder_time: Option<String>,
    /// A colour `#RRGGBB`.
    pub colour: Option<String>,
    /// The app's icon name, 1 to 64 characters.
    pub icon: Option<String>,
}

/// Changes to a habit; fields left out stay as they are, and `null` clears
/// `reminder_time`, `colour` or `icon`.
#[derive(Debug, Object)]
pub struct UpdateHabitRequest {
    /// 1 to 120 characters.
    pub title: Option<String>,
    /// What kind of self-kindness it is.
    pub category: Option<Choice<HabitCategories>>,
    /// When it is due. Changing it recomputes the streak over the history.
    pub schedule: Option<ScheduleBody>,
    /// How many times a day make the day complete, 1 to 50.
    pub target_per_day: Option<i64>,
    /// A local time `HH:MM`, or `null` for none.
    pub reminder_time: MaybeUndefined<String>,
    /// A colour `#RRGGBB`, or `null` for none.
    pub colour: MaybeUndefined<String>,
    /// An icon name, or `null` for none.
    pub icon: MaybeUndefined<String>,
    /// Archived habits are not due and are listed only on request.
    pub archived: Option<bool>,
}

/// A streak that forgives.
#[derive(Debug, Object)]
pub struct StreakView {
    /// Consecutive complete days (or weeks, for `times_per_week`). Today not
    /// yet done does not break it; a spent rest day keeps it without adding.
    pub current: u32,
    /// The longest the streak has been.
    pub longest: u32,
    /// Rest days banked: one earned per 7 consecutive complete days, at most
    /// 2, spent automatically on a missed day. For `times_per_week` habits
    /// these are rest weeks, earned per 7 complete weeks.
    pub rest_days_available: u32,
    /// The latest complete day that counted.
    pub last_completed_on: Option<NaiveDate>,
    /// `day`, or `week` for `times_per_week` habits.
    pub unit: String,
    /// Share of scheduled days completed over the last 28 days (for weekly
    /// counts, of the 4 ISO weeks ending with this one), 0.0 to 1.0, leaving
    /// out rest and paused days and today while not yet done; 0.0 before
    /// anything was due.
    pub rhythm: f64,
}

impl From<Streak> for StreakView {
    fn from(streak: Streak) -> Self {
        Self {
            current: streak.current,
            longest: streak.longest,
            rest_days_available: streak.rest_days_available,
            last_completed_on: streak.last_completed_on,
            unit: match streak.unit {
                Unit::Day => "day",
                Unit::Week => "week",
            }
            .to_owned(),
            rhythm: streak.rhythm,
        }
    }
}

/// A habit's own fields, as `/v1/sync` sends them: without the streak, which
/// depends on the day and is read from `/v1/habits` or `/v1/me/today`.
#[derive(Debug, Object)]
pub struct HabitData {
    /// The habit's id.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// What kind of self-kindness it is.
    pub category: Choice<HabitCategories>,
    /// When it is due.
    pub schedule: ScheduleBody,
    /// How many times a day make the day complete.
    pub target_per_day: i32,
    /// Local reminder time `HH:MM`, if any.
    pub reminder_time: Option<String>,
    /// Colour `#RRGGBB`, if any.
    pub colour: Option<String>,
    /// Icon name, if any.
    pub icon: Option<String>,
    /// Whether it is archived.
    pub archived: bool,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl HabitData {
    pub fn of(habit: entity::habits::Model) -> Result<Self, ApiError> {
        Ok(Self {
            schedule: store::habits::schedule_of(&habit)?.into(),
            id: habit.id,
            title: habit.title,
            category: Choice::new(habit.category),
            target_per_day: habit.target_per_day,
            reminder_time: habit.reminder_time,
            colour: habit.colour,
            icon: habit.icon,
            archived: habit.archived,
            created_at: habit.created_at.into(),
            updated_at: habit.updated_at.into(),
        })
    }
}

/// A private self-kindness habit with its streak.
#[derive(Debug, Object)]
pub struct HabitView {
    #[oai(flatten)]
    pub habit: HabitData,
    /// Its streak as of the owner's local today.
    pub streak: StreakView,
}

/// The caller's habits.
#[derive(Debug, Object)]
pub struct HabitList {
    /// Every habit, oldest first (a person keeps at most 200, so the list is
    /// never paged).
    pub items: Vec<HabitView>,
}

/// A day's check-in.
#[derive(Debug, Object)]
pub struct CheckInRequest {
    /// How many times today, 1 to 1000; the habit's `target_per_day` when
    /// left out.
    pub count: Option<i64>,
    /// How the person felt, 1 to 5.
    pub mood: Option<i64>,
    /// A private note, at most 1000 characters.
    pub note: Option<String>,
}

/// A habit's check-in for one local date.
#[derive(Debug, Object)]
pub struct CheckInView {
    /// The habit.
    pub habit_id: Uuid,
    /// The local date.
    pub date: NaiveDate,
    /// How many times.
    pub count: i32,
    /// Mood 1 to 5, if given.
    pub mood: Option<i16>,
    /// The private note, if any.
    pub note: Option<String>,
    /// Whether `count` reaches the habit's `target_per_day`.
    pub done: bool,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl CheckInView {
    pub fn of(row: entity::check_ins::Model, target_per_day: i32) -> Self {
        Self {
            habit_id: row.habit_id,
            date: row.local_date,
            done: row.count >= target_per_day,
            count: row.count,
            mood: row.mood,
            note: row.note,
            updated_at: row.updated_at.into(),
        }
    }
}

/// A page of check-ins, oldest first.
#[derive(Debug, Object)]
pub struct CheckInPage {
    /// The check-ins.
    pub items: Vec<CheckInView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// A habit due today.
#[derive(Debug, Object)]
pub struct TodayItem {
    /// The habit, with its streak.
    pub habit: HabitView,
    /// Today's count so far (0 when not checked in).
    pub count: i32,
    /// The count that completes the day.
    pub target: i32,
    /// Whether today is complete.
    pub done: bool,
}

/// The caller's day.
#[derive(Debug, Object)]
pub struct Today {
    /// The caller's local today, by their timezone and day start.
    pub date: NaiveDate,
    /// Active habits due today: scheduled, not paused, and for weekly counts
    /// not yet reached this week (or reached today).
    pub items: Vec<TodayItem>,
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
pub enum HabitResponse {
    /// The habit.
    #[oai(status = 200)]
    Ok(
        Json<Box<HabitView>>,
        /// Send back in `If-None-Match` to get 304 while nothing changed.
        #[oai(header = "ETag")]
        String,
    ),
    /// Unchanged since the `If-None-Match` tag.
    #[oai(status = 304)]
    NotModified(
        /// The current tag.
        #[oai(header = "ETag")]
        String,
    ),
}

#[derive(ApiResponse)]
pub enum UpdatedHabitResponse {
    /// The habit as changed.
    #[oai(status = 200)]
    Ok(Json<HabitView>),
}

#[derive(ApiResponse)]
pub enum HabitListResponse {
    /// The habits.
    #[oai(status = 200)]
    Ok(
        Json<HabitList>,
        /// Send back in `If-None-Match` to get 304 while nothing changed.
        #[oai(header = "ETag")]
        String,
    ),
    /// Unchanged since the `If-None-Match` tag.
    #[oai(status = 304)]
    NotModified(
        /// The current tag.
        #[oai(header = "ETag")]
        String,
    ),
}

#[derive(ApiResponse)]
pub enum TodayResponse {
    /// Today's habits.
    #[oai(status = 200)]
    Ok(
        Json<Today>,
        /// Send back in `If-None-Match` to get 304 while nothing changed.
        #[oai(header = "ETag")]
        String,
    ),
    /// Unchanged since the `If-None-Match` tag.
    #[oai(status = 304)]
    NotModified(
        /// The current tag.
        #[oai(header = "ETag")]
        String,
    ),
}

#[derive(ApiResponse)]
pub enum Deleted {
    /// Done; doing it again is harmless.
    #[oai(status = 204)]
    Deleted,
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

#[OpenApi(tag = "ApiTag::Habits")]
impl HabitsApi {
    /// Create a habit
    ///
    /// Creates a private habit. A client working offline may choose the `id`;
    /// replaying the same create returns the stored habit (200), while the
    /// same id with other fields (or an id already used) is 409
    /// `id_conflict`. A person keeps at most 200 habits (409 `habit_limit`).
    #[oai(path = "/v1/habits", method = "post", operation_id = "create_habit")]
    async fn create(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        body: Json<CreateHabitRequest>,
    ) -> Result<CreateHabitResponse, Problem<{ JSON_BODY | UNAUTHORIZED | CONFLICT }>> {
        let body = body.0;
        let fields = parse_new_habit(&body)?;
        let person = person(&state, &auth.0).await?;
        let now = state.clock.now();

        let txn = store::users::begin_personal_write(&state.writer, auth.0.id).await?;
        if let Some(id) = body.id {
            if let Some(existing) = store::habits::find(&txn, id).await? {
                let replay =
                    existing.user_id == person.user.id && HabitFields::of(&existing)? == fields;
                if !replay {
                    return Err(id_conflict().into());
                }
                txn.commit().await?;
                let view = habit_views(&state, &person, vec![existing])
                    .await?
                    .remove(0);
                return Ok(CreateHabitResponse::Replayed(Json(view)));
            }
            if store::habits::was_deleted(&txn, id).await? {
                return Err(id_conflict().into());
            }
        }
        if store::habits::count(&txn, person.user.id).await? >= MAX_HABITS {
            return Err(ApiError::conflict(
                "habit_limit",
                format!("A person keeps at most {MAX_HABITS} habits; delete one first."),
            )
            .into());
        }
        let seq = store::users::take_sync_seqs(&txn, person.user.id, 1).await?;
        let new_habit = NewHabit {
            id: body.id.unwrap_or_else(Uuid::now_v7),
            user_id: person.user.id,
            fields,
            starts_on: person.today,
        };
        let habit = store::habits::insert(&txn, new_habit, seq, now).await?;
        txn.commit().await?;
        let location = format!("/v1/habits/{}", habit.id);
        let view = habit_views(&state, &person, vec![habit]).await?.remove(0);
        Ok(CreateHabitResponse::Created(Json(view), location))
    }

    /// List my habits
    ///
    /// The caller's habits with their streaks, oldest first; archived ones
    /// only with `include_archived=true`. Answers `If-None-Match` with 304.
    #[oai(path = "/v1/habits", method = "get", operation_id = "list_habits")]
    async fn list(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// Include archived habits.
        include_archived: Query<Option<bool>>,
        /// A tag from an earlier answer's `ETag`.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
    ) -> Result<HabitListResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED }>> {
        let person = person(&state, &auth.0).await?;
        let habits = store::habits::list(
            &state.db,
            person.user.id,
            include_archived.0.unwrap_or(false),
        )
        .await?;
        let list = HabitList {
            items: habit_views(&state, &person, habits).await?,
        };
        let tag = etag::of(&list);
        Ok(if etag::matches(if_none_match.0.as_deref(), &tag) {
            HabitListResponse::NotModified(tag)
        } else {
            HabitListResponse::Ok(Json(list), tag)
        })
    }

    /// Read a habit
    ///
    /// One of the caller's habits with its streak. Answers `If-None-Match`
    /// with 304.
    #[oai(path = "/v1/habits/:id", method = "get", operation_id = "get_habit")]
    async fn get(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The habit's id.
        id: Path<Uuid>,
        /// A tag from an earlier answer's `ETag`.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
    ) -> Result<HabitResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND }>> {
        let person = person(&state, &auth.0).await?;
        let habit = store::habits::find_owned(&state.db, person.user.id, id.0)
            .await?
            .ok_or_else(habit_not_found)?;
        let view = habit_views(&state, &person, vec![habit]).await?.remove(0);
        let tag = etag::of(&view);
        Ok(if etag::matches(if_none_match.0.as_deref(), &tag) {
            HabitResponse::NotModified(tag)
        } else {
            HabitResponse::Ok(Json(Box::new(view)), tag)
        })
    }

    /// Change a habit
    ///
    /// Changes the given fields, archives (`archived: true`) or restores it.
    /// Every invalid field is reported in one 422; nothing changes unless all
    /// are valid.
    #[oai(
        path = "/v1/habits/:id",
        method = "patch",
        operation_id = "update_habit"
    )]
    async fn update(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The habit's id.
        id: Path<Uuid>,
        body: Json<UpdateHabitRequest>,
    ) -> Result<UpdatedHabitResponse, Problem<{ JSON_BODY | UNAUTHORIZED | NOT_FOUND }>> {
        let body = body.0;
        let changes = parse_habit_changes(HabitInput::from(&body))?;
        let person = person(&state, &auth.0).await?;
        let txn = store::users::begin_personal_write(&state.writer, auth.0.id).await?;
        let habit = store::habits::find_owned(&txn, person.user.id, id.0)
            .await?
            .ok_or_else(habit_not_found)?;
        let current = HabitFields::of(&habit)?;
        let fields = changes.apply_to(current.clone());
        let archived = body.archived.unwrap_or(habit.archived);
        let habit = if fields == current && archived == habit.archived {
            habit
        } else {
            let seq = store::users::take_sync_seqs(&txn, person.user.id, 1).await?;
            store::habits::update(&txn, habit, fields, archived, seq, state.clock.now()).await?
        };
        txn.commit().await?;
        let view = habit_views(&state, &person, vec![habit]).await?.remove(0);
        Ok(UpdatedHabitResponse::Ok(Json(view)))
    }

    /// Delete a habit
    ///
    /// Deletes the habit and all its check-ins for good, leaving only a
    /// tombstone (its id) so that other devices learn of it through
    /// `/v1/sync`.
    #[oai(
        path = "/v1/habits/:id",
        method = "delete",
        operation_id = "delete_habit"
    )]
    async fn delete(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The habit's id.
        id: Path<Uuid>,
    ) -> Result<Deleted, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND }>> {
        let txn = store::users::begin_personal_write(&state.writer, auth.0.id).await?;
        let habit = store::habits::find_owned(&txn, auth.0.id, id.0)
            .await?
            .ok_or_else(habit_not_found)?;
        let seq = store::users::take_sync_seqs(&txn, auth.0.id, 1).await?;
        store::habits::delete(&txn, habit, seq, state.clock.now()).await?;
        txn.commit().await?;
        Ok(Deleted::Deleted)
    }

    /// Check in a day
    ///
    /// Stores the habit's check-in for a local date: an idempotent upsert, so
    /// the same PUT twice is one check-in. The date may be the caller's local
    /// today or up to 30 days before (422 `date_out_of_range` otherwise).
    #[oai(
        path = "/v1/habits/:id/check-ins/:date",
        method = "put",
        operation_id = "put_check_in"
    )]
    async fn put_check_in(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The habit's id.
        id: Path<Uuid>,
        /// The local date, `YYYY-MM-DD`.
        date: Path<NaiveDate>,
        body: Json<CheckInRequest>,
    ) -> Result<CheckInResponse, Problem<{ JSON_BODY | UNAUTHORIZED | NOT_FOUND }>> {
        let body = body.0;
        let parsed = parse_check_in(body.count, body.mood, body.note, "")?;
        let person = person(&state, &auth.0).await?;
        let txn = store::users::begin_personal_write(&state.writer, auth.0.id).await?;
        let habit = store::habits::find_owned(&txn, person.user.id, id.0)
            .await?
            .ok_or_else(habit_not_found)?;
        check_date(date.0, person.today, "date")?;
        let row = apply_check_in(
            &txn,
            &habit,
            date.0,
            parsed.into_fields(&habit),
            state.clock.now(),
        )
        .await?;
        txn.commit().await?;
        Ok(CheckInResponse::Ok(Json(CheckInView::of(
            row,
            habit.target_per_day,
        ))))
    }

    /// Undo a day
    ///
    /// Deletes the habit's check-in for a local date (within the same 30-day
    /// window), leaving a tombstone for sync. Undoing a day with no check-in
    /// is harmless.
    #[oai(
        path = "/v1/habits/:id/check-ins/:date",
        method = "delete",
        operation_id = "delete_check_in"
    )]
    async fn delete_check_in(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The habit's id.
        id: Path<Uuid>,
        /// The local date, `YYYY-MM-DD`.
        date: Path<NaiveDate>,
    ) -> Result<Deleted, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>> {
        let person = person(&state, &auth.0).await?;
        let txn = store::users::begin_personal_write(&state.writer, auth.0.id).await?;
        let habit = store::habits::find_owned(&txn, person.user.id, id.0)
            .await?
            .ok_or_else(habit_not_found)?;
        check_date(date.0, person.today, "date")?;
        undo_check_in(&txn, &habit, date.0, state.clock.now()).await?;
        txn.commit().await?;
        Ok(Deleted::Deleted)
    }

    /// List a habit's check-ins
    ///
    /// The check-ins from `from` to `to` (inclusive, at most 366 days apart;
    /// by default the last 31 days up to the caller's today), oldest first,
    /// paged with `limit` (default 50, at most 200) and `cursor`.
    #[oai(
        path = "/v1/habits/:id/check-ins",
        method = "get",
        operation_id = "list_check_ins"
    )]
    // Each argument is one documented parameter of the operation.
    #[allow(clippy::too_many_arguments)]
    async fn list_check_ins(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The habit's id.
        id: Path<Uuid>,
        /// First date, `YYYY-MM-DD`.
        from: Query<Option<NaiveDate>>,
        /// Last date, `YYYY-MM-DD`.
        to: Query<Option<NaiveDate>>,
        /// Page size, 1 to 200 (default 50).
        limit: Query<Option<i64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<
        CheckInPageResponse,
        Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>,
    > {
        let limit = parse_limit(limit.0)?;
        let after: Option<NaiveDate> = cursor::decode_after("date", cursor.0.as_deref())?;
        let person = person(&state, &auth.0).await?;
        let to = to.0.unwrap_or(person.today);
        let from = from.0.unwrap_or(to - Duration::days(BACKFILL_DAYS));
        if from > to {
            return Err(ApiError::validation(vec![FieldError::new(
                "from",
                "must not be after to",
            )])
            .into());
        }
        if (to - from).num_days() >= MAX_RANGE_DAYS {
            return Err(ApiError::validation(vec![FieldError::new(
                "to",
                format!("the range spans at most {MAX_RANGE_DAYS} days"),
            )])
            .into());
        }
        let habit = store::habits::find_owned(&state.db, person.user.id, id.0)
            .await?
            .ok_or_else(habit_not_found)?;
        let rows =
            store::check_ins::in_range(&state.db, habit.id, from, to, after, limit + 1).await?;
        let (rows, next_cursor) =
            cursor::page(rows, limit, "date", |row| row.local_date.to_string());
        let items = rows
            .into_iter()
            .map(|row| CheckInView::of(row, habit.target_per_day))
            .collect();
        Ok(CheckInPageResponse::Ok(Json(CheckInPage {
            items,
            next_cursor,
        })))
    }

    /// Today's habits
    ///
    /// The caller's local today (by timezone and day start) and the active
    /// habits due on it, each with today's count and its streak. Paused days
    /// have nothing due. Answers `If-None-Match` with 304.
    #[oai(path = "/v1/me/today", method = "get", operation_id = "get_today")]
    async fn today(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// A tag from an earlier answer's `ETag`.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
    ) -> Result<TodayResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED }>> {
        let person = person(&state, &auth.0).await?;
        let today = person.today;
        let habits = store::habits::list(&state.db, person.user.id, false).await?;
        let pauses = store::pauses::of_user(&state.db, person.user.id).await?;
        let ids: Vec<Uuid> = habits.iter().map(|habit| habit.id).collect();
        let counts = store::check_ins::on_date(&state.db, &ids, today).await?;
        let mut streaks =
            store::streaks::for_habits(&state.db, &state.writer, &habits, today, &pauses).await?;
        let monday = week_start(today);

        let mut items = Vec::new();
        for habit in habits {
            let schedule = store::habits::schedule_of(&habit)?;
            let count = counts.get(&habit.id).map_or(0, |row| row.count);
            let done = count >= habit.target_per_day;
            let Some(state) = streaks.remove(&habit.id) else {
                continue;
            };
            let this_week = state.recent_complete.range(monday..=today).count();
            if !streak::is_due(schedule, today, &pauses, this_week, done) {
                continue;
            }
            items.push(TodayItem {
                count,
                target: habit.target_per_day,
                done,
                habit: habit_view(habit, state.streak)?,
            });
        }
        let body = Today { date: today, items };
        let tag = etag::of(&body);
        Ok(if etag::matches(if_none_match.0.as_deref(), &tag) {
            TodayResponse::NotModified(tag)
        } else {
            TodayResponse::Ok(Json(body), tag)
        })
    }
}

/// Views of `habits` with their streaks as of the person's today.
pub async fn habit_views(
    state: &AppState,
    person: &Person,
    habits: Vec<entity::habits::Model>,
) -> Result<Vec<HabitView>, ApiError> {
    let pauses = store::pauses::of_user(&state.db, person.user.id).await?;
    let mut streaks =
        store::streaks::for_habits(&state.db, &state.writer, &habits, person.today, &pauses)
            .await?;
    habits
        .into_iter()
        .map(|habit| {
            let streak = streaks
                .remove(&habit.id)
                .ok_or_else(|| ApiError::internal("a habit without a streak"))?
                .streak;
            habit_view(habit, streak)
        })
        .collect()
}

fn habit_view(habit: entity::habits::Model, streak: Streak) -> Result<HabitView, ApiError> {
    Ok(HabitView {
        habit: HabitData::of(habit)?,
        streak: streak.into(),
    })
}

pub fn habit_not_found() -> ApiError {
    ApiError::not_found("habit")
}

fn id_conflict() -> ApiError {
    ApiError::conflict(
        "id_conflict",
        "This id is already used by a different habit; choose a new id.",
    )
}

fn parse_schedule(fields: &mut Fields, body: &ScheduleBody) -> Option<Schedule> {
    match habit::parse_schedule(body.kind.as_str(), body.days.as_deref(), body.times) {
        Ok(schedule) => Some(schedule),
        Err((field, message)) => fields.check::<Schedule>(field, Err(message)),
    }
}

/// A create is a change of every field from the defaults: title, category
/// and schedule are always given, the rest default as [`HabitFields`] says.
fn parse_new_habit(body: &CreateHabitRequest) -> Result<HabitFields, ApiError> {
    let changes = parse_habit_changes(HabitInput {
        title: Some(&body.title),
        category: Some(body.category.as_str()),
        schedule: Some(&body.schedule),
        target_per_day: Some(body.target_per_day.unwrap_or(1)),
        reminder_time: MaybeUndefined::from_opt_undefined(body.reminder_time.clone()),
        colour: MaybeUndefined::from_opt_undefined(body.colour.clone()),
        icon: MaybeUndefined::from_opt_undefined(body.icon.clone()),
    })?;
    Ok(changes.apply_to(HabitFields::defaults()))
}

/// A habit's settable fields as a create or a change sends them.
struct HabitInput<'a> {
    title: Option<&'a str>,
    category: Option<&'a str>,
    schedule: Option<&'a ScheduleBody>,
    target_per_day: Option<i64>,
    reminder_time: MaybeUndefined<String>,
    colour: MaybeUndefined<String>,
    icon: MaybeUndefined<String>,
}

impl<'a> From<&'a UpdateHabitRequest> for HabitInput<'a> {
    fn from(body: &'a UpdateHabitRequest) -> Self {
        Self {
            title: body.title.as_deref(),
            category: body.category.as_ref().map(Choice::as_str),
            schedule: body.schedule.as_ref(),
            target_per_day: body.target_per_day,
            reminder_time: body.reminder_time.clone(),
            colour: body.colour.clone(),
            icon: body.icon.clone(),
        }
    }
}

/// A PATCH, parsed: `None` leaves a field as it is.
struct HabitChanges {
    title: Option<String>,
    category: Option<String>,
    schedule: Option<Schedule>,
    target_per_day: Option<i32>,
    reminder_time: Option<Option<String>>,
    colour: Option<Option<String>>,
    icon: Option<Option<String>>,
}

impl HabitChanges {
    fn apply_to(self, mut fields: HabitFields) -> HabitFields {
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

/// A field that `null` clears: `Some(None)` clears, `None` leaves it.
fn check_clearable(
    fields: &mut Fields,
    name: &str,
    value: &MaybeUndefined<String>,
    parse: impl FnOnce(&str) -> Result<String, String>,
) -> Option<Option<Option<String>>> {
    match value {
        MaybeUndefined::Undefined => Some(None),
        MaybeUndefined::Null => Some(Some(None)),
        MaybeUndefined::Value(value) => fields.check(name, parse(value)).map(|v| Some(Some(v))),
    }
}

fn parse_habit_changes(input: HabitInput) -> Result<HabitChanges, ApiError> {
    let mut fields = Fields::default();
    let title = fields.check_optional("title", input.title, habit::parse_title);
    let category = fields.check_optional("category", input.category, habit::parse_category);
    let schedule = match input.schedule {
        None => Some(None),
        Some(schedule) => parse_schedule(&mut fields, schedule).map(Some),
    };
    let target = fields.check_optional("target_per_day", input.target_per_day, habit::parse_target);
    let reminder = check_clearable(
        &mut fields,
        "reminder_time",
        &input.reminder_time,
        habit::parse_reminder_time,
    );
    let colour = check_clearable(&mut fields, "colour", &input.colour, habit::parse_colour);
    let icon = check_clearable(&mut fields, "icon", &input.icon, habit::parse_icon);
    let (
        Some(title),
        Some(category),
        Some(schedule),
        Some(target_per_day),
        Some(reminder_time),
        Some(colour),
        Some(icon),
    ) = (title, category, schedule, target, reminder, colour, icon)
    else {
        return Err(fields.into_error());
    };
    Ok(HabitChanges {
        title,
        category,
        schedule,
        target_per_day,
        reminder_time,
        colour,
        icon,
    })
}

/// A check-in's fields, parsed; `count` waits for the habit's target.
pub struct ParsedCheckIn {
    count: Option<i32>,
    mood: Option<i16>,
    note: Option<String>,
}

impl ParsedCheckIn {
    pub fn into_fields(self, habit: &entity::habits::Model) -> CheckInFields {
        CheckInFields {
            count: self.count.unwrap_or(habit.target_per_day),
            mood: self.mood,
            note: self.note,
        }
    }
}

/// Parses a check-in's fields; `prefix` goes before field names (`items[3].`).
pub fn parse_check_in(
    count: Option<i64>,
    mood: Option<i64>,
    note: Option<String>,
    prefix: &str,
) -> Result<ParsedCheckIn, ApiError> {
    let mut fields = Fields::default();
    let count = fields.check_optional(&format!("{prefix}count"), count, habit::parse_count);
    let mood = fields.check_optional(&format!("{prefix}mood"), mood, habit::parse_mood);
    let note = fields.check_optional(&format!("{prefix}note"), note, habit::parse_note);
    match (count, mood, note) {
        (Some(count), Some(mood), Some(note)) => Ok(ParsedCheckIn { count, mood, note }),
        _ => Err(fields.into_error()),
    }
}

/// 422 `date_out_of_range` unless `date` is within the check-in window.
pub fn check_date(date: NaiveDate, today: NaiveDate, field: &str) -> Result<(), ApiError> {
    if habit::check_in_date_allowed(date, today) {
        return Ok(());
    }
    Err(ApiError::validation(vec![FieldError::new(
        field,
        format!(
            "must be between {} and {today}, your local today",
            today - Duration::days(BACKFILL_DAYS)
        ),
    )])
    .with_code("date_out_of_range"))
}

/// Stores a check-in unless it is already stored as given.
pub async fn apply_check_in(
    txn: &impl sea_orm::ConnectionTrait,
    habit: &entity::habits::Model,
    date: NaiveDate,
    fields: CheckInFields,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<entity::check_ins::Model, ApiError> {
    let existing = store::check_ins::find(txn, habit.id, date).await?;
    if store::check_ins::unchanged(&existing, &fields) {
        return existing.ok_or_else(|| ApiError::internal("an unchanged check-in is missing"));
    }
    let seq = store::users::take_sync_seqs(txn, habit.user_id, 1).await?;
    Ok(store::check_ins::upsert(txn, habit, date, existing, fields, seq, now).await?)
}

/// Deletes a day's check-in, if there is one.
pub async fn undo_check_in(
    txn: &impl sea_orm::ConnectionTrait,
    habit: &entity::habits::Model,
    date: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, ApiError> {
    let Some(existing) = store::check_ins::find(txn, habit.id, date).await? else {
        return Ok(false);
    };
    let seq = store::users::take_sync_seqs(txn, habit.user_id, 1).await?;
    store::check_ins::delete(txn, existing, seq, now).await?;
    Ok(true)
}

/// `?limit=` of a paged list: 1 to 200, 50 when left out.
pub fn parse_limit(limit: Option<i64>) -> Result<u64, ApiError> {
    match limit.unwrap_or(DEFAULT_LIMIT) {
        limit @ 1..=MAX_LIMIT => Ok(limit as u64),
        _ => Err(ApiError::validation(vec![FieldError::new(
            "limit",
            format!("must be 1 to {MAX_LIMIT}"),
        )])),
    }
}
