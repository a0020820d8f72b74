//! Teams within an organisation and their members: creating, reading,
//! changing and deleting teams, who may do each (the team permission table,
//! which also covers posting and reading acts, the streak and progress),
//! team membership, invitations that name a team, and leaving the
//! organisation taking a person out of its teams.

use chrono::Duration;
use poem::http::Method;
use serde_json::{Value, json};

use crate::{db_test, support::*};

/// The team's members as `(user_id, role)`, as `viewer` sees them.
async fn members(app: &TestApp, viewer: &str, team: &str) -> Vec<(String, String)> {
    member_pairs(&app.get(&team_members_path(team), Some(viewer)).await)
}

/// Everything a refused attempt must leave alone: the team as its
/// organisation's owner sees it, its members, and the row counts.
async fn snapshot(app: &TestApp, owner: &str, team: &str) -> Value {
    let read = app.get(&team_path(team), Some(owner)).await;
    let listed = app.get(&team_members_path(team), Some(owner)).await;
    json!({
        "team": [read.status.as_u16(), read.text],
        "members": [listed.status.as_u16(), listed.text],
        "teams": app.count("teams").await,
        "team_members": app.count("team_members").await,
        "acts": app.count("acts").await,
        "challenges": app.count("challenges").await,
    })
}

db_test! {
    async fn creating_a_team_answers_201_with_its_location_and_the_defaults(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let reply = app
            .post(&org_teams_path(&org), Some(&owner.access), &json!({"name": "  Support  "}))
            .await;
        assert_status(&reply, 201);
        let team = reply.json();
        let id = team["id"].as_str().expect("id");
        assert_eq!(reply.header("location"), Some(team_path(id).as_str()));
        assert_eq!(team["org_id"], org.as_str());
        assert_eq!(team["name"], "Support");
        assert_eq!(team["daily_act_threshold"], 1);
        assert_eq!(team["weekly_goal"], Value::Null);
        assert_eq!(team["created_at"], "2026-11-27T09:30:00Z");
        assert_eq!(team["updated_at"], "2026-11-27T09:30:00Z");
        let read = app.get(&team_path(id), Some(&owner.access)).await;
        assert_status(&read, 200);
        assert_eq!(read.json(), team);

        let reply = app
            .post(
                &org_teams_path(&org),
                Some(&owner.access),
                &json!({"name": "x".repeat(100), "daily_act_threshold": 100, "weekly_goal": 10000}),
            )
            .await;
        assert_status(&reply, 201);
        let team = reply.json();
        assert_eq!(team["name"], "x".repeat(100));
        assert_eq!(team["daily_act_threshold"], 100);
        assert_eq!(team["weekly_goal"], 10000);
        assert_eq!(app.count("teams").await, 2);
        assert_eq!(app.count("team_members").await, 0, "creating a team adds nobody to it");
    }
}

db_test! {
    async fn creating_a_team_with_invalid_fields_is_a_422_naming_each_and_writes_nothing(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let cases: [(Value, &[&str], &str); 9] = [
            (json!({"name": ""}), &["name"], "an empty name"),
            (json!({"name": "   "}), &["name"], "a blank name"),
            (json!({"name": "x".repeat(101)}), &["name"], "a 101-character name"),
            (json!({"name": "Support", "daily_act_threshold": 0}), &["daily_act_threshold"], "threshold 0"),
            (json!({"name": "Support", "daily_act_threshold": 101}), &["daily_act_threshold"], "threshold 101"),
            (json!({"name": "Support", "weekly_goal": 0}), &["weekly_goal"], "weekly goal 0"),
            (json!({"name": "Support", "weekly_goal": 10001}), &["weekly_goal"], "weekly goal 10001"),
            (json!({"name": "Support", "weekly_goal": -5}), &["weekly_goal"], "a negative weekly goal"),
            (
                json!({"name": "", "daily_act_threshold": 0, "weekly_goal": 10001}),
                &["daily_act_threshold", "name", "weekly_goal"],
                "everything wrong",
            ),
        ];
        for (body, fields, why) in cases {
            let reply = app.post(&org_teams_path(&org), Some(&owner.access), &body).await;
            assert_eq!(invalid_fields(&reply), fields, "{why}");
            assert_eq!(app.count("teams").await, 0, "{why} wrote a team");
        }
    }
}

db_test! {
    async fn changing_a_team_with_invalid_fields_is_a_422_naming_each_and_changes_nothing(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let before = app.get(&team_path(&team), Some(&owner.access)).await.json();
        let cases: [(Value, &[&str]); 6] = [
            (json!({"name": " "}), &["name"]),
            (json!({"name": "x".repeat(101)}), &["name"]),
            (json!({"daily_act_threshold": 0}), &["daily_act_threshold"]),
            (json!({"daily_act_threshold": 101}), &["daily_act_threshold"]),
            (json!({"weekly_goal": 0}), &["weekly_goal"]),
            (
                json!({"name": "", "daily_act_threshold": 101, "weekly_goal": 10001}),
                &["daily_act_threshold", "name", "weekly_goal"],
            ),
        ];
        for (body, fields) in cases {
            let reply = app.patch(&team_path(&team), Some(&owner.access), &body).await;
            assert_eq!(invalid_fields(&reply), fields, "{body}");
            let after = app.get(&team_path(&team), Some(&owner.access)).await.json();
            assert_eq!(after, before, "{body} changed the team");
        }
    }
}

db_test! {
    async fn members_of_the_organisation_list_all_its_teams_and_outsiders_get_404(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let first = create_team(&app, &owner.access, &org, "Support").await;
        app.clock.advance(Duration::seconds(1));
        let second = create_team(&app, &owner.access, &org, "Sales").await;
        // A member of neither team, and a member of one of them, see both.
        let loner = join(&app, &owner.access, &org, "loner@example.com", "member", None).await;
        let seller =
            join_team(&app, &owner.access, &org, &second, "seller@example.com").await;
        let hr = join(&app, &owner.access, &org, "hr@example.com", "hr", None).await;
        // Another organisation's teams never show.
        let (stranger, elsewhere) = owned_org(&app, "stranger@example.com", "Elsewhere").await;
        create_team(&app, &stranger.access, &elsewhere, "Theirs").await;
        for viewer in [&owner, &loner, &seller, &hr] {
            let reply = app.get(&org_teams_path(&org), Some(&viewer.access)).await;
            assert_status(&reply, 200);
            let body = reply.json();
            let ids: Vec<&str> = body["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|team| team["id"].as_str().expect("id"))
                .collect();
            assert_eq!(ids, [first.as_str(), second.as_str()], "as {}", viewer.email);
            assert_eq!(body["items"][1]["name"], "Sales");
        }
        app.get(&org_teams_path(&org), Some(&stranger.access))
            .await
            .assert_problem(404, "not_found");
        app.get(&org_teams_path(&uuid::Uuid::now_v7().to_string()), Some(&owner.access))
            .await
            .assert_problem(404, "not_found");
        app.get(&org_teams_path(&org), None)
            .await
            .assert_problem(401, "unauthorized");
    }
}

db_test! {
    async fn a_team_can_be_read_and_changed_and_a_null_weekly_goal_clears_it(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let member = join(&app, &owner.access, &org, "member@example.com", "member", None).await;
        let team = create_team(&app, &owner.access, &org, "Support").await;

        let read = app.get(&team_path(&team), Some(&member.access)).await;
        assert_status(&read, 200);
        assert_eq!(read.json()["name"], "Support");
        app.get(&team_path(&uuid::Uuid::now_v7().to_string()), Some(&owner.access))
            .await
            .assert_problem(404, "not_found");

        app.clock.advance(Duration::minutes(5));
        let reply = app
            .patch(
                &team_path(&team),
                Some(&owner.access),
                &json!({"name": " Care ", "daily_act_threshold": 3, "weekly_goal": 20}),
            )
            .await;
        assert_status(&reply, 200);
        let changed = reply.json();
        assert_eq!(changed["name"], "Care");
        assert_eq!(changed["daily_act_threshold"], 3);
        assert_eq!(changed["weekly_goal"], 20);
        assert_eq!(changed["created_at"], "2026-11-27T09:30:00Z");
        assert_eq!(changed["updated_at"], "2026-11-27T09:35:00Z");
        assert_eq!(app.get(&team_path(&team), Some(&member.access)).await.json(), changed);

        // Fields left out stay as they are.
        let reply = app
            .patch(&team_path(&team), Some(&owner.access), &json!({"daily_act_threshold": 2}))
            .await;
        assert_status(&reply, 200);
        let body = reply.json();
        assert_eq!(body["name"], "Care");
        assert_eq!(body["daily_act_threshold"], 2);
        assert_eq!(body["weekly_goal"], 20);

        // `null` clears the weekly goal and nothing else.
        let reply = app
            .patch(&team_path(&team), Some(&owner.access), &json!({"weekly_goal": null}))
            .await;
        assert_status(&reply, 200);
        let body = reply.json();
        assert_eq!(body["weekly_goal"], Value::Null);
        assert_eq!(body["name"], "Care");
        assert_eq!(body["daily_act_threshold"], 2);
        let read = app.get(&team_path(&team), Some(&owner.access)).await.json();
        assert_eq!(read["weekly_goal"], Value::Null);
        assert_eq!(read, body);

        // An empty change changes nothing.
        let reply = app.patch(&team_path(&team), Some(&owner.access), &json!({})).await;
        assert_status(&reply, 200);
        assert_eq!(reply.json()["name"], "Care");
        assert_eq!(reply.json()["weekly_goal"], Value::Null);
    }
}

db_test! {
    async fn deleting_a_team_answers_204_then_404_and_its_memberships_go_with_it(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let doomed = create_team(&app, &owner.access, &org, "Doomed").await;
        let kept = create_team(&app, &owner.access, &org, "Kept").await;
        let ana = join_team(&app, &owner.access, &org, &doomed, "ana@example.com").await;
        let bo = join_team(&app, &owner.access, &org, &doomed, "bo@example.com").await;
        assert_status(&put_member(&app, &owner.access, &kept, &ana.user_id, "lead").await, 200);
        assert_eq!(app.count("team_members").await, 3);

        let reply = app.call(Method::DELETE, &team_path(&doomed), Some(&owner.access), None).await;
        assert_status(&reply, 204);
        assert!(reply.text.is_empty(), "{}", reply.text);
        app.get(&team_path(&doomed), Some(&owner.access))
            .await
            .assert_problem(404, "not_found");
        app.get(&team_members_path(&doomed), Some(&owner.access))
            .await
            .assert_problem(404, "not_found");
        app.call(Method::DELETE, &team_path(&doomed), Some(&owner.access), None)
            .await
            .assert_problem(404, "not_found");
        assert_eq!(app.count("teams").await, 1);
        assert_eq!(app.count("team_members").await, 1, "the deleted team's members went");
        assert_eq!(members(&app, &owner.access, &kept).await, [pair(&ana, "lead")]);
        let listed = app.get(&org_teams_path(&org), Some(&bo.access)).await.json();
        assert_eq!(listed["items"].as_array().expect("items").len(), 1);
        assert_eq!(listed["items"][0]["id"], kept.as_str());
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// 2xx, and the action took effect.
    Allowed,
    /// 403 `forbidden`: in the organisation, but the role lacks it.
    Forbidden,
    /// 404 `not_found`: outside the organisation, or a read of what the
    /// role may not see.
    Hidden,
    /// 401: no credentials.
    Anonymous,
}

use Want::{Allowed as A, Anonymous as N, Forbidden as F, Hidden as H};

const CALLERS: [&str; 8] = [
    "owner",
    "admin",
    "hr",
    "lead of the team",
    "member of the team",
    "member of another team",
    "person of another organisation",
    "nobody",
];

/// Who gets what, caller by caller in the order of [`CALLERS`].
const TEAM_TABLE: [(&str, [Want; 8]); 14] = [
    ("POST /v1/orgs/{org}/teams", [A, A, F, F, F, F, H, N]),
    ("GET /v1/orgs/{org}/teams", [A, A, A, A, A, A, H, N]),
    ("GET /v1/teams/{team}", [A, A, A, A, A, A, H, N]),
    ("PATCH /v1/teams/{team}", [A, A, F, A, F, F, H, N]),
    ("DELETE /v1/teams/{team}", [A, A, F, F, F, F, H, N]),
    ("GET /v1/teams/{team}/members", [A, A, A, A, A, A, H, N]),
    (
        "PUT /v1/teams/{team}/members/{user}",
        [A, A, F, A, F, F, H, N],
    ),
    (
        "DELETE /v1/teams/{team}/members/{another}",
        [A, A, F, A, F, F, H, N],
    ),
    // Acts, and the streak and progress counted from them, stay inside the
    // team, whatever the organisation role.
    ("POST /v1/teams/{team}/acts", [F, F, F, A, A, F, H, N]),
    ("GET /v1/teams/{team}/acts", [H, H, H, A, A, H, H, N]),
    ("GET /v1/teams/{team}/streak", [H, H, H, A, A, H, H, N]),
    ("GET /v1/teams/{team}/progress", [H, H, H, A, A, H, H, N]),
    // So do the team's challenges, which count its acts; setting one is
    // the organisation's.
    ("GET /v1/challenges/{team's}", [H, H, H, A, A, H, H, N]),
    (
        "POST /v1/orgs/{org}/challenges {team}",
        [A, A, F, F, F, F, H, N],
    ),
];

/// A fresh team of `org` with `lead` as its lead and `member` and `victim`
/// as its members.
async fn staffed_team(
    app: &TestApp,
    owner: &str,
    org: &str,
    lead: &Session,
    member: &Session,
    victim: &Session,
) -> String {
    let team = create_team(app, owner, org, "Fresh").await;
    assert_status(
        &put_member(app, owner, &team, &lead.user_id, "lead").await,
        200,
    );
    assert_status(
        &put_member(app, owner, &team, &member.user_id, "member").await,
        200,
    );
    assert_status(
        &put_member(app, owner, &team, &victim.user_id, "member").await,
        200,
    );
    team
}

/// Asserts `reply` is a 201 and that `table` holds one row more than the
/// `before` [`snapshot`] counted.
async fn assert_created(app: &TestApp, reply: &Reply, before: &Value, table: &str, why: &str) {
    assert_eq!(reply.status.as_u16(), 201, "{why}");
    let expected = before[table].as_i64().expect("a count") + 1;
    assert_eq!(app.count(table).await, expected, "{why}");
}

/// Asserts `challenges` holds the challenge `id`.
fn assert_lists_challenge(challenges: &Value, id: &str, why: &str) {
    assert!(
        strings_in(challenges, "id")
            .iter()
            .any(|listed| listed == id),
        "{why}: {challenges}"
    );
}

/// Asserts the list `reply` holds has an item whose `key` is `value`.
fn assert_lists(reply: &Reply, key: &str, value: &str, why: &str) {
    let items = reply.json()["items"].clone();
    let found = items
        .as_array()
        .expect("items")
        .iter()
        .any(|item| item[key] == value);
    assert!(found, "{why}: no {key} {value} in {items}");
}

db_test! {
    async fn every_caller_gets_what_the_team_permission_table_says_and_refusals_change_nothing(app: TestApp) {
        let TeamCast { owner, org, team, admin, hr, lead, member, colleague, stranger, .. } = team_cast(&app).await;
        let victim = join_team(&app, &owner.access, &org, &team, "victim@example.com").await;
        let newcomer = join(&app, &owner.access, &org, "newcomer@example.com", "member", None).await;
        let act = json!({"kind": "act", "category": "help", "message": "Covered a shift"});
        assert_status(&app.post(&team_acts_path(&team), Some(&member.access), &act).await, 201);
        let challenge = json!({"title": "Kind week", "metric": "acts", "target": 5,
                               "starts_on": "2026-11-27", "ends_on": "2026-12-03", "team_id": team});
        let set = app.post(&format!("/v1/orgs/{org}/challenges"), Some(&owner.access), &challenge).await;
        assert_status(&set, 201);
        let challenge_id = id_of(&set.json());

        let tokens: [Option<&str>; 8] = [
            Some(&owner.access),
            Some(&admin.access),
            Some(&hr.access),
            Some(&lead.access),
            Some(&member.access),
            Some(&colleague.access),
            Some(&stranger.access),
            None,
        ];
        for (operation, wants) in TEAM_TABLE {
            for ((caller, token), want) in CALLERS.into_iter().zip(tokens).zip(wants) {
                let why = format!("{caller}: {operation}");
                // Destructive operations get a fresh team each, staffed the
                // same way; the others work on the one team.
                let target = match operation {
                    "PATCH /v1/teams/{team}"
                    | "DELETE /v1/teams/{team}"
                    | "PUT /v1/teams/{team}/members/{user}"
                    | "DELETE /v1/teams/{team}/members/{another}" => {
                        staffed_team(&app, &owner.access, &org, &lead, &member, &victim).await
                    }
                    _ => team.clone(),
                };
                let before = snapshot(&app, &owner.access, &target).await;
                let reply = match operation {
                    "POST /v1/orgs/{org}/teams" => {
                        app.post(&org_teams_path(&org), token, &json!({"name": "New"})).await
                    }
                    "GET /v1/orgs/{org}/teams" => app.get(&org_teams_path(&org), token).await,
                    "GET /v1/teams/{team}" => app.get(&team_path(&target), token).await,
                    "PATCH /v1/teams/{team}" => {
                        app.patch(&team_path(&target), token, &json!({"name": "Renamed", "weekly_goal": 7}))
                            .await
                    }
                    "DELETE /v1/teams/{team}" => {
                        app.call(Method::DELETE, &team_path(&target), token, None).await
                    }
                    "GET /v1/teams/{team}/members" => {
                        app.get(&team_members_path(&target), token).await
                    }
                    "PUT /v1/teams/{team}/members/{user}" => {
                        app.call(
                            Method::PUT,
                            &team_member_path(&target, &newcomer.user_id),
                            token,
                            Some(&json!({"role": "lead"})),
                        )
                        .await
                    }
                    "DELETE /v1/teams/{team}/members/{another}" => {
                        app.call(
                            Method::DELETE,
                            &team_member_path(&target, &victim.user_id),
                            token,
                            None,
                        )
                        .await
                    }
                    "POST /v1/teams/{team}/acts" => {
                        app.post(&team_acts_path(&target), token, &act).await
                    }
                    "GET /v1/teams/{team}/acts" => app.get(&team_acts_path(&target), token).await,
                    "GET /v1/teams/{team}/streak" => {
                        app.get(&format!("{}/streak", team_path(&target)), token).await
                    }
                    "GET /v1/teams/{team}/progress" => {
                        app.get(&format!("{}/progress", team_path(&target)), token).await
                    }
                    "GET /v1/challenges/{team's}" => {
                        app.get(&format!("/v1/challenges/{challenge_id}"), token).await
                    }
                    "POST /v1/orgs/{org}/challenges {team}" => {
                        app.post(&format!("/v1/orgs/{org}/challenges"), token, &challenge).await
                    }
                    _ => unreachable!("{operation}"),
                };
                let (status, code) = match want {
                    Want::Allowed => {
                        assert!(reply.status.is_success(), "{why}: {} {}", reply.status, reply.text);
                        match operation {
                            "POST /v1/orgs/{org}/teams" => assert_created(&app, &reply, &before, "teams", &why).await,
                            "GET /v1/orgs/{org}/teams" => assert_lists(&reply, "id", team.as_str(), &why),
                            "GET /v1/teams/{team}" => {
                                assert_eq!(reply.json()["id"], team.as_str(), "{why}");
                            }
                            "PATCH /v1/teams/{team}" => {
                                let read = app.get(&team_path(&target), Some(&owner.access)).await.json();
                                assert_has(&read, &json!({"name": "Renamed", "weekly_goal": 7}), &why);
                            }
                            "DELETE /v1/teams/{team}" => {
                                assert_eq!(reply.status.as_u16(), 204, "{why}");
                                app.get(&team_path(&target), Some(&owner.access))
                                    .await
                                    .assert_problem(404, "not_found");
                            }
                            "GET /v1/teams/{team}/members" => {
                                assert_eq!(reply.json()["items"].as_array().expect("items").len(), 3, "{why}");
                            }
                            "PUT /v1/teams/{team}/members/{user}" => {
                                assert_eq!(reply.json()["role"], "lead", "{why}");
                                let now = members(&app, &owner.access, &target).await;
                                assert!(now.contains(&pair(&newcomer, "lead")), "{why}: {now:?}");
                            }
                            "DELETE /v1/teams/{team}/members/{another}" => {
                                assert_eq!(reply.status.as_u16(), 204, "{why}");
                                let left = sorted(vec![pair(&lead, "lead"), pair(&member, "member")]);
                                assert_eq!(members(&app, &owner.access, &target).await, left, "{why}");
                            }
                            "POST /v1/teams/{team}/acts" => assert_created(&app, &reply, &before, "acts", &why).await,
                            "GET /v1/teams/{team}/acts" => assert_lists(&reply, "message", "Covered a shift", &why),
                            "GET /v1/teams/{team}/streak" => {
                                assert_eq!(reply.json()["current"], 1, "{why}");
                            }
                            "GET /v1/teams/{team}/progress" => {
                                assert!(reply.json()["acts"].as_u64().expect("acts") >= 1, "{why}");
                                assert_lists_challenge(&reply.json()["challenges"], &challenge_id, &why);
                            }
                            "GET /v1/challenges/{team's}" => {
                                let count = reply.json()["progress"]["count"].as_u64().expect("count");
                                assert!(count >= 1, "{why}: {}", reply.text);
                            }
                            "POST /v1/orgs/{org}/challenges {team}" => {
                                assert_created(&app, &reply, &before, "challenges", &why).await;
                            }
                            _ => unreachable!(),
                        }
                        continue;
                    }
                    Want::Forbidden => (403, "forbidden"),
                    Want::Hidden => (404, "not_found"),
                    Want::Anonymous => (401, "unauthorized"),
                };
                assert_eq!(reply.status.as_u16(), status, "{why}: {}", reply.text);
                reply.assert_problem(status, code);
                let after = snapshot(&app, &owner.access, &target).await;
                assert_eq!(after, before, "{why} changed something");
            }
        }
    }
}

db_test! {
    async fn putting_an_org_member_into_a_team_adds_them_and_putting_again_changes_their_role(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let ana = join(&app, &owner.access, &org, "ana@example.com", "member", None).await;
        assert!(members(&app, &owner.access, &team).await.is_empty());

        app.clock.advance(Duration::minutes(1));
        let reply = put_member(&app, &owner.access, &team, &ana.user_id, "member").await;
        assert_status(&reply, 200);
        let body = reply.json();
        assert_eq!(body["user_id"], ana.user_id.as_str());
        assert_eq!(body["role"], "member");
        assert_eq!(body["display_name"], "Ana");
        assert_eq!(body["joined_at"], "2026-11-27T09:31:00Z");
        assert_eq!(members(&app, &ana.access, &team).await, [pair(&ana, "member")]);

        app.clock.advance(Duration::minutes(1));
        let reply = put_member(&app, &owner.access, &team, &ana.user_id, "lead").await;
        assert_status(&reply, 200);
        assert_eq!(reply.json()["role"], "lead");
        assert_eq!(reply.json()["joined_at"], "2026-11-27T09:31:00Z", "still joined when first added");
        assert_eq!(members(&app, &ana.access, &team).await, [pair(&ana, "lead")]);
        assert_eq!(app.count("team_members").await, 1);

        // The same role again changes nothing.
        let reply = put_member(&app, &owner.access, &team, &ana.user_id, "lead").await;
        assert_status(&reply, 200);
        assert_eq!(reply.json()["role"], "lead");
        assert_eq!(app.count("team_members").await, 1);

        let listed = app.get(&team_members_path(&team), Some(&ana.access)).await.json();
        assert_eq!(listed["items"][0]["display_name"], "Ana");
        assert_eq!(listed["items"][0]["joined_at"], "2026-11-27T09:31:00Z");

        // An unknown team role is a 422.
        let reply = put_member(&app, &owner.access, &team, &ana.user_id, "boss").await;
        assert_status(&reply, 422);
        assert_eq!(members(&app, &ana.access, &team).await, [pair(&ana, "lead")]);
    }
}

db_test! {
    async fn putting_someone_outside_the_organisation_into_a_team_is_404_and_writes_nothing(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let stranger = app.register("stranger@example.com").await;
        create_org(&app, &stranger.access, "Elsewhere", "Europe/London").await;
        for user in [stranger.user_id.clone(), uuid::Uuid::now_v7().to_string()] {
            put_member(&app, &owner.access, &team, &user, "member")
                .await
                .assert_problem(404, "not_found");
            put_member(&app, &owner.access, &team, &user, "lead")
                .await
                .assert_problem(404, "not_found");
        }
        assert_eq!(app.count("team_members").await, 0);
        assert!(members(&app, &owner.access, &team).await.is_empty());
        // Nor can the outsider see the team now.
        app.get(&team_path(&team), Some(&stranger.access))
            .await
            .assert_problem(404, "not_found");
    }
}

db_test! {
    async fn a_member_may_leave_a_team_without_permission_to_manage_it(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let ana = join_team(&app, &owner.access, &org, &team, "ana@example.com").await;
        let bo = join(&app, &owner.access, &org, "bo@example.com", "hr", Some(&team)).await;
        assert_eq!(
            members(&app, &owner.access, &team).await,
            sorted(vec![pair(&ana, "member"), pair(&bo, "member")])
        );
        // Neither may manage the team's members ...
        app.call(Method::DELETE, &team_member_path(&team, &bo.user_id), Some(&ana.access), None)
            .await
            .assert_problem(403, "forbidden");
        // ... but each may leave.
        for (leaver, stays) in [(&ana, &bo), (&bo, &owner)] {
            let reply = app
                .call(Method::DELETE, &team_member_path(&team, &leaver.user_id), Some(&leaver.access), None)
                .await;
            assert_status(&reply, 204);
            let left = members(&app, &stays.access, &team).await;
            assert!(
                !left.iter().any(|(user, _)| *user == leaver.user_id),
                "{} still listed: {left:?}",
                leaver.email
            );
            // Still in the organisation: the team is still theirs to see.
            assert_status(&app.get(&team_path(&team), Some(&leaver.access)).await, 200);
            // Leaving twice: no longer a member.
            app.call(Method::DELETE, &team_member_path(&team, &leaver.user_id), Some(&leaver.access), None)
                .await
                .assert_problem(404, "not_found");
        }
        assert_eq!(app.count("team_members").await, 0);
        assert_eq!(app.count("org_members").await, 3);
    }
}

db_test! {
    async fn a_lead_may_remove_a_member_and_promote_someone_to_lead(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let lead = join_team(&app, &owner.access, &org, &team, "lead@example.com").await;
        let ana = join_team(&app, &owner.access, &org, &team, "ana@example.com").await;
        let bo = join_team(&app, &owner.access, &org, &team, "bo@example.com").await;
        let cy = join(&app, &owner.access, &org, "cy@example.com", "member", None).await;
        assert_status(&put_member(&app, &owner.access, &team, &lead.user_id, "lead").await, 200);

        // Before being promoted, Ana may not manage the team.
        put_member(&app, &ana.access, &team, &cy.user_id, "member")
            .await
            .assert_problem(403, "forbidden");

        let reply = put_member(&app, &lead.access, &team, &ana.user_id, "lead").await;
        assert_status(&reply, 200);
        assert_eq!(reply.json()["role"], "lead");
        let reply = app
            .call(Method::DELETE, &team_member_path(&team, &bo.user_id), Some(&lead.access), None)
            .await;
        assert_status(&reply, 204);
        assert_eq!(
            members(&app, &owner.access, &team).await,
            sorted(vec![pair(&lead, "lead"), pair(&ana, "lead")])
        );
        // The lead also adds org members.
        assert_status(&put_member(&app, &lead.access, &team, &cy.user_id, "member").await, 200);

        // The promoted lead now runs the team too ...
        assert_status(&put_member(&app, &ana.access, &team, &bo.user_id, "member").await, 200);
        let reply = app
            .patch(&team_path(&team), Some(&ana.access), &json!({"weekly_goal": 12}))
            .await;
        assert_status(&reply, 200);
        assert_eq!(reply.json()["weekly_goal"], 12);
        // ... but no lead deletes the team.
        app.call(Method::DELETE, &team_path(&team), Some(&ana.access), None)
            .await
            .assert_problem(403, "forbidden");
        assert_eq!(
            members(&app, &owner.access, &team).await,
            sorted(vec![
                pair(&lead, "lead"),
                pair(&ana, "lead"),
                pair(&bo, "member"),
                pair(&cy, "member"),
            ])
        );
        // A lead of one team has no say over another.
        let sales = create_team(&app, &owner.access, &org, "Sales").await;
        put_member(&app, &lead.access, &sales, &cy.user_id, "member")
            .await
            .assert_problem(403, "forbidden");
        app.patch(&team_path(&sales), Some(&lead.access), &json!({"name": "Mine"}))
            .await
            .assert_problem(403, "forbidden");
        assert!(members(&app, &owner.access, &sales).await.is_empty());
    }
}

db_test! {
    async fn accepting_an_invitation_with_a_team_joins_the_organisation_and_the_team(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let other_team = create_team(&app, &owner.access, &org, "Sales").await;
        let ana = app.register("ana@example.com").await;
        let code = invite(&app, &owner.access, &org, "hr", Some(&team)).await;
        let reply = accept(&app, &ana.access, &code).await;
        assert_status(&reply, 200);
        assert_eq!(reply.json()["id"], org.as_str());
        assert_eq!(reply.json()["role"], "hr");
        assert_eq!(members(&app, &ana.access, &team).await, [pair(&ana, "member")]);
        assert_eq!(members(&app, &owner.access, &team).await, [pair(&ana, "member")]);
        assert!(members(&app, &owner.access, &other_team).await.is_empty());
        let listed = app.get(&team_members_path(&team), Some(&owner.access)).await.json();
        assert_eq!(listed["items"][0]["display_name"], "Ana");
        assert_eq!(listed["items"][0]["joined_at"], "2026-11-27T09:30:00Z");
        // An invitation without a team joins no team.
        let bo = join(&app, &owner.access, &org, "bo@example.com", "member", None).await;
        assert_eq!(members(&app, &owner.access, &team).await, [pair(&ana, "member")]);
        assert_status(&app.get(&org_teams_path(&org), Some(&bo.access)).await, 200);
        assert_eq!(app.count("team_members").await, 1);
    }
}

db_test! {
    async fn an_invitation_naming_a_team_of_another_organisation_is_a_422_on_team_id(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        create_team(&app, &owner.access, &org, "Support").await;
        let (stranger, elsewhere) = owned_org(&app, "stranger@example.com", "Elsewhere").await;
        let theirs = create_team(&app, &stranger.access, &elsewhere, "Theirs").await;
        for team in [theirs.clone(), uuid::Uuid::now_v7().to_string()] {
            let reply = app
                .post(
                    &format!("/v1/orgs/{org}/invitations"),
                    Some(&owner.access),
                    &json!({"role": "member", "team_id": team}),
                )
                .await;
            assert_eq!(invalid_fields(&reply), ["team_id"], "{team}");
        }
        assert_eq!(app.count("invitations").await, 0);
        // Their own organisation may invite into it.
        invite(&app, &stranger.access, &elsewhere, "member", Some(&theirs)).await;
        assert_eq!(app.count("invitations").await, 1);
    }
}

db_test! {
    async fn an_org_member_accepting_a_team_invitation_joins_the_team_without_using_it_up(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let ana = join(&app, &owner.access, &org, "ana@example.com", "member", None).await;
        // One use, granting admin, into the team.
        let code = invite(&app, &owner.access, &org, "admin", Some(&team)).await;

        let reply = accept(&app, &ana.access, &code).await;
        assert_status(&reply, 200);
        assert_eq!(reply.json()["role"], "member", "keeps her role");
        assert_eq!(members(&app, &owner.access, &team).await, [pair(&ana, "member")]);
        // Still a plain member: she may not create teams.
        app.post(&org_teams_path(&org), Some(&ana.access), &json!({"name": "Mine"}))
            .await
            .assert_problem(403, "forbidden");
        // Accepting again changes nothing.
        assert_status(&accept(&app, &ana.access, &code).await, 200);
        assert_eq!(members(&app, &owner.access, &team).await, [pair(&ana, "member")]);

        // The one use is still there for a newcomer ...
        let bo = app.register("bo@example.com").await;
        let reply = accept(&app, &bo.access, &code).await;
        assert_status(&reply, 200);
        assert_eq!(reply.json()["role"], "admin");
        assert_eq!(
            members(&app, &owner.access, &team).await,
            sorted(vec![pair(&ana, "member"), pair(&bo, "member")])
        );
        // ... and now it is used up.
        let cy = app.register("cy@example.com").await;
        accept(&app, &cy.access, &code)
            .await
            .assert_problem(404, "not_found");
        assert_eq!(app.count("team_members").await, 2);
    }
}

db_test! {
    async fn an_org_member_accepting_a_team_invitation_keeps_a_lead_role_they_already_have(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let ana = join_team(&app, &owner.access, &org, &team, "ana@example.com").await;
        assert_status(&put_member(&app, &owner.access, &team, &ana.user_id, "lead").await, 200);
        let code = invite(&app, &owner.access, &org, "member", Some(&team)).await;
        assert_status(&accept(&app, &ana.access, &code).await, 200);
        assert_eq!(members(&app, &owner.access, &team).await, [pair(&ana, "lead")]);
    }
}

db_test! {
    async fn leaving_the_organisation_takes_a_person_out_of_its_teams(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let support = create_team(&app, &owner.access, &org, "Support").await;
        let sales = create_team(&app, &owner.access, &org, "Sales").await;
        let ana = join_team(&app, &owner.access, &org, &support, "ana@example.com").await;
        let bo = join_team(&app, &owner.access, &org, &support, "bo@example.com").await;
        assert_status(&put_member(&app, &owner.access, &sales, &ana.user_id, "lead").await, 200);
        // Ana also belongs to another organisation's team, which she keeps.
        let (other_owner, elsewhere) = owned_org(&app, "other@example.com", "Elsewhere").await;
        let theirs = create_team(&app, &other_owner.access, &elsewhere, "Theirs").await;
        let code = invite(&app, &other_owner.access, &elsewhere, "member", Some(&theirs)).await;
        assert_status(&accept(&app, &ana.access, &code).await, 200);

        let reply = app
            .call(Method::DELETE, &format!("/v1/orgs/{org}/members/{}", ana.user_id), Some(&ana.access), None)
            .await;
        assert_status(&reply, 204);
        assert_eq!(members(&app, &owner.access, &support).await, [pair(&bo, "member")]);
        assert!(members(&app, &owner.access, &sales).await.is_empty());
        assert_eq!(members(&app, &other_owner.access, &theirs).await, [pair(&ana, "member")]);
        assert_eq!(app.count("team_members").await, 2);
        app.get(&team_path(&support), Some(&ana.access))
            .await
            .assert_problem(404, "not_found");
    }
}

db_test! {
    async fn being_removed_from_the_organisation_takes_a_person_out_of_its_teams(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let support = create_team(&app, &owner.access, &org, "Support").await;
        let sales = create_team(&app, &owner.access, &org, "Sales").await;
        let admin = join(&app, &owner.access, &org, "admin@example.com", "admin", None).await;
        let ana = join_team(&app, &owner.access, &org, &support, "ana@example.com").await;
        let bo = join_team(&app, &owner.access, &org, &sales, "bo@example.com").await;
        assert_status(&put_member(&app, &owner.access, &sales, &ana.user_id, "lead").await, 200);

        let reply = app
            .call(Method::DELETE, &format!("/v1/orgs/{org}/members/{}", ana.user_id), Some(&admin.access), None)
            .await;
        assert_status(&reply, 204);
        assert!(members(&app, &owner.access, &support).await.is_empty());
        assert_eq!(members(&app, &bo.access, &sales).await, [pair(&bo, "member")]);
        assert_eq!(app.count("team_members").await, 1);
        // Brought back in without a team, she is in no team.
        let code = invite(&app, &owner.access, &org, "member", None).await;
        assert_status(&accept(&app, &ana.access, &code).await, 200);
        assert!(members(&app, &owner.access, &support).await.is_empty());
        assert_eq!(members(&app, &owner.access, &sales).await, [pair(&bo, "member")]);
    }
}

db_test! {
    async fn the_lists_of_organisations_teams_and_team_members_come_in_pages(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Acme").await;
        for name in ["Beta", "Gamma"] {
            create_org(&app, &ana.access, name, "UTC").await;
        }
        let mut teams = Vec::new();
        for name in ["Care", "Kitchen", "Desk"] {
            teams.push(create_team(&app, &ana.access, &org, name).await);
        }
        let mut people = vec![ana.user_id.clone()];
        for n in 0..4 {
            let person = join_team(&app, &ana.access, &org, &teams[0], &format!("p{n}@example.com")).await;
            people.push(person.user_id);
        }
        add_member(&app, &ana.access, &teams[0], &ana.user_id).await;
        people.sort();

        let lists = [
            ("/v1/orgs?limit=2".to_owned(), "id", 3, vec![2, 1]),
            (format!("{}?limit=2", org_teams_path(&org)), "id", 3, vec![2, 1]),
            (format!("{}?limit=2", team_members_path(&teams[0])), "user_id", 5, vec![2, 2, 1]),
        ];
        for (path, key, count, pages) in lists {
            let (items, sizes) = all_pages(&app, &ana.access, &path).await;
            assert_eq!(sizes, pages, "{path}");
            let ids = strings_in(&Value::Array(items), key);
            let mut sorted = ids.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!((ids.len(), &ids), (count, &sorted), "{path}: each once, in id order");
        }
        let (members, _) = all_pages(&app, &ana.access, &team_members_path(&teams[0])).await;
        assert_eq!(strings_in(&Value::Array(members), "user_id"), people);
        let (listed_teams, _) = all_pages(&app, &ana.access, &org_teams_path(&org)).await;
        assert_eq!(strings_in(&Value::Array(listed_teams), "id"), teams, "oldest first");

        for path in ["/v1/orgs".to_owned(), org_teams_path(&org), team_members_path(&teams[0])] {
            app.get(&format!("{path}?cursor=garbage"), Some(&ana.access))
                .await
                .assert_problem(400, "invalid_cursor");
            let reply = app.get(&format!("{path}?limit=201"), Some(&ana.access)).await;
            assert_invalid(&reply, &["limit"], &path);
        }
    }
}
