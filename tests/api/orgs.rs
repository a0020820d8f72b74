//! Organisations, their members and roles, and invitation codes: creating and
//! reading organisations, one walk through the whole role × action table, the
//! owner rules, leaving, invitations, and owners racing each other.

use chrono::Duration;
use poem::http::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{db_test, support::*};

// ---------------------------------------------------------------- helpers

/// The members as `viewer` (an owner or admin) sees them: (user id, role),
/// sorted by user id.
async fn roles(app: &TestApp, viewer: &str, org: &str) -> Vec<(String, String)> {
    member_pairs(&app.get(&members_path(org), Some(viewer)).await)
}

/// The owners as stored, straight from the database.
async fn stored_owners(app: &TestApp, org: &str) -> Vec<String> {
    let org: uuid::Uuid = org.parse().unwrap();
    let mut owners: Vec<String> = entity::org_members::Entity::find()
        .filter(entity::org_members::Column::OrgId.eq(org))
        .filter(entity::org_members::Column::Role.eq("owner"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|member| member.user_id.to_string())
        .collect();
    owners.sort();
    owners
}

/// The organisation ids and roles `token` sees in `GET /v1/orgs`, in order.
async fn my_orgs(app: &TestApp, token: &str) -> Vec<(String, String)> {
    let list = get_ok(app, token, "/v1/orgs").await["items"].clone();
    strings_in(&list, "id")
        .into_iter()
        .zip(strings_in(&list, "role"))
        .collect()
}

/// `token`'s person gives `member` the role `role` in `org`; the answer,
/// whatever it is.
async fn set_role(app: &TestApp, token: &str, org: &str, member: &Session, role: &str) -> Reply {
    let body = json!({ "role": role });
    app.patch(&member_path(org, &member.user_id), Some(token), &body)
        .await
}

/// `token`'s person removes `member` from `org` (leaves it, if it is
/// themselves); the answer, whatever it is.
async fn remove_member(app: &TestApp, token: &str, org: &str, member: &Session) -> Reply {
    delete(app, token, &member_path(org, &member.user_id)).await
}

/// Asserts that `person` accepting `code` is a 404 that leaves them in no
/// organisation.
async fn assert_turned_away(app: &TestApp, person: &Session, code: &str) {
    accept(app, &person.access, code)
        .await
        .assert_problem(404, "not_found");
    assert!(
        my_orgs(app, &person.access).await.is_empty(),
        "{} got in",
        person.email
    );
}

/// Ana, who owns the organisation Clinic, and Bo, its other owner.
async fn two_owners(app: &TestApp) -> (Session, Session, String) {
    let (ana, org) = owned_org(app, "ana@example.com", "Clinic").await;
    let bo = join(app, &ana.access, &org, "bo@example.com", "owner", None).await;
    (ana, bo, org)
}

/// Everything the owner can see of an organisation that the walk's callers
/// might change.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    settings: Value,
    members: Vec<(String, String)>,
    invitations: i64,
    challenges: i64,
}

async fn snapshot(app: &TestApp, owner: &str, org: &str) -> Snapshot {
    let reply = app.get(&org_path(org), Some(owner)).await;
    assert_status(&reply, 200);
    Snapshot {
        settings: reply.json(),
        members: roles(app, owner, org).await,
        invitations: app.count("invitations").await,
        challenges: app.count("challenges").await,
    }
}

// ------------------------------------------------------------- creating

db_test! {
    async fn creating_an_organisation_makes_the_caller_its_owner_with_default_settings(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let reply = app
            .post(
                "/v1/orgs",
                Some(&ana.access),
                &json!({"name": "Riverside Clinic", "timezone": "Europe/London"}),
            )
            .await;
        assert_status(&reply, 201);
        let body = reply.json();
        let id = body["id"].as_str().expect("an id").to_owned();
        assert!(id.parse::<uuid::Uuid>().is_ok(), "{id}");
        assert_eq!(reply.header("location"), Some(org_path(&id).as_str()));
        assert_eq!(body["name"], "Riverside Clinic");
        assert_eq!(body["timezone"], "Europe/London");
        assert_eq!(body["working_days"], json!([1, 2, 3, 4, 5]));
        assert_eq!(body["min_group_size"], 5);
        assert_eq!(body["team_leaderboard_enabled"], false);
        assert_eq!(body["role"], "owner");
        assert_eq!(body["created_at"], "2026-11-27T09:30:00Z");

        let read = app.get(&org_path(&id), Some(&ana.access)).await;
        assert_status(&read, 200);
        assert_eq!(read.json(), body);
        assert_eq!(roles(&app, &ana.access, &id).await, vec![pair(&ana, "owner")]);
        assert_eq!(app.count("organisations").await, 1);
        assert_eq!(app.count("org_members").await, 1);
    }
}

db_test! {
    async fn creating_an_organisation_keeps_the_working_days_and_a_100_character_name_it_is_given(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let name = "n".repeat(100);
        let reply = app
            .post(
                "/v1/orgs",
                Some(&ana.access),
                &json!({"name": name, "timezone": "Asia/Kolkata", "working_days": [1, 2, 3, 4, 6, 7]}),
            )
            .await;
        assert_status(&reply, 201);
        let body = reply.json();
        assert_eq!(body["name"], name.as_str());
        assert_eq!(body["timezone"], "Asia/Kolkata");
        assert_eq!(body["working_days"], json!([1, 2, 3, 4, 6, 7]));
        let read = app.get(&org_path(body["id"].as_str().unwrap()), Some(&ana.access)).await;
        assert_eq!(read.json()["working_days"], json!([1, 2, 3, 4, 6, 7]));
    }
}

db_test! {
    async fn creating_an_organisation_with_invalid_fields_is_a_422_naming_each_and_writes_nothing(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let cases: [(Value, &[&str], &str); 9] = [
            (json!({"name": "", "timezone": "UTC"}), &["name"], "an empty name"),
            (json!({"name": "   ", "timezone": "UTC"}), &["name"], "a blank name"),
            (json!({"name": "n".repeat(101), "timezone": "UTC"}), &["name"], "a 101-character name"),
            (json!({"name": "Clinic", "timezone": "Europe/Atlantis"}), &["timezone"], "an unknown timezone"),
            (json!({"name": "Clinic", "timezone": "UTC", "working_days": []}), &["working_days"], "no working days"),
            (json!({"name": "Clinic", "timezone": "UTC", "working_days": [8]}), &["working_days"], "weekday 8"),
            (json!({"name": "Clinic", "timezone": "UTC", "working_days": [0, 1]}), &["working_days"], "weekday 0"),
            (json!({"name": "Clinic", "timezone": "UTC", "working_days": [1, 2, -3]}), &["working_days"], "a negative weekday"),
            (
                json!({"name": "", "timezone": "nowhere", "working_days": []}),
                &["name", "timezone", "working_days"],
                "everything wrong",
            ),
        ];
        for (body, fields, why) in cases {
            let reply = app.post("/v1/orgs", Some(&ana.access), &body).await;
            assert_eq!(invalid_fields_in_order(&reply), fields, "{why}: {}", reply.text);
        }
        let nobody = app
            .post("/v1/orgs", None, &json!({"name": "Clinic", "timezone": "UTC"}))
            .await;
        nobody.assert_problem(401, "unauthorized");
        assert_eq!(app.count("organisations").await, 0);
        assert_eq!(app.count("org_members").await, 0);
        assert!(my_orgs(&app, &ana.access).await.is_empty());
    }
}

// -------------------------------------------------------------- reading

db_test! {
    async fn listing_organisations_shows_only_the_callers_own_with_the_callers_role_in_each(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let bo = app.register("bo@example.com").await;
        let cy = app.register("cy@example.com").await;
        let anas = create_org(&app, &ana.access, "Ana's clinic", "Europe/London").await;
        app.clock.advance(Duration::minutes(1));
        let bos = create_org(&app, &bo.access, "Bo's school", "Europe/London").await;
        let cys = create_org(&app, &cy.access, "Cy's charity", "Europe/London").await;
        app.clock.advance(Duration::minutes(1));
        let code = invite(&app, &bo.access, &bos, "hr", None).await;
        assert_status(&accept(&app, &ana.access, &code).await, 200);

        // Earliest joined first, each with the caller's own role.
        assert_eq!(
            my_orgs(&app, &ana.access).await,
            vec![(anas.clone(), "owner".to_owned()), (bos.clone(), "hr".to_owned())]
        );
        assert_eq!(my_orgs(&app, &bo.access).await, vec![(bos.clone(), "owner".to_owned())]);
        assert_eq!(my_orgs(&app, &cy.access).await, vec![(cys, "owner".to_owned())]);
        let dan = app.register("dan@example.com").await;
        assert!(my_orgs(&app, &dan.access).await.is_empty());

        let listed = app.get("/v1/orgs", Some(&ana.access)).await.json();
        let school = &listed["items"][1];
        assert_eq!(school["name"], "Bo's school");
        assert_eq!(school["timezone"], "Europe/London");
        assert_eq!(school["working_days"], json!([1, 2, 3, 4, 5]));
        assert_eq!(school["min_group_size"], 5);
        assert_eq!(school["team_leaderboard_enabled"], false);
        app.get("/v1/orgs", None).await.assert_problem(401, "unauthorized");
    }
}

db_test! {
    async fn an_unknown_organisation_is_the_same_404_as_somebody_elses(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let (bo, bos) = owned_org(&app, "bo@example.com", "Bo's school").await;
        let unknown = uuid::Uuid::new_v4().to_string();
        let before = snapshot(&app, &bo.access, &bos).await;
        for org in [&unknown, &bos] {
            let calls: [(Method, String, Option<Value>); 6] = [
                (Method::GET, org_path(org), None),
                (Method::PATCH, org_path(org), Some(json!({"name": "Mine now"}))),
                (Method::GET, members_path(org), None),
                (Method::PATCH, member_path(org, &bo.user_id), Some(json!({"role": "admin"}))),
                (Method::DELETE, member_path(org, &bo.user_id), None),
                (Method::POST, invitations_path(org), Some(json!({"role": "member"}))),
            ];
            for (method, path, body) in calls {
                let reply = app.call(method.clone(), &path, Some(&ana.access), body.as_ref()).await;
                assert_eq!(reply.status.as_u16(), 404, "{method} {path}: {}", reply.text);
                let problem = reply.assert_problem(404, "not_found");
                // Nothing tells an existing organisation from a made-up id.
                let same = app
                    .call(method.clone(), &path.replace(bos.as_str(), &unknown), Some(&ana.access), body.as_ref())
                    .await
                    .assert_problem(404, "not_found");
                assert_eq!(problem["detail"], same["detail"], "{method} {path}");
                assert_eq!(problem["title"], same["title"], "{method} {path}");
            }
        }
        assert_eq!(snapshot(&app, &bo.access, &bos).await, before);
        assert_eq!(app.count("organisations").await, 1);
        assert_eq!(app.count("invitations").await, 0);
    }
}

db_test! {
    async fn an_unknown_role_is_a_422_naming_the_role(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let bo = join(&app, &ana.access, &org, "bo@example.com", "member", None).await;
        for role in ["boss", "Owner", ""] {
            let reply = set_role(&app, &ana.access, &org, &bo, role).await;
            assert_eq!(invalid_fields_in_order(&reply), ["role"], "{role:?}: {}", reply.text);
        }
        assert_eq!(
            roles(&app, &ana.access, &org).await,
            sorted(vec![pair(&ana, "owner"), pair(&bo, "member")])
        );
        // A member who is not there is a 404, not a new member.
        let cy = app.register("cy@example.com").await;
        set_role(&app, &ana.access, &org, &cy, "admin").await.assert_problem(404, "not_found");
        remove_member(&app, &ana.access, &org, &cy).await.assert_problem(404, "not_found");
        assert!(my_orgs(&app, &cy.access).await.is_empty());
    }
}

// ------------------------------------------------------------- settings

db_test! {
    async fn owners_and_admins_change_the_settings_and_the_changes_persist(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let admin = join(&app, &ana.access, &org, "admin@example.com", "admin", None).await;

        let reply = app
            .patch(
                &org_path(&org),
                Some(&ana.access),
                &json!({
                    "name": "Riverside Clinic",
                    "timezone": "America/New_York",
                    "working_days": [2, 3, 4],
                    "min_group_size": 3,
                    "team_leaderboard_enabled": true,
                }),
            )
            .await;
        assert_status(&reply, 200);
        let body = reply.json();
        assert_eq!(body["name"], "Riverside Clinic");
        assert_eq!(body["timezone"], "America/New_York");
        assert_eq!(body["working_days"], json!([2, 3, 4]));
        assert_eq!(body["min_group_size"], 3);
        assert_eq!(body["team_leaderboard_enabled"], true);
        assert_eq!(body["role"], "owner");

        // An admin changes only what it names; the rest stays.
        let reply = app
            .patch(
                &org_path(&org),
                Some(&admin.access),
                &json!({"min_group_size": 50, "team_leaderboard_enabled": false}),
            )
            .await;
        assert_status(&reply, 200);
        assert_eq!(reply.json()["role"], "admin");

        for token in [&ana.access, &admin.access] {
            let read = app.get(&org_path(&org), Some(token)).await.json();
            assert_eq!(read["name"], "Riverside Clinic");
            assert_eq!(read["timezone"], "America/New_York");
            assert_eq!(read["working_days"], json!([2, 3, 4]));
            assert_eq!(read["min_group_size"], 50);
            assert_eq!(read["team_leaderboard_enabled"], false);
        }
        let listed = app.get("/v1/orgs", Some(&admin.access)).await.json();
        assert_eq!(listed["items"][0]["min_group_size"], 50);
        assert_eq!(listed["items"][0]["role"], "admin");
    }
}

db_test! {
    async fn the_report_threshold_stays_between_3_and_50(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        for (size, expected) in [(2, None), (3, Some(3)), (51, None), (50, Some(50)), (0, None), (-5, None), (1_000_000_000_000_i64, None)] {
            let before = app.get(&org_path(&org), Some(&ana.access)).await.json();
            let reply = app
                .patch(&org_path(&org), Some(&ana.access), &json!({"min_group_size": size}))
                .await;
            let after = app.get(&org_path(&org), Some(&ana.access)).await.json();
            match expected {
                Some(stored) => {
                    assert_eq!(reply.status.as_u16(), 200, "{size}: {}", reply.text);
                    assert_eq!(reply.json()["min_group_size"], stored);
                    assert_eq!(after["min_group_size"], stored);
                }
                None => {
                    assert_eq!(invalid_fields_in_order(&reply), ["min_group_size"], "{size}");
                    assert_eq!(after, before, "{size} changed the settings");
                }
            }
        }
    }
}

db_test! {
    async fn an_invalid_settings_change_is_a_422_naming_each_field_and_changes_nothing(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let before = app.get(&org_path(&org), Some(&ana.access)).await.json();
        let cases: [(Value, &[&str]); 5] = [
            (json!({"name": "   "}), &["name"]),
            (json!({"name": "A fine new name", "timezone": "Mars/Olympus_Mons"}), &["timezone"]),
            (json!({"working_days": []}), &["working_days"]),
            (json!({"working_days": [8], "team_leaderboard_enabled": true}), &["working_days"]),
            (
                json!({"name": "", "timezone": "nowhere", "working_days": [0], "min_group_size": 2}),
                &["name", "timezone", "working_days", "min_group_size"],
            ),
        ];
        for (body, fields) in cases {
            let reply = app.patch(&org_path(&org), Some(&ana.access), &body).await;
            assert_eq!(invalid_fields_in_order(&reply), fields, "{body}: {}", reply.text);
            let after = app.get(&org_path(&org), Some(&ana.access)).await.json();
            assert_eq!(after, before, "{body} changed the settings");
        }
    }
}

// ------------------------------------------------- the permission table

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    ReadOrg,
    ChangeSettings,
    ListMembers,
    ChangeRole,
    RemoveMember,
    Invite,
    SetChallenge,
    ListChallenges,
    ReadLeaderboard,
}

const CALLERS: [&str; 6] = ["owner", "admin", "hr", "member", "outsider", "nobody"];

/// The status each caller gets, in the order of [`CALLERS`].
#[rustfmt::skip]
const PERMISSIONS: [(Op, [u16; 6]); 9] = [
    //                     owner admin  hr  member outsider nobody
    (Op::ReadOrg,         [200,  200,  200, 200,   404,     401]),
    (Op::ChangeSettings,  [200,  200,  403, 403,   404,     401]),
    (Op::ListMembers,     [200,  200,  403, 403,   404,     401]),
    (Op::ChangeRole,      [200,  200,  403, 403,   404,     401]),
    (Op::RemoveMember,    [204,  204,  403, 403,   404,     401]),
    (Op::Invite,          [201,  201,  403, 403,   404,     401]),
    (Op::SetChallenge,    [201,  201,  403, 403,   404,     401]),
    (Op::ListChallenges,  [200,  200,  200, 200,   404,     401]),
    (Op::ReadLeaderboard, [200,  200,  200, 200,   404,     401]),
];

db_test! {
    async fn every_caller_gets_what_the_permission_table_says_and_refusals_change_nothing(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Clinic").await;
        let admin = join(&app, &owner.access, &org, "admin@example.com", "admin", None).await;
        let hr = join(&app, &owner.access, &org, "hr@example.com", "hr", None).await;
        let member = join(&app, &owner.access, &org, "member@example.com", "member", None).await;
        let outsider = app.register("outsider@example.com").await;
        // The outsider has an organisation of their own: being in *an*
        // organisation must not open this one.
        create_org(&app, &outsider.access, "Elsewhere", "Europe/London").await;
        let tokens: [Option<&str>; 6] = [
            Some(&owner.access),
            Some(&admin.access),
            Some(&hr.access),
            Some(&member.access),
            Some(&outsider.access),
            None,
        ];
        assert_eq!(
            roles(&app, &owner.access, &org).await,
            sorted(vec![pair(&owner, "owner"), pair(&admin, "admin"), pair(&hr, "hr"), pair(&member, "member")])
        );

        let mut row = 0;
        for (op, statuses) in PERMISSIONS {
            for ((caller, token), expected) in CALLERS.into_iter().zip(tokens).zip(statuses) {
                row += 1;
                let what = format!("{op:?} by {caller}");
                // A fresh member to act on, so that an allowed change or
                // removal leaves the next row's target untouched.
                let target = match op {
                    Op::ChangeRole | Op::RemoveMember => Some(
                        join(&app, &owner.access, &org, &format!("target{row}@example.com"), "member", None)
                            .await
                            .user_id,
                    ),
                    _ => None,
                };
                let target = target.as_deref().unwrap_or("");
                if op == Op::ReadLeaderboard {
                    let on = json!({"team_leaderboard_enabled": true});
                    assert_status(&app.patch(&org_path(&org), Some(&owner.access), &on).await, 200);
                }
                let new_name = format!("Renamed by {caller}");
                let new_size = 10 + row;
                let before = snapshot(&app, &owner.access, &org).await;

                let reply = match op {
                    Op::ReadOrg => app.get(&org_path(&org), token).await,
                    Op::ChangeSettings => {
                        app.patch(
                            &org_path(&org),
                            token,
                            &json!({"name": new_name, "min_group_size": new_size, "team_leaderboard_enabled": row % 2 == 0}),
                        )
                        .await
                    }
                    Op::ListMembers => app.get(&members_path(&org), token).await,
                    Op::ChangeRole => {
                        app.patch(&member_path(&org, target), token, &json!({"role": "hr"}))
                            .await
                    }
                    Op::RemoveMember => {
                        app.call(Method::DELETE, &member_path(&org, target), token, None)
                            .await
                    }
                    Op::Invite => {
                        app.post(&invitations_path(&org), token, &json!({"role": "member"}))
                            .await
                    }
                    Op::SetChallenge => {
                        let body = json!({"title": "Kind week", "metric": "acts", "target": 5,
                                          "starts_on": "2026-11-27", "ends_on": "2026-12-03"});
                        app.post(&format!("/v1/orgs/{org}/challenges"), token, &body).await
                    }
                    Op::ListChallenges => app.get(&format!("/v1/orgs/{org}/challenges"), token).await,
                    Op::ReadLeaderboard => app.get(&format!("/v1/orgs/{org}/leaderboard"), token).await,
                };
                assert_eq!(reply.status.as_u16(), expected, "{what}: {}", reply.text);

                let after = snapshot(&app, &owner.access, &org).await;
                match expected {
                    401 | 403 | 404 => {
                        let code = match expected {
                            401 => "unauthorized",
                            403 => "forbidden",
                            _ => "not_found",
                        };
                        let problem = reply.assert_problem(expected, code);
                        // A hidden organisation gives nothing of itself away.
                        if expected == 404 {
                            assert!(!problem.to_string().contains("Clinic"), "{what}: {problem}");
                            assert!(!problem.to_string().contains("Renamed"), "{what}: {problem}");
                        }
                        assert_eq!(after, before, "{what} changed something");
                        continue;
                    }
                    _ => {}
                }
                match op {
                    Op::ReadOrg => {
                        let body = reply.json();
                        assert_eq!(body["id"], org.as_str(), "{what}");
                        assert_eq!(body["role"], caller, "{what}");
                        let mut settings = body.clone();
                        settings["role"] = json!("owner");
                        assert_eq!(settings, before.settings, "{what}");
                        assert_eq!(after, before, "{what} changed something");
                    }
                    Op::ChangeSettings => {
                        assert_eq!(reply.json()["role"], caller, "{what}");
                        assert_eq!(after.settings["name"], new_name.as_str(), "{what}");
                        assert_eq!(after.settings["min_group_size"], new_size, "{what}");
                        assert_eq!(after.settings["team_leaderboard_enabled"], row % 2 == 0, "{what}");
                        assert_eq!(after.members, before.members, "{what}");
                        assert_eq!(after.invitations, before.invitations, "{what}");
                    }
                    Op::ListMembers => {
                        let body = reply.json();
                        assert_eq!(member_pairs(&reply), before.members, "{what}");
                        assert!(body["items"][0]["display_name"].is_string(), "{what}: {body}");
                        assert!(body["items"][0]["joined_at"].is_string(), "{what}: {body}");
                        assert_eq!(after, before, "{what} changed something");
                    }
                    Op::ChangeRole => {
                        let body = reply.json();
                        assert_eq!(body["user_id"], target, "{what}");
                        assert_eq!(body["role"], "hr", "{what}");
                        let expected_members: Vec<(String, String)> = before
                            .members
                            .iter()
                            .map(|(user, role)| {
                                let role = if user == target { "hr" } else { role.as_str() };
                                (user.clone(), role.to_owned())
                            })
                            .collect();
                        assert_eq!(after.members, expected_members, "{what}");
                        assert_eq!(after.settings, before.settings, "{what}");
                        assert_eq!(after.invitations, before.invitations, "{what}");
                    }
                    Op::RemoveMember => {
                        assert!(reply.text.is_empty(), "{what}: {}", reply.text);
                        let expected_members: Vec<(String, String)> = before
                            .members
                            .iter()
                            .filter(|(user, _)| user != target)
                            .cloned()
                            .collect();
                        assert_eq!(expected_members.len(), before.members.len() - 1, "{what}");
                        assert_eq!(after.members, expected_members, "{what}");
                        assert_eq!(after.settings, before.settings, "{what}");
                        assert_eq!(after.invitations, before.invitations, "{what}");
                    }
                    Op::Invite => {
                        assert!(reply.json()["code"].is_string(), "{what}: {}", reply.text);
                        assert_eq!(after.invitations, before.invitations + 1, "{what}");
                        assert_eq!(after.settings, before.settings, "{what}");
                        assert_eq!(after.members, before.members, "{what}");
                    }
                    Op::SetChallenge => {
                        assert_eq!(reply.json()["title"], "Kind week", "{what}");
                        assert_eq!(after.challenges, before.challenges + 1, "{what}");
                        assert_eq!(after.settings, before.settings, "{what}");
                    }
                    Op::ListChallenges => {
                        let items = reply.json()["items"].as_array().expect("items").len() as i64;
                        assert_eq!(items, before.challenges, "{what}: {}", reply.text);
                        assert_eq!(after, before, "{what} changed something");
                    }
                    Op::ReadLeaderboard => {
                        assert_eq!(reply.json()["period"], "week", "{what}");
                        assert_eq!(after, before, "{what} changed something");
                    }
                }
            }
        }
        assert_eq!(row, 54);
        // The four callers kept their roles throughout.
        let kept = roles(&app, &owner.access, &org).await;
        for (session, role) in [(&owner, "owner"), (&admin, "admin"), (&hr, "hr"), (&member, "member")] {
            assert!(kept.contains(&pair(session, role)), "{role} lost their place: {kept:?}");
        }
    }
}

// ----------------------------------------------------------- owner rules

db_test! {
    async fn an_admin_can_neither_make_an_owner_nor_demote_remove_or_invite_one(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let admin = join(&app, &ana.access, &org, "admin@example.com", "admin", None).await;
        let bo = join(&app, &ana.access, &org, "bo@example.com", "member", None).await;
        let before = snapshot(&app, &ana.access, &org).await;

        let attempts: [(&str, Reply); 6] = [
            (
                "make a member owner",
                set_role(&app, &admin.access, &org, &bo, "owner").await,
            ),
            (
                "make themselves owner",
                set_role(&app, &admin.access, &org, &admin, "owner").await,
            ),
            (
                "demote the owner to admin",
                set_role(&app, &admin.access, &org, &ana, "admin").await,
            ),
            (
                "demote the owner to member",
                set_role(&app, &admin.access, &org, &ana, "member").await,
            ),
            (
                "remove the owner",
                remove_member(&app, &admin.access, &org, &ana).await,
            ),
            (
                "invite an owner",
                app.post(&invitations_path(&org), Some(&admin.access), &json!({"role": "owner"})).await,
            ),
        ];
        for (what, reply) in attempts {
            assert_eq!(reply.status.as_u16(), 403, "an admin may not {what}: {}", reply.text);
            reply.assert_problem(403, "forbidden");
        }
        assert_eq!(snapshot(&app, &ana.access, &org).await, before);
        assert_eq!(stored_owners(&app, &org).await, vec![ana.user_id.clone()]);
    }
}

db_test! {
    async fn an_owner_makes_demotes_removes_and_invites_owners(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let bo = join(&app, &ana.access, &org, "bo@example.com", "member", None).await;

        // Makes an owner.
        let made = set_role(&app, &ana.access, &org, &bo, "owner").await;
        assert_status(&made, 200);
        assert_eq!(made.json()["role"], "owner");
        assert_eq!(my_orgs(&app, &bo.access).await, vec![(org.clone(), "owner".to_owned())]);

        // Invites an owner.
        let invitation = create_invitation(&app, &ana.access, &org, &json!({"role": "owner"})).await;
        assert_eq!(invitation["role"], "owner");
        let cy = app.register("cy@example.com").await;
        let joined = accept(&app, &cy.access, invitation["code"].as_str().unwrap()).await;
        assert_status(&joined, 200);
        assert_eq!(joined.json()["role"], "owner");
        let mut owners = vec![ana.user_id.clone(), bo.user_id.clone(), cy.user_id.clone()];
        owners.sort();
        assert_eq!(stored_owners(&app, &org).await, owners);

        // Demotes an owner.
        let demoted = set_role(&app, &ana.access, &org, &bo, "admin").await;
        assert_status(&demoted, 200);
        assert_eq!(demoted.json()["role"], "admin");

        // Removes an owner.
        let removed = remove_member(&app, &ana.access, &org, &cy).await;
        assert_status(&removed, 204);
        app.get(&org_path(&org), Some(&cy.access)).await.assert_problem(404, "not_found");

        assert_eq!(
            roles(&app, &ana.access, &org).await,
            sorted(vec![pair(&ana, "owner"), pair(&bo, "admin")])
        );
    }
}

db_test! {
    async fn the_last_owner_can_neither_be_demoted_nor_leave(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let admin = join(&app, &ana.access, &org, "admin@example.com", "admin", None).await;
        let before = snapshot(&app, &ana.access, &org).await;

        for role in ["admin", "hr", "member"] {
            let reply = set_role(&app, &ana.access, &org, &ana, role).await;
            assert_eq!(reply.status.as_u16(), 409, "demoting the last owner to {role}: {}", reply.text);
            reply.assert_problem(409, "last_owner");
        }
        let leaving = remove_member(&app, &ana.access, &org, &ana).await;
        assert_status(&leaving, 409);
        leaving.assert_problem(409, "last_owner");

        assert_eq!(snapshot(&app, &ana.access, &org).await, before);
        assert_eq!(stored_owners(&app, &org).await, vec![ana.user_id.clone()]);
        assert_eq!(my_orgs(&app, &ana.access).await, vec![(org.clone(), "owner".to_owned())]);
        // The admin can still do admin things: the organisation is intact.
        assert_status(&app.get(&members_path(&org), Some(&admin.access)).await, 200);
    }
}

db_test! {
    async fn with_two_owners_one_may_leave_and_the_other_then_is_the_last(app: TestApp) {
        let (ana, bo, org) = two_owners(&app).await;

        let leaving = remove_member(&app, &bo.access, &org, &bo).await;
        assert_status(&leaving, 204);
        assert_eq!(stored_owners(&app, &org).await, vec![ana.user_id.clone()]);
        assert!(my_orgs(&app, &bo.access).await.is_empty());

        remove_member(&app, &ana.access, &org, &ana).await.assert_problem(409, "last_owner");
        assert_eq!(roles(&app, &ana.access, &org).await, vec![pair(&ana, "owner")]);
    }
}

db_test! {
    async fn with_two_owners_one_may_step_down(app: TestApp) {
        let (ana, bo, org) = two_owners(&app).await;

        let reply = set_role(&app, &ana.access, &org, &ana, "admin").await;
        assert_status(&reply, 200);
        assert_eq!(
            roles(&app, &bo.access, &org).await,
            sorted(vec![pair(&ana, "admin"), pair(&bo, "owner")])
        );
        set_role(&app, &bo.access, &org, &bo, "member").await.assert_problem(409, "last_owner");
    }
}

// ---------------------------------------------------------------- leaving

db_test! {
    async fn a_member_may_leave_and_then_sees_nothing_of_the_organisation(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let mut leavers = Vec::new();
        for role in ["member", "hr", "admin"] {
            let person = join(&app, &ana.access, &org, &format!("{role}@example.com"), role, None).await;
            leavers.push((role, person));
        }
        for (role, person) in &leavers {
            let reply = remove_member(&app, &person.access, &org, person).await;
            assert_eq!(reply.status.as_u16(), 204, "{role} leaving: {}", reply.text);
            assert!(reply.text.is_empty());
            app.get(&org_path(&org), Some(&person.access))
                .await
                .assert_problem(404, "not_found");
            assert!(my_orgs(&app, &person.access).await.is_empty(), "{role}");
            // Gone is gone: leaving again finds nothing.
            remove_member(&app, &person.access, &org, person).await.assert_problem(404, "not_found");
        }
        assert_eq!(roles(&app, &ana.access, &org).await, vec![pair(&ana, "owner")]);
    }
}

// ------------------------------------------------------------ invitations

db_test! {
    async fn an_invitation_code_is_long_and_random_and_comes_with_its_terms(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let first = create_invitation(&app, &ana.access, &org, &json!({"role": "member"})).await;
        let second = create_invitation(&app, &ana.access, &org, &json!({"role": "member"})).await;
        let (a, b) = (first["code"].as_str().unwrap(), second["code"].as_str().unwrap());
        for code in [a, b] {
            assert!(code.len() >= 40, "{code} is too short");
            assert!(
                code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{code} does not fit in a URL path as it is"
            );
        }
        assert_ne!(a, b);

        // The terms given, or by default seven days and one use.
        let terms = [
            (first, json!({"expires_at": "2026-12-04T09:30:00Z", "max_uses": 1, "role": "member"}), "the defaults"),
            (
                create_invitation(&app, &ana.access, &org, &json!({"role": "hr", "expires_in_days": 90, "max_uses": 1000})).await,
                json!({"expires_at": "2027-02-25T09:30:00Z", "max_uses": 1000, "role": "hr"}),
                "the longest terms",
            ),
            (
                create_invitation(&app, &ana.access, &org, &json!({"role": "admin", "expires_in_days": 1, "max_uses": 1})).await,
                json!({"expires_at": "2026-11-28T09:30:00Z"}),
                "the shortest terms",
            ),
        ];
        for (invitation, expected, why) in terms {
            assert_has(&invitation, &expected, why);
        }
        assert_eq!(app.count("invitations").await, 4);
    }
}

db_test! {
    async fn accepting_an_invitation_joins_with_its_role(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let mut expected = vec![pair(&ana, "owner")];
        for role in ["owner", "admin", "hr", "member"] {
            let person = app.register(&format!("new-{role}@example.com")).await;
            assert!(my_orgs(&app, &person.access).await.is_empty());
            let code = invite(&app, &ana.access, &org, role, None).await;
            let reply = accept(&app, &person.access, &code).await;
            assert_eq!(reply.status.as_u16(), 200, "{role}: {}", reply.text);
            let body = reply.json();
            assert_eq!(body["id"], org.as_str());
            assert_eq!(body["name"], "Clinic");
            assert_eq!(body["role"], role);
            assert_eq!(my_orgs(&app, &person.access).await, vec![(org.clone(), role.to_owned())]);
            let read = app.get(&org_path(&org), Some(&person.access)).await;
            assert_eq!(read.status.as_u16(), 200, "{role}: {}", read.text);
            assert_eq!(read.json()["role"], role);
            expected.push(pair(&person, role));
        }
        assert_eq!(roles(&app, &ana.access, &org).await, sorted(expected));
    }
}

db_test! {
    async fn an_invitation_works_for_as_many_people_as_its_max_uses(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;

        let once = invite(&app, &ana.access, &org, "member", None).await;
        let bo = app.register("bo@example.com").await;
        let cy = app.register("cy@example.com").await;
        assert_status(&accept(&app, &bo.access, &once).await, 200);
        assert_turned_away(&app, &cy, &once).await;

        let twice = create_invitation(&app, &ana.access, &org, &json!({"role": "hr", "max_uses": 2})).await;
        let twice = twice["code"].as_str().unwrap();
        let dan = app.register("dan@example.com").await;
        let eve = app.register("eve@example.com").await;
        assert_status(&accept(&app, &cy.access, twice).await, 200);
        assert_status(&accept(&app, &dan.access, twice).await, 200);
        assert_turned_away(&app, &eve, twice).await;
        assert_eq!(
            roles(&app, &ana.access, &org).await,
            sorted(vec![pair(&ana, "owner"), pair(&bo, "member"), pair(&cy, "hr"), pair(&dan, "hr")])
        );
    }
}

db_test! {
    async fn an_expired_invitation_is_a_404(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let invitation = create_invitation(
            &app,
            &ana.access,
            &org,
            &json!({"role": "member", "expires_in_days": 3, "max_uses": 10}),
        )
        .await;
        let code = invitation["code"].as_str().unwrap();
        let default = create_invitation(&app, &ana.access, &org, &json!({"role": "member", "max_uses": 10})).await;
        let default = default["code"].as_str().unwrap();

        app.clock.advance(Duration::days(3) - Duration::minutes(1));
        let bo = app.register("bo@example.com").await;
        assert_status(&accept(&app, &bo.access, code).await, 200);

        app.clock.advance(Duration::minutes(2));
        let cy = app.register("cy@example.com").await;
        assert_turned_away(&app, &cy, code).await;

        // The default is seven days.
        assert_status(&accept(&app, &cy.access, default).await, 200);
        app.clock.advance(Duration::days(4));
        let dan = app.register("dan@example.com").await;
        assert_turned_away(&app, &dan, default).await;
        assert_eq!(app.count("org_members").await, 3);
    }
}

db_test! {
    async fn an_unknown_invitation_code_is_a_404(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let real = invite(&app, &ana.access, &org, "member", None).await;
        let bo = app.register("bo@example.com").await;
        let mut altered = real.clone();
        let last = altered.pop().unwrap();
        altered.push(if last == 'A' { 'B' } else { 'A' });
        for code in ["never-issued".to_owned(), "x".repeat(43), altered] {
            accept(&app, &bo.access, &code)
                .await
                .assert_problem(404, "not_found");
        }
        app.call(Method::POST, &format!("/v1/invitations/{real}/accept"), None, None)
            .await
            .assert_problem(401, "unauthorized");
        assert!(my_orgs(&app, &bo.access).await.is_empty());
        assert_eq!(app.count("org_members").await, 1);
        // The real code is still unused.
        assert_status(&accept(&app, &bo.access, &real).await, 200);
    }
}

db_test! {
    async fn accepting_while_already_a_member_changes_nothing_and_uses_nothing(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let bo = join(&app, &ana.access, &org, "bo@example.com", "hr", None).await;
        let admin_code = invite(&app, &ana.access, &org, "admin", None).await;

        for (person, role) in [(&bo, "hr"), (&ana, "owner")] {
            let reply = accept(&app, &person.access, &admin_code).await;
            assert_eq!(reply.status.as_u16(), 200, "{role}: {}", reply.text);
            assert_eq!(reply.json()["role"], role);
            assert_eq!(reply.json()["id"], org.as_str());
            assert_eq!(my_orgs(&app, &person.access).await, vec![(org.clone(), role.to_owned())]);
        }
        assert_eq!(
            roles(&app, &ana.access, &org).await,
            sorted(vec![pair(&ana, "owner"), pair(&bo, "hr")])
        );

        // The one use is still there for somebody new, and only once.
        let cy = app.register("cy@example.com").await;
        let reply = accept(&app, &cy.access, &admin_code).await;
        assert_status(&reply, 200);
        assert_eq!(reply.json()["role"], "admin");
        let dan = app.register("dan@example.com").await;
        accept(&app, &dan.access, &admin_code)
            .await
            .assert_problem(404, "not_found");
        // Accepting again once it is used up may answer a member 200
        // ("already in") or 404 ("used up"), but never changes their role.
        let again = accept(&app, &cy.access, &admin_code).await;
        assert!(matches!(again.status.as_u16(), 200 | 404), "{}", again.text);
        assert_eq!(
            roles(&app, &ana.access, &org).await,
            sorted(vec![pair(&ana, "owner"), pair(&bo, "hr"), pair(&cy, "admin")])
        );
    }
}

db_test! {
    async fn invitation_terms_out_of_range_are_a_422_naming_each_and_write_nothing(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let cases: [(Value, &[&str]); 8] = [
            (json!({"role": "member", "expires_in_days": 0}), &["expires_in_days"]),
            (json!({"role": "member", "expires_in_days": 91}), &["expires_in_days"]),
            (json!({"role": "member", "expires_in_days": -1}), &["expires_in_days"]),
            (json!({"role": "member", "max_uses": 0}), &["max_uses"]),
            (json!({"role": "member", "max_uses": 1001}), &["max_uses"]),
            (json!({"role": "member", "max_uses": -1}), &["max_uses"]),
            (json!({"role": "boss"}), &["role"]),
            (
                json!({"role": "chief", "expires_in_days": 91, "max_uses": 0}),
                &["role", "expires_in_days", "max_uses"],
            ),
        ];
        for (body, fields) in cases {
            let reply = app.post(&invitations_path(&org), Some(&ana.access), &body).await;
            assert_eq!(invalid_fields_in_order(&reply), fields, "{body}: {}", reply.text);
        }
        assert_eq!(app.count("invitations").await, 0);

        for body in [
            json!({"role": "member", "expires_in_days": 1, "max_uses": 1}),
            json!({"role": "member", "expires_in_days": 90, "max_uses": 1000}),
        ] {
            create_invitation(&app, &ana.access, &org, &body).await;
        }
        assert_eq!(app.count("invitations").await, 2);
    }
}

db_test! {
    async fn invitation_codes_are_stored_only_as_hashes(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let mut codes = Vec::new();
        for role in ["member", "hr", "admin"] {
            codes.push(invite(&app, &ana.access, &org, role, None).await);
        }
        let rows = entity::invitations::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(rows.len(), 3);
        for row in &rows {
            for code in &codes {
                assert_ne!(&row.code_hash, code);
                assert!(!row.code_hash.contains(code.as_str()), "{} holds a code", row.code_hash);
                assert!(!code.contains(row.code_hash.as_str()));
            }
            assert_eq!(row.uses, 0);
        }
        let mut hashes: Vec<&str> = rows.iter().map(|row| row.code_hash.as_str()).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), 3);
        // A stored hash does not work as a code.
        let bo = app.register("bo@example.com").await;
        accept(&app, &bo.access, &rows[0].code_hash)
            .await
            .assert_problem(404, "not_found");
    }
}

// ------------------------------------------------------------ concurrency

db_test! {
    async fn two_owners_demoting_each_other_at_once_leave_exactly_one_owner(app: TestApp) {
        let (ana, bo, org) = two_owners(&app).await;
        for round in 0..4 {
            let (a, b) = tokio::join!(
                set_role(&app, &ana.access, &org, &bo, "member"),
                set_role(&app, &bo.access, &org, &ana, "member"),
            );
            // Exactly one change goes through. The other is refused: by the
            // time it runs its sender is no longer an owner, so it may be a
            // 403 (a member may not change roles) or, had the service looked
            // at the owner count first, a 409 `last_owner`; never a second 200.
            let oks = [&a, &b].iter().filter(|reply| reply.status.as_u16() == 200).count();
            assert_eq!(oks, 1, "round {round}: {} | {}", a.text, b.text);
            let (winner, loser, refused) = if a.status.as_u16() == 200 { (&ana, &bo, &b) } else { (&bo, &ana, &a) };
            match refused.status.as_u16() {
                403 => refused.assert_problem(403, "forbidden"),
                _ => refused.assert_problem(409, "last_owner"),
            };
            assert_eq!(stored_owners(&app, &org).await, vec![winner.user_id.clone()], "round {round}");
            assert_eq!(
                roles(&app, &winner.access, &org).await,
                sorted(vec![pair(winner, "owner"), pair(loser, "member")]),
                "round {round}"
            );
            // Hand the role back for the next round.
            assert_status(&set_role(&app, &winner.access, &org, loser, "owner").await, 200);
        }
    }
}

db_test! {
    async fn two_owners_stepping_down_at_once_leave_exactly_one_owner(app: TestApp) {
        let (ana, bo, org) = two_owners(&app).await;
        for round in 0..4 {
            let (a, b) = tokio::join!(
                set_role(&app, &ana.access, &org, &ana, "admin"),
                set_role(&app, &bo.access, &org, &bo, "admin"),
            );
            let ana_won = first_won(&a, &b, 200, 409, &format!("round {round}"));
            let (stepped_down, stayed, refused) = if ana_won { (&ana, &bo, &b) } else { (&bo, &ana, &a) };
            refused.assert_problem(409, "last_owner");
            assert_eq!(stored_owners(&app, &org).await, vec![stayed.user_id.clone()], "round {round}");
            assert_status(&set_role(&app, &stayed.access, &org, stepped_down, "owner").await, 200);
        }
    }
}

db_test! {
    async fn two_owners_leaving_at_once_leave_exactly_one_owner(app: TestApp) {
        let (ana, bo, org) = two_owners(&app).await;
        let (a, b) = tokio::join!(
            remove_member(&app, &ana.access, &org, &ana),
            remove_member(&app, &bo.access, &org, &bo),
        );
        let (stayed, refused) = if first_won(&a, &b, 204, 409, "both leaving") { (&bo, &b) } else { (&ana, &a) };
        refused.assert_problem(409, "last_owner");
        assert_eq!(stored_owners(&app, &org).await, vec![stayed.user_id.clone()]);
        assert_eq!(app.count("org_members").await, 1);
    }
}

db_test! {
    async fn two_people_accepting_a_one_use_invitation_at_once_let_exactly_one_in(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let bo = app.register("bo@example.com").await;
        let cy = app.register("cy@example.com").await;
        let code = invite(&app, &ana.access, &org, "member", None).await;
        let (a, b) = tokio::join!(
            accept(&app, &bo.access, &code),
            accept(&app, &cy.access, &code),
        );
        let refused = if first_won(&a, &b, 200, 404, "two accepting") { &b } else { &a };
        refused.assert_problem(404, "not_found");
        assert_eq!(app.count("org_members").await, 2);
        let rows = entity::invitations::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(rows[0].uses, 1);
    }
}

db_test! {
    async fn one_person_accepting_twice_at_once_joins_once_and_uses_the_code_once(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let bo = app.register("bo@example.com").await;
        let invitation = create_invitation(&app, &ana.access, &org, &json!({"role": "hr", "max_uses": 2})).await;
        let code = invitation["code"].as_str().unwrap();
        let (a, b) = tokio::join!(
            accept(&app, &bo.access, code),
            accept(&app, &bo.access, code),
        );
        assert_status(&a, 200);
        assert_status(&b, 200);
        assert_eq!(a.json()["role"], "hr");
        assert_eq!(b.json()["role"], "hr");
        assert_eq!(
            roles(&app, &ana.access, &org).await,
            sorted(vec![pair(&ana, "owner"), pair(&bo, "hr")])
        );
        let rows = entity::invitations::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(rows[0].uses, 1);
        // So somebody else can still use the second one.
        let cy = app.register("cy@example.com").await;
        assert_status(&accept(&app, &cy.access, code).await, 200);
    }
}

db_test! {
    async fn the_member_list_is_paged_like_every_list(app: TestApp) {
        // API.md, Conventions: lists take `?limit=` and `?cursor=` and answer
        // `{"items": [...], "next_cursor": "..." | null}`. An organisation's
        // members are the one list here that grows with the organisation.
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let mut everyone = vec![ana.user_id.clone()];
        for n in 0..2 {
            everyone.push(join(&app, &ana.access, &org, &format!("p{n}@example.com"), "member", None).await.user_id);
        }
        let first = app.get(&format!("{}?limit=2", members_path(&org)), Some(&ana.access)).await;
        assert_status(&first, 200);
        let first = first.json();
        assert_eq!(first["items"].as_array().unwrap().len(), 2, "{first}");
        let cursor = first["next_cursor"].as_str().unwrap_or_else(|| panic!("no next_cursor in {first}"));
        let second = app
            .get(&format!("{}?limit=2&cursor={cursor}", members_path(&org)), Some(&ana.access))
            .await;
        assert_status(&second, 200);
        let second = second.json();
        assert_eq!(second["items"].as_array().unwrap().len(), 1, "{second}");
        assert!(second["next_cursor"].is_null(), "{second}");
        let mut seen: Vec<String> = first["items"]
            .as_array()
            .unwrap()
            .iter()
            .chain(second["items"].as_array().unwrap())
            .map(|m| m["user_id"].as_str().unwrap().to_owned())
            .collect();
        seen.sort();
        everyone.sort();
        assert_eq!(seen, everyone);
        let all = app.get(&members_path(&org), Some(&ana.access)).await.json();
        assert!(all["next_cursor"].is_null(), "{all}");
    }
}

db_test! {
    async fn an_invitation_lives_at_its_location_until_it_is_used_up(app: TestApp) {
        let (ana, org) = owned_org(&app, "ana@example.com", "Clinic").await;
        let team = create_team(&app, &ana.access, &org, "Care").await;
        let reply = app
            .post(&invitations_path(&org), Some(&ana.access), &json!({"role": "hr", "team_id": team}))
            .await;
        assert_status(&reply, 201);
        let code = reply.json()["code"].as_str().unwrap().to_owned();
        let location = reply.header("location").expect("a Location").to_owned();
        assert_eq!(location, format!("/v1/invitations/{code}"));

        let bo = app.register("bo@example.com").await;
        let preview = get_ok(&app, &bo.access, &location).await;
        assert_has(
            &preview,
            &json!({"org_id": org, "org_name": "Clinic", "role": "hr", "team_id": team}),
            "the preview",
        );
        assert!(preview["expires_at"].is_string());
        app.get(&location, None).await.assert_problem(401, "unauthorized");
        app.get("/v1/invitations/never-issued", Some(&bo.access))
            .await
            .assert_problem(404, "not_found");
        assert!(my_orgs(&app, &bo.access).await.is_empty(), "reading joins nobody");

        assert_status(&accept(&app, &bo.access, &code).await, 200);
        app.get(&location, Some(&bo.access)).await.assert_problem(404, "not_found");
    }
}
