//! A person's own data: `GET /v1/me/export` gives them everything the
//! service holds about them, and `DELETE /v1/me` erases it. Both are
//! checked against the database itself: every table that holds the person
//! is either in the export or listed as holding nothing to give them
//! (`support::tables::PERSONAL_TABLES`), and after an erasure no table
//! holds them at all.

use std::collections::{BTreeMap, BTreeSet};

use poem::http::Method;
use serde_json::{Value, json};

use crate::{db_test, support::*};

/// Pat's private note, which only Pat's export may hold.
const NOTE: &str = "Marker-note-8e2f";
/// A colleague's private note, which Pat's export must not hold.
const OTHERS_NOTE: &str = "Marker-others-note-8e2f";

/// Pat, who has done a bit of everything, among colleagues.
struct World {
    owner: Session,
    org: String,
    team: String,
    pat: Session,
    colleague: Session,
    /// Pat's habits: kept, archived, deleted.
    habits: Vec<String>,
    /// Pat's acts: a plain act, kudos to the colleague, and one withdrawn.
    acts: Vec<String>,
    /// The kudos the colleague gave Pat, which Pat thanked for.
    received: String,
}

async fn world(app: &TestApp) -> World {
    let (owner, org) = owned_org(app, "owner@example.com", "Acme").await;
    let team = create_team(app, &owner.access, &org, "Support").await;
    let pat = join(
        app,
        &owner.access,
        &org,
        "pat@example.com",
        "admin",
        Some(&team),
    )
    .await;
    let colleague = join_team(app, &owner.access, &org, &team, "cy@example.com").await;

    let kept = daily_habit(app, &pat.access, "Marker-habit-8e2f").await;
    let archived = daily_habit(app, &pat.access, "Stretch").await;
    let deleted = daily_habit(app, &pat.access, "Read").await;
    let noted = json!({"mood": 4, "note": NOTE});
    assert_status(
        &check_in(app, &pat.access, &kept, &day(0), &noted).await,
        200,
    );
    checked_in(app, &pat.access, &kept, &day(-1)).await;
    assert_status(&undo_check_in(app, &pat.access, &kept, &day(-1)).await, 204);
    checked_in(app, &pat.access, &deleted, &day(0)).await;
    patch_habit(app, &pat.access, &archived, &json!({"archived": true})).await;
    assert_status(
        &delete(app, &pat.access, &format!("/v1/habits/{deleted}")).await,
        204,
    );
    paused(app, &pat.access, 3, 5).await;
    let theirs = daily_habit(app, &colleague.access, "Walk").await;
    let private = json!({"note": OTHERS_NOTE});
    assert_status(
        &check_in(app, &colleague.access, &theirs, &day(0), &private).await,
        200,
    );

    let post_act = |token: String, body: Value| {
        let path = team_acts_path(&team);
        async move {
            let reply = app.post(&path, Some(&token), &body).await;
            assert_status(&reply, 201);
            id_of(&reply.json())
        }
    };
    let act = json!({"kind": "act", "category": "help", "message": "Covered the phones"});
    let kudos = json!({"kind": "kudos", "category": "appreciation", "message": "Thank you, Cy",
        "recipient_ids": [colleague.user_id]});
    let withdrawn = json!({"kind": "act", "category": "help", "message": "Posted twice"});
    let acts = vec![
        post_act(pat.access.clone(), act).await,
        post_act(pat.access.clone(), kudos).await,
        post_act(pat.access.clone(), withdrawn).await,
    ];
    assert_status(&delete(app, &pat.access, &act_path(&acts[2])).await, 204);
    let to_pat = json!({"kind": "kudos", "category": "appreciation", "message": "Thanks, Pat",
        "recipient_ids": [pat.user_id]});
    let received = post_act(colleague.access.clone(), to_pat).await;
    assert_status(
        &put(app, &pat.access, &thanks_path(&received), &json!({})).await,
        200,
    );
    invite(app, &pat.access, &org, "member", Some(&team)).await;

    // Two more logins, one of them ended, and a failed attempt.
    let second = relogin(app, &pat).await;
    relogin(app, &pat).await;
    let logout = json!({"refresh_token": second.refresh});
    assert_status(&app.post("/v1/auth/logout", None, &logout).await, 204);
    assert_status(&app.login(&pat.email, "not the password").await, 401);

    World {
        owner,
        org,
        team,
        pat,
        colleague,
        habits: vec![kept, archived, deleted],
        acts,
        received,
    }
}

async fn export(app: &TestApp, person: &Session) -> Value {
    let reply = app.get("/v1/me/export", Some(&person.access)).await;
    assert_status(&reply, 200);
    reply.json()
}

async fn erase(app: &TestApp, person: &Session, password: &str) -> Reply {
    let body = json!({ "password": password });
    app.call(Method::DELETE, "/v1/me", Some(&person.access), Some(&body))
        .await
}

/// The ids of the items of the export's list `name`, under `key`.
fn ids(export: &Value, name: &str, key: &str) -> BTreeSet<String> {
    export[name]
        .as_array()
        .unwrap_or_else(|| panic!("the export has no list {name}: {export}"))
        .iter()
        .map(|item| item[key].as_str().unwrap().to_owned())
        .collect()
}

/// Where the person is in the database, but for the failed-login counters,
/// which every attempt moves.
async fn stored(app: &TestApp, needles: &[Needle]) -> BTreeMap<String, i64> {
    let mut found = tables_holding(app, needles).await;
    found.remove("rate_limit_windows");
    found
}

/// The properties the document's schema `name` lists.
fn properties(spec: &Value, name: &str) -> BTreeSet<String> {
    spec["components"]["schemas"][name]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("no schema {name}"))
        .keys()
        .cloned()
        .collect()
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

db_test! {
    async fn the_export_holds_everything_the_service_keeps_about_the_person(app: TestApp) {
        let world = world(&app).await;
        let reply = app.get("/v1/me/export", Some(&world.pat.access)).await;
        assert_status(&reply, 200);
        assert_eq!(
            reply.header("content-disposition"),
            Some("attachment; filename=\"kindling-export-2026-11-27.json\"")
        );
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        let export = reply.json();

        assert_eq!(export["schema_version"], 1);
        assert_eq!(export["account"]["id"], world.pat.user_id);
        assert_eq!(export["account"]["email"], "pat@example.com");
        let [kept, archived, deleted] = [0, 1, 2].map(|i| world.habits[i].clone());
        assert_eq!(ids(&export, "habits", "id"), BTreeSet::from([kept.clone(), archived.clone()]));
        let archived_flags: Vec<&Value> = export["habits"].as_array().unwrap().iter().map(|h| &h["archived"]).collect();
        assert!(archived_flags.contains(&&json!(true)), "{export}");
        assert_eq!(ids(&export, "deleted_habits", "habit_id"), BTreeSet::from([deleted]));
        let check_ins = export["check_ins"].as_array().unwrap();
        assert_eq!(check_ins.len(), 1, "the deleted habit's check-in went with it: {export}");
        assert_eq!(
            (&check_ins[0]["habit_id"], &check_ins[0]["date"], &check_ins[0]["mood"], &check_ins[0]["note"]),
            (&json!(kept), &json!(day(0)), &json!(4), &json!(NOTE))
        );
        assert_eq!(export["undone_check_ins"], json!([{"habit_id": kept, "date": day(-1), "undone_at": "2026-11-27T09:30:00Z"}]));
        assert_eq!(export["pauses"].as_array().unwrap().len(), 1);
        assert_eq!(export["organisations"], json!([{"org_id": world.org, "name": "Acme", "role": "admin", "joined_at": "2026-11-27T09:30:00Z"}]));
        assert_eq!(ids(&export, "teams", "team_id"), BTreeSet::from([world.team.clone()]));

        let acts = export["acts"].as_array().unwrap();
        assert_eq!(ids(&export, "acts", "id"), world.acts.iter().cloned().collect());
        let by_id = |id: &str| acts.iter().find(|act| act["id"] == id).unwrap();
        assert_eq!(by_id(&world.acts[1])["recipient_ids"], json!([world.colleague.user_id]));
        let withdrawn = by_id(&world.acts[2]);
        assert_eq!((&withdrawn["message"], withdrawn["withdrawn_at"].is_string()), (&json!(""), true), "{withdrawn}");
        assert_eq!(by_id(&world.acts[0])["withdrawn_at"], Value::Null);
        let received = &export["received"];
        assert_eq!(received.as_array().unwrap().len(), 1, "{received}");
        assert_eq!(received[0]["act_id"], world.received);
        assert_eq!((&received[0]["from"], &received[0]["message"]), (&json!("Ana"), &json!("Thanks, Pat")));
        assert!(received[0]["thanked_at"].is_string(), "{received}");

        let progress = get_ok(&app, &world.pat.access, "/v1/me/progress").await;
        assert_eq!(export["xp_total"], progress["xp"]);
        let ledger: i64 = export["xp_entries"].as_array().unwrap().iter().map(|e| e["xp"].as_i64().unwrap()).sum();
        assert_eq!(json!(ledger), progress["xp"], "the ledger adds up to the total");
        let earned: Vec<&Value> = progress["badges"].as_array().unwrap().iter().map(|b| &b["code"]).collect();
        let exported: Vec<&Value> = export["badges"].as_array().unwrap().iter().map(|b| &b["code"]).collect();
        assert_eq!(exported, earned);
        assert_eq!(export["invitations"].as_array().unwrap().len(), 1);
        assert_eq!(export["invitations"][0]["org_id"], world.org);
        let logins = export["logins"].as_array().unwrap();
        assert_eq!(logins.len(), 3, "registration and two logins: {logins:?}");
        assert_eq!(logins.iter().filter(|login| login["revoked_at"].is_string()).count(), 1);
        assert!(!reply.text.contains("token_hash") && !reply.text.contains(&world.pat.refresh));
        assert!(!reply.text.contains(OTHERS_NOTE), "a colleague's note is not Pat's");

        // Every field the document names is there, and nothing else.
        let spec: Value = serde_json::from_str(&kindling::app::openapi().spec()).unwrap();
        assert_eq!(keys(&export), properties(&spec, "ExportDocument"));
        let items = spec["components"]["schemas"]["ExportDocument"]["properties"].as_object().unwrap();
        for (name, schema) in items {
            let Some(item) = schema["items"]["$ref"].as_str() else { continue };
            let item = item.trim_start_matches("#/components/schemas/");
            let first = export[name].get(0).unwrap_or_else(|| panic!("the world leaves {name} empty"));
            assert_eq!(keys(first), properties(&spec, item), "{name}");
        }
    }
}

db_test! {
    async fn every_table_that_holds_a_person_is_in_their_export_or_listed_as_holding_nothing_for_them(app: TestApp) {
        let world = world(&app).await;
        let export = export(&app, &world.pat).await;
        let needles = needles_of(&world.pat, &world.habits);
        let listed: BTreeMap<&str, Exported> = PERSONAL_TABLES.iter().copied().collect();
        for (table, rows) in tables_holding(&app, &needles).await {
            let exported = listed.get(table.as_str()).unwrap_or_else(|| {
                panic!(
                    "{table} holds Pat ({rows} rows) but is neither exported nor listed in \
                     PERSONAL_TABLES as holding nothing for them"
                )
            });
            match exported {
                Exported::Each { lists, owner } => {
                    let items: usize = lists.iter().map(|list| export[list].as_array().unwrap().len()).sum();
                    let own = rows_of(&app, &table, owner, &world.pat.user_id).await;
                    assert!(own > 0 && own <= rows, "{table}: {own} of Pat's own among {rows}");
                    assert_eq!(items as i64, own, "{table}: one item of {lists:?} per row of Pat's");
                }
                Exported::Summed(field) => {
                    let summed = &export[field];
                    let empty = summed.is_null() || summed.as_array().is_some_and(Vec::is_empty);
                    assert!(!empty, "{table} is summed up in {field}: {export}");
                }
                Exported::Not => {}
            }
        }
    }
}

db_test! {
    async fn the_export_is_written_a_piece_at_a_time_however_long_the_history(app: TestApp) {
        let pat = app.register("pat@example.com").await;
        let habits: Vec<String> = new_habits(&app, &pat, 5).await;
        // Ten years of every day on five habits, each with a note: written
        // behind the app's back, as years of use would have.
        let days = 3650;
        for habit in &habits {
            app.execute(&ten_years_sql(&app, habit, &pat.user_id, days)).await;
        }
        let request = app
            .client
            .get("/v1/me/export")
            .header("authorization", format!("Bearer {}", pat.access));
        let response = request.send().await;
        response.assert_status_is_ok();
        let mut body = response.0.into_body().into_bytes_stream();
        let (mut whole, mut pieces, mut largest) = (Vec::new(), 0, 0);
        use tokio_stream::StreamExt;
        while let Some(piece) = body.next().await {
            let piece = piece.expect("the body reads");
            pieces += 1;
            largest = largest.max(piece.len());
            whole.extend_from_slice(&piece);
        }
        assert!(whole.len() > 4_000_000, "{} bytes", whole.len());
        assert!(largest < 512 * 1024, "the largest piece is {largest} bytes");
        assert!(pieces > 8, "{pieces} pieces");
        let export: Value = serde_json::from_slice(&whole).expect("one JSON document");
        let check_ins = export["check_ins"].as_array().unwrap();
        assert_eq!(check_ins.len(), habits.len() * days);
        let distinct: BTreeSet<&str> = check_ins.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(distinct.len(), check_ins.len(), "no row twice across pages");
    }
}

/// `n` daily habits of `person`.
async fn new_habits(app: &TestApp, person: &Session, n: usize) -> Vec<String> {
    let mut habits = Vec::new();
    for i in 0..n {
        habits.push(daily_habit(app, &person.access, &format!("Habit {i}")).await);
    }
    habits
}

/// SQL that gives `habit` a check-in with a note on each of `days` days
/// from 2016-11-27 on.
fn ten_years_sql(app: &TestApp, habit: &str, user: &str, days: usize) -> String {
    let note = "A note of about a hundred characters, as people write when a day went well enough.";
    match app.db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            let blob = |id: &str| format!("X'{}'", id.replace('-', ""));
            format!(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {days})
                 INSERT INTO check_ins (id, habit_id, user_id, local_date, count, mood, note, sync_seq, created_at, updated_at)
                 SELECT randomblob(16), {}, {}, date('2016-11-27', '+' || i || ' days'), 1, 3, '{note}', 0,
                        '2026-11-27T09:30:00+00:00', '2026-11-27T09:30:00+00:00' FROM n",
                blob(habit),
                blob(user)
            )
        }
        _ => format!(
            "INSERT INTO check_ins (id, habit_id, user_id, local_date, count, mood, note, sync_seq, created_at, updated_at)
             SELECT gen_random_uuid(), '{habit}', '{user}', DATE '2016-11-27' + i, 1, 3, '{note}', 0,
                    TIMESTAMPTZ '2026-11-27 09:30:00+00', TIMESTAMPTZ '2026-11-27 09:30:00+00'
             FROM generate_series(0, {days} - 1) AS i"
        ),
    }
}

db_test! {
    async fn the_export_needs_a_live_account(app: TestApp) {
        app.get("/v1/me/export", None).await.assert_problem(401, "unauthorized");
        let pat = app.register("pat@example.com").await;
        assert_status(&erase(&app, &pat, PASSWORD).await, 204);
        app.get("/v1/me/export", Some(&pat.access)).await.assert_problem(401, "invalid_token");
    }
}

db_test! {
    async fn erasing_an_account_leaves_no_trace_of_the_person_and_takes_nothing_from_others(app: TestApp) {
        let world = world(&app).await;
        // Two more thanks from Pat to the same colleague: their awards in
        // the colleague's ledger name Pat too.
        let mut to_pat = vec![world.received.clone()];
        for n in 0..2 {
            let kudos = json!({"kind": "kudos", "category": "appreciation", "message": format!("Again {n}"),
                "recipient_ids": [world.pat.user_id]});
            let posted = id_of(&app.post(&team_acts_path(&world.team), Some(&world.colleague.access), &kudos).await.json());
            assert_status(&put(&app, &world.pat.access, &thanks_path(&posted), &json!({})).await, 200);
            to_pat.push(posted);
        }
        let mut needles = needles_of(&world.pat, &world.habits);
        let export = export(&app, &world.pat).await;
        for id in ids(&export, "check_ins", "id").into_iter().chain(ids(&export, "pauses", "id")) {
            needles.push(Needle::Id(id.parse().unwrap()));
        }
        let colleague_before = get_ok(&app, &world.colleague.access, "/v1/me/progress").await;
        let other = app.another_instance().await;
        let on_other = |token: String| send(other.get("/v1/me").header("authorization", format!("Bearer {token}")));
        assert_status(&on_other(world.pat.access.clone()).await, 200);
        let feed_before = get_ok(&app, &world.colleague.access, &team_acts_path(&world.team)).await;

        // A wrong password changes nothing.
        let before = stored(&app, &needles).await;
        erase(&app, &world.pat, "not the password").await.assert_problem(403, "wrong_password");
        assert_eq!(stored(&app, &needles).await, before);
        assert!(before.contains_key("users") && before.contains_key("check_ins"), "{before:?}");

        assert_status(&erase(&app, &world.pat, PASSWORD).await, 204);
        let left = tables_holding(&app, &needles).await;
        assert!(left.is_empty(), "after erasure these tables still hold Pat: {left:?}");

        // Every token of the account stops at once, on every instance.
        app.get("/v1/me", Some(&world.pat.access)).await.assert_problem(401, "invalid_token");
        on_other(world.pat.access.clone()).await.assert_problem(401, "invalid_token");
        let refresh = json!({"refresh_token": world.pat.refresh});
        app.post("/v1/auth/refresh", None, &refresh).await.assert_problem(401, "invalid_refresh_token");
        app.login(&world.pat.email, PASSWORD).await.assert_problem(401, "invalid_credentials");

        // What Pat wrote to the team stays, by "a former colleague"; the
        // kudos Pat received stays, naming nobody.
        let feed = get_ok(&app, &world.colleague.access, &team_acts_path(&world.team)).await;
        let items = feed["items"].as_array().unwrap();
        assert_eq!(items.len(), feed_before["items"].as_array().unwrap().len(), "{feed}");
        for act in items {
            if to_pat.iter().any(|id| act["id"] == *id) {
                assert_eq!(act["recipients"], json!([]), "{act}");
            } else {
                assert_eq!(act["author"], json!({"user_id": null, "display_name": "a former colleague"}), "{act}");
            }
        }
        let colleague_after = get_ok(&app, &world.colleague.access, "/v1/me/progress").await;
        assert_eq!(colleague_after["xp"], colleague_before["xp"], "the colleague keeps their XP");
        let members = get_ok(&app, &world.owner.access, &members_path(&world.org)).await;
        assert_eq!(members["items"].as_array().unwrap().len(), 2, "{members}");

        // The address may make a new account.
        let again = app.register("pat@example.com").await;
        assert_ne!(again.user_id, world.pat.user_id);
    }
}

db_test! {
    async fn the_sole_owner_of_an_organisation_with_members_must_hand_it_over_first(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let member = join_team(&app, &owner.access, &org, &team, "member@example.com").await;
        let habit = daily_habit(&app, &owner.access, "Walk").await;
        let needles = needles_of(&owner, &[habit]);
        let before = stored(&app, &needles).await;

        let refused = erase(&app, &owner, PASSWORD).await.assert_problem(409, "last_owner");
        assert!(refused["detail"].as_str().unwrap().contains("Acme"), "{refused}");
        assert_eq!(stored(&app, &needles).await, before, "nothing changed");
        get_ok(&app, &owner.access, "/v1/me").await;

        let promote = json!({"role": "owner"});
        assert_status(&patch(&app, &owner.access, &member_path(&org, &member.user_id), &promote).await, 200);
        assert_status(&erase(&app, &owner, PASSWORD).await, 204);
        let left = get_ok(&app, &member.access, &org_path(&org)).await;
        assert_eq!(left["name"], "Acme");
        assert!(tables_holding(&app, &needles).await.is_empty());
    }
}

db_test! {
    async fn an_erasure_refused_for_one_organisation_erases_none_and_a_co_owner_keeps_theirs(app: TestApp) {
        let (pat, empty) = owned_org(&app, "pat@example.com", "Just Pat").await;
        let busy = create_org(&app, &pat.access, "Busy", "UTC").await;
        join(&app, &pat.access, &busy, "member@example.com", "member", None).await;
        let shared = create_org(&app, &pat.access, "Shared", "UTC").await;
        let co_owner = join(&app, &pat.access, &shared, "co@example.com", "owner", None).await;
        let needles = needles_of(&pat, &[]);
        let before = stored(&app, &needles).await;

        let refused = erase(&app, &pat, PASSWORD).await.assert_problem(409, "last_owner");
        assert!(refused["detail"].as_str().unwrap().contains("Busy"), "{refused}");
        assert_eq!(stored(&app, &needles).await, before, "nothing changed");
        get_ok(&app, &pat.access, &org_path(&empty)).await;

        let leave = delete(&app, &pat.access, &member_path(&busy, &pat.user_id)).await;
        assert_eq!(leave.status.as_u16(), 409, "the last owner cannot leave either: {}", leave.text);
        let member = get_ok(&app, &pat.access, &members_path(&busy)).await;
        let member_id = member["items"].as_array().unwrap().iter()
            .find(|m| m["user_id"] != pat.user_id).unwrap()["user_id"].as_str().unwrap().to_owned();
        let promote = json!({"role": "owner"});
        assert_status(&patch(&app, &pat.access, &member_path(&busy, &member_id), &promote).await, 200);
        assert_status(&erase(&app, &pat, PASSWORD).await, 204);
        assert_eq!(app.count("organisations").await, 2, "Busy and Shared stay; Just Pat goes");
        let kept = get_ok(&app, &co_owner.access, &org_path(&shared)).await;
        assert_eq!(kept["role"], "owner");
        assert!(tables_holding(&app, &needles).await.is_empty());
    }
}

db_test! {
    async fn an_organisation_with_nobody_else_in_it_is_erased_with_its_owner(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Solo").await;
        let team = create_team(&app, &owner.access, &org, "Me").await;
        assert_status(&put_member(&app, &owner.access, &team, &owner.user_id, "lead").await, 200);
        let act = json!({"kind": "act", "category": "help", "message": "Tidied the kitchen"});
        assert_status(&app.post(&team_acts_path(&team), Some(&owner.access), &act).await, 201);
        invite(&app, &owner.access, &org, "member", None).await;
        let (other, _) = owned_org(&app, "other@example.com", "Other").await;

        assert_status(&erase(&app, &owner, PASSWORD).await, 204);
        for table in ["teams", "acts", "invitations", "team_members"] {
            assert_eq!(app.count(table).await, 0, "{table}");
        }
        assert_eq!(app.count("organisations").await, 1, "the other organisation stays");
        get_ok(&app, &other.access, "/v1/orgs").await;
    }
}

db_test! {
    async fn wrong_passwords_count_with_the_accounts_logins(app: TestApp) {
        let pat = app.register("pat@example.com").await;
        // The account's limit is 10 failures per 15 minutes from one
        // address; erasure attempts and logins share it.
        for _ in 0..5 {
            erase(&app, &pat, "not the password").await.assert_problem(403, "wrong_password");
            app.login(&pat.email, "not the password either").await.assert_problem(401, "invalid_credentials");
        }
        erase(&app, &pat, "not the password").await.assert_problem(429, "too_many_login_attempts");
        app.login(&pat.email, PASSWORD).await.assert_problem(429, "too_many_login_attempts");
        erase(&app, &pat, PASSWORD).await.assert_problem(429, "too_many_login_attempts");
        get_ok(&app, &pat.access, "/v1/me").await;

        app.clock.advance(chrono::Duration::minutes(15));
        let pat = relogin(&app, &pat).await;
        assert_status(&erase(&app, &pat, PASSWORD).await, 204);
    }
}

db_test! {
    async fn an_erasure_body_without_a_password_is_refused_and_changes_nothing(app: TestApp) {
        let pat = app.register("pat@example.com").await;
        let without = app.call(Method::DELETE, "/v1/me", Some(&pat.access), Some(&json!({}))).await;
        assert_invalid(&without, &["password"], "no password");
        let nothing = app.call(Method::DELETE, "/v1/me", Some(&pat.access), None).await;
        nothing.assert_problem(415, "unsupported_media_type");
        let unparsable = app
            .client
            .delete("/v1/me")
            .header("authorization", format!("Bearer {}", pat.access))
            .content_type("application/json")
            .body("{not json");
        send(unparsable).await.assert_problem(400, "invalid_body");
        app.call(Method::DELETE, "/v1/me", None, Some(&json!({"password": PASSWORD})))
            .await
            .assert_problem(401, "unauthorized");
        get_ok(&app, &pat.access, "/v1/me").await;
        assert_eq!(app.count("users").await, 1);
    }
}

db_test! {
    async fn an_erasure_amid_the_persons_own_requests_leaves_nothing_behind(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        assert_status(&put_member(&app, &owner.access, &team, &owner.user_id, "lead").await, 200);
        for round in 0..3 {
            let email = format!("pat{round}@example.com");
            let pat = join(&app, &owner.access, &org, &email, "admin", Some(&team)).await;
            let habit = daily_habit(&app, &pat.access, "Walk").await;
            let needles = needles_of(&pat, std::slice::from_ref(&habit));
            let kudos = json!({"kind": "kudos", "category": "appreciation", "message": "Thank you",
                "recipient_ids": [pat.user_id]});
            let kudos = id_of(&app.post(&team_acts_path(&team), Some(&owner.access), &kudos).await.json());
            // Each of Pat's devices keeps writing (or reading, or
            // refreshing) until the account is gone under it.
            let app = &app;
            let checking_in = until_refused("check-in", &[200], 401, |n| {
                let body = json!({"count": 1 + n % 5, "note": "racing"});
                let (path, token) = (format!("/v1/habits/{habit}/check-ins/{}", day(0)), pat.access.clone());
                async move { app.call(Method::PUT, &path, Some(&token), Some(&body)).await }
            });
            let creating = until_refused("habit", &[201], 401, |n| {
                let token = pat.access.clone();
                async move { app.post("/v1/habits", Some(&token), &daily(&format!("Habit {n}"))).await }
            });
            let acting = until_refused("act", &[201, 429], 401, |n| {
                let (path, token) = (team_acts_path(&team), pat.access.clone());
                let body = json!({"kind": "act", "category": "help", "message": format!("Act {n}")});
                async move { app.post(&path, Some(&token), &body).await }
            });
            let thanking = until_refused("thanks", &[200], 401, |_| {
                let (path, token) = (thanks_path(&kudos), pat.access.clone());
                async move { put(app, &token, &path, &json!({})).await }
            });
            let inviting = until_refused("invitation", &[201], 401, |_| {
                let (path, token) = (invitations_path(&org), pat.access.clone());
                async move { app.post(&path, Some(&token), &json!({"role": "member"})).await }
            });
            let founding = until_refused("organisation", &[201], 401, |n| {
                let token = pat.access.clone();
                let body = json!({"name": format!("Pat's {n}"), "timezone": "UTC"});
                async move { app.post("/v1/orgs", Some(&token), &body).await }
            });
            let exporting = until_refused("export", &[200], 401, |_| {
                let token = pat.access.clone();
                async move { app.get("/v1/me/export", Some(&token)).await }
            });
            let mut refresh_token = pat.refresh.clone();
            let refreshing = async {
                for _ in 0..200 {
                    let reply = app.post("/v1/auth/refresh", None, &json!({"refresh_token": refresh_token})).await;
                    match reply.status.as_u16() {
                        200 => refresh_token = reply.json()["refresh_token"].as_str().unwrap().to_owned(),
                        401 => return,
                        status => panic!("refresh answered {status}: {}", reply.text),
                    }
                }
                panic!("refreshing never stopped working");
            };
            let erasing = async {
                // Once every device is busy.
                tokio::task::yield_now().await;
                assert_status(&erase(app, &pat, PASSWORD).await, 204);
            };
            tokio::join!(
                erasing, checking_in, creating, acting, thanking, inviting, founding, exporting,
                refreshing
            );
            let left = tables_holding(app, &needles).await;
            assert!(left.is_empty(), "round {round}: Pat is still in {left:?}");
            assert_eq!(app.count("organisations").await, 1, "what Pat founded went with them");
            app.get("/v1/me", Some(&pat.access)).await.assert_problem(401, "invalid_token");
        }
    }
}

db_test! {
    async fn what_colleagues_do_to_a_person_being_erased_is_refused_not_failed(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let other_team = create_team(&app, &owner.access, &org, "Sales").await;
        for round in 0..3 {
            let cast = |who: &str| format!("{who}{round}@example.com");
            let giver = join_team(&app, &owner.access, &org, &team, &cast("cy")).await;
            let withdrawer = join_team(&app, &owner.access, &org, &team, &cast("dee")).await;
            let thanker = join_team(&app, &owner.access, &org, &team, &cast("eve")).await;
            let pat = join_team(&app, &owner.access, &org, &team, &cast("pat")).await;
            let to = |person: &Session, n: u32| {
                json!({"kind": "kudos", "category": "appreciation", "message": format!("Thank you {n}"),
                    "recipient_ids": [person.user_id]})
            };
            let mut from_pat = Vec::new();
            for n in 0..6 {
                let posted = app.post(&team_acts_path(&team), Some(&pat.access), &to(&thanker, n)).await;
                from_pat.push(id_of(&posted.json()));
            }
            let app = &app;
            // Until Pat is gone, kudos to Pat are posted (and withdrawn), and
            // Pat is put into the other team; after, each names nobody.
            let giving = until_refused("kudos", &[201, 429], 422, |n| {
                let (path, token, body) = (team_acts_path(&team), giver.access.clone(), to(&pat, n));
                async move { app.post(&path, Some(&token), &body).await }
            });
            let withdrawing = until_refused("kudos then its withdrawal", &[204, 429], 422, |n| {
                let (path, token, body) = (team_acts_path(&team), withdrawer.access.clone(), to(&pat, n));
                async move {
                    let posted = app.post(&path, Some(&token), &body).await;
                    if posted.status != 201 {
                        return posted;
                    }
                    delete(app, &token, &act_path(&id_of(&posted.json()))).await
                }
            });
            let placing = until_refused("team membership", &[200], 404, |n| {
                let (path, token) = (team_member_path(&other_team, &pat.user_id), owner.access.clone());
                let role = if n % 2 == 0 { "member" } else { "lead" };
                async move { put(app, &token, &path, &json!({"role": role})).await }
            });
            // Thanks to Pat land whether Pat is there or gone.
            let thanking = async {
                for kudos in &from_pat {
                    assert_status(&put(app, &thanker.access, &thanks_path(kudos), &json!({})).await, 200);
                }
            };
            let erasing = async {
                tokio::task::yield_now().await;
                assert_status(&erase(app, &pat, PASSWORD).await, 204);
            };
            tokio::join!(erasing, giving, withdrawing, placing, thanking);
            let left = tables_holding(app, &needles_of(&pat, &[])).await;
            assert!(left.is_empty(), "round {round}: Pat is still in {left:?}");
            assert_balances_match_the_ledger(app).await;
        }
    }
}

/// Sends the `n`-th request `send` makes, from 0, until one answers
/// `refused`; asserts each before it answered one of `done` (the daily
/// limit on acts may answer 429).
async fn until_refused<F, Fut>(what: &str, done: &[u16], refused: u16, send: F)
where
    F: Fn(u32) -> Fut,
    Fut: std::future::Future<Output = Reply>,
{
    for n in 0..200 {
        let reply = send(n).await;
        match reply.status.as_u16() {
            status if status == refused => return,
            status if done.contains(&status) => {}
            status => panic!("{what} {n} answered {status}: {}", reply.text),
        }
    }
    panic!("{what} was never refused");
}
