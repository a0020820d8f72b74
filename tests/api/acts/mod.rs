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
    let ana = join_team(app, &owner.access, &org, &team, "ana@example.com").await;
    let bo = join_team(app, &owner.access, &org, &team, "bo@example.com").await;
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

/// People around the world's team who are not in it as Ana, Bo and Cy are.
struct Onlookers {
    /// Another member of the team.
    dee: Session,
    /// A member, an admin and an hr person of the organisation, outside the
    /// team.
    eve: Session,
    admin: Session,
    hr: Session,
    /// Somebody of another organisation (see [`outsider`]).
    stranger: Session,
}

async fn onlookers(app: &TestApp, w: &World) -> Onlookers {
    let (owner, org) = (w.owner.access.as_str(), w.org.as_str());
    Onlookers {
        dee: join_team(app, owner, org, &w.team, "dee@example.com").await,
        eve: join(app, owner, org, "eve@example.com", "member", None).await,
        admin: join(app, owner, org, "admin@example.com", "admin", None).await,
        hr: join(app, owner, org, "hr@example.com", "hr", None).await,
        stranger: outsider(app).await,
    }
}

fn act_body(message: &str) -> Value {
    json!({"kind": "act", "category": "help", "message": message})
}

fn kudos_body(message: &str, recipients: &[&Session]) -> Value {
    let ids: Vec<&str> = recipients.iter().map(|p| p.user_id.as_str()).collect();
    json!({"kind": "kudos", "category": "appreciation", "message": message, "recipient_ids": ids})
}

/// Kudos for `recipients` that only they (and the author) may see.
fn private_kudos(message: &str, recipients: &[&Session]) -> Value {
    let mut body = kudos_body(message, recipients);
    body["visibility"] = json!("recipients");
    body
}

/// `body` with the client-chosen `id`.
fn with_id(mut body: Value, id: &str) -> Value {
    body["id"] = json!(id);
    body
}

/// A fresh client-chosen id, and `body` carrying it.
fn with_new_id(body: Value) -> (String, Value) {
    let id = uuid::Uuid::new_v4().to_string();
    let body = with_id(body, &id);
    (id, body)
}

/// `POST`s `body` to `team`'s feed as `token`'s person; the answer,
/// whatever it is.
async fn post_act(app: &TestApp, token: &str, team: &str, body: &Value) -> Reply {
    app.post(&team_acts_path(team), Some(token), body).await
}

/// Logs `body` in `team` as `token`'s person, expecting 201; the act.
async fn log(app: &TestApp, token: &str, team: &str, body: &Value) -> Value {
    let reply = post_act(app, token, team, body).await;
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

/// Asserts `reply` refused a change to `act` with `status` (403 `forbidden`
/// or 404 `not_found`) and that the act still reads as it was to its author,
/// Ana.
async fn assert_refused(
    app: &TestApp,
    w: &World,
    reply: &Reply,
    act: &Value,
    status: u16,
    why: &str,
) {
    assert_eq!(reply.status.as_u16(), status, "{why}: {}", reply.text);
    reply.assert_problem(
        status,
        if status == 403 {
            "forbidden"
        } else {
            "not_found"
        },
    );
    let read = app
        .get(
            &act_path(act["id"].as_str().expect("an id")),
            Some(&w.ana.access),
        )
        .await;
    assert_eq!(&read.json(), act, "{why} changed the act");
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
