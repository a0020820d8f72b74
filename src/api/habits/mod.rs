//! `/v1/habits`, their check-ins, and `/v1/me/today`. Habits are their
//! owner's alone: for anybody else every route answers 404, as if the habit
//! did not exist.

mod bodies;
mod parse;

use chrono::{Duration, NaiveDate};
use poem::web::Data;
use poem_openapi::{
    OpenApi,
    param::{Header, Path, Query},
    payload::Json,
};
use uuid::Uuid;

use bodies::{
    CheckInPage, CheckInPageResponse, CheckInRequest, CheckInResponse, CreateHabitRequest,
    CreateHabitResponse, HabitList, HabitView, Today, TodayItem, UpdateHabitRequest,
    UpdatedHabitResponse,
};

use super::{
    ApiTag,
    support::{
        Deleted, Person, begin,
        bounded::Int,
        day::Day,
        etag::Tagged,
        fields::Fields,
        paging::{Limit, PageRequest},
    },
    views::{CheckInView, HabitData, parse_check_in},
};
use crate::{
    domain::{
        calendar::{week_start, within_calendar},
        habit::BACKFILL_DAYS,
        streak::{self, Streak},
    },
    http::{
        bearer::BearerAuth,
        problem::{ApiError, FieldError, Problem, status::*},
        state::AppState,
    },
    service::{self, Created},
    store::{self, Lock, habits::Habit},
};

/// Longest range one check-in listing may span.
const MAX_RANGE_DAYS: i64 = 366;

#[derive(Default)]
pub struct HabitsApi;

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
        let fields = parse::new_habit(&body)?;
        let person = Person::of(&state, &auth.0);
        let mut unit = begin(&state, Lock::Person(auth.0.id)).await?;
        let created =
            service::habits::create(&mut unit, auth.0.id, person.today, body.id, fields).await?;
        unit.commit().await?;
        Ok(match created {
            Created::New(habit) => {
                let location = format!("/v1/habits/{}", habit.id);
                CreateHabitResponse::Created(
                    Json(habit_view(&state, &person, habit).await?),
                    location,
                )
            }
            Created::Replayed(habit) => {
                CreateHabitResponse::Replayed(Json(habit_view(&state, &person, habit).await?))
            }
        })
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
    ) -> Result<Tagged<HabitList>, Problem<{ UNAUTHORIZED | UNPROCESSABLE }>> {
        let person = Person::of(&state, &auth.0);
        let habits = store::habits::list(
            &state.reader,
            person.user.id,
            include_archived.0.unwrap_or(false),
        )
        .await?;
        let list = HabitList {
            items: habit_views(&state, &person, habits).await?,
        };
        Ok(Tagged::answer(list, if_none_match.0.as_deref()))
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
    ) -> Result<Tagged<HabitView>, Problem<{ UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>> {
        let person = Person::of(&state, &auth.0);
        let habit = store::habits::find_owned(&state.reader, person.user.id, id.0)
            .await?
            .ok_or_else(|| ApiError::not_found("habit"))?;
        let view = habit_view(&state, &person, habit).await?;
        Ok(Tagged::answer(view, if_none_match.0.as_deref()))
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
        let changes = parse::habit_changes(&body)?;
        let person = Person::of(&state, &auth.0);
        let mut unit = begin(&state, Lock::Person(auth.0.id)).await?;
        let habit =
            service::habits::update(&mut unit, auth.0.id, id.0, changes, body.archived).await?;
        unit.commit().await?;
        Ok(UpdatedHabitResponse::Ok(Json(
            habit_view(&state, &person, habit).await?,
        )))
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
    ) -> Result<Deleted, Problem<{ UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>> {
        let mut unit = begin(&state, Lock::Person(auth.0.id)).await?;
        service::habits::delete(&mut unit, auth.0.id, id.0).await?;
        unit.commit().await?;
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
        date: Path<Day>,
        body: Json<CheckInRequest>,
    ) -> Result<CheckInResponse, Problem<{ JSON_BODY | UNAUTHORIZED | NOT_FOUND }>> {
        let body = body.0;
        let input = parse_check_in(
            body.count.map(Int::get),
            body.mood.map(Int::get),
            body.note.map(|note| note.0),
            "",
        )?;
        let person = Person::of(&state, &auth.0);
        let mut unit = begin(&state, Lock::Person(auth.0.id)).await?;
        let stored =
            service::check_ins::put(&mut unit, auth.0.id, id.0, date.0.0, person.today, input)
                .await?;
        unit.commit().await?;
        Ok(CheckInResponse::Ok(Json(CheckInView::of(
            stored.check_in,
            stored.done,
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
        date: Path<Day>,
    ) -> Result<Deleted, Problem<{ UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>> {
        let person = Person::of(&state, &auth.0);
        let mut unit = begin(&state, Lock::Person(auth.0.id)).await?;
        service::check_ins::undo(&mut unit, auth.0.id, id.0, date.0.0, person.today).await?;
        unit.commit().await?;
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
        /// First date, `YYYY-MM-DD`, from 0001-01-01 to 9999-12-31.
        from: Query<Option<Day>>,
        /// Last date, `YYYY-MM-DD`, from 0001-01-01 to 9999-12-31.
        to: Query<Option<Day>>,
        /// Page size, 1 to 200 (default 50).
        limit: Query<Option<Limit>>,
        /// The `next_cursor` of the previous page; the first page when empty
        /// or left out.
        cursor: Query<Option<String>>,
    ) -> Result<
        CheckInPageResponse,
        Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>,
    > {
        let page = PageRequest::<NaiveDate>::parse(CHECK_IN_CURSOR, limit.0, cursor.0.as_deref())?;
        let mut fields = Fields::default();
        let to = fields.check_optional("to", to.0, |day| within_calendar(day.0));
        let from = fields.check_optional("from", from.0, |day| within_calendar(day.0));
        let (Some(to), Some(from)) = (to, from) else {
            return Err(fields.into_error().into());
        };
        let person = Person::of(&state, &auth.0);
        let to = to.unwrap_or(person.today);
        let from = from.unwrap_or_else(|| to - Duration::days(BACKFILL_DAYS));
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
        let habit = store::habits::find_owned(&state.reader, person.user.id, id.0)
            .await?
            .ok_or_else(|| ApiError::not_found("habit"))?;
        let rows =
            store::check_ins::in_range(&state.reader, habit.id, from, to, page.after, page.rows())
                .await?;
        let (rows, next_cursor) = page.page(rows, |row| row.local_date);
        let target = habit.fields.target_per_day;
        let items = rows
            .into_iter()
            .map(|row| {
                let done = row.count >= target;
                CheckInView::of(row, done)
            })
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
    ) -> Result<Tagged<Today>, Problem<{ UNAUTHORIZED | UNPROCESSABLE }>> {
        let person = Person::of(&state, &auth.0);
        let today = person.today;
        let habits = store::habits::list(&state.reader, person.user.id, false).await?;
        let pauses = store::pauses::of_user(&state.reader, person.user.id).await?;
        let ids: Vec<Uuid> = habits.iter().map(|habit| habit.id).collect();
        let counts = store::check_ins::on_date(&state.reader, &ids, today).await?;
        let mut streaks =
            store::streaks::for_habits(&state.reader, &state.writer, &habits, today, &pauses)
                .await?;
        let monday = week_start(today);

        let mut items = Vec::new();
        for habit in habits {
            let target = habit.fields.target_per_day;
            let count = counts.get(&habit.id).map_or(0, |row| row.count);
            let done = count >= target;
            let Some(state) = streaks.remove(&habit.id) else {
                continue;
            };
            let this_week = state.recent_complete.range(monday..=today).count();
            if !streak::is_due(habit.fields.schedule, today, &pauses, this_week, done) {
                continue;
            }
            items.push(TodayItem {
                count,
                target,
                done,
                habit: view(habit, state.streak),
            });
        }
        let body = Today {
            date: Day(today),
            items,
        };
        Ok(Tagged::answer(body, if_none_match.0.as_deref()))
    }
}

const CHECK_IN_CURSOR: &str = "date";

/// Views of `habits` with their streaks as of the person's today.
async fn habit_views(
    state: &AppState,
    person: &Person,
    habits: Vec<Habit>,
) -> Result<Vec<HabitView>, ApiError> {
    let pauses = store::pauses::of_user(&state.reader, person.user.id).await?;
    let mut streaks =
        store::streaks::for_habits(&state.reader, &state.writer, &habits, person.today, &pauses)
            .await?;
    habits
        .into_iter()
        .map(|habit| {
            let streak = streaks
                .remove(&habit.id)
                .ok_or_else(|| ApiError::internal("a habit without a streak"))?
                .streak;
            Ok(view(habit, streak))
        })
        .collect()
}

async fn habit_view(
    state: &AppState,
    person: &Person,
    habit: Habit,
) -> Result<HabitView, ApiError> {
    Ok(habit_views(state, person, vec![habit]).await?.remove(0))
}

fn view(habit: Habit, streak: Streak) -> HabitView {
    HabitView {
        habit: HabitData::from(habit),
        streak: streak.into(),
    }
}
