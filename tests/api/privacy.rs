//! Self-kindness data is its owner's alone: another person reaches none of
//! it, changes none of it, and cannot even tell that it exists.

use poem::http::Method;
use serde_json::{Value, json};

use crate::{db_test, support::*};

/// Everything Ana can see of her own data, and the row counts.
async fn snapshot(app: &TestApp, token: &str, habit: &str) -> Vec<Value> {
    let mut seen = Vec::new();
    for path in [
        format!("/v1/habits/{habit}"),
        "/v1/habits?include_archived=true".to_owned(),
        format!(
            "/v1/habits/{habit}/check-ins?from={}&to={}",
            day(-30),
            day(0)
        ),
        "/v1/me/pauses".to_owned(),
        "/v1/me/today".to_owned(),
        "/v1/sync".to_owned(),
    ] {
        seen.push(get_ok(app, token, &path).await);
    }
    for table in ["habits", "check_ins", "pauses", "sync_tombstones"] {
        seen.push(json!({ table: app.count(table).await }));
    }
    seen
}

db_test! {
    async fn another_person_reaches_none_of_a_habit_and_changes_nothing(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let bo = app.register("bo@example.com").await;

        let habit = create_habit(
            &app,
            &ana.access,
            &json!({"title": "Therapy homework", "category": "self_compassion", "schedule": {"kind": "daily"}, "colour": "#ff00ff", "reminder_time": "20:00"}),
        )
        .await;
        let id = id_of(&habit);
        let gone = daily_habit(&app, &ana.access, "Gone").await;
        let noted = check_in(&app, &ana.access, &id, &day(0), &json!({"mood": 2, "note": "a hard day"})).await;
        assert_status(&noted, 200);
        assert_eq!(noted.json()["note"], "a hard day");
        checked_in(&app, &ana.access, &id, &day(-1)).await;
        checked_in(&app, &ana.access, &id, &day(-2)).await;
        assert_status(&undo_check_in(&app, &ana.access, &id, &day(-2)).await, 204);
        assert_status(&delete(&app, &ana.access, &format!("/v1/habits/{gone}")).await, 204);
        let pause = app
            .post("/v1/me/pauses", Some(&ana.access), &json!({"starts_on": day(3), "ends_on": day(5)}))
            .await;
        assert_status(&pause, 201);
        let pause = id_of(&pause.json());
        let read = app.get(&format!("/v1/habits/{id}"), Some(&ana.access)).await;
        assert_status(&read, 200);
        let tag = read.header("etag").expect("an ETag").to_owned();
        let before = snapshot(&app, &ana.access, &id).await;

        let habit_path = format!("/v1/habits/{id}");
        let day_path = format!("{habit_path}/check-ins/{}", day(0));
        let bo_token = Some(bo.access.as_str());
        let attempts = [
            ("GET habit", app.get(&habit_path, bo_token).await),
            ("GET habit with her tag", get_if_none_match(&app, &bo.access, &habit_path, &tag).await),
            ("PATCH habit", app.patch(&habit_path, bo_token, &json!({"title": "Mine now"})).await),
            ("PATCH habit archived", app.patch(&habit_path, bo_token, &json!({"archived": true})).await),
            ("DELETE habit", delete(&app, &bo.access, &habit_path).await),
            ("PUT check-in", put(&app, &bo.access, &day_path, &json!({})).await),
            ("PUT check-in with fields", put(&app, &bo.access, &day_path, &json!({"count": 1, "mood": 5, "note": "hi"})).await),
            ("PUT check-in on a new day", put(&app, &bo.access, &format!("{habit_path}/check-ins/{}", day(-3)), &json!({})).await),
            ("DELETE check-in", delete(&app, &bo.access, &day_path).await),
            ("GET check-ins", app.get(&format!("{habit_path}/check-ins"), bo_token).await),
            (
                "GET check-ins in a range",
                app.get(&format!("{habit_path}/check-ins?from={}&to={}", day(-30), day(0)), bo_token).await,
            ),
            ("DELETE pause", delete(&app, &bo.access, &format!("/v1/me/pauses/{pause}")).await),
        ];
        for (what, reply) in attempts {
            assert_eq!(reply.status.as_u16(), 404, "{what}: {}", reply.text);
            let problem = reply.assert_problem(404, "not_found");
            assert!(!problem.to_string().contains("Therapy"), "{what} leaks: {problem}");
        }
        // The answers for her habit and for no habit at all are the same.
        let nobody = app.get("/v1/habits/01938a6e-7c00-7000-8000-000000000000", bo_token).await.json();
        let hers = app.get(&habit_path, bo_token).await.json();
        assert_eq!(hers["detail"], nobody["detail"]);
        assert_eq!(hers["title"], nobody["title"]);

        let reply = app
            .post(
                "/v1/check-ins/batch",
                bo_token,
                &json!({"items": [
                    {"habit_id": id, "date": day(0), "count": 3},
                    {"habit_id": id, "date": day(-1), "deleted": true},
                ]}),
            )
            .await;
        assert_status(&reply, 200);
        let results = reply.json()["results"].clone();
        for result in results.as_array().unwrap() {
            assert_eq!(result["status"], "rejected", "{result}");
            assert_eq!(result["error"]["code"], "not_found", "{result}");
            assert!(result["check_in"].is_null(), "{result}");
        }

        // A create that borrows her habit's id takes nothing and shows nothing.
        let mut borrowed = json!({"title": "Therapy homework", "category": "self_compassion", "schedule": {"kind": "daily"}, "colour": "#ff00ff", "reminder_time": "20:00"});
        borrowed["id"] = json!(id);
        let reply = app.post("/v1/habits", bo_token, &borrowed).await;
        // The id is taken, whoever holds it: 409, as for any used id.
        reply.assert_problem(409, "id_conflict");
        assert!(!reply.text.contains("20:00") && !reply.text.contains("Therapy"), "{}", reply.text);

        assert_eq!(snapshot(&app, &ana.access, &id).await, before, "Ana's data changed");

        // Bo's own views hold nothing of Ana's.
        for path in ["/v1/habits", "/v1/habits?include_archived=true", "/v1/me/today", "/v1/me/pauses"] {
            let body = get_ok(&app, &bo.access, path).await;
            assert_eq!(body["items"], json!([]), "{path}: {body}");
        }
        let sync = get_ok(&app, &bo.access, "/v1/sync").await;
        assert_eq!(sync["habits"], json!([]), "{sync}");
        assert_eq!(sync["check_ins"], json!([]), "{sync}");
        assert_eq!(sync["deleted"], json!([]), "{sync}");
        assert_eq!(sync["has_more"], false);
    }
}

db_test! {
    async fn one_persons_sync_cursor_shows_nothing_of_anothers_changes(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let bo = app.register("bo@example.com").await;
        let bo_habit = daily_habit(&app, &bo.access, "Bo's").await;
        let bo_page = get_ok(&app, &bo.access, "/v1/sync").await;
        let cursor = bo_page["next_cursor"].as_str().unwrap().to_owned();

        let id = daily_habit(&app, &ana.access, "Ana's").await;
        for offset in 0..5 {
            checked_in(&app, &ana.access, &id, &day(-offset)).await;
        }
        assert_status(&undo_check_in(&app, &ana.access, &id, &day(-4)).await, 204);
        // Bo's feed and Ana's are numbered apart: an old cursor of Bo's
        // still shows only Bo's changes.
        let later = get_ok(&app, &bo.access, &format!("/v1/sync?since={cursor}")).await;
        assert_eq!(later["habits"], json!([]));
        assert_eq!(later["check_ins"], json!([]));
        assert_eq!(later["deleted"], json!([]));
        let everything = get_ok(&app, &bo.access, "/v1/sync").await;
        let ids: Vec<String> = everything["habits"].as_array().unwrap().iter().map(id_of).collect();
        assert_eq!(ids, vec![bo_habit]);
        assert!(everything["check_ins"].as_array().unwrap().is_empty(), "{everything}");
        assert!(everything["deleted"].as_array().unwrap().is_empty(), "{everything}");
        assert!(!everything.to_string().contains(&id), "{everything}");
    }
}

db_test! {
    async fn habit_routes_need_a_token(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Walk").await;
        let check_in_path = format!("/v1/habits/{id}/check-ins/{}", day(0));
        let calls: Vec<(Method, String, Option<Value>)> = vec![
            (Method::GET, "/v1/habits".to_owned(), None),
            (Method::POST, "/v1/habits".to_owned(), Some(json!({"title": "X", "category": "rest", "schedule": {"kind": "daily"}}))),
            (Method::GET, format!("/v1/habits/{id}"), None),
            (Method::PATCH, format!("/v1/habits/{id}"), Some(json!({"title": "X"}))),
            (Method::DELETE, format!("/v1/habits/{id}"), None),
            (Method::PUT, check_in_path.clone(), Some(json!({}))),
            (Method::DELETE, check_in_path, None),
            (Method::GET, format!("/v1/habits/{id}/check-ins"), None),
            (Method::GET, "/v1/me/today".to_owned(), None),
            (Method::POST, "/v1/me/pauses".to_owned(), Some(json!({"starts_on": day(0), "ends_on": day(1)}))),
            (Method::GET, "/v1/me/pauses".to_owned(), None),
            (Method::POST, "/v1/check-ins/batch".to_owned(), Some(json!({"items": [{"habit_id": id, "date": day(0)}]}))),
            (Method::GET, "/v1/sync".to_owned(), None),
        ];
        for (method, path, body) in calls {
            let reply = app.call(method.clone(), &path, None, body.as_ref()).await;
            assert_eq!(reply.status.as_u16(), 401, "{method} {path}: {}", reply.text);
            reply.assert_problem(401, "unauthorized");
        }
        assert_eq!(app.count("habits").await, 1);
        assert_eq!(app.count("check_ins").await, 0);
        assert_eq!(app.count("pauses").await, 0);
    }
}

/// A person's XP, awards and badges are theirs alone, like their habits:
/// every `GET` route of the OpenAPI document (so a new route is walked as
/// soon as it exists), called with the ids of Pat's habit, pause, team,
/// acts, challenge and invitation by every other role and by nobody, answers
/// none of Pat's progress, nor a word of Pat's habit; and kudos Pat shares
/// with its recipient only reach nobody else.
mod progress_walk {
    use std::collections::BTreeMap;

    use serde_json::{Value, json};

    use crate::{db_test, support::*};

    /// The fields of a person's progress: only `/v1/me/progress` and the
    /// export have them, each answering the caller's own.
    const PROGRESS_FIELDS: [&str; 6] = [
        "xp",
        "level",
        "xp_for_next_level",
        "badges",
        "earned_at",
        "recent_awards",
    ];

    /// The message of kudos Pat shares with its recipient only.
    const PRIVATE_KUDOS: &str = "Marker-private-kudos-5d1c";

    /// Routes that answer the caller's own progress.
    const OWN_PROGRESS: [&str; 2] = ["/v1/me/progress", "/v1/me/export"];

    /// What gives Pat's progress or habits away.
    struct Markers {
        xp: i64,
        /// Pat's habit and pause ids, the habit's title, a note, and the
        /// one date only Pat's check-in has.
        words: Vec<String>,
    }

    impl Markers {
        /// What of Pat's the answer shows. Only the routes of
        /// [`OWN_PROGRESS`] have the fields of progress, and they answer
        /// the caller's own: there only Pat's values count. Nobody but Pat
        /// gave a mood, so any mood is Pat's.
        fn found_in(&self, path: &str, text: &str) -> Vec<String> {
            let own_progress = OWN_PROGRESS.contains(&path);
            let mut found: Vec<String> = self
                .words
                .iter()
                .filter(|word| text.contains(word.as_str()))
                .cloned()
                .collect();
            if let Ok(body) = serde_json::from_str::<Value>(text) {
                walk(&body, &mut |key, value| {
                    if !own_progress && PROGRESS_FIELDS.contains(&key) {
                        found.push(format!("a field `{key}`"));
                    }
                    if value.as_i64() == Some(self.xp) {
                        found.push(format!("{key}: {} (Pat's XP)", self.xp));
                    }
                    if key == "mood" && !value.is_null() {
                        found.push(format!("mood: {value} (Pat's mood)"));
                    }
                });
            }
            found
        }
    }

    /// Calls `visit` with every key and value in `body`, at any depth.
    fn walk(body: &Value, visit: &mut impl FnMut(&str, &Value)) {
        match body {
            Value::Object(fields) => {
                for (key, value) in fields {
                    visit(key, value);
                    walk(value, visit);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, visit)),
            _ => {}
        }
    }

    /// Every `GET` path of the document with its parameters filled in.
    fn get_paths(ids: &BTreeMap<&str, String>) -> Vec<String> {
        let spec: Value = serde_json::from_str(&kindling::app::openapi().spec()).unwrap();
        let mut paths = Vec::new();
        for (template, item) in spec["paths"].as_object().unwrap() {
            if item.get("get").is_none() {
                continue;
            }
            let mut path = template.clone();
            while let Some(start) = path.find('{') {
                let end = path[start..].find('}').unwrap() + start;
                // `{id}` is a habit's under /v1/habits, a pause's under
                // /v1/me/pauses.
                let name = match &path[start + 1..end] {
                    "id" if template.starts_with("/v1/me/pauses") => "pause_id",
                    "id" => "habit_id",
                    name => name,
                };
                let value = ids.get(name).unwrap_or_else(|| {
                    panic!("the walk has no value for {{{name}}} in {template}")
                });
                path.replace_range(start..=end, value);
            }
            paths.push(path);
        }
        paths
    }

    db_test! {
        async fn no_route_answers_another_persons_progress_or_habits(app: TestApp) {
            let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
            patch(&app, &owner.access, &org_path(&org), &json!({"team_leaderboard_enabled": true})).await;
            let team = create_team(&app, &owner.access, &org, "Support").await;
            let other_team = create_team(&app, &owner.access, &org, "Finance").await;
            let pat = join_team(&app, &owner.access, &org, &team, "pat@example.com").await;
            let colleague = join_team(&app, &owner.access, &org, &team, "cy@example.com").await;
            let lead = join_team(&app, &owner.access, &org, &team, "lee@example.com").await;
            assert_status(&put_member(&app, &owner.access, &team, &lead.user_id, "lead").await, 200);
            let admin = join(&app, &owner.access, &org, "ada@example.com", "admin", None).await;
            let hr = join(&app, &owner.access, &org, "hal@example.com", "hr", None).await;
            let elsewhere = join_team(&app, &owner.access, &org, &other_team, "eli@example.com").await;
            let (stranger, _) = owned_org(&app, "sam@example.com", "Elsewhere").await;

            let habit = new_habit(
                &app,
                &pat.access,
                &json!({"title": "Marker-habit-5d1c", "category": "rest", "schedule": {"kind": "daily"}}),
            )
            .await;
            let noted = check_in(&app, &pat.access, &habit, &day(0), &json!({"mood": 2, "note": "Marker-note-5d1c"})).await;
            assert_status(&noted, 200);
            checked_in(&app, &pat.access, &habit, &day(-1)).await;
            checked_in(&app, &pat.access, &habit, &day(-2)).await;
            let pause = id_of(&paused(&app, &pat.access, 3, 5).await);
            let act = app
                .post(&team_acts_path(&team), Some(&pat.access), &json!({"kind": "act", "category": "help", "message": "Covered the phones"}))
                .await;
            assert_status(&act, 201);
            let act = id_of(&act.json());
            let kudos = |to: &Session| json!({"kind": "kudos", "category": "appreciation", "message": "Thank you", "recipient_ids": [to.user_id]});
            assert_status(&app.post(&team_acts_path(&team), Some(&colleague.access), &kudos(&pat)).await, 201);
            let given = app.post(&team_acts_path(&team), Some(&pat.access), &kudos(&colleague)).await;
            assert_status(&given, 201);
            assert_status(&put(&app, &colleague.access, &thanks_path(&id_of(&given.json())), &json!({})).await, 200);
            // Kudos only its author and recipient may see.
            let mut private = kudos(&colleague);
            private["message"] = json!(PRIVATE_KUDOS);
            private["visibility"] = json!("recipients");
            let private = app.post(&team_acts_path(&team), Some(&pat.access), &private).await;
            assert_status(&private, 201);
            let private = id_of(&private.json());
            let challenge = app
                .post(
                    &format!("/v1/orgs/{org}/challenges"),
                    Some(&owner.access),
                    &json!({"title": "Kind days", "metric": "check_ins", "target": 2, "starts_on": day(-1), "ends_on": day(6)}),
                )
                .await;
            assert_status(&challenge, 201);
            let code = invite(&app, &owner.access, &org, "member", Some(&team)).await;

            let progress = get_ok(&app, &pat.access, "/v1/me/progress").await;
            let markers = Markers {
                xp: progress["xp"].as_i64().unwrap(),
                // Nothing else falls on day -2: the challenge starts on day
                // -1, acts and the pause later.
                words: vec![habit.clone(), pause.clone(), "Marker-habit-5d1c".into(), "Marker-note-5d1c".into(), day(-2)],
            };
            // Three days, the 3-day milestone, an act, two kudos given, kudos
            // received, thanks.
            assert_eq!(markers.xp, 3 * 10 + 15 + 15 + 2 * 15 + 5 + 2, "{progress}");
            assert!(!progress["badges"].as_array().unwrap().is_empty(), "{progress}");

            let ids = BTreeMap::from([
                ("habit_id", habit.clone()),
                ("pause_id", pause),
                ("org_id", org),
                ("team_id", team),
                ("act_id", act),
                ("challenge_id", id_of(&challenge.json())),
                ("code", code),
            ]);
            // Every route once with Pat's team act, and the act routes again
            // with the kudos only its recipient may see.
            let mut paths = get_paths(&ids);
            let mut with_private = ids.clone();
            with_private.insert("act_id", private);
            for path in get_paths(&with_private) {
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
            assert!(OWN_PROGRESS.iter().all(|own| paths.contains(&own.to_string())), "{paths:?}");

            // Pat's own answers show all of it: the markers would be found.
            let mut shown = Vec::new();
            for path in &paths {
                shown.extend(markers.found_in(path, &app.get(path, Some(&pat.access)).await.text));
            }
            let xp = format!("xp: {} (Pat's XP)", markers.xp);
            for expected in [xp.as_str(), "Marker-habit-5d1c", "Marker-note-5d1c", &day(-2), "mood: 2 (Pat's mood)"] {
                assert!(shown.iter().any(|found| found == expected), "Pat's own answers lack {expected}: {shown:?}");
            }

            let callers = [
                ("the owner", Some(&owner)),
                ("an admin", Some(&admin)),
                ("hr", Some(&hr)),
                ("the team's lead", Some(&lead)),
                ("a colleague in the team", Some(&colleague)),
                ("a member of another team", Some(&elsewhere)),
                ("another organisation's owner", Some(&stranger)),
                ("nobody", None),
            ];
            let mut recipient_saw_the_kudos = false;
            for (who, caller) in callers {
                for path in &paths {
                    let reply = app.get(path, caller.map(|session| session.access.as_str())).await;
                    let found = markers.found_in(path, &reply.text);
                    assert!(found.is_empty(), "GET {path} as {who} answers {found:?}: {}", reply.text);
                    let shows_kudos = reply.text.contains(PRIVATE_KUDOS);
                    if caller.is_some_and(|session| session.user_id == colleague.user_id) {
                        recipient_saw_the_kudos |= shows_kudos;
                    } else {
                        assert!(!shows_kudos, "GET {path} as {who} shows kudos meant for its recipient");
                    }
                }
            }
            assert!(recipient_saw_the_kudos, "the recipient reads the kudos somewhere");
        }
    }
}
