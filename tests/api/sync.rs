//! Offline clients: `POST /v1/check-ins/batch` (a queue of check-ins and
//! undos applied in one go, a result per item) and `GET /v1/sync` (the change
//! feed that a client applies to hold what the server holds).

use std::collections::BTreeMap;

use chrono::Duration;
use serde_json::{Value, json};

use crate::{db_test, support::*};

const UNKNOWN_HABIT: &str = "01938a6e-7c00-7000-8000-0000000000ff";

async fn batch(app: &TestApp, token: &str, items: Value) -> Reply {
    app.post(
        "/v1/check-ins/batch",
        Some(token),
        &json!({ "items": items }),
    )
    .await
}

async fn batch_ok(app: &TestApp, token: &str, items: Value) -> Vec<Value> {
    let reply = batch(app, token, items).await;
    assert_status(&reply, 200);
    reply.json()["results"].as_array().expect("results").clone()
}

fn statuses(results: &[Value]) -> Vec<String> {
    strings_in(&json!(results), "status")
}

/// Ana, registered, with a daily habit called Walk: her session and its id.
async fn walker(app: &TestApp) -> (Session, String) {
    let ana = app.register("ana@example.com").await;
    let walk = daily_habit(app, &ana.access, "Walk").await;
    (ana, walk)
}

async fn sync_page(app: &TestApp, token: &str, since: Option<&str>, limit: Option<u32>) -> Value {
    let mut query = Vec::new();
    if let Some(since) = since {
        query.push(format!("since={since}"));
    }
    if let Some(limit) = limit {
        query.push(format!("limit={limit}"));
    }
    let path = if query.is_empty() {
        "/v1/sync".to_owned()
    } else {
        format!("/v1/sync?{}", query.join("&"))
    };
    let page = get_ok(app, token, &path).await;
    assert!(page["next_cursor"].is_string(), "{page}");
    assert!(page["has_more"].is_boolean(), "{page}");
    page
}

/// A check-in as sync sends it: without `done`, which clients derive.
fn without_done(check_in: &Value) -> Value {
    let mut check_in = check_in.clone();
    check_in.as_object_mut().unwrap().remove("done");
    check_in
}

fn list(page: &Value, key: &str) -> Vec<Value> {
    page[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {page}"))
        .clone()
}

/// Asserts the sync page lists nothing under any of `keys`.
fn assert_empty(page: &Value, keys: &[&str], why: &str) {
    for key in keys {
        assert_eq!(
            list(page, key),
            Vec::<Value>::new(),
            "{why}: {key} in {page}"
        );
    }
}

/// What a mobile client keeps: habits by id, check-ins by habit and date.
#[derive(Debug, Default, PartialEq)]
struct Replica {
    habits: BTreeMap<String, Value>,
    check_ins: BTreeMap<(String, String), Value>,
    cursor: Option<String>,
}

impl Replica {
    /// Applies one page: habits, then check-ins, then tombstones.
    fn apply(&mut self, page: &Value) {
        for habit in list(page, "habits") {
            self.habits.insert(id_of(&habit), without_nulls(&habit));
        }
        for check_in in list(page, "check_ins") {
            let key = (
                check_in["habit_id"].as_str().unwrap().to_owned(),
                check_in["date"].as_str().unwrap().to_owned(),
            );
            self.check_ins.insert(key, without_nulls(&check_in));
        }
        for tombstone in list(page, "deleted") {
            let habit = tombstone["habit_id"].as_str().unwrap().to_owned();
            match tombstone["kind"].as_str() {
                Some("habit") => {
                    self.habits.remove(&habit);
                    self.check_ins.retain(|(of, _), _| *of != habit);
                }
                Some("check_in") => {
                    let date = tombstone["date"]
                        .as_str()
                        .expect("a check-in tombstone's date");
                    self.check_ins.remove(&(habit, date.to_owned()));
                }
                other => panic!("an unknown tombstone kind {other:?}"),
            }
        }
        self.cursor = Some(page["next_cursor"].as_str().unwrap().to_owned());
    }

    /// Syncs page by page until nothing more waits; returns the page count.
    async fn sync(&mut self, app: &TestApp, token: &str, limit: Option<u32>) -> usize {
        for pages in 1..=200 {
            let page = sync_page(app, token, self.cursor.as_deref(), limit).await;
            self.apply(&page);
            if page["has_more"] == false {
                return pages;
            }
        }
        panic!("sync did not end after 200 pages");
    }

    /// Applies `pages` pages at most, whatever `has_more` says.
    async fn sync_some(&mut self, app: &TestApp, token: &str, limit: u32, pages: usize) {
        for _ in 0..pages {
            let page = sync_page(app, token, self.cursor.as_deref(), Some(limit)).await;
            self.apply(&page);
            if page["has_more"] == false {
                return;
            }
        }
    }

    /// Asserts the replica holds what the server's lists say.
    async fn assert_matches_server(&self, app: &TestApp, token: &str) {
        let (habits, check_ins) = server_state(app, token).await;
        assert_eq!(
            self.habits.keys().collect::<Vec<_>>(),
            habits.keys().collect::<Vec<_>>(),
            "the replica's habits"
        );
        for (id, habit) in &habits {
            assert_eq!(&self.habits[id], habit, "habit {id}");
        }
        assert_eq!(
            self.check_ins.keys().collect::<Vec<_>>(),
            check_ins.keys().collect::<Vec<_>>(),
            "the replica's check-ins"
        );
        for (key, check_in) in &check_ins {
            // Sync leaves out `done`: a client derives it from `count` and the
            // habit's target, and must agree with the listing.
            let mut listed = check_in.clone();
            let done = listed.as_object_mut().unwrap().remove("done").unwrap();
            assert_eq!(&self.check_ins[key], &listed, "check-in {key:?}");
            let target = &self.habits[&key.0]["target_per_day"];
            let derived = listed["count"].as_i64().unwrap() >= target.as_i64().unwrap();
            assert_eq!(Value::Bool(derived), done, "check-in {key:?} done");
        }
    }
}

type ServerState = (BTreeMap<String, Value>, BTreeMap<(String, String), Value>);

/// Every habit (streaks left out, which sync does not send) and every
/// check-in of the last 31 days, as the ordinary reads give them.
async fn server_state(app: &TestApp, token: &str) -> ServerState {
    let mut habits = BTreeMap::new();
    let mut check_ins = BTreeMap::new();
    let list = get_ok(app, token, "/v1/habits?include_archived=true").await;
    for habit in list["items"].as_array().unwrap() {
        let id = id_of(habit);
        let mut habit = habit.clone();
        habit.as_object_mut().unwrap().remove("streak");
        habits.insert(id.clone(), without_nulls(&habit));
        let page = get_ok(
            app,
            token,
            &format!(
                "/v1/habits/{id}/check-ins?from={}&to={}&limit=200",
                day(-40),
                day(5)
            ),
        )
        .await;
        assert!(page["next_cursor"].is_null());
        for check_in in page["items"].as_array().unwrap() {
            let key = (id.clone(), check_in["date"].as_str().unwrap().to_owned());
            check_ins.insert(key, without_nulls(check_in));
        }
    }
    (habits, check_ins)
}

// ---------------------------------------------------------------- batch

db_test! {
    async fn a_batch_applies_the_valid_items_and_rejects_the_others_one_by_one(app: TestApp) {
        let (ana, id) = walker(&app).await;
        let results = batch_ok(
            &app,
            &ana.access,
            json!([
                {"habit_id": UNKNOWN_HABIT, "date": day(0)},
                {"habit_id": id, "date": day(-31)},
                {"habit_id": id, "date": day(0), "mood": 3, "note": "sunny"},
            ]),
        )
        .await;
        assert_eq!(results.len(), 3);
        assert_eq!(statuses(&results), ["rejected", "rejected", "applied"]);
        for (index, result) in results.iter().enumerate() {
            assert_eq!(result["index"], index, "{result}");
        }
        assert_eq!(results[0]["error"]["code"], "not_found", "{}", results[0]);
        assert_eq!(results[0]["error"]["status"], 404);
        assert!(results[0]["check_in"].is_null());
        assert_eq!(results[1]["error"]["code"], "date_out_of_range", "{}", results[1]);
        assert_eq!(results[1]["error"]["status"], 422);
        assert_eq!(fields_of(&results[1]["error"]), ["items[1].date"]);
        assert!(results[1]["check_in"].is_null());
        assert!(results[2]["error"].is_null(), "{}", results[2]);
        let stored = &results[2]["check_in"];
        assert_eq!(stored["habit_id"], id.as_str());
        assert_eq!(stored["date"], day(0));
        assert_eq!(stored["count"], 1);
        assert_eq!(stored["mood"], 3);
        assert_eq!(stored["note"], "sunny");
        assert_eq!(stored["done"], true);

        assert_eq!(app.count("check_ins").await, 1);
        assert_eq!(check_ins_of(&app, &ana.access, &id).await, json!([stored]));
    }
}

db_test! {
    async fn an_invalid_batch_item_is_rejected_naming_its_field(app: TestApp) {
        let (ana, id) = walker(&app).await;
        let results = batch_ok(
            &app,
            &ana.access,
            json!([
                {"habit_id": id, "date": day(-1)},
                {"habit_id": id, "date": day(0), "mood": 9, "count": 0},
                {"habit_id": id, "date": day(1)},
            ]),
        )
        .await;
        assert_eq!(statuses(&results), ["applied", "rejected", "rejected"]);
        assert_eq!(results[1]["error"]["code"], "validation_failed");
        assert_eq!(fields_of(&results[1]["error"]), ["items[1].count", "items[1].mood"]);
        assert_eq!(results[2]["error"]["code"], "date_out_of_range");
        assert_eq!(app.count("check_ins").await, 1);
    }
}

db_test! {
    async fn a_batch_item_with_a_nul_byte_in_its_note_is_rejected_alone(app: TestApp) {
        // An offline queue holding one such item must not fail as a whole,
        // or its client would retry it for ever.
        let (ana, id) = walker(&app).await;
        let results = batch_ok(
            &app,
            &ana.access,
            json!([
                {"habit_id": id, "date": day(-1), "note": "before"},
                {"habit_id": id, "date": day(0), "note": "nul\u{0}byte"},
                {"habit_id": id, "date": day(-2), "note": "after"},
            ]),
        )
        .await;
        assert_eq!(statuses(&results), ["applied", "rejected", "applied"]);
        assert_eq!(results[1]["error"]["code"], "validation_failed");
        assert_eq!(fields_of(&results[1]["error"]), ["items[1].note"]);
        assert_eq!(app.count("check_ins").await, 2);
    }
}

db_test! {
    async fn a_batch_item_marked_deleted_undoes_the_day(app: TestApp) {
        let (ana, id) = walker(&app).await;
        checked_in(&app, &ana.access, &id, &day(0)).await;
        checked_in(&app, &ana.access, &id, &day(-1)).await;
        let results = batch_ok(
            &app,
            &ana.access,
            json!([
                {"habit_id": id, "date": day(0), "deleted": true},
                {"habit_id": id, "date": day(-5), "deleted": true},
                {"habit_id": id, "date": day(-2), "deleted": false},
            ]),
        )
        .await;
        assert_eq!(statuses(&results), ["deleted", "deleted", "applied"]);
        assert!(results[0]["check_in"].is_null());
        let listed = check_ins_of(&app, &ana.access, &id).await;
        assert_eq!(strings_in(&listed, "date"), [day(-2), day(-1)]);
        assert_eq!(app.count("check_ins").await, 2);
    }
}

db_test! {
    async fn batch_items_are_applied_in_order(app: TestApp) {
        let (ana, id) = walker(&app).await;
        let results = batch_ok(
            &app,
            &ana.access,
            json!([
                {"habit_id": id, "date": day(0), "count": 1},
                {"habit_id": id, "date": day(0), "count": 3, "mood": 5},
                {"habit_id": id, "date": day(-1)},
                {"habit_id": id, "date": day(-1), "deleted": true},
            ]),
        )
        .await;
        assert_eq!(statuses(&results), ["applied", "applied", "applied", "deleted"]);
        assert_eq!(results[1]["check_in"]["count"], 3);
        let listed = check_ins_of(&app, &ana.access, &id).await;
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert_has(&listed[0], &json!({"count": 3, "mood": 5}), "the last of the day");
    }
}

db_test! {
    async fn an_empty_batch_or_one_of_501_items_is_a_422_and_writes_nothing(app: TestApp) {
        let (ana, id) = walker(&app).await;
        assert_invalid(&batch(&app, &ana.access, json!([])).await, &["items"], "no items");

        let many: Vec<Value> = (0..501)
            .map(|i| json!({"habit_id": id, "date": day(-(i % 31)), "count": 1 + i / 31}))
            .collect();
        assert_invalid(&batch(&app, &ana.access, json!(many)).await, &["items"], "501 items");
        assert_eq!(app.count("check_ins").await, 0);

        let most: Vec<Value> = many.into_iter().take(500).collect();
        let results = batch_ok(&app, &ana.access, json!(most)).await;
        assert_eq!(results.len(), 500);
        assert!(statuses(&results).iter().all(|status| status == "applied"));
        assert_eq!(app.count("check_ins").await, 31);
    }
}

db_test! {
    async fn replaying_a_batch_leaves_the_same_rows(app: TestApp) {
        let (ana, walk) = walker(&app).await;
        let mut body = daily("Water");
        body["target_per_day"] = json!(3);
        let water = new_habit(&app, &ana.access, &body).await;
        let items = json!([
            {"habit_id": walk, "date": day(0), "mood": 4, "note": "park"},
            {"habit_id": walk, "date": day(-1)},
            {"habit_id": water, "date": day(0), "count": 2},
            {"habit_id": water, "date": day(-3)},
            {"habit_id": water, "date": day(-4), "deleted": true},
            {"habit_id": UNKNOWN_HABIT, "date": day(0)},
        ]);
        let first = batch_ok(&app, &ana.access, items.clone()).await;
        assert_eq!(statuses(&first), ["applied", "applied", "applied", "applied", "deleted", "rejected"]);
        let rows = app.count("check_ins").await;
        assert_eq!(rows, 4);
        let before = server_state(&app, &ana.access).await;
        let cursor = sync_page(&app, &ana.access, None, None).await["next_cursor"]
            .as_str()
            .unwrap()
            .to_owned();

        app.clock.advance(Duration::seconds(30));
        let replay = batch_ok(&app, &ana.access, items).await;
        assert_eq!(replay, first, "a replay answers as the first time did");
        assert_eq!(app.count("check_ins").await, rows);
        assert_eq!(server_state(&app, &ana.access).await, before);
        let changes = sync_page(&app, &ana.access, Some(&cursor), None).await;
        assert_empty(&changes, &["check_ins", "deleted"], "a replay changed nothing");
    }
}

// ---------------------------------------------------------------- sync

db_test! {
    async fn a_fresh_client_syncing_from_no_cursor_sees_every_habit_and_check_in(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let walk = create_habit(&app, &ana.access, &daily("Walk")).await;
        let swim = create_habit(
            &app,
            &ana.access,
            &json!({"title": "Swim", "category": "movement", "schedule": {"kind": "times_per_week", "times": 2}, "colour": "#0000ff"}),
        )
        .await;
        let first = checked_in(&app, &ana.access, &id_of(&walk), &day(0)).await;
        let second = check_in(&app, &ana.access, &id_of(&swim), &day(-2), &json!({"mood": 2, "note": "cold"}))
            .await
            .json();

        let page = sync_page(&app, &ana.access, None, None).await;
        assert_eq!(page["has_more"], false);
        let habits = list(&page, "habits");
        assert_eq!(habits.len(), 2, "{page}");
        let mut expected_walk = walk.clone();
        expected_walk.as_object_mut().unwrap().remove("streak");
        let mut expected_swim = swim.clone();
        expected_swim.as_object_mut().unwrap().remove("streak");
        assert_eq!(without_nulls(&habits[0]), without_nulls(&expected_walk));
        assert_eq!(without_nulls(&habits[1]), without_nulls(&expected_swim));
        assert!(habits[0].get("streak").is_none());
        let check_ins = list(&page, "check_ins");
        assert_eq!(check_ins, vec![without_done(&first), without_done(&second)]);
        assert_empty(&page, &["deleted"], "nothing deleted yet");

        // Nothing new since: an empty page.
        let cursor = page["next_cursor"].as_str().unwrap();
        let quiet = sync_page(&app, &ana.access, Some(cursor), None).await;
        assert_empty(&quiet, &["habits", "check_ins", "deleted"], "nothing new");
        assert_eq!(quiet["has_more"], false);
    }
}

db_test! {
    async fn deleted_check_ins_and_habits_come_back_as_tombstones(app: TestApp) {
        let (ana, walk) = walker(&app).await;
        let swim = daily_habit(&app, &ana.access, "Swim").await;
        checked_in(&app, &ana.access, &walk, &day(0)).await;
        checked_in(&app, &ana.access, &walk, &day(-1)).await;
        checked_in(&app, &ana.access, &swim, &day(0)).await;
        let before = sync_page(&app, &ana.access, None, None).await;
        let cursor = before["next_cursor"].as_str().unwrap().to_owned();

        app.clock.advance(Duration::minutes(1));
        let undo = undo_check_in(&app, &ana.access, &walk, &day(0)).await;
        assert_status(&undo, 204);
        let gone = delete(&app, &ana.access, &format!("/v1/habits/{swim}")).await;
        assert_status(&gone, 204);

        let page = sync_page(&app, &ana.access, Some(&cursor), None).await;
        assert_empty(&page, &["habits", "check_ins"], "only deletions");
        let deleted: Vec<Value> = list(&page, "deleted").iter().map(without_nulls).collect();
        assert_eq!(
            deleted,
            vec![
                json!({"kind": "check_in", "habit_id": walk, "date": day(0), "deleted_at": "2026-11-27T09:31:00Z"}),
                json!({"kind": "habit", "habit_id": swim, "deleted_at": "2026-11-27T09:31:00Z"}),
            ]
        );
        assert_eq!(page["has_more"], false);

        let after = sync_page(&app, &ana.access, page["next_cursor"].as_str(), None).await;
        assert_empty(&after, &["deleted"], "after the tombstones");
    }
}

db_test! {
    async fn checking_in_a_deleted_day_again_removes_its_tombstone(app: TestApp) {
        let (ana, walk) = walker(&app).await;
        checked_in(&app, &ana.access, &walk, &day(0)).await;
        let first = sync_page(&app, &ana.access, None, None).await;
        let cursor1 = first["next_cursor"].as_str().unwrap().to_owned();

        undo_check_in(&app, &ana.access, &walk, &day(0)).await;
        let second = sync_page(&app, &ana.access, Some(&cursor1), None).await;
        assert_eq!(list(&second, "deleted").len(), 1, "{second}");
        let cursor2 = second["next_cursor"].as_str().unwrap().to_owned();

        let again = check_in(&app, &ana.access, &walk, &day(0), &json!({"mood": 5})).await.json();
        for (cursor, why) in [(None, "from the start"), (Some(cursor1.as_str()), "from before the undo"), (Some(cursor2.as_str()), "from after the undo")] {
            let page = sync_page(&app, &ana.access, cursor, None).await;
            assert_eq!(list(&page, "check_ins"), vec![without_done(&again)], "{why}: {page}");
            assert_empty(&page, &["deleted"], why);
        }
    }
}

db_test! {
    async fn paging_sync_one_change_at_a_time_converges_to_the_servers_state(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let token = ana.access.clone();
        let walk = daily_habit(&app, &token, "Walk").await;
        let gym = new_habit(&app, &token, &json!({"title": "Gym", "category": "movement", "schedule": {"kind": "weekdays", "days": [1, 3, 5]}, "icon": "dumbbell"})).await;
        let swim = new_habit(&app, &token, &weekly("Swim", 2)).await;
        let doomed = daily_habit(&app, &token, "Doomed").await;
        checked_in_on(&app, &token, &walk, -3..=0).await;
        checked_in(&app, &token, &gym, &day(-2)).await;
        checked_in(&app, &token, &swim, &day(-1)).await;
        checked_in(&app, &token, &doomed, &day(0)).await;

        // A phone syncs part of the way…
        let mut phone = Replica::default();
        phone.sync_some(&app, &token, 1, 3).await;

        // …while the person keeps using another device.
        app.clock.advance(Duration::minutes(1));
        patch_habit(&app, &token, &walk, &json!({"title": "Long walk", "colour": "#aabbcc"})).await;
        patch_habit(&app, &token, &swim, &json!({"archived": true})).await;
        undo_check_in(&app, &token, &walk, &day(-2)).await;
        undo_check_in(&app, &token, &walk, &day(-3)).await;
        delete(&app, &token, &format!("/v1/habits/{doomed}")).await;
        check_in(&app, &token, &walk, &day(-2), &json!({"mood": 3})).await;
        check_in(&app, &token, &gym, &day(-2), &json!({"note": "legs"})).await;
        checked_in(&app, &token, &gym, &day(0)).await;
        patch_habit(&app, &token, &gym, &json!({"icon": null})).await;

        let pages = phone.sync(&app, &token, Some(1)).await;
        assert!(pages > 3, "one change a page takes several pages ({pages})");
        phone.assert_matches_server(&app, &token).await;
        assert_eq!(phone.habits.len(), 3);
        assert!(!phone.habits.contains_key(&doomed));

        // A second device starting from nothing gets to the same place.
        let mut tablet = Replica::default();
        tablet.sync(&app, &token, Some(1)).await;
        tablet.assert_matches_server(&app, &token).await;
        assert_eq!(tablet.habits, phone.habits);
        assert_eq!(tablet.check_ins, phone.check_ins);

        // More changes, a day later, synced in one default page.
        app.clock.advance(Duration::days(1));
        let token = relogin(&app, &ana).await.access;
        delete(&app, &token, &format!("/v1/habits/{gym}")).await;
        checked_in(&app, &token, &walk, &day(1)).await;
        undo_check_in(&app, &token, &walk, &day(0)).await;
        let fresh = daily_habit(&app, &token, "Fresh").await;
        checked_in(&app, &token, &fresh, &day(1)).await;
        assert_eq!(phone.sync(&app, &token, None).await, 1);
        phone.assert_matches_server(&app, &token).await;
        tablet.sync(&app, &token, Some(2)).await;
        tablet.assert_matches_server(&app, &token).await;
        // Once caught up, nothing more.
        let quiet = sync_page(&app, &token, phone.cursor.as_deref(), Some(1)).await;
        assert_eq!(quiet["has_more"], false);
        assert_eq!(list(&quiet, "habits").len() + list(&quiet, "check_ins").len() + list(&quiet, "deleted").len(), 0);
    }
}

db_test! {
    async fn a_synced_check_ins_done_follows_a_later_change_of_target(app: TestApp) {
        let (ana, walk) = walker(&app).await;
        checked_in(&app, &ana.access, &walk, &day(0)).await;
        let mut phone = Replica::default();
        phone.sync(&app, &ana.access, None).await;
        phone.assert_matches_server(&app, &ana.access).await;
        assert_eq!(phone.habits[&walk]["target_per_day"], 1);
        let today_path = format!("/v1/habits/{walk}/check-ins?from={}&to={}", day(0), day(0));
        assert_eq!(get_ok(&app, &ana.access, &today_path).await["items"][0]["done"], true);

        let reply = app
            .patch(&format!("/v1/habits/{walk}"), Some(&ana.access), &json!({"target_per_day": 2}))
            .await;
        assert_status(&reply, 200);
        assert_eq!(reply.json()["target_per_day"], 2, "{}", reply.text);
        assert_eq!(habit(&app, &ana.access, &walk).await["target_per_day"], 2, "the stored target");
        let listed = get_ok(&app, &ana.access, &today_path).await;
        assert_eq!(listed["items"][0]["done"], false, "one of two is not done: {listed}");

        phone.sync(&app, &ana.access, None).await;
        assert_eq!(phone.habits[&walk]["target_per_day"], 2, "the synced habit's target");
        // The listing now says the day is not done; so must the synced copy.
        phone.assert_matches_server(&app, &ana.access).await;
    }
}

db_test! {
    async fn a_garbage_sync_cursor_is_a_400_and_a_bad_limit_a_422(app: TestApp) {
        let (ana, walk) = walker(&app).await;
        checked_in_on(&app, &ana.access, &walk, [0, -1, -2]).await;
        // A cursor from the check-in listing is not a sync cursor either.
        let listing_cursor = get_ok(&app, &ana.access, &format!("/v1/habits/{walk}/check-ins?limit=1")).await
            ["next_cursor"]
            .as_str()
            .unwrap()
            .to_owned();
        let everything = get_ok(&app, &ana.access, "/v1/sync").await;
        assert_eq!(get_ok(&app, &ana.access, "/v1/sync?since=").await, everything, "an empty cursor syncs everything");
        for garbage in ["garbage", "c2VxOm5vcGU", listing_cursor.as_str()] {
            app.get(&format!("/v1/sync?since={garbage}"), Some(&ana.access))
                .await
                .assert_problem(400, "invalid_cursor");
        }
        for limit in ["0", "201"] {
            let reply = app.get(&format!("/v1/sync?limit={limit}"), Some(&ana.access)).await;
            assert_invalid(&reply, &["limit"], &format!("limit {limit}"));
        }
    }
}

db_test! {
    async fn a_client_syncing_while_another_device_writes_misses_nothing(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let token = ana.access.clone();
        let walk = daily_habit(&app, &token, "Walk").await;
        let read = daily_habit(&app, &token, "Read").await;

        let writing = async {
            for round in 0..60i64 {
                let habit = if round % 2 == 0 { &walk } else { &read };
                let date = day(-(round % 20));
                if round % 3 == 2 {
                    undo_check_in(&app, &token, habit, &date).await;
                } else {
                    let reply = check_in(&app, &token, habit, &date, &json!({"count": 1 + round})).await;
                    assert_status(&reply, 200);
                }
            }
        };
        let mut phone = Replica::default();
        let syncing = async {
            for _ in 0..60 {
                let page = sync_page(&app, &token, phone.cursor.as_deref(), Some(200)).await;
                phone.apply(&page);
            }
        };
        tokio::join!(writing, syncing);
        phone.sync(&app, &token, None).await;
        phone.assert_matches_server(&app, &token).await;
    }
}
