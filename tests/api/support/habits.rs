//! Setting up self-kindness habits and check-ins through HTTP, shared by the
//! tests of habits, check-ins, sync and privacy, and reading their answers.
//! Every helper that sets something up asserts it worked.

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};

use super::{Reply, Session, TestApp, assert_has, delete, get_ok, id_of, patch_me, put};

/// The local date `offset` days from 2026-11-27, the tests' first day.
pub fn day(offset: i64) -> String {
    (NaiveDate::from_ymd_opt(2026, 11, 27).unwrap() + Duration::days(offset)).to_string()
}

/// A daily habit's creation body.
pub fn daily(title: &str) -> Value {
    json!({"title": title, "category": "rest", "schedule": {"kind": "daily"}})
}

/// The creation body of a movement habit due on the ISO weekdays `days`
/// (Monday is 1).
pub fn on_weekdays(title: &str, days: &[u8]) -> Value {
    json!({"title": title, "category": "movement", "schedule": {"kind": "weekdays", "days": days}})
}

/// The creation body of a movement habit due `times` times a week.
pub fn weekly(title: &str, times: u8) -> Value {
    json!({"title": title, "category": "movement", "schedule": {"kind": "times_per_week", "times": times}})
}

/// Creates a habit, asserting 201, and returns it.
pub async fn create_habit(app: &TestApp, token: &str, body: &Value) -> Value {
    let reply = app.post("/v1/habits", Some(token), body).await;
    assert_eq!(
        reply.status.as_u16(),
        201,
        "creating {body}: {}",
        reply.text
    );
    reply.json()
}

/// The id of a new habit created with `body`.
pub async fn new_habit(app: &TestApp, token: &str, body: &Value) -> String {
    id_of(&create_habit(app, token, body).await)
}

/// The id of a new daily habit.
pub async fn daily_habit(app: &TestApp, token: &str, title: &str) -> String {
    new_habit(app, token, &daily(title)).await
}

/// Changes the habit `id` with `body`, asserting 200; the habit as changed.
pub async fn patch_habit(app: &TestApp, token: &str, id: &str, body: &Value) -> Value {
    let reply = app
        .patch(&format!("/v1/habits/{id}"), Some(token), body)
        .await;
    assert_eq!(
        reply.status.as_u16(),
        200,
        "changing {id} with {body}: {}",
        reply.text
    );
    reply.json()
}

/// `PUT /v1/habits/{habit}/check-ins/{date}`.
pub async fn check_in(app: &TestApp, token: &str, habit: &str, date: &str, body: &Value) -> Reply {
    put(
        app,
        token,
        &format!("/v1/habits/{habit}/check-ins/{date}"),
        body,
    )
    .await
}

/// `DELETE /v1/habits/{habit}/check-ins/{date}`: undoes the day.
pub async fn undo_check_in(app: &TestApp, token: &str, habit: &str, date: &str) -> Reply {
    delete(app, token, &format!("/v1/habits/{habit}/check-ins/{date}")).await
}

/// Checks the habit in on each of the days `offsets` names (see [`day`]),
/// asserting 200 each time.
pub async fn checked_in_on(
    app: &TestApp,
    token: &str,
    habit: &str,
    offsets: impl IntoIterator<Item = i64>,
) {
    for offset in offsets {
        checked_in(app, token, habit, &day(offset)).await;
    }
}

/// The items of the habit's check-in listing with the default range.
pub async fn check_ins_of(app: &TestApp, token: &str, habit: &str) -> Value {
    get_ok(app, token, &format!("/v1/habits/{habit}/check-ins")).await["items"].clone()
}

/// Checks in, asserting 200, and returns the stored check-in.
pub async fn checked_in(app: &TestApp, token: &str, habit: &str, date: &str) -> Value {
    let reply = check_in(app, token, habit, date, &json!({})).await;
    assert_eq!(
        reply.status.as_u16(),
        200,
        "checking in {date}: {}",
        reply.text
    );
    reply.json()
}

/// The habit `id` as its owner reads it.
pub async fn habit(app: &TestApp, token: &str, id: &str) -> Value {
    get_ok(app, token, &format!("/v1/habits/{id}")).await
}

/// The streak of the habit `id`.
pub async fn habit_streak(app: &TestApp, token: &str, id: &str) -> Value {
    habit(app, token, id).await["streak"].clone()
}

/// `POST /v1/me/pauses` from the day `starts` to the day `ends` (offsets,
/// see [`day`]); the answer, whatever it is.
pub async fn post_pause(app: &TestApp, token: &str, starts: i64, ends: i64) -> Reply {
    let body = json!({"starts_on": day(starts), "ends_on": day(ends)});
    app.post("/v1/me/pauses", Some(token), &body).await
}

/// Declares a pause from the day `starts` to the day `ends`, asserting
/// 201; the pause.
pub async fn paused(app: &TestApp, token: &str, starts: i64, ends: i64) -> Value {
    let reply = post_pause(app, token, starts, ends).await;
    assert_eq!(
        reply.status.as_u16(),
        201,
        "pausing {starts}..={ends}: {}",
        reply.text
    );
    reply.json()
}

/// `DELETE /v1/me/pauses/{id}`: ends the pause.
pub async fn end_pause(app: &TestApp, token: &str, id: &str) -> Reply {
    delete(app, token, &format!("/v1/me/pauses/{id}")).await
}

/// Asserts the streak of the habit `id` holds the members of `expected`
/// (`current`, `longest`, `rest_days_available` …); the whole streak.
pub async fn assert_streak(
    app: &TestApp,
    token: &str,
    id: &str,
    expected: Value,
    why: &str,
) -> Value {
    let streak = habit_streak(app, token, id).await;
    assert_has(&streak, &expected, why);
    streak
}

/// Registers `email` and moves them to `timezone`.
pub async fn register_in(app: &TestApp, email: &str, timezone: &str) -> Session {
    let session = app.register(email).await;
    patch_me(app, &session.access, &json!({"timezone": timezone})).await;
    session
}

/// Ids of the habits in a list or today body.
pub fn habit_ids(items: &Value) -> Vec<String> {
    items
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            let habit = if item.get("habit").is_some() {
                &item["habit"]
            } else {
                item
            };
            id_of(habit)
        })
        .collect()
}

/// `GET /v1/me/today`, asserting 200.
pub async fn today(app: &TestApp, token: &str) -> Value {
    get_ok(app, token, "/v1/me/today").await
}
