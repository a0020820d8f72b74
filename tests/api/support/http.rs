//! Small verbs over [`TestApp`] for the requests tests send most, each
//! asserting what it expects, and readers of their answers.

use poem::http::Method;
use serde_json::Value;

use super::{Reply, TestApp, send};

/// Asserts `reply` has `status`, showing its body if not.
#[track_caller]
pub fn assert_status(reply: &Reply, status: u16) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
}

pub async fn put(app: &TestApp, token: &str, path: &str, body: &Value) -> Reply {
    app.call(Method::PUT, path, Some(token), Some(body)).await
}

pub async fn delete(app: &TestApp, token: &str, path: &str) -> Reply {
    app.call(Method::DELETE, path, Some(token), None).await
}

/// `GET`, asserting 200, returning the body.
pub async fn get_ok(app: &TestApp, token: &str, path: &str) -> Value {
    let reply = app.get(path, Some(token)).await;
    assert_eq!(reply.status.as_u16(), 200, "GET {path}: {}", reply.text);
    reply.json()
}

/// A `GET` with `If-None-Match`.
pub async fn get_if_none_match(app: &TestApp, token: &str, path: &str, tag: &str) -> Reply {
    send(
        app.client
            .get(path)
            .header("authorization", format!("Bearer {token}"))
            .header("if-none-match", tag),
    )
    .await
}

/// The `id` of a resource's view.
pub fn id_of(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

/// A JSON value with its `null` members left out, so that a member sent as
/// `null` and one left out compare equal.
pub fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| (key.clone(), without_nulls(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}
