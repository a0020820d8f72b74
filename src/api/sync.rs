//! Offline sync: a batch of queued check-ins applied in one transaction, and
//! the change feed a client applies to converge to the server's state.

use poem::web::Data;
use poem_openapi::{
    ApiResponse, Enum, Object, OpenApi, param::Query, payload::Json, types::Example,
};
use uuid::Uuid;

use super::{
    ApiTag,
    support::{
        Person, begin,
        bounded::{Int, List, Note, Text},
        choice::Choice,
        day::Day,
        examples,
        nullable::OrNull,
        paging::{self, Limit, parse_limit},
        refusal::item_refusal,
        timestamp::Timestamp,
    },
    views::{CheckInView, HabitData, parse_check_in},
};
use crate::{
    domain::habit::{self, TombstoneKind},
    http::{
        bearer::BearerAuth,
        problem::{ApiError, FieldError, Problem, ProblemDocument, status::*},
        state::AppState,
    },
    service::{
        self, Error,
        check_ins::{BatchChange, BatchEntry, BatchOutcome},
    },
    store::{self, Lock},
};

/// Most items in one batch.
pub const MAX_BATCH: usize = 500;

#[derive(Default)]
pub struct SyncApi;

/// One queued check-in (or undo).
#[derive(Debug, Object)]
#[oai(example, skip_serializing_if_is_none)]
pub struct BatchItem {
    /// The habit.
    pub habit_id: Uuid,
    /// The local date, within the caller's last 30 days.
    pub date: Day,
    /// As in `PUT …/check-ins/{date}`: defaults to the habit's target.
    pub count: Option<Int<1, { habit::COUNT_MAX }>>,
    /// Mood 1 to 5.
    pub mood: Option<Int<1, { habit::MOOD_MAX }>>,
    /// A private note, at most 1000 characters; line breaks and tabs are
    /// kept, other control characters (NUL among them) are refused.
    pub note: Option<Text<0, { habit::NOTE_MAX_CHARS }, Note>>,
    /// `true` to undo the day instead.
    pub deleted: Option<bool>,
}

/// Yesterday's glasses of water, queued offline.
impl Example for BatchItem {
    fn example() -> Self {
        let stored = CheckInView::yesterday_example();
        Self {
            habit_id: stored.habit_id,
            date: stored.date,
            count: Some(Int(stored.count.into())),
            mood: stored.mood.map(|mood| Int(mood.into())),
            note: None,
            deleted: None,
        }
    }
}

/// Queued check-ins from an offline client.
#[derive(Debug, Object)]
#[oai(example)]
pub struct BatchRequest {
    /// 1 to 500 items, applied in order.
    pub items: List<BatchItem, 1, MAX_BATCH>,
}

/// A check-in, an undo, and a check-in for a habit deleted meanwhile on
/// another device: [`BatchResponseBody::example`] answers it.
impl Example for BatchRequest {
    fn example() -> Self {
        let undo = BatchItem {
            date: examples::day("2026-11-28"),
            count: None,
            mood: None,
            deleted: Some(true),
            ..BatchItem::example()
        };
        let for_deleted_habit = BatchItem {
            habit_id: examples::DELETED_HABIT,
            count: None,
            mood: None,
            ..BatchItem::example()
        };
        Self {
            items: List(vec![BatchItem::example(), undo, for_deleted_habit]),
        }
    }
}

/// What became of a batch item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum BatchStatus {
    /// Stored, or already stored as sent: see `check_in`.
    Applied,
    /// The day is undone.
    Deleted,
    /// Refused, and nothing was written for it: see `error`.
    Rejected,
}

/// What became of one item.
#[derive(Debug, Object)]
#[oai(example)]
pub struct BatchResult {
    /// The item's position in the request, from 0.
    pub index: i64,
    pub status: BatchStatus,
    /// The day's check-in after an `applied` item.
    pub check_in: OrNull<CheckInView>,
    /// Why a `rejected` item was refused: a problem document, as its own
    /// request would have received (`validation_failed`, `not_found`,
    /// `date_out_of_range`).
    pub error: OrNull<ProblemDocument>,
}

/// [`BatchItem::example`], applied.
impl Example for BatchResult {
    fn example() -> Self {
        Self {
            index: 0,
            status: BatchStatus::Applied,
            check_in: OrNull(Some(CheckInView::yesterday_example())),
            error: OrNull(None),
        }
    }
}

/// A result per item, in the request's order.
#[derive(Debug, Object)]
#[oai(example)]
pub struct BatchResponseBody {
    /// One result per item.
    pub results: Vec<BatchResult>,
}

/// The answer to [`BatchRequest::example`].
impl Example for BatchResponseBody {
    fn example() -> Self {
        let undone = BatchResult {
            index: 1,
            status: BatchStatus::Deleted,
            check_in: OrNull(None),
            error: OrNull(None),
        };
        let unknown_habit = item_refusal(Error::NotFound("habit"), &item_prefix(2));
        let rejected = BatchResult {
            index: 2,
            status: BatchStatus::Rejected,
            check_in: OrNull(None),
            error: OrNull(Some(unknown_habit.document())),
        };
        Self {
            results: vec![BatchResult::example(), undone, rejected],
        }
    }
}

/// A check-in as sync sends it: without `done`, which follows the habit's
/// `target_per_day` (a day is done when `count` reaches it), so that a
/// changed target needs no check-in resent.
#[derive(Debug, Object)]
#[oai(example)]
pub struct SyncedCheckIn {
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
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// [`CheckInView::example`], as sync sends it.
impl Example for SyncedCheckIn {
    fn example() -> Self {
        let view = CheckInView::example();
        Self {
            habit_id: view.habit_id,
            date: view.date,
            count: view.count,
            mood: view.mood,
            note: view.note,
            updated_at: view.updated_at,
        }
    }
}

/// Something deleted: remove it locally.
#[derive(Debug, Object)]
#[oai(example)]
pub struct Tombstone {
    pub kind: Choice<TombstoneKind>,
    /// The habit, or the check-in's habit.
    pub habit_id: Uuid,
    /// For a check-in: its date.
    #[oai(nullable)]
    pub date: Option<Day>,
    /// When it was deleted.
    pub deleted_at: Timestamp,
}

/// The habit Ana deleted on another device.
impl Example for Tombstone {
    fn example() -> Self {
        Self {
            kind: Choice::of(TombstoneKind::Habit),
            habit_id: examples::DELETED_HABIT,
            date: None,
            deleted_at: examples::at("2026-11-29T21:17:40Z"),
        }
    }
}

/// Changes since the cursor. Apply habits, then check-ins, then tombstones;
/// an item appears in at most one list, in its latest state.
#[derive(Debug, Object)]
#[oai(example)]
pub struct SyncPage {
    /// Habits created or changed.
    pub habits: Vec<HabitData>,
    /// Check-ins created or changed.
    pub check_ins: Vec<SyncedCheckIn>,
    /// Habits and check-ins deleted.
    pub deleted: Vec<Tombstone>,
    /// Pass as `since` next time (and at once while `has_more`).
    pub next_cursor: String,
    /// Whether more changes wait beyond this page.
    pub has_more: bool,
}

impl Example for SyncPage {
    fn example() -> Self {
        Self {
            habits: vec![HabitData::example()],
            check_ins: vec![SyncedCheckIn::example()],
            deleted: vec![Tombstone::example()],
            next_cursor: paging::encode(SYNC_CURSOR, "1042"),
            has_more: false,
        }
    }
}

#[derive(ApiResponse)]
pub enum BatchResponse {
    /// Each item's result. Items are applied in one transaction: either every
    /// `applied` and `deleted` result is stored, or (on a 5xx) none is.
    #[oai(status = 200)]
    Ok(Json<BatchResponseBody>),
}

#[derive(ApiResponse)]
pub enum SyncResponse {
    /// A page of changes.
    #[oai(status = 200)]
    Ok(Json<SyncPage>),
}

#[OpenApi(tag = "ApiTag::Sync")]
impl SyncApi {
    /// Apply queued check-ins
    ///
    /// Applies up to 500 check-ins (or undos, with `deleted: true`) from an
    /// offline queue in one transaction, with a result per item. An invalid
    /// item, an unknown habit or a date outside the 30-day window rejects
    /// that item alone; the others are applied. Replaying a batch is safe.
    #[oai(
        path = "/v1/check-ins/batch",
        method = "post",
        operation_id = "batch_check_ins"
    )]
    async fn batch(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        body: Json<BatchRequest>,
    ) -> Result<BatchResponse, Problem<{ JSON_BODY | UNAUTHORIZED }>> {
        let items = body.0.items.0;
        if items.is_empty() || items.len() > MAX_BATCH {
            return Err(ApiError::validation(vec![FieldError::new(
                "items",
                format!("must hold 1 to {MAX_BATCH} items"),
            )])
            .into());
        }
        let person = Person::of(&state, &auth.0);
        // Each item is parsed here; the valid ones are applied in order, and
        // an invalid one keeps its place in the results with its problem.
        let mut parsed = Vec::with_capacity(items.len());
        let mut entries = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            let input = parse_check_in(
                item.count.map(Int::get),
                item.mood.map(Int::get),
                item.note.map(|note| note.0),
                &item_prefix(index),
            );
            parsed.push(input.as_ref().err().map(ApiError::document));
            if let Ok(input) = input {
                entries.push(BatchEntry {
                    habit_id: item.habit_id,
                    date: item.date.0,
                    change: if item.deleted == Some(true) {
                        BatchChange::Undo
                    } else {
                        BatchChange::Store(input)
                    },
                });
            }
        }
        let mut unit = begin(&state, Lock::Person(auth.0.id)).await?;
        let mut outcomes = service::check_ins::batch(&mut unit, auth.0.id, person.today, entries)
            .await?
            .into_iter();
        unit.commit().await?;

        let results = parsed
            .into_iter()
            .enumerate()
            .map(|(index, refused)| {
                let outcome = match refused {
                    Some(problem) => Err(problem),
                    None => outcomes
                        .next()
                        .expect("an outcome for every parsed item")
                        .map_err(|error| item_refusal(error, &item_prefix(index)).document()),
                };
                let index = i64::try_from(index).expect("at most 500 items");
                match outcome {
                    Err(problem) => BatchResult {
                        index,
                        status: BatchStatus::Rejected,
                        check_in: OrNull(None),
                        error: OrNull(Some(problem)),
                    },
                    Ok(BatchOutcome::Undone) => BatchResult {
                        index,
                        status: BatchStatus::Deleted,
                        check_in: OrNull(None),
                        error: OrNull(None),
                    },
                    Ok(BatchOutcome::Stored(stored)) => BatchResult {
                        index,
                        status: BatchStatus::Applied,
                        check_in: OrNull(Some(CheckInView::of(stored.check_in, stored.done))),
                        error: OrNull(None),
                    },
                }
            })
            .collect();
        Ok(BatchResponse::Ok(Json(BatchResponseBody { results })))
    }

    /// Changes since a cursor
    ///
    /// Everything of the caller's that changed since `since`: habits,
    /// check-ins and tombstones of deleted ones, oldest change first, with the
    /// cursor to pass next. Without `since`, everything. A client that
    /// applies every page until `has_more` is false holds the server's state.
    #[oai(path = "/v1/sync", method = "get", operation_id = "sync")]
    async fn sync(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The `next_cursor` of the previous sync; everything when empty or
        /// left out.
        since: Query<Option<String>>,
        /// Most changes of each kind in one page, 1 to 200 (default 50).
        limit: Query<Option<Limit>>,
    ) -> Result<SyncResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | UNPROCESSABLE }>> {
        let since: i64 = match since.0.as_deref().filter(|cursor| !cursor.is_empty()) {
            Some(cursor) => paging::decode(SYNC_CURSOR, cursor)?,
            None => 0,
        };
        let limit = parse_limit(limit.0)?;
        let changes = store::sync::changes_since(&state.reader, auth.0.id, since, limit).await?;
        let habits = changes.habits.into_iter().map(HabitData::from).collect();
        let check_ins = changes
            .check_ins
            .into_iter()
            .map(|row| SyncedCheckIn {
                habit_id: row.habit_id,
                date: Day(row.local_date),
                count: row.count,
                mood: row.mood.map(i32::from),
                note: row.note,
                updated_at: row.updated_at.into(),
            })
            .collect();
        let deleted = changes
            .tombstones
            .into_iter()
            .map(|tombstone| Tombstone {
                kind: Choice::of(tombstone.kind),
                habit_id: tombstone.row.habit_id,
                date: tombstone.row.local_date.map(Day),
                deleted_at: tombstone.row.deleted_at.into(),
            })
            .collect();
        Ok(SyncResponse::Ok(Json(SyncPage {
            habits,
            check_ins,
            deleted,
            next_cursor: paging::encode(SYNC_CURSOR, &changes.through.to_string()),
            has_more: changes.has_more,
        })))
    }
}

const SYNC_CURSOR: &str = "seq";

/// How an item's fields are named in its problems: `items[3].`.
fn item_prefix(index: usize) -> String {
    format!("items[{index}].")
}
