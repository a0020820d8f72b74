//! `/v1/habits`: creating (with client ids), validating, listing, reading,
//! changing, archiving and deleting habits; entity tags on the polled
//! resources; `/v1/me/today`; and pauses.

use chrono::Duration;
use poem::http::Method;
use serde_json::{Value, json};

use crate::{db_test, support::*};

// ---------------------------------------------------------------- creating

db_test! {
    async fn creating_a_habit_returns_201_with_its_location_and_the_defaults(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let water = json!({"title": "  Drink water ", "category": "nourishment", "schedule": {"kind": "daily"}});
        let reply = post(&app, &ana.access, "/v1/habits", &water).await;
        assert_status(&reply, 201);
        let body = reply.json();
        let id = id_of(&body);
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
        assert_eq!(reply.header("location"), Some(format!("/v1/habits/{id}").as_str()));
        assert_eq!(body["title"], "Drink water");
        assert_eq!(body["category"], "nourishment");
        assert_eq!(body["schedule"], json!({"kind": "daily"}));
        assert_eq!(body["target_per_day"], 1);
        assert_eq!(body["archived"], false);
        assert!(body["reminder_time"].is_null());
        assert!(body["colour"].is_null());
        assert!(body["icon"].is_null());
        assert_eq!(body["created_at"], "2026-11-27T09:30:00Z");
        assert_eq!(body["updated_at"], "2026-11-27T09:30:00Z");
        assert_eq!(
            body["streak"],
            json!({"current": 0, "longest": 0, "rest_days_available": 0, "last_completed_on": null, "unit": "day", "rhythm": 0.0})
        );
        assert_eq!(habit(&app, &ana.access, &id).await, body);
        assert_eq!(app.count("habits").await, 1);
    }
}

db_test! {
    async fn a_habit_keeps_every_field_it_was_created_with(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let body = create_habit(
            &app,
            &ana.access,
            &json!({
                "title": "Stretch",
                "category": "movement",
                "schedule": {"kind": "weekdays", "days": [5, 1, 3]},
                "target_per_day": 3,
                "reminder_time": "07:45",
                "colour": "#FFAA00",
                "icon": "yoga",
            }),
        )
        .await;
        assert_eq!(body["schedule"], json!({"kind": "weekdays", "days": [1, 3, 5]}));
        assert_eq!(body["target_per_day"], 3);
        assert_eq!(body["reminder_time"], "07:45");
        assert_eq!(body["colour"], "#ffaa00");
        assert_eq!(body["icon"], "yoga");
        assert_eq!(body["streak"]["unit"], "day");

        let weekly = create_habit(
            &app,
            &ana.access,
            &json!({"title": "Call a friend", "category": "connection", "schedule": {"kind": "times_per_week", "times": 3}}),
        )
        .await;
        assert_eq!(weekly["schedule"], json!({"kind": "times_per_week", "times": 3}));
        assert_eq!(weekly["streak"]["unit"], "week");
        assert_eq!(weekly["streak"]["current"], 0);
    }
}

db_test! {
    async fn creating_a_habit_with_a_client_id_twice_returns_the_stored_habit(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = "01938a6e-7c00-7000-8000-00000000abcd";
        let mut body = daily("Walk outside");
        body["id"] = json!(id);
        body["colour"] = json!("#00FF00");
        let first = app.post("/v1/habits", Some(&ana.access), &body).await;
        assert_status(&first, 201);
        assert_eq!(first.json()["id"], id);
        assert_eq!(first.header("location"), Some(format!("/v1/habits/{id}").as_str()));

        app.clock.advance(Duration::seconds(5));
        let replay = app.post("/v1/habits", Some(&ana.access), &body).await;
        assert_status(&replay, 200);
        assert_eq!(replay.json(), first.json());
        assert_eq!(app.count("habits").await, 1);
        let list = get_ok(&app, &ana.access, "/v1/habits").await;
        assert_eq!(habit_ids(&list["items"]), vec![id.to_owned()]);
    }
}

db_test! {
    async fn reusing_a_client_id_with_a_different_body_is_a_409_and_writes_nothing(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = "01938a6e-7c00-7000-8000-00000000beef";
        let mut body = daily("Walk outside");
        body["id"] = json!(id);
        let stored = create_habit(&app, &ana.access, &body).await;

        for (field, value) in [
            ("title", json!("Walk inside")),
            ("category", json!("movement")),
            ("target_per_day", json!(2)),
            ("schedule", json!({"kind": "times_per_week", "times": 2})),
        ] {
            let mut other = body.clone();
            other[field] = value;
            app.post("/v1/habits", Some(&ana.access), &other)
                .await
                .assert_problem(409, "id_conflict");
        }
        assert_eq!(app.count("habits").await, 1);
        assert_eq!(habit(&app, &ana.access, id).await, stored);
    }
}

db_test! {
    async fn each_invalid_field_of_a_new_habit_is_a_422_naming_it_and_nothing_is_written(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let with = |field: &str, value: Value| {
            let mut body = daily("Rest");
            body[field] = value;
            body
        };
        let cases: Vec<(Value, &[&str], &str)> = vec![
            (with("title", json!("")), &["title"], "an empty title"),
            (with("title", json!("   ")), &["title"], "a blank title"),
            (with("title", json!("x".repeat(121))), &["title"], "a 121-character title"),
            (with("category", json!("gardening")), &["category"], "an unknown category"),
            (with("schedule", json!({"kind": "weekdays"})), &["schedule.days"], "weekdays without days"),
            (with("schedule", json!({"kind": "weekdays", "days": []})), &["schedule.days"], "weekdays with no days"),
            (with("schedule", json!({"kind": "weekdays", "days": [0]})), &["schedule.days"], "weekday 0"),
            (with("schedule", json!({"kind": "weekdays", "days": [1, 8]})), &["schedule.days"], "weekday 8"),
            (with("schedule", json!({"kind": "weekdays", "days": [2, 2]})), &["schedule.days"], "a repeated weekday"),
            (with("schedule", json!({"kind": "times_per_week", "times": 0})), &["schedule.times"], "0 times a week"),
            (with("schedule", json!({"kind": "times_per_week", "times": 8})), &["schedule.times"], "8 times a week"),
            (with("schedule", json!({"kind": "times_per_week"})), &["schedule.times"], "times_per_week without times"),
            (with("schedule", json!({"kind": "daily", "days": [1]})), &["schedule.days"], "daily with days"),
            (with("schedule", json!({"kind": "hourly"})), &["schedule.kind"], "an unknown kind"),
            (with("schedule", json!({"days": [1]})), &["schedule.kind"], "no kind"),
            (with("schedule", json!("daily")), &["schedule"], "a kind for a schedule"),
            (with("schedule", json!({"kind": "daily", "days": null})), &["schedule.days"], "daily with null days"),
            (with("schedule", json!({"kind": "daily", "every": 2})), &["schedule.every"], "a field of no schedule"),
            (with("schedule", json!({"kind": "weekdays", "days": "1,3"})), &["schedule.days"], "days as a string"),
            (with("schedule", json!({"kind": "times_per_week", "times": null})), &["schedule.times"], "null times"),
            (with("schedule", json!({"kind": "weekdays", "days": [1], "times": 1})), &["schedule.times"], "weekdays with times"),
            (with("target_per_day", json!(0)), &["target_per_day"], "a target of 0"),
            (with("target_per_day", json!(51)), &["target_per_day"], "a target of 51"),
            (with("reminder_time", json!("25:00")), &["reminder_time"], "reminder 25:00"),
            (with("reminder_time", json!("7:30")), &["reminder_time"], "reminder 7:30"),
            (with("colour", json!("red")), &["colour"], "colour red"),
            (with("icon", json!("i".repeat(65))), &["icon"], "a 65-character icon"),
            (
                json!({"title": "", "category": "nope", "schedule": {"kind": "daily"}, "target_per_day": 99, "colour": "blue"}),
                &["title", "category", "target_per_day", "colour"],
                "several invalid fields at once",
            ),
        ];
        for (body, fields, why) in cases {
            let reply = app.post("/v1/habits", Some(&ana.access), &body).await;
            assert_invalid(&reply, fields, why);
        }
        assert_eq!(app.count("habits").await, 0);

        // The limits themselves are fine.
        create_habit(&app, &ana.access, &with("title", json!("x".repeat(120)))).await;
        create_habit(&app, &ana.access, &with("target_per_day", json!(50))).await;
        create_habit(&app, &ana.access, &with("icon", json!("i".repeat(64)))).await;
        create_habit(&app, &ana.access, &with("reminder_time", json!("23:59"))).await;
        assert_eq!(app.count("habits").await, 4);
    }
}

// ---------------------------------------------------------------- reading

db_test! {
    async fn listing_habits_leaves_out_archived_ones_unless_asked(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let first = daily_habit(&app, &ana.access, "First").await;
        app.clock.advance(Duration::seconds(1));
        let second = daily_habit(&app, &ana.access, "Second").await;
        app.clock.advance(Duration::seconds(1));
        let third = daily_habit(&app, &ana.access, "Third").await;
        let archived = patch_habit(&app, &ana.access, &second, &json!({"archived": true})).await;
        assert_eq!(archived["archived"], true);

        for path in ["/v1/habits", "/v1/habits?include_archived=false"] {
            let active = get_ok(&app, &ana.access, path).await;
            assert_eq!(habit_ids(&active["items"]), vec![first.clone(), third.clone()], "{path}");
        }
        let all = get_ok(&app, &ana.access, "/v1/habits?include_archived=true").await;
        assert_eq!(habit_ids(&all["items"]), vec![first, second, third]);
        assert_eq!(all["items"][1]["archived"], true);
        assert!(all["items"][0]["streak"].is_object());
    }
}

db_test! {
    async fn reading_a_habit_returns_it_and_an_unknown_id_is_a_404(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let created = create_habit(&app, &ana.access, &daily("Read")).await;
        assert_eq!(habit(&app, &ana.access, &id_of(&created)).await, created);
        app.get("/v1/habits/01938a6e-7c00-7000-8000-000000000000", Some(&ana.access))
            .await
            .assert_problem(404, "not_found");
        let not_an_id = app.get("/v1/habits/not-a-uuid", Some(&ana.access)).await;
        assert_invalid(&not_an_id, &["id"], "a habit id that is no UUID");
    }
}

// ---------------------------------------------------------------- changing

db_test! {
    async fn patching_a_habit_changes_only_the_given_fields_and_null_clears(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let created = create_habit(
            &app,
            &ana.access,
            &json!({"title": "Tea", "category": "joy", "schedule": {"kind": "daily"}, "colour": "#123456", "icon": "cup", "reminder_time": "16:00"}),
        )
        .await;
        let id = id_of(&created);

        app.clock.advance(Duration::minutes(1));
        let renamed = patch_habit(&app, &ana.access, &id, &json!({"title": "Green tea"})).await;
        let expected = json!({
            "title": "Green tea", "colour": "#123456", "icon": "cup", "reminder_time": "16:00", "category": "joy",
            "created_at": "2026-11-27T09:30:00Z", "updated_at": "2026-11-27T09:31:00Z",
        });
        assert_has(&renamed, &expected, "renamed");

        let cleared = patch_habit(&app, &ana.access, &id, &json!({"colour": null})).await;
        let expected = json!({"colour": null, "icon": "cup", "reminder_time": "16:00", "title": "Green tea"});
        assert_has(&cleared, &expected, "the colour cleared");

        let change = json!({"schedule": {"kind": "weekdays", "days": [2, 4]}, "target_per_day": 2, "category": "mindfulness", "reminder_time": null, "icon": "leaf"});
        let changed = patch_habit(&app, &ana.access, &id, &change).await;
        assert_eq!(changed["schedule"], json!({"kind": "weekdays", "days": [2, 4]}));
        let expected = json!({"target_per_day": 2, "category": "mindfulness", "reminder_time": null, "icon": "leaf"});
        assert_has(&changed, &expected, "several fields changed");
        assert_eq!(habit(&app, &ana.access, &id).await, changed);
        assert_eq!(patch_habit(&app, &ana.access, &id, &json!({})).await, changed);
    }
}

db_test! {
    async fn an_invalid_patch_is_a_422_naming_each_field_and_changes_nothing(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let created = create_habit(&app, &ana.access, &daily("Nap")).await;
        let path = format!("/v1/habits/{}", id_of(&created));
        let cases: Vec<(Value, &[&str], &str)> = vec![
            (json!({"title": ""}), &["title"], "an empty title"),
            (json!({"category": "sleeping"}), &["category"], "an unknown category"),
            (json!({"schedule": {"kind": "weekdays", "days": [0]}}), &["schedule.days"], "weekday 0"),
            (json!({"schedule": null}), &["schedule"], "a null schedule"),
            (json!({"schedule": {"kind": "times_per_week", "times": 2, "days": [1]}}), &["schedule.days"], "times_per_week with days"),
            (json!({"target_per_day": 51}), &["target_per_day"], "a target of 51"),
            (json!({"colour": "red"}), &["colour"], "colour red"),
            (json!({"reminder_time": "25:00"}), &["reminder_time"], "reminder 25:00"),
            (
                json!({"title": "Fine", "icon": "", "target_per_day": 0}),
                &["target_per_day", "icon"],
                "valid and invalid fields together",
            ),
        ];
        for (body, fields, why) in cases {
            let reply = app.patch(&path, Some(&ana.access), &body).await;
            assert_invalid(&reply, fields, why);
        }
        assert_eq!(get_ok(&app, &ana.access, &path).await, created);
        app.patch(
            "/v1/habits/01938a6e-7c00-7000-8000-000000000000",
            Some(&ana.access),
            &json!({"title": "Ghost"}),
        )
        .await
        .assert_problem(404, "not_found");
    }
}

db_test! {
    async fn archiving_a_habit_hides_it_until_it_is_restored(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Journal").await;
        let archived = patch_habit(&app, &ana.access, &id, &json!({"archived": true})).await;
        assert_has(&archived, &json!({"archived": true, "title": "Journal"}), "archived");
        assert_eq!(habit(&app, &ana.access, &id).await["archived"], true);
        assert!(habit_ids(&get_ok(&app, &ana.access, "/v1/habits").await["items"]).is_empty());
        assert!(habit_ids(&today(&app, &ana.access).await["items"]).is_empty());

        let restored = patch_habit(&app, &ana.access, &id, &json!({"archived": false})).await;
        assert_eq!(restored["archived"], false);
        assert_eq!(habit_ids(&get_ok(&app, &ana.access, "/v1/habits").await["items"]), vec![id.clone()]);
        assert_eq!(habit_ids(&today(&app, &ana.access).await["items"]), vec![id]);
    }
}

db_test! {
    async fn deleting_a_habit_is_204_then_404_and_takes_its_check_ins_with_it(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Breathe").await;
        let kept = daily_habit(&app, &ana.access, "Kept").await;
        checked_in_on(&app, &ana.access, &id, [0, -1, -2]).await;
        checked_in(&app, &ana.access, &kept, &day(0)).await;
        assert_eq!(app.count("check_ins").await, 4);

        let path = format!("/v1/habits/{id}");
        let deleted = delete(&app, &ana.access, &path).await;
        assert_status(&deleted, 204);
        assert!(deleted.text.is_empty());
        app.get(&path, Some(&ana.access)).await.assert_problem(404, "not_found");
        delete(&app, &ana.access, &path).await.assert_problem(404, "not_found");
        app.get(&format!("{path}/check-ins"), Some(&ana.access))
            .await
            .assert_problem(404, "not_found");
        check_in(&app, &ana.access, &id, &day(0), &json!({}))
            .await
            .assert_problem(404, "not_found");

        assert_eq!(app.count("habits").await, 1);
        assert_eq!(app.count("check_ins").await, 1);
        assert_eq!(habit_ids(&get_ok(&app, &ana.access, "/v1/habits?include_archived=true").await["items"]), vec![kept]);
    }
}

db_test! {
    async fn a_deleted_habits_client_id_cannot_be_reused(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = "01938a6e-7c00-7000-8000-00000000dead";
        let mut body = daily("Once");
        body["id"] = json!(id);
        create_habit(&app, &ana.access, &body).await;
        assert_status(&delete(&app, &ana.access, &format!("/v1/habits/{id}")).await, 204);
        app.post("/v1/habits", Some(&ana.access), &body)
            .await
            .assert_problem(409, "id_conflict");
        assert_eq!(app.count("habits").await, 0);
    }
}

// ---------------------------------------------------------------- entity tags

db_test! {
    async fn polled_resources_answer_if_none_match_with_304_until_a_check_in(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Water").await;
        let paths = ["/v1/habits".to_owned(), format!("/v1/habits/{id}"), "/v1/me/today".to_owned()];

        let mut tags = Vec::new();
        for path in &paths {
            let first = app.get(path, Some(&ana.access)).await;
            assert_eq!(first.status.as_u16(), 200, "{path}: {}", first.text);
            let tag = first
                .header("etag")
                .unwrap_or_else(|| panic!("{path} sends no ETag"))
                .to_owned();
            assert!(tag.starts_with('"') || tag.starts_with("W/\""), "{path}: {tag}");
            // Asking again without a tag gives the same tag.
            assert_eq!(app.get(path, Some(&ana.access)).await.header("etag"), Some(tag.as_str()));

            let cached = get_if_none_match(&app, &ana.access, path, &tag).await;
            assert_eq!(cached.status.as_u16(), 304, "{path}: {}", cached.text);
            assert!(cached.text.is_empty(), "{path}: a 304 with a body: {}", cached.text);
            assert_eq!(cached.header("etag"), Some(tag.as_str()), "{path}");

            let stale = get_if_none_match(&app, &ana.access, path, "\"not-the-tag\"").await;
            assert_eq!(stale.status.as_u16(), 200, "{path}");
            tags.push(tag);
        }

        checked_in(&app, &ana.access, &id, &day(0)).await;
        for (path, old) in paths.iter().zip(&tags) {
            let fresh = get_if_none_match(&app, &ana.access, path, old).await;
            assert_eq!(fresh.status.as_u16(), 200, "{path} after a check-in: {}", fresh.text);
            let tag = fresh.header("etag").expect("an ETag").to_owned();
            assert_ne!(&tag, old, "{path}: the tag did not change after a check-in");
            assert!(!fresh.text.is_empty());
            let cached = get_if_none_match(&app, &ana.access, path, &tag).await;
            assert_eq!(cached.status.as_u16(), 304, "{path}");
        }
    }
}

db_test! {
    async fn a_changed_habit_gets_a_new_etag(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Water").await;
        let path = format!("/v1/habits/{id}");
        let tag = app.get(&path, Some(&ana.access)).await.header("etag").unwrap().to_owned();
        app.clock.advance(Duration::seconds(1));
        patch_habit(&app, &ana.access, &id, &json!({"title": "Tea"})).await;
        let reply = get_if_none_match(&app, &ana.access, &path, &tag).await;
        assert_status(&reply, 200);
        assert_eq!(reply.json()["title"], "Tea");
        let list = get_if_none_match(&app, &ana.access, "/v1/habits", &tag).await;
        assert_status(&list, 200);
    }
}

// ---------------------------------------------------------------- today

db_test! {
    async fn weekday_habits_are_due_only_on_their_days(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        // 2026-11-27 is a Friday (ISO 5).
        let fridays = create_habit(
            &app,
            &ana.access,
            &json!({"title": "Fridays", "category": "joy", "schedule": {"kind": "weekdays", "days": [5]}}),
        )
        .await;
        let weekends = create_habit(
            &app,
            &ana.access,
            &json!({"title": "Weekends", "category": "rest", "schedule": {"kind": "weekdays", "days": [6, 7]}}),
        )
        .await;
        let every_day = daily_habit(&app, &ana.access, "Every day").await;

        let friday = today(&app, &ana.access).await;
        assert_eq!(friday["date"], "2026-11-27");
        assert_eq!(habit_ids(&friday["items"]), vec![id_of(&fridays), every_day.clone()]);
        let item = &friday["items"][0];
        assert_eq!(item["count"], 0);
        assert_eq!(item["target"], 1);
        assert_eq!(item["done"], false);
        assert_eq!(item["habit"]["title"], "Fridays");
        assert!(item["habit"]["streak"].is_object());

        app.clock.advance(Duration::days(1));
        let token = relogin(&app, &ana).await.access;
        let saturday = today(&app, &token).await;
        assert_eq!(saturday["date"], "2026-11-28");
        assert_eq!(habit_ids(&saturday["items"]), vec![id_of(&weekends), every_day]);
    }
}

db_test! {
    async fn today_shows_each_due_habits_count_and_whether_it_is_done(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let mut body = daily("Water");
        body["target_per_day"] = json!(3);
        let id = new_habit(&app, &ana.access, &body).await;
        let reply = check_in(&app, &ana.access, &id, &day(0), &json!({"count": 2})).await;
        assert_status(&reply, 200);
        let item = today(&app, &ana.access).await["items"][0].clone();
        assert_eq!((item["count"].clone(), item["target"].clone(), item["done"].clone()), (json!(2), json!(3), json!(false)));
        check_in(&app, &ana.access, &id, &day(0), &json!({"count": 3})).await;
        let item = today(&app, &ana.access).await["items"][0].clone();
        assert_eq!((item["count"].clone(), item["done"].clone()), (json!(3), json!(true)));
        assert_eq!(item["habit"]["streak"]["current"], 1);
    }
}

db_test! {
    async fn a_weekly_habit_leaves_today_once_the_weeks_count_is_reached(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = new_habit(&app, &ana.access, &weekly("Swim", 2)).await;
        // The week runs Monday 2026-11-23 to Sunday 2026-11-29.
        assert_eq!(habit_ids(&today(&app, &ana.access).await["items"]), vec![id.clone()]);
        checked_in(&app, &ana.access, &id, &day(-4)).await;
        assert_eq!(habit_ids(&today(&app, &ana.access).await["items"]), vec![id.clone()], "1 of 2 done");
        checked_in(&app, &ana.access, &id, &day(0)).await;
        let reached = today(&app, &ana.access).await;
        assert_eq!(habit_ids(&reached["items"]), vec![id.clone()], "reached today: still shown");
        assert_eq!(reached["items"][0]["done"], true);

        app.clock.advance(Duration::days(1));
        let token = relogin(&app, &ana).await.access;
        let saturday = today(&app, &token).await;
        assert_eq!(saturday["date"], "2026-11-28");
        assert!(habit_ids(&saturday["items"]).is_empty(), "reached yesterday: {saturday}");

        // A new week: due again.
        app.clock.advance(Duration::days(2));
        let token = relogin(&app, &ana).await.access;
        let monday = today(&app, &token).await;
        assert_eq!(monday["date"], "2026-11-30");
        assert_eq!(habit_ids(&monday["items"]), vec![id]);
    }
}

db_test! {
    async fn archived_habits_never_appear_in_today(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let archived = daily_habit(&app, &ana.access, "Old").await;
        let active = daily_habit(&app, &ana.access, "New").await;
        checked_in(&app, &ana.access, &archived, &day(0)).await;
        patch_habit(&app, &ana.access, &archived, &json!({"archived": true})).await;
        assert_eq!(habit_ids(&today(&app, &ana.access).await["items"]), vec![active.clone()]);
        app.clock.advance(Duration::days(1));
        let token = relogin(&app, &ana).await.access;
        assert_eq!(habit_ids(&today(&app, &token).await["items"]), vec![active]);
    }
}

// ---------------------------------------------------------------- pauses

db_test! {
    async fn a_pause_is_declared_listed_and_ended(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let pause = paused(&app, &ana.access, -3, 4).await;
        assert_has(&pause, &json!({"starts_on": day(-3), "ends_on": day(4), "created_at": "2026-11-27T09:30:00Z"}), "the pause");
        let id = id_of(&pause);

        let list = get_ok(&app, &ana.access, "/v1/me/pauses").await;
        assert_eq!(list["items"], json!([pause]));

        assert_status(&end_pause(&app, &ana.access, &id).await, 204);
        end_pause(&app, &ana.access, &id).await.assert_problem(404, "not_found");
        assert_eq!(get_ok(&app, &ana.access, "/v1/me/pauses").await["items"], json!([]));
        assert_eq!(app.count("pauses").await, 0);
    }
}

db_test! {
    async fn an_invalid_pause_is_a_422_naming_the_field_and_nothing_is_written(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let cases = [
            (0, 90, "ends_on", "91 days"),
            (-31, 0, "starts_on", "starting 31 days back"),
            (5, 4, "ends_on", "ending before it starts"),
            (367, 367, "starts_on", "starting over a year ahead"),
        ];
        for (starts, ends, field, why) in cases {
            assert_invalid(&post_pause(&app, &ana.access, starts, ends).await, &[field], why);
        }
        assert_eq!(app.count("pauses").await, 0);
        // The limits themselves are fine: 90 days, and 30 days back.
        paused(&app, &ana.access, 0, 89).await;
        paused(&app, &ana.access, -30, -30).await;
        paused(&app, &ana.access, 366, 366).await;
    }
}

db_test! {
    async fn a_paused_day_is_not_due_in_today(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Run").await;
        let pause = post_pause(&app, &ana.access, 0, 0).await.json();
        let today_paused = today(&app, &ana.access).await;
        assert_eq!(today_paused["date"], day(0));
        assert!(habit_ids(&today_paused["items"]).is_empty(), "{today_paused}");

        end_pause(&app, &ana.access, &id_of(&pause)).await;
        assert_eq!(habit_ids(&today(&app, &ana.access).await["items"]), vec![id.clone()]);

        // A pause that ends yesterday leaves today due.
        post_pause(&app, &ana.access, -5, -1).await;
        assert_eq!(habit_ids(&today(&app, &ana.access).await["items"]), vec![id]);
    }
}

db_test! {
    async fn paused_days_do_not_break_a_streak(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Meditate").await;
        // Four complete days, then five empty ones up to yesterday.
        checked_in_on(&app, &ana.access, &id, -9..=-6).await;
        assert_streak(&app, &ana.access, &id, json!({"current": 0, "longest": 4}), "five days missed").await;

        let pause = post_pause(&app, &ana.access, -5, -1).await.json();
        let kept = json!({"current": 4, "last_completed_on": day(-6), "rest_days_available": 0});
        assert_streak(&app, &ana.access, &id, kept, "the five days paused").await;

        checked_in(&app, &ana.access, &id, &day(0)).await;
        assert_eq!(habit_streak(&app, &ana.access, &id).await["current"], 5);

        end_pause(&app, &ana.access, &id_of(&pause)).await;
        assert_streak(&app, &ana.access, &id, json!({"current": 1, "longest": 4}), "the pause ended").await;
    }
}

db_test! {
    async fn ending_an_old_pause_makes_its_days_count_again(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Walk").await;
        // 21 complete days up to today (two rest days banked), then a pause
        // of ten days, then 50 more complete days, checked in as time goes by.
        checked_in_on(&app, &ana.access, &id, -20..=0).await;
        let pause = id_of(&paused(&app, &ana.access, 1, 10).await);

        app.clock.advance(Duration::days(30));
        let token = relogin(&app, &ana).await.access;
        checked_in_on(&app, &token, &id, 11..=30).await;
        assert_eq!(habit_streak(&app, &token, &id).await["current"], 41);

        app.clock.advance(Duration::days(30));
        let token = relogin(&app, &ana).await.access;
        checked_in_on(&app, &token, &id, 31..=60).await;
        let kept = assert_streak(&app, &token, &id, json!({"current": 71, "rest_days_available": 2}), "71 days").await;
        // Read again, as a client polling would.
        assert_eq!(habit_streak(&app, &token, &id).await, kept);

        assert!(
            app.count("streak_checkpoints").await > 0,
            "the old days are checkpointed by now"
        );

        // Without the pause, 2026-11-28 and 29 spend the two rest days and
        // 2026-11-30 ends the streak; the 50 days from 2026-12-08 start anew.
        assert_status(&end_pause(&app, &token, &pause).await, 204);
        let recomputed = json!({"current": 50, "longest": 50, "rest_days_available": 2});
        assert_streak(&app, &token, &id, recomputed, "the pause ended").await;
    }
}

db_test! {
    async fn the_same_create_sent_several_times_at_once_is_one_habit(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let mut body = daily("Walk outside");
        body["id"] = json!("01938a6e-7c00-7000-8000-00000000c0de");
        let (a, b, c) = tokio::join!(
            app.post("/v1/habits", Some(&ana.access), &body),
            app.post("/v1/habits", Some(&ana.access), &body),
            app.post("/v1/habits", Some(&ana.access), &body),
        );
        let mut statuses: Vec<u16> = [&a, &b, &c].iter().map(|reply| reply.status.as_u16()).collect();
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 200, 201], "{} | {} | {}", a.text, b.text, c.text);
        assert_eq!(a.json(), b.json());
        assert_eq!(a.json(), c.json());
        assert_eq!(app.count("habits").await, 1);
    }
}

db_test! {
    async fn malformed_ids_dates_and_query_values_are_422s_naming_the_parameter_that_change_nothing(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let walk = daily_habit(&app, &ana.access, "Walk").await;
        let cases = [
            (Method::GET, "/v1/habits/not-a-uuid".to_owned(), "id", "a habit id that is no UUID"),
            (Method::DELETE, "/v1/habits/12345".to_owned(), "id", "a short id"),
            (Method::PUT, format!("/v1/habits/{walk}/check-ins/2026-13-01"), "date", "month 13"),
            (Method::PUT, format!("/v1/habits/{walk}/check-ins/2026-02-30"), "date", "the 30th of February"),
            (Method::DELETE, format!("/v1/habits/{walk}/check-ins/yesterday"), "date", "a word for a date"),
            (Method::GET, format!("/v1/habits/{walk}/check-ins?from=27-11-2026"), "from", "a date in the wrong order"),
            (Method::GET, format!("/v1/habits/{walk}/check-ins?limit=ten"), "limit", "a word for a limit"),
            (Method::GET, "/v1/habits?include_archived=maybe".to_owned(), "include_archived", "neither true nor false"),
            (Method::DELETE, "/v1/me/pauses/nope".to_owned(), "id", "a pause id that is no UUID"),
        ];
        for (method, path, parameter, why) in cases {
            let reply = app.call(method, &path, Some(&ana.access), Some(&json!({}))).await;
            assert_invalid(&reply, &[parameter], why);
            for internal in ["occurred while", "failed to parse", "string_", "integer_"] {
                assert!(!reply.text.contains(internal), "{why}: a message naming internals: {}", reply.text);
            }
        }
        assert_eq!(app.count("habits").await, 1);
        assert_eq!(app.count("check_ins").await, 0);
    }
}

db_test! {
    async fn a_person_keeps_at_most_two_hundred_habits(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        for n in 0..200 {
            daily_habit(&app, &ana.access, &format!("Habit {n}")).await;
        }
        app.post("/v1/habits", Some(&ana.access), &daily("One too many"))
            .await
            .assert_problem(409, "habit_limit");
        assert_eq!(app.count("habits").await, 200);
        // The limit is the person's: somebody else may still create habits.
        let bo = app.register("bo@example.com").await;
        daily_habit(&app, &bo.access, "Bo's first").await;
    }
}

db_test! {
    async fn a_person_keeps_at_most_a_hundred_pauses(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        for _ in 0..100 {
            paused(&app, &ana.access, 1, 2).await;
        }
        post_pause(&app, &ana.access, 1, 2).await.assert_problem(409, "pause_limit");
        assert_eq!(app.count("pauses").await, 100);
    }
}
