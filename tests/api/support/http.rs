//! Small verbs over [`TestApp`] for the requests tests send most, each
//! asserting what it expects, and readers of their answers.

use poem::{Body, http::Method};
use serde_json::Value;

use super::{Reply, TestApp, send};

/// Asserts `reply` has `status`, showing its body if not.
#[track_caller]
pub fn assert_status(reply: &Reply, status: u16) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
}

pub async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> Reply {
    app.post(path, Some(token), body).await
}

pub async fn patch(app: &TestApp, token: &str, path: &str, body: &Value) -> Reply {
    app.patch(path, Some(token), body).await
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

/// Of two answers to requests raced against each other, asserts that one
/// has the status `won` and the other `lost`, in either order; whether the
/// first won.
#[track_caller]
pub fn first_won(first: &Reply, second: &Reply, won: u16, lost: u16, why: &str) -> bool {
    let mut statuses = [first.status.as_u16(), second.status.as_u16()];
    statuses.sort_unstable();
    let mut expected = [won, lost];
    expected.sort_unstable();
    assert_eq!(
        statuses, expected,
        "{why}: {} | {}",
        first.text, second.text
    );
    first.status.as_u16() == won
}

/// `PATCH /v1/me` with `body`, asserting 200; the account as changed.
pub async fn patch_me(app: &TestApp, token: &str, body: &Value) -> Value {
    let reply = patch(app, token, "/v1/me", body).await;
    assert_eq!(
        reply.status.as_u16(),
        200,
        "changing me with {body}: {}",
        reply.text
    );
    reply.json()
}

/// Every page of the list at `path` (which may carry a query, such as its
/// `limit`), following `next_cursor` until it is null: the items of all
/// pages in order, and the size of each page.
pub async fn all_pages(app: &TestApp, token: &str, path: &str) -> (Vec<Value>, Vec<usize>) {
    let joiner = if path.contains('?') { '&' } else { '?' };
    let (mut items, mut sizes) = (Vec::new(), Vec::new());
    let mut next = path.to_owned();
    for _ in 0..100 {
        let page = get_ok(app, token, &next).await;
        let found = page["items"].as_array().expect("items").clone();
        sizes.push(found.len());
        items.extend(found);
        match page["next_cursor"].as_str() {
            Some(cursor) => next = format!("{path}{joiner}cursor={cursor}"),
            None => return (items, sizes),
        }
    }
    panic!("paging {path} did not end");
}

/// The string `field` of each item of the JSON list `list`, in order.
#[track_caller]
pub fn strings_in(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("no list in {list}"))
        .iter()
        .map(|item| {
            item[field]
                .as_str()
                .unwrap_or_else(|| panic!("no {field} in {item}"))
                .to_owned()
        })
        .collect()
}

/// Asserts `value` holds each member of the object `expected` with the
/// value given there; members `expected` leaves out may be anything.
#[track_caller]
pub fn assert_has(value: &Value, expected: &Value, why: &str) {
    for (key, want) in expected.as_object().expect("an object of expected members") {
        assert_eq!(&value[key], want, "{why}: {key} of {value}");
    }
}

/// `POST`s the raw `body` to `path` labelled `content_type` (unlabelled if
/// `None`), as `token`'s person if one is given.
pub async fn post_raw(
    app: &TestApp,
    token: Option<&str>,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> Reply {
    let mut request = app.client.post(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(content_type) = content_type {
        request = request.content_type(content_type);
    }
    send(request.body(body)).await
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
