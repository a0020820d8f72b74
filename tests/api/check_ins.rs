//! Check-ins: the idempotent PUT, undo, the 30-day window in the person's own
//! timezone and day start, range listings with paging, and the streaks that
//! check-ins (late ones and undos included) make.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::{db_test, support::*};

/// The dates of a check-in listing's `items`.
fn dates(items: &Value) -> Vec<String> {
    strings_in(items, "date")
}

fn days(offsets: impl IntoIterator<Item = i64>) -> Vec<String> {
    offsets.into_iter().map(day).collect()
}

// ---------------------------------------------------------------- the PUT

db_test! {
    async fn putting_the_same_check_in_twice_stores_one_check_in(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Walk").await;
        let body = json!({"count": 1, "mood": 4, "note": "felt calm"});
        let first = check_in(&app, &ana.access, &id, &day(0), &body).await;
        assert_status(&first, 200);
        let stored = first.json();
        assert_eq!(
            stored,
            json!({"habit_id": id, "date": day(0), "count": 1, "mood": 4, "note": "felt calm", "done": true, "updated_at": "2026-11-27T09:30:00Z"})
        );

        app.clock.advance(Duration::seconds(5));
        let again = check_in(&app, &ana.access, &id, &day(0), &body).await;
        assert_status(&again, 200);
        assert_eq!(again.json(), stored);
        assert_eq!(app.count("check_ins").await, 1);

        let changed = check_in(&app, &ana.access, &id, &day(0), &json!({"count": 1, "mood": 2})).await.json();
        assert_eq!(changed["mood"], 2);
        assert!(changed["note"].is_null(), "{changed}");
        assert_eq!(changed["updated_at"], "2026-11-27T09:30:05Z");
        assert_eq!(app.count("check_ins").await, 1);

        assert_eq!(check_ins_of(&app, &ana.access, &id).await, json!([changed]));
    }
}

db_test! {
    async fn a_check_in_without_a_count_counts_the_habits_target(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let mut body = daily("Glasses of water");
        body["target_per_day"] = json!(4);
        let id = new_habit(&app, &ana.access, &body).await;
        let full = checked_in(&app, &ana.access, &id, &day(0)).await;
        assert_eq!(full["count"], 4);
        assert_eq!(full["done"], true);
        assert!(full["mood"].is_null());
        let partial = check_in(&app, &ana.access, &id, &day(-1), &json!({"count": 2})).await.json();
        assert_eq!(partial["count"], 2);
        assert_eq!(partial["done"], false);
        let more = check_in(&app, &ana.access, &id, &day(-2), &json!({"count": 7})).await.json();
        assert_eq!(more["done"], true);
    }
}

db_test! {
    async fn invalid_check_in_fields_are_a_422_naming_them_and_nothing_is_written(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Walk").await;
        let cases: Vec<(Value, &[&str], &str)> = vec![
            (json!({"mood": 0}), &["mood"], "mood 0"),
            (json!({"mood": 6}), &["mood"], "mood 6"),
            (json!({"note": "n".repeat(1001)}), &["note"], "a 1001-character note"),
            (json!({"count": 0}), &["count"], "count 0"),
            (json!({"count": -1}), &["count"], "a negative count"),
            (json!({"count": 0, "mood": 9, "note": "n".repeat(1001)}), &["count", "mood", "note"], "all three"),
            (json!({"note": "a NUL\u{0} byte"}), &["note"], "a NUL byte"),
            (json!({"note": "an escape \u{1b}[31m"}), &["note"], "an escape character"),
        ];
        for (body, fields, why) in cases {
            let reply = check_in(&app, &ana.access, &id, &day(0), &body).await;
            assert_invalid(&reply, fields, why);
        }
        assert_eq!(app.count("check_ins").await, 0);

        let longest = check_in(&app, &ana.access, &id, &day(0), &json!({"note": "n".repeat(1000), "mood": 5})).await;
        assert_status(&longest, 200);
        let lowest = check_in(&app, &ana.access, &id, &day(-1), &json!({"mood": 1})).await;
        assert_status(&lowest, 200);
        // Line breaks and tabs are what notes are made of.
        let lines = check_in(&app, &ana.access, &id, &day(-2), &json!({"note": "one\ntwo\r\n\tthree"})).await;
        assert_status(&lines, 200);
        assert_eq!(lines.json()["note"], "one\ntwo\r\n\tthree");
    }
}

db_test! {
    async fn a_check_in_dated_after_today_or_over_30_days_back_is_out_of_range(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Walk").await;
        for date in [day(1), day(-31), day(-365)] {
            let reply = check_in(&app, &ana.access, &id, &date, &json!({})).await;
            let problem = reply.assert_problem(422, "date_out_of_range");
            assert_eq!(fields_of(&problem), ["date"], "{date}");
        }
        assert_eq!(app.count("check_ins").await, 0);
        checked_in(&app, &ana.access, &id, &day(-30)).await;
        checked_in(&app, &ana.access, &id, &day(0)).await;
        assert_eq!(app.count("check_ins").await, 2);

        // Undoing is bound by the same window.
        undo_check_in(&app, &ana.access, &id, &day(1))
            .await
            .assert_problem(422, "date_out_of_range");
    }
}

db_test! {
    async fn tomorrow_is_judged_in_the_persons_own_timezone(app: TestApp) {
        // At 09:30 UTC on 2026-11-27 it is 22:30 on 2026-11-26 in Pago Pago.
        let ana = register_in(&app, "ana@example.com", "Pacific/Pago_Pago").await;
        let id = daily_habit(&app, &ana.access, "Swim").await;
        assert_eq!(today(&app, &ana.access).await["date"], "2026-11-26");
        check_in(&app, &ana.access, &id, "2026-11-27", &json!({}))
            .await
            .assert_problem(422, "date_out_of_range");
        check_in(&app, &ana.access, &id, "2026-10-26", &json!({}))
            .await
            .assert_problem(422, "date_out_of_range");
        assert_eq!(app.count("check_ins").await, 0);
        checked_in(&app, &ana.access, &id, "2026-11-26").await;
        checked_in(&app, &ana.access, &id, "2026-10-27").await;
    }
}

db_test! {
    async fn undoing_a_day_removes_its_check_in_and_undoing_again_is_harmless(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Walk").await;
        checked_in_on(&app, &ana.access, &id, [0, -1]).await;

        let undone = undo_check_in(&app, &ana.access, &id, &day(0)).await;
        assert_status(&undone, 204);
        assert!(undone.text.is_empty());
        assert_eq!(dates(&check_ins_of(&app, &ana.access, &id).await), days([-1]));
        let item = today(&app, &ana.access).await["items"][0].clone();
        assert_eq!((item["count"].clone(), item["done"].clone()), (json!(0), json!(false)));

        for (offset, why) in [(0, "the same day again"), (-5, "a day never checked in")] {
            let again = undo_check_in(&app, &ana.access, &id, &day(offset)).await;
            assert_eq!(again.status.as_u16(), 204, "{why}: {}", again.text);
        }
        assert_eq!(app.count("check_ins").await, 1);
    }
}

// ---------------------------------------------------------------- listing

db_test! {
    async fn listing_check_ins_returns_the_days_in_range_oldest_first(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Walk").await;
        let other = daily_habit(&app, &ana.access, "Other").await;
        checked_in_on(&app, &ana.access, &id, [0, -3, -10, -1, -5, -30]).await;
        checked_in(&app, &ana.access, &other, &day(-2)).await;
        let path = format!("/v1/habits/{id}/check-ins");

        let ranges = [
            (format!("?from={}&to={}", day(-5), day(-1)), days([-5, -3, -1]), "five days"),
            (format!("?from={}&to={}", day(-3), day(-3)), days([-3]), "one day"),
            (String::new(), days([-30, -10, -5, -3, -1, 0]), "the default range"),
            (format!("?from={}", day(-4)), days([-3, -1, 0]), "from a day to today"),
        ];
        for (query, expected, why) in ranges {
            let listed = get_ok(&app, &ana.access, &format!("{path}{query}")).await;
            assert_eq!(dates(&listed["items"]), expected, "{why}");
            assert!(listed["next_cursor"].is_null(), "{why}: {listed}");
            assert!(listed["items"].as_array().unwrap().iter().all(|item| item["habit_id"] == id.as_str()), "{why}");
        }

        let invalid = [
            (format!("?from={}&to={}", day(-1), day(-5)), "from", "from after to"),
            (format!("?from={}&to={}", day(-400), day(0)), "to", "a range of 401 days"),
            // At the ends of the calendar: no arithmetic may overflow, and
            // no date the database cannot hold may reach it.
            ("?to=-262143-01-01".to_owned(), "to", "the earliest date there is"),
            ("?to=%2B262142-12-31".to_owned(), "to", "the latest date there is"),
            ("?from=0000-12-31".to_owned(), "from", "the day before year 1"),
            ("?from=%2B10000-01-01".to_owned(), "from", "the day after 9999"),
        ];
        for (query, field, why) in invalid {
            assert_invalid(&app.get(&format!("{path}{query}"), Some(&ana.access)).await, &[field], why);
        }
        let reply = app.get(&format!("{path}?from=2026-02-30"), Some(&ana.access)).await;
        assert_invalid(&reply, &["from"], "an impossible date");
    }
}

db_test! {
    async fn listing_check_ins_pages_through_next_cursor(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Walk").await;
        let offsets = [-12, -9, -7, -4, -2, 0];
        checked_in_on(&app, &ana.access, &id, offsets).await;
        let base = format!("/v1/habits/{id}/check-ins?from={}&to={}&limit=2", day(-30), day(0));

        let (items, sizes) = all_pages(&app, &ana.access, &base).await;
        assert_eq!(dates(&Value::Array(items)), days(offsets));
        assert_eq!(sizes, vec![2, 2, 2], "the last full page says there is no more");

        let first = get_ok(&app, &ana.access, &base).await;
        let empty = get_ok(&app, &ana.access, &format!("{base}&cursor=")).await;
        assert_eq!(empty, first, "an empty cursor asks for the first page");
        for garbage in ["garbage", "bm90LWEtY3Vyc29y", "%21%21"] {
            app.get(&format!("{base}&cursor={garbage}"), Some(&ana.access))
                .await
                .assert_problem(400, "invalid_cursor");
        }
        for limit in ["0", "201"] {
            let reply = app
                .get(&format!("/v1/habits/{id}/check-ins?limit={limit}"), Some(&ana.access))
                .await;
            assert_invalid(&reply, &["limit"], &format!("limit {limit}"));
        }
    }
}

// ---------------------------------------------------------------- local dates

db_test! {
    async fn the_same_instant_is_a_different_local_date_across_the_date_line(app: TestApp) {
        app.clock.set(Utc.with_ymd_and_hms(2026, 11, 27, 10, 30, 0).unwrap());
        let kiri = register_in(&app, "kiri@example.com", "Pacific/Kiritimati").await;
        let utc = app.register("utc@example.com").await;
        let pago = register_in(&app, "pago@example.com", "Pacific/Pago_Pago").await;
        // 10:30 UTC is 00:30 tomorrow in Kiritimati and 23:30 yesterday in Pago Pago.
        assert_eq!(today(&app, &kiri.access).await["date"], "2026-11-28");
        assert_eq!(today(&app, &utc.access).await["date"], "2026-11-27");
        assert_eq!(today(&app, &pago.access).await["date"], "2026-11-26");
    }
}

db_test! {
    async fn a_check_in_dated_the_local_today_is_accepted_even_when_it_is_tomorrow_in_utc(app: TestApp) {
        app.clock.set(Utc.with_ymd_and_hms(2026, 11, 27, 11, 0, 0).unwrap());
        let kiri = register_in(&app, "kiri@example.com", "Pacific/Kiritimati").await;
        let utc = app.register("utc@example.com").await;
        let kiri_habit = daily_habit(&app, &kiri.access, "Sunrise").await;
        let utc_habit = daily_habit(&app, &utc.access, "Sunrise").await;

        let accepted = checked_in(&app, &kiri.access, &kiri_habit, "2026-11-28").await;
        assert_eq!(accepted["date"], "2026-11-28");
        let item = today(&app, &kiri.access).await["items"][0].clone();
        assert_eq!(item["done"], true, "{item}");
        assert_eq!(item["habit"]["streak"]["current"], 1);
        assert_eq!(item["habit"]["streak"]["last_completed_on"], "2026-11-28");

        check_in(&app, &utc.access, &utc_habit, "2026-11-28", &json!({}))
            .await
            .assert_problem(422, "date_out_of_range");
        // Kiritimati's window runs 30 days back from its own today.
        checked_in(&app, &kiri.access, &kiri_habit, "2026-10-29").await;
        check_in(&app, &kiri.access, &kiri_habit, "2026-10-28", &json!({}))
            .await
            .assert_problem(422, "date_out_of_range");
    }
}

db_test! {
    async fn a_day_that_starts_at_two_counts_the_small_hours_as_yesterday(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Wind down").await;
        app.clock.set(Utc.with_ymd_and_hms(2026, 11, 28, 1, 30, 0).unwrap());
        let token = relogin(&app, &ana).await.access;
        assert_eq!(today(&app, &token).await["date"], "2026-11-28");

        patch_me(&app, &token, &json!({"day_starts_at_hour": 2})).await;
        assert_eq!(today(&app, &token).await["date"], "2026-11-27");
        check_in(&app, &token, &id, "2026-11-28", &json!({}))
            .await
            .assert_problem(422, "date_out_of_range");
        checked_in(&app, &token, &id, "2026-11-27").await;
        assert_eq!(today(&app, &token).await["items"][0]["done"], true);

        app.clock.set(Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).unwrap());
        let token = relogin(&app, &ana).await.access;
        let later = today(&app, &token).await;
        assert_eq!(later["date"], "2026-11-28");
        assert_eq!(later["items"][0]["done"], false);
        assert_eq!(later["items"][0]["habit"]["streak"]["current"], 1);
    }
}

// ---------------------------------------------------------------- streaks

db_test! {
    async fn a_missed_day_spends_a_rest_day_and_backfills_and_undos_recompute_the_streak(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Meditate").await;
        checked_in_on(&app, &ana.access, &id, -7..=0).await;
        let eight = habit_streak(&app, &ana.access, &id).await;
        assert_eq!(
            eight,
            json!({"current": 8, "longest": 8, "rest_days_available": 1, "last_completed_on": day(0), "unit": "day", "rhythm": 1.0})
        );

        // Two days later: yesterday was missed and spent the rest day.
        app.clock.advance(Duration::days(2));
        let token = relogin(&app, &ana).await.access;
        let rested = json!({"current": 8, "longest": 8, "rest_days_available": 0, "last_completed_on": day(0)});
        let rested = assert_streak(&app, &token, &id, rested, "a rest day spent").await;
        assert_eq!(rested["rhythm"], 1.0, "rest days are left out of the rhythm: {rested}");

        // Filling the gap late restores the streak and the rest day.
        checked_in(&app, &token, &id, &day(1)).await;
        let filled = json!({"current": 9, "longest": 9, "rest_days_available": 1, "last_completed_on": day(1)});
        assert_streak(&app, &token, &id, filled, "the gap filled").await;

        // Undoing it takes them away again.
        let undo = undo_check_in(&app, &token, &id, &day(1)).await;
        assert_status(&undo, 204);
        assert_eq!(habit_streak(&app, &token, &id).await, rested);

        // A second missed day with nothing banked ends the streak.
        app.clock.advance(Duration::days(1));
        let token = relogin(&app, &ana).await.access;
        let ended = json!({"current": 0, "longest": 8, "rest_days_available": 0});
        let ended = assert_streak(&app, &token, &id, ended, "a second missed day").await;
        let rhythm = ended["rhythm"].as_f64().unwrap();
        assert!((rhythm - 8.0 / 9.0).abs() < 1e-9, "{ended}");
    }
}

db_test! {
    async fn an_undo_in_the_middle_of_a_streak_breaks_it_there(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Stretch").await;
        checked_in_on(&app, &ana.access, &id, -5..=0).await;
        assert_eq!(habit_streak(&app, &ana.access, &id).await["current"], 6);
        undo_check_in(&app, &ana.access, &id, &day(-3)).await;
        assert_streak(&app, &ana.access, &id, json!({"current": 3, "longest": 3}), "undone in the middle").await;
        checked_in(&app, &ana.access, &id, &day(-3)).await;
        assert_eq!(habit_streak(&app, &ana.access, &id).await["current"], 6);
    }
}

db_test! {
    async fn today_not_yet_done_does_not_break_the_streak(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Read").await;
        checked_in_on(&app, &ana.access, &id, -7..=-1).await;
        let open = json!({"current": 7, "rest_days_available": 1, "last_completed_on": day(-1)});
        let open = assert_streak(&app, &ana.access, &id, open, "today still open").await;
        let item = today(&app, &ana.access).await["items"][0].clone();
        assert_eq!(item["habit"]["streak"], open);
    }
}

db_test! {
    async fn at_most_two_rest_days_are_banked(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Walk").await;
        checked_in_on(&app, &ana.access, &id, -20..=0).await;
        assert_streak(&app, &ana.access, &id, json!({"current": 21, "rest_days_available": 2}), "21 days").await;
    }
}

db_test! {
    async fn an_incomplete_day_does_not_count(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let mut body = daily("Water");
        body["target_per_day"] = json!(2);
        let id = new_habit(&app, &ana.access, &body).await;
        check_in(&app, &ana.access, &id, &day(-2), &json!({"count": 2})).await;
        check_in(&app, &ana.access, &id, &day(-1), &json!({"count": 1})).await;
        assert_streak(&app, &ana.access, &id, json!({"current": 0, "longest": 1}), "yesterday short").await;
        check_in(&app, &ana.access, &id, &day(-1), &json!({"count": 2})).await;
        assert_eq!(habit_streak(&app, &ana.access, &id).await["current"], 2);

        // Raising the target recomputes over the history.
        patch_habit(&app, &ana.access, &id, &json!({"target_per_day": 3})).await;
        assert_eq!(habit_streak(&app, &ana.access, &id).await["current"], 0);
    }
}

db_test! {
    async fn days_outside_a_weekday_schedule_neither_count_nor_break(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = new_habit(&app, &ana.access, &on_weekdays("Gym", &[1, 3, 5])).await;
        // Mondays, Wednesdays and Fridays from 2026-11-16 to today, Friday 2026-11-27.
        checked_in_on(&app, &ana.access, &id, [-11, -9, -7, -4, -2, 0]).await;
        assert_streak(&app, &ana.access, &id, json!({"current": 6, "unit": "day"}), "six scheduled days").await;

        // A Tuesday check-in adds nothing.
        checked_in(&app, &ana.access, &id, &day(-3)).await;
        assert_eq!(habit_streak(&app, &ana.access, &id).await["current"], 6);

        // Missing Wednesday 2026-11-25 breaks it (no rest day banked yet).
        undo_check_in(&app, &ana.access, &id, &day(-2)).await;
        assert_streak(&app, &ana.access, &id, json!({"current": 1, "longest": 4}), "a Wednesday missed").await;
    }
}

db_test! {
    async fn weekly_streaks_count_weeks_with_enough_complete_days(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = new_habit(&app, &ana.access, &weekly("Swim", 2)).await;
        // Two days in each of the weeks of 2026-11-09 and 2026-11-16; none yet
        // in this week, which is still open.
        checked_in_on(&app, &ana.access, &id, [-17, -15, -10, -8]).await;
        let two = json!({"current": 2, "unit": "week", "last_completed_on": day(-8)});
        assert_streak(&app, &ana.access, &id, two, "two full weeks").await;

        undo_check_in(&app, &ana.access, &id, &day(-8)).await;
        assert_streak(&app, &ana.access, &id, json!({"current": 0, "longest": 1}), "last week short").await;

        checked_in(&app, &ana.access, &id, &day(-4)).await;
        checked_in(&app, &ana.access, &id, &day(0)).await;
        assert_eq!(habit_streak(&app, &ana.access, &id).await["current"], 1);
    }
}

db_test! {
    async fn an_undone_backfill_leaves_the_streak_as_it_was(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Walk").await;
        checked_in(&app, &ana.access, &id, &day(0)).await;
        let before = assert_streak(&app, &ana.access, &id, json!({"current": 1, "rhythm": 1.0}), "today").await;

        // A check-in dated ten days back by mistake, and undone at once.
        checked_in(&app, &ana.access, &id, &day(-10)).await;
        let undo = undo_check_in(&app, &ana.access, &id, &day(-10)).await;
        assert_status(&undo, 204);
        // The same check-ins as before: the same streak and rhythm.
        assert_eq!(habit_streak(&app, &ana.access, &id).await, before);
    }
}

db_test! {
    async fn the_same_check_in_sent_several_times_at_once_is_one_check_in(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let id = daily_habit(&app, &ana.access, "Walk").await;
        // A phone that timed out and retried while the first request was
        // still on its way.
        for offset in 0..5 {
            let offset = -offset;
            let body = json!({"mood": 4});
            let date = day(offset);
            let (a, b, c) = tokio::join!(
                check_in(&app, &ana.access, &id, &date, &body),
                check_in(&app, &ana.access, &id, &date, &body),
                check_in(&app, &ana.access, &id, &date, &body),
            );
            for reply in [&a, &b, &c] {
                assert_eq!(reply.status.as_u16(), 200, "{date}: {}", reply.text);
            }
            assert_eq!(a.json(), b.json());
            assert_eq!(a.json(), c.json());
        }
        assert_eq!(app.count("check_ins").await, 5);
    }
}
