//! Setting up organisations and teams through HTTP, shared by the tests of
//! organisations, teams, acts and team streaks: creating an organisation
//! and its teams, inviting people and accepting, putting members into
//! teams, and reading the answers. Every helper that sets something up
//! asserts it worked, so a test fails where its setup did.

use poem::http::Method;
use serde_json::{Value, json};

use super::{Reply, Session, TestApp, assert_status, paths::*, strings_in};

/// Creates an organisation in `timezone` owned by `token`'s person; its id.
pub async fn create_org(app: &TestApp, token: &str, name: &str, timezone: &str) -> String {
    let reply = app
        .post(
            "/v1/orgs",
            Some(token),
            &json!({"name": name, "timezone": timezone}),
        )
        .await;
    assert_status(&reply, 201);
    reply.json()["id"].as_str().expect("org id").to_owned()
}

/// Registers `email` and creates an organisation called `name` in
/// Europe/London that they own: their session and the organisation's id.
pub async fn owned_org(app: &TestApp, email: &str, name: &str) -> (Session, String) {
    let owner = app.register(email).await;
    let org = create_org(app, &owner.access, name, "Europe/London").await;
    (owner, org)
}

/// Creates an invitation into `org` with `body` (its role and terms) as
/// `token`'s person, expecting 201; the invitation, code included.
pub async fn create_invitation(app: &TestApp, token: &str, org: &str, body: &Value) -> Value {
    let reply = app.post(&invitations_path(org), Some(token), body).await;
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
    app.call(Method::POST, &accept_path(code), Some(token), None)
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

/// Registers `email` and brings them into `org` as a member and into its
/// `team`, invited by `inviter`; their session.
pub async fn join_team(
    app: &TestApp,
    inviter: &str,
    org: &str,
    team: &str,
    email: &str,
) -> Session {
    join(app, inviter, org, email, "member", Some(team)).await
}

/// Brings the already registered `person` into `org` with `role` (and into
/// `team` if one is named), invited by `inviter`; asserts the acceptance
/// answered 200.
pub async fn enter(
    app: &TestApp,
    inviter: &str,
    org: &str,
    person: &Session,
    role: &str,
    team: Option<&str>,
) {
    let code = invite(app, inviter, org, role, team).await;
    assert_status(&accept(app, &person.access, &code).await, 200);
}

/// Creates a team called `name` in `org` as `token`'s person; its id.
pub async fn create_team(app: &TestApp, token: &str, org: &str, name: &str) -> String {
    let reply = app
        .post(&org_teams_path(org), Some(token), &json!({"name": name}))
        .await;
    assert_status(&reply, 201);
    reply.json()["id"].as_str().expect("team id").to_owned()
}

/// `token`'s person puts `user` into `team` with `role` (`member` or
/// `lead`); the answer, whatever it is.
pub async fn put_member(app: &TestApp, token: &str, team: &str, user: &str, role: &str) -> Reply {
    app.call(
        Method::PUT,
        &team_member_path(team, user),
        Some(token),
        Some(&json!({"role": role})),
    )
    .await
}

/// `token`'s person puts `user` into `team` as a plain member, asserting it
/// was accepted (200, or 201 for a new member).
pub async fn add_member(app: &TestApp, token: &str, team: &str, user: &str) {
    let reply = put_member(app, token, team, user, "member").await;
    assert!(reply.status.is_success(), "{}", reply.text);
}

/// `(user id, role)` of each member the list `reply` answered, asserting
/// 200, sorted by user id.
pub fn member_pairs(reply: &Reply) -> Vec<(String, String)> {
    assert_status(reply, 200);
    let list = reply.json()["items"].clone();
    let pairs = strings_in(&list, "user_id")
        .into_iter()
        .zip(strings_in(&list, "role"))
        .collect();
    sorted(pairs)
}

/// `(user id, role)` of `session`, as a member list shows it.
pub fn pair(session: &Session, role: &str) -> (String, String) {
    (session.user_id.clone(), role.to_owned())
}

/// `pairs`, sorted, to compare with a member list sorted by user id.
pub fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

/// An organisation (Acme, Europe/London) with a team (Support) and the
/// people around it, for the tests of who may do what to a team.
pub struct TeamCast {
    pub owner: Session,
    pub org: String,
    pub team: String,
    /// An admin and an hr person of the organisation, in no team.
    pub admin: Session,
    pub hr: Session,
    /// The team's lead and one of its members.
    pub lead: Session,
    pub member: Session,
    /// A member of the organisation in another of its teams (Sales).
    pub colleague: Session,
    /// The owner of another organisation (Elsewhere) and lead of its team.
    pub stranger: Session,
    pub elsewhere_team: String,
}

/// Sets up a [`TeamCast`], asserting every step.
pub async fn team_cast(app: &TestApp) -> TeamCast {
    let (owner, org) = owned_org(app, "owner@example.com", "Acme").await;
    let team = create_team(app, &owner.access, &org, "Support").await;
    let other_team = create_team(app, &owner.access, &org, "Sales").await;
    let admin = join(app, &owner.access, &org, "admin@example.com", "admin", None).await;
    let hr = join(app, &owner.access, &org, "hr@example.com", "hr", None).await;
    let lead = join(app, &owner.access, &org, "lead@example.com", "member", None).await;
    assert_status(
        &put_member(app, &owner.access, &team, &lead.user_id, "lead").await,
        200,
    );
    let member = join_team(app, &owner.access, &org, &team, "member@example.com").await;
    let colleague = join_team(
        app,
        &owner.access,
        &org,
        &other_team,
        "colleague@example.com",
    )
    .await;
    let (stranger, elsewhere) = owned_org(app, "stranger@example.com", "Elsewhere").await;
    let elsewhere_team = create_team(app, &stranger.access, &elsewhere, "Theirs").await;
    let lead_elsewhere = put_member(
        app,
        &stranger.access,
        &elsewhere_team,
        &stranger.user_id,
        "lead",
    )
    .await;
    assert_status(&lead_elsewhere, 200);
    TeamCast {
        owner,
        org,
        team,
        admin,
        hr,
        lead,
        member,
        colleague,
        stranger,
        elsewhere_team,
    }
}
