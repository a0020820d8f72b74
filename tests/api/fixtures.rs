//! Setting up organisations and teams through HTTP, shared by the tests of
//! organisations, teams, acts and team streaks: creating an organisation
//! and its teams, inviting people and accepting, putting members into
//! teams, and reading the answers. Every helper that sets something up
//! asserts it worked, so a test fails where its setup did.

use poem::http::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// Asserts `reply` has `status`, showing its body if not.
#[track_caller]
pub fn assert_ok(reply: &Reply, status: u16) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
}

/// The fields a 422 `validation_failed` problem names, in the order it
/// lists them, duplicates included.
#[track_caller]
pub fn invalid_fields_in_order(reply: &Reply) -> Vec<String> {
    let problem = reply.assert_problem(422, "validation_failed");
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {problem}"))
        .iter()
        .map(|error| error["field"].as_str().expect("field").to_owned())
        .collect()
}

/// The fields a 422 `validation_failed` problem names, sorted and each
/// once.
#[track_caller]
pub fn invalid_fields(reply: &Reply) -> Vec<String> {
    let mut fields = invalid_fields_in_order(reply);
    fields.sort();
    fields.dedup();
    fields
}

/// `person` signed in again with [`PASSWORD`]: a fresh session once the
/// clock has moved past their access token's life (15 minutes).
pub async fn relogin(app: &TestApp, person: &Session) -> Session {
    let reply = app.login(&person.email, PASSWORD).await;
    assert_ok(&reply, 200);
    session(&reply.json())
}

/// Creates an organisation in `timezone` owned by `token`'s person; its id.
pub async fn create_org(app: &TestApp, token: &str, name: &str, timezone: &str) -> String {
    let reply = app
        .post(
            "/v1/orgs",
            Some(token),
            &json!({"name": name, "timezone": timezone}),
        )
        .await;
    assert_ok(&reply, 201);
    reply.json()["id"].as_str().expect("org id").to_owned()
}

/// Creates an invitation into `org` with `body` (its role and terms) as
/// `token`'s person, expecting 201; the invitation, code included.
pub async fn create_invitation(app: &TestApp, token: &str, org: &str, body: &Value) -> Value {
    let reply = app
        .post(&format!("/v1/orgs/{org}/invitations"), Some(token), body)
        .await;
    assert_eq!(
        reply.status.as_u16(),
        201,
        "inviting with {body}: {}",
        reply.text
    );
    reply.json()
}

/// A one-use invitation code into `org` with `role`, and into `team` if
/// one is named, with the default terms.
pub async fn invite(
    app: &TestApp,
    token: &str,
    org: &str,
    role: &str,
    team: Option<&str>,
) -> String {
    let mut body = json!({"role": role});
    if let Some(team) = team {
        body["team_id"] = json!(team);
    }
    create_invitation(app, token, org, &body).await["code"]
        .as_str()
        .expect("code")
        .to_owned()
}

/// `token`'s person accepts the invitation `code`; the answer, whatever it
/// is.
pub async fn accept(app: &TestApp, token: &str, code: &str) -> Reply {
    app.call(
        Method::POST,
        &format!("/v1/invitations/{code}/accept"),
        Some(token),
        None,
    )
    .await
}

/// Registers `email` and brings them into `org` with `role` (and into
/// `team` if one is named), invited by `inviter`; their session. Asserts
/// the acceptance answered 200 with `role`.
pub async fn join(
    app: &TestApp,
    inviter: &str,
    org: &str,
    email: &str,
    role: &str,
    team: Option<&str>,
) -> Session {
    let person = app.register(email).await;
    let code = invite(app, inviter, org, role, team).await;
    let reply = accept(app, &person.access, &code).await;
    assert_eq!(
        reply.status.as_u16(),
        200,
        "{email} accepting: {}",
        reply.text
    );
    assert_eq!(reply.json()["role"], role, "{}", reply.text);
    person
}

/// Creates a team called `name` in `org` as `token`'s person; its id.
pub async fn create_team(app: &TestApp, token: &str, org: &str, name: &str) -> String {
    let reply = app
        .post(
            &format!("/v1/orgs/{org}/teams"),
            Some(token),
            &json!({"name": name}),
        )
        .await;
    assert_ok(&reply, 201);
    reply.json()["id"].as_str().expect("team id").to_owned()
}

/// `token`'s person puts `user` into `team` with `role` (`member` or
/// `lead`); the answer, whatever it is.
pub async fn put_member(app: &TestApp, token: &str, team: &str, user: &str, role: &str) -> Reply {
    app.call(
        Method::PUT,
        &format!("/v1/teams/{team}/members/{user}"),
        Some(token),
        Some(&json!({"role": role})),
    )
    .await
}
