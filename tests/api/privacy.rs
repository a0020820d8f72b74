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
