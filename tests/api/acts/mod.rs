//! Acts of kindness and kudos, one file per operation: logging them in a
//! team ([`create`]), client-chosen ids and replays ([`replay`]), what is
//! refused as invalid or malformed ([`invalid`]), the team feed's order and
//! paging ([`feed`]), who may read an act ([`read`]), withdrawing
//! ([`withdraw`]) and thanking ([`thanks`]) it, the kudos a person received
//! ([`kudos`]), and the daily limit of 20 acts per person and team on the
//! organisation's calendar ([`limit`]). This file holds the world they share
//! and the helpers that log and read acts.

mod create;
mod feed;
mod invalid;
mod kudos;
mod limit;
mod read;
mod replay;
mod thanks;
mod withdraw;

use poem::http::Method;
use serde_json::{Value, json};

use crate::{db_test, support::*};

/// An organisation (Europe/London) with one team and the people around it.
struct World {
    /// The organisation's owner, not in the team.
    owner: Session,
    org: String,
    team: String,
    /// Members of the team.
    ana: Session,
    bo: Session,
    /// A member of the organisation outside the team.
    cy: Session,
}

async fn world(app: &TestApp) -> World {
    let (owner, org) = owned_org(app, "owner@example.com", "Acme").await;
    let team = create_team(app, &owner.access, &org, "Support").await;
    let ana = join(
        app,
        &owner.access,
        &org,
        "ana@example.com",
        "member",
        Some(&team),
    )
    .await;
    let bo = join(
        app,
        &owner.access,
        &org,
        "bo@example.com",
        "member",
        Some(&team),
    )
    .await;
    let cy = join(app, &owner.access, &org, "cy@example.com", "member", None).await;
    World {
        owner,
        org,
        team,
        ana,
        bo,
        cy,
    }
}

/// Somebody in an organisation of their own, nothing to do with the world's.
async fn outsider(app: &TestApp) -> Session {
    let person = app.register("outsider@example.com").await;
    create_org(app, &person.access, "Elsewhere", "Europe/London").await;
    person
}

fn act_body(message: &str) -> Value {
    json!({"kind": "act", "category": "help", "message": message})
}

fn kudos_body(message: &str, recipients: &[&Session]) -> Value {
    let ids: Vec<&str> = recipients.iter().map(|p| p.user_id.as_str()).collect();
    json!({"kind": "kudos", "category": "appreciation", "message": message, "recipient_ids": ids})
}

/// Logs `body` in `team` as `token`'s person, expecting 201; the act.
async fn log(app: &TestApp, token: &str, team: &str, body: &Value) -> Value {
    let reply = app.post(&team_acts_path(team), Some(token), body).await;
    assert_status(&reply, 201);
    reply.json()
}

/// Like [`log`], the act's id.
async fn log_id(app: &TestApp, token: &str, team: &str, body: &Value) -> String {
    log(app, token, team, body).await["id"]
        .as_str()
        .expect("act id")
        .to_owned()
}

async fn withdraw(app: &TestApp, token: &str, act: &str) -> Reply {
    app.call(Method::DELETE, &act_path(act), Some(token), None)
        .await
}

async fn thank(app: &TestApp, token: &str, act: &str) -> Reply {
    app.call(Method::PUT, &thanks_path(act), Some(token), None)
        .await
}

fn ids(page: &Value) -> Vec<String> {
    strings_in(&page["items"], "id")
}

/// Every page of the list at `base` (which has no query yet) with `limit`:
/// the ids in order and the size of each page.
async fn walk(app: &TestApp, token: &str, base: &str, limit: u32) -> (Vec<String>, Vec<usize>) {
    let (items, sizes) = all_pages(app, token, &format!("{base}?limit={limit}")).await;
    (strings_in(&Value::Array(items), "id"), sizes)
}

/// The ids of the team's feed as `token`'s person sees it, newest first.
async fn feed(app: &TestApp, token: &str, team: &str) -> Vec<String> {
    walk(app, token, &team_acts_path(team), 200).await.0
}

/// The ids of the kudos naming `token`'s person, newest first.
async fn my_kudos(app: &TestApp, token: &str) -> Vec<String> {
    walk(app, token, "/v1/me/kudos", 200).await.0
}

/// The rows a refused request must not have added.
async fn written(app: &TestApp) -> (i64, i64) {
    (app.count("acts").await, app.count("act_recipients").await)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

fn reversed(mut items: Vec<String>) -> Vec<String> {
    items.reverse();
    items
}

async fn rename(app: &TestApp, person: &Session, name: &str) {
    patch_me(app, &person.access, &json!({ "display_name": name })).await;
}
