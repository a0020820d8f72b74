//! Setting up self-kindness habits and check-ins through HTTP, shared by the
//! tests of habits, check-ins, sync and privacy, and reading their answers.
//! Every helper that sets something up asserts it worked.

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};

use super::{Reply, Session, TestApp, assert_status, get_ok, id_of, put};

/// The local date `offset` days from 2026-11-27, the tests' first day.
pub fn day(offset: i64) -> String {
    (NaiveDate::from_ymd_opt(2026, 11, 27).unwrap() + Duration::days(offset)).to_string()
}

/// A daily habit's creation body.
pub fn daily(title: &str) -> Value {
    json!({"title": title, "category": "rest", "schedule": {"kind": "daily"}})
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

/// The id of a new daily habit.
pub async fn daily_habit(app: &TestApp, token: &str, title: &str) -> String {
    id_of(&create_habit(app, token, &daily(title)).await)
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

/// Registers `email` and moves them to `timezone`.
pub async fn register_in(app: &TestApp, email: &str, timezone: &str) -> Session {
    let session = app.register(email).await;
    let reply = app
        .patch(
            "/v1/me",
            Some(&session.access),
            &json!({"timezone": timezone}),
        )
        .await;
    assert_status(&reply, 200);
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
