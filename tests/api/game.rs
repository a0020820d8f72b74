//! The game: the XP ledger as `/v1/me/progress` shows it (paid once per
//! award, reversed when the facts go, never twice for a replay), levels,
//! badges, and the public badge catalogue.

use poem::http::Method;
use serde_json::{Value, json};

use crate::{db_test, support::*};

async fn progress(app: &TestApp, token: &str) -> Value {
    get_ok(app, token, "/v1/me/progress").await
}

async fn xp(app: &TestApp, token: &str) -> i64 {
    progress(app, token).await["xp"].as_i64().expect("xp")
}

/// The reasons and XP of the person's latest entries, oldest first.
async fn entries(app: &TestApp, token: &str) -> Vec<(String, i64)> {
    let progress = progress(app, token).await;
    let mut entries: Vec<(String, i64)> = progress["recent_awards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["reason"].as_str().unwrap().to_owned(),
                entry["xp"].as_i64().unwrap(),
            )
        })
        .collect();
    entries.reverse();
    entries
}

fn badge_codes(progress: &Value) -> Vec<String> {
    strings_in(&progress["badges"], "code")
}

db_test! {
    async fn a_new_person_is_at_level_one_with_nothing_earned(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        assert_eq!(
            progress(&app, &ana.access).await,
            json!({"xp": 0, "level": 1, "xp_for_next_level": 100, "badges": [], "recent_awards": []})
        );
        app.get("/v1/me/progress", None).await.assert_problem(401, "unauthorized");
    }
}

db_test! {
    async fn a_completed_day_pays_once_and_undoing_it_takes_it_back(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let habit = new_habit(&app, &ana.access, &json!({"title": "Water", "category": "nourishment", "schedule": {"kind": "daily"}, "target_per_day": 2})).await;
        let today = day(0);

        assert_status(&check_in(&app, &ana.access, &habit, &today, &json!({"count": 1})).await, 200);
        assert_eq!(xp(&app, &ana.access).await, 0, "half a day pays nothing");
        assert_status(&check_in(&app, &ana.access, &habit, &today, &json!({"count": 2})).await, 200);
        assert_eq!(xp(&app, &ana.access).await, 10);
        // The same PUT again, and a higher count, pay nothing more.
        assert_status(&check_in(&app, &ana.access, &habit, &today, &json!({"count": 2})).await, 200);
        assert_status(&check_in(&app, &ana.access, &habit, &today, &json!({"count": 3})).await, 200);
        assert_eq!(xp(&app, &ana.access).await, 10, "a replay pays twice");

        assert_status(&check_in(&app, &ana.access, &habit, &today, &json!({"count": 1})).await, 200);
        assert_eq!(xp(&app, &ana.access).await, 0, "lowering the count below the target takes it back");
        assert_status(&check_in(&app, &ana.access, &habit, &today, &json!({"count": 2})).await, 200);
        assert_status(&undo_check_in(&app, &ana.access, &habit, &today).await, 204);
        assert_status(&undo_check_in(&app, &ana.access, &habit, &today).await, 204);
        assert_eq!(xp(&app, &ana.access).await, 0, "undoing the day takes it back, once");
        assert_status(&check_in(&app, &ana.access, &habit, &today, &json!({"count": 2})).await, 200);

        let progress = progress(&app, &ana.access).await;
        assert_eq!(progress["xp"], 10, "doing the day again pays once more, net");
        let day_entries = vec![("check_in_day".to_owned(), 10), ("check_in_day".to_owned(), -10)];
        assert_eq!(entries(&app, &ana.access).await, [day_entries.clone(), day_entries, vec![("check_in_day".to_owned(), 10)]].concat());
        let latest = &progress["recent_awards"][0];
        assert_has(latest, &json!({"source_type": "habit_day", "source_id": habit, "date": today}), "the entry names its day");
        assert_eq!(badge_codes(&progress), ["first_step"]);
        assert_balances_match_the_ledger(&app).await;
    }
}

db_test! {
    async fn the_first_step_badge_stays_when_its_day_is_undone(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let habit = daily_habit(&app, &ana.access, "Stretch").await;
        checked_in(&app, &ana.access, &habit, &day(0)).await;
        assert_status(&undo_check_in(&app, &ana.access, &habit, &day(0)).await, 204);
        let progress = progress(&app, &ana.access).await;
        assert_eq!((progress["xp"].as_i64(), badge_codes(&progress)), (Some(0), vec!["first_step".to_owned()]));
    }
}

db_test! {
    async fn batches_and_their_replays_pay_each_day_once(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let habit = daily_habit(&app, &ana.access, "Walk").await;
        let item = |offset: i64| json!({"habit_id": habit, "date": day(offset)});
        let batch = json!({"items": [item(-2), item(-1), item(-1), item(0)]});
        for _ in 0..2 {
            assert_status(&app.post("/v1/check-ins/batch", Some(&ana.access), &batch).await, 200);
        }
        assert_eq!(xp(&app, &ana.access).await, 30 + 15, "three days, and the streak's milestone of 3");
        let undo = json!({"items": [{"habit_id": habit, "date": day(-1), "deleted": true}]});
        assert_status(&app.post("/v1/check-ins/batch", Some(&ana.access), &undo).await, 200);
        assert_eq!(xp(&app, &ana.access).await, 20 + 15, "the milestone is kept");
        assert_balances_match_the_ledger(&app).await;
    }
}

db_test! {
    async fn deleting_a_habit_takes_back_the_days_it_paid_for(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let kept = daily_habit(&app, &ana.access, "Kept").await;
        let gone = daily_habit(&app, &ana.access, "Gone").await;
        checked_in_on(&app, &ana.access, &kept, [-1, 0]).await;
        // Two days, a miss, and today: a comeback (+20), which is kept.
        checked_in_on(&app, &ana.access, &gone, [-3, -2, 0]).await;
        assert_status(&undo_check_in(&app, &ana.access, &gone, &day(-3)).await, 204);
        assert_eq!(xp(&app, &ana.access).await, 40 + 20);
        assert_status(&delete(&app, &ana.access, &format!("/v1/habits/{gone}")).await, 204);
        assert_eq!(xp(&app, &ana.access).await, 20 + 20, "the days go, the welcome stays");
        assert_balances_match_the_ledger(&app).await;
    }
}

/// An organisation with one team of Ana, Bo and Cy.
async fn team_of_three(app: &TestApp) -> (String, Session, Session, Session) {
    let (owner, org) = owned_org(app, "owner@example.com", "Acme").await;
    let team = create_team(app, &owner.access, &org, "Support").await;
    let ana = join_team(app, &owner.access, &org, &team, "ana@example.com").await;
    let bo = join_team(app, &owner.access, &org, &team, "bo@example.com").await;
    let cy = join_team(app, &owner.access, &org, &team, "cy@example.com").await;
    (team, ana, bo, cy)
}

fn kudos(to: &[&Session]) -> Value {
    let ids: Vec<&str> = to.iter().map(|person| person.user_id.as_str()).collect();
    json!({"kind": "kudos", "category": "appreciation", "message": "Thank you", "recipient_ids": ids})
}

async fn post_act(app: &TestApp, token: &str, team: &str, body: &Value) -> String {
    let reply = app.post(&team_acts_path(team), Some(token), body).await;
    assert_status(&reply, 201);
    id_of(&reply.json())
}

async fn withdraw(app: &TestApp, token: &str, act: &str) {
    assert_status(
        &app.call(Method::DELETE, &act_path(act), Some(token), None)
            .await,
        204,
    );
}

db_test! {
    async fn acts_kudos_and_thanks_pay_their_people_and_a_withdrawal_takes_it_all_back(app: TestApp) {
        let (team, ana, bo, cy) = team_of_three(&app).await;
        let id = uuid::Uuid::now_v7().to_string();
        let with_id = json!({"id": id, "kind": "act", "category": "help", "message": "Covered the phones"});
        post_act(&app, &ana.access, &team, &with_id).await;
        // A replayed create is the same act, and pays nothing more.
        assert_status(&app.post(&team_acts_path(&team), Some(&ana.access), &with_id).await, 200);
        assert_eq!(xp(&app, &ana.access).await, 15);

        let thanked = post_act(&app, &ana.access, &team, &kudos(&[&bo, &cy])).await;
        assert_eq!((xp(&app, &ana.access).await, xp(&app, &bo.access).await, xp(&app, &cy.access).await), (30, 5, 5));
        for _ in 0..2 {
            assert_status(&app.call(Method::PUT, &thanks_path(&thanked), Some(&bo.access), None).await, 200);
        }
        assert_status(&app.call(Method::PUT, &thanks_path(&thanked), Some(&cy.access), None).await, 200);
        assert_eq!(xp(&app, &ana.access).await, 34, "each recipient's thanks pays the author 2, once");

        withdraw(&app, &ana.access, &thanked).await;
        assert_eq!((xp(&app, &ana.access).await, xp(&app, &bo.access).await, xp(&app, &cy.access).await), (15, 0, 0));
        assert_eq!(
            entries(&app, &bo.access).await,
            [("kudos_received".to_owned(), 5), ("kudos_received".to_owned(), -5)]
        );
        assert_balances_match_the_ledger(&app).await;
    }
}

db_test! {
    async fn kudos_from_one_colleague_pay_three_a_day_and_a_withdrawal_lets_the_next_pay(app: TestApp) {
        let (team, ana, bo, cy) = team_of_three(&app).await;
        let mut given = Vec::new();
        for _ in 0..4 {
            given.push(post_act(&app, &ana.access, &team, &kudos(&[&bo])).await);
            app.clock.advance(chrono::Duration::seconds(1));
        }
        post_act(&app, &cy.access, &team, &kudos(&[&bo])).await;
        assert_eq!(xp(&app, &bo.access).await, 20, "three of Ana's four kudos, and Cy's");

        withdraw(&app, &ana.access, &given[1]).await;
        assert_eq!(xp(&app, &bo.access).await, 20, "Ana's fourth kudos takes the withdrawn one's place");
        withdraw(&app, &ana.access, &given[3]).await;
        assert_eq!(xp(&app, &bo.access).await, 15);

        app.clock.advance(chrono::Duration::days(1));
        let (ana, bo) = (relogin(&app, &ana).await, relogin(&app, &bo).await);
        post_act(&app, &ana.access, &team, &kudos(&[&bo])).await;
        assert_eq!(xp(&app, &bo.access).await, 20, "a new day, a new three");
        assert_balances_match_the_ledger(&app).await;
    }
}

db_test! {
    async fn listening_acts_and_kudos_to_five_colleagues_earn_their_badges(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let ana = join_team(&app, &owner.access, &org, &team, "ana@example.com").await;
        let mut colleagues = Vec::new();
        for n in 0..5 {
            colleagues.push(join_team(&app, &owner.access, &org, &team, &format!("c{n}@example.com")).await);
        }
        let listening = json!({"kind": "act", "category": "listening", "message": "Heard them out"});
        for n in 0..5 {
            assert!(!badge_codes(&progress(&app, &ana.access).await).contains(&"good_listener".to_owned()), "after {n}");
            post_act(&app, &ana.access, &team, &listening).await;
        }
        // Kudos only the recipients see do not count toward ripple.
        let mut private = kudos(&[&colleagues[4]]);
        private["visibility"] = json!("recipients");
        post_act(&app, &ana.access, &team, &private).await;
        post_act(&app, &ana.access, &team, &kudos(&colleagues[..4].iter().collect::<Vec<_>>())).await;
        assert_eq!(badge_codes(&progress(&app, &ana.access).await), ["good_listener"]);
        post_act(&app, &ana.access, &team, &kudos(&[&colleagues[4]])).await;
        let mut codes = badge_codes(&progress(&app, &ana.access).await);
        codes.sort();
        assert_eq!(codes, ["good_listener", "ripple"]);
    }
}

db_test! {
    async fn the_badge_catalogue_is_public(app: TestApp) {
        let reply = app.get("/v1/badges", None).await;
        assert_status(&reply, 200);
        let catalogue = reply.json();
        assert_eq!(
            strings_in(&catalogue, "code"),
            ["first_step", "kind_week", "rest_is_productive", "welcome_back", "ripple", "good_listener", "chain_reaction", "team_spark"]
        );
        for badge in catalogue.as_array().unwrap() {
            for field in ["name", "description", "criteria"] {
                assert!(badge[field].as_str().is_some_and(|text| !text.is_empty()), "{badge}");
            }
        }
    }
}

db_test! {
    async fn nobody_reads_another_person_s_progress(app: TestApp) {
        let (team, ana, bo, _) = team_of_three(&app).await;
        let habit = daily_habit(&app, &ana.access, "Rest").await;
        checked_in(&app, &ana.access, &habit, &day(0)).await;
        post_act(&app, &ana.access, &team, &kudos(&[&bo])).await;
        let bo_sees = progress(&app, &bo.access).await;
        assert_eq!(bo_sees["xp"], 5, "Bo's own progress: the kudos he received");
        assert!(!bo_sees.to_string().contains(&habit), "{bo_sees}");
        assert!(!bo_sees.to_string().contains("first_step"), "{bo_sees}");
    }
}

db_test! {
    async fn streak_milestones_pay_once_and_are_kept_when_the_streak_breaks(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let habit = daily_habit(&app, &ana.access, "Breathe").await;
        // Backfilled out of order: the streak reaches 3, then 7.
        checked_in_on(&app, &ana.access, &habit, [-2, -1, 0]).await;
        assert_eq!(xp(&app, &ana.access).await, 30 + 15, "three days and the milestone of 3");
        checked_in_on(&app, &ana.access, &habit, [-6, -5, -4, -3]).await;
        let progress = progress(&app, &ana.access).await;
        assert_eq!(progress["xp"], 70 + 15 + 35, "seven days and the milestones of 3 and 7");
        assert_eq!(badge_codes(&progress), ["first_step", "kind_week"]);
        let milestone = progress["recent_awards"].as_array().unwrap().iter().find(|award| award["reason"] == "streak_milestone").unwrap().clone();
        assert_has(&milestone, &json!({"source_type": "habit", "source_id": habit, "date": null, "xp": 35}), "the latest milestone");

        assert_status(&undo_check_in(&app, &ana.access, &habit, &day(-3)).await, 204);
        assert_eq!(xp(&app, &ana.access).await, 60 + 15 + 35, "a milestone earned is kept");
        checked_in(&app, &ana.access, &habit, &day(-3)).await;
        assert_eq!(xp(&app, &ana.access).await, 70 + 15 + 35, "and not paid again");
        assert_balances_match_the_ledger(&app).await;
    }
}

db_test! {
    async fn ten_days_of_a_rest_habit_earn_rest_is_productive(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let nap = new_habit(&app, &ana.access, &json!({"title": "Nap", "category": "rest", "schedule": {"kind": "weekdays", "days": [1, 2, 3, 4, 5, 6, 7]}})).await;
        // Ten days of a habit of another kind count for nothing here.
        let walk = new_habit(&app, &ana.access, &json!({"title": "Walk", "category": "movement", "schedule": {"kind": "daily"}})).await;
        checked_in_on(&app, &ana.access, &walk, -9..=0).await;
        checked_in_on(&app, &ana.access, &nap, -8..=0).await;
        assert!(!badge_codes(&progress(&app, &ana.access).await).contains(&"rest_is_productive".to_owned()), "nine days");
        checked_in(&app, &ana.access, &nap, &day(-9)).await;
        assert!(badge_codes(&progress(&app, &ana.access).await).contains(&"rest_is_productive".to_owned()), "ten days");
    }
}

db_test! {
    async fn kudos_passed_on_to_a_third_person_within_a_day_earn_the_giver_chain_reaction(app: TestApp) {
        let (team, ana, bo, cy) = team_of_three(&app).await;
        let chained = |progress: Value| badge_codes(&progress).contains(&"chain_reaction".to_owned());
        let mut private = kudos(&[&cy]);
        private["visibility"] = json!("recipients");

        post_act(&app, &ana.access, &team, &kudos(&[&bo])).await;
        app.clock.advance(chrono::Duration::hours(2));
        let (ana, bo) = (relogin(&app, &ana).await, relogin(&app, &bo).await);
        post_act(&app, &bo.access, &team, &kudos(&[&ana])).await;
        assert!(!chained(progress(&app, &ana.access).await), "kudos back to Ana pass nothing on");
        post_act(&app, &bo.access, &team, &private).await;
        assert!(!chained(progress(&app, &ana.access).await), "kudos only Cy sees tell Ana nothing");
        post_act(&app, &bo.access, &team, &kudos(&[&cy])).await;
        assert!(chained(progress(&app, &ana.access).await), "Bo passed Ana's kudos on to Cy");
        assert!(!chained(progress(&app, &bo.access).await), "nobody passed Bo's on yet");

        // Cy passes Bo's kudos on to Ana, but only after more than a day.
        app.clock.advance(chrono::Duration::hours(25));
        let cy = relogin(&app, &cy).await;
        post_act(&app, &cy.access, &team, &kudos(&[&ana])).await;
        let bo = relogin(&app, &bo).await;
        assert!(!chained(progress(&app, &bo.access).await), "a day and an hour later is too late");
    }
}

db_test! {
    async fn a_team_streak_of_ten_earns_every_member_team_spark(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let every_day = json!({"working_days": [1, 2, 3, 4, 5, 6, 7]});
        assert_status(&patch(&app, &owner.access, &org_path(&org), &every_day).await, 200);
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let mut ana = join_team(&app, &owner.access, &org, &team, "ana@example.com").await;
        let mut bo = join_team(&app, &owner.access, &org, &team, "bo@example.com").await;
        let sparked = |progress: Value| badge_codes(&progress).contains(&"team_spark".to_owned());
        let act = json!({"kind": "act", "category": "help", "message": "Covered a shift"});
        for day in 1..=10 {
            assert!(!sparked(progress(&app, &bo.access).await), "a streak of {}", day - 1);
            post_act(&app, &ana.access, &team, &act).await;
            app.clock.advance(chrono::Duration::days(1));
            (ana, bo) = (relogin(&app, &ana).await, relogin(&app, &bo).await);
        }
        assert!(sparked(progress(&app, &ana.access).await), "Ana's tenth day in a row");
        assert!(sparked(progress(&app, &bo.access).await), "Bo is in the team too");
    }
}

db_test! {
    async fn coming_back_after_a_streak_ended_pays_welcome_back_once_and_keeps_it(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let habit = daily_habit(&app, &ana.access, "Stretch").await;
        // A streak of two (Sunday, Monday), broken on Tuesday, and a day
        // done on Wednesday: the comeback.
        for date in [day(-5), day(-4), day(-2)] {
            assert_status(&check_in(&app, &ana.access, &habit, &date, &json!({})).await, 200);
        }
        let back = progress(&app, &ana.access).await;
        assert_eq!(back["xp"], 3 * 10 + 20, "{back}");
        assert!(badge_codes(&back).contains(&"welcome_back".to_owned()), "{back}");
        assert_eq!(back["recent_awards"][0]["reason"], "welcome_back");
        assert_eq!(back["recent_awards"][0]["source_type"], "habit");
        assert_eq!(back["recent_awards"][0]["source_id"], habit.as_str());

        // Undoing the comeback day takes its day back, not the welcome; doing
        // it again pays the day once more and no second welcome.
        assert_status(&undo_check_in(&app, &ana.access, &habit, &day(-2)).await, 204);
        assert_eq!(xp(&app, &ana.access).await, 2 * 10 + 20);
        assert_status(&check_in(&app, &ana.access, &habit, &day(-2), &json!({})).await, 200);
        assert_eq!(xp(&app, &ana.access).await, 3 * 10 + 20);

        // A streak of one that ends is no streak to come back to: Wednesday
        // alone, Thursday missed, today done.
        assert_status(&check_in(&app, &ana.access, &habit, &day(0), &json!({})).await, 200);
        assert_eq!(xp(&app, &ana.access).await, 4 * 10 + 20);

        // Another streak of two (today and tomorrow) that ends, and a second
        // comeback: a second welcome.
        app.clock.advance(chrono::Duration::days(1));
        let ana = relogin(&app, &ana).await;
        assert_status(&check_in(&app, &ana.access, &habit, &day(1), &json!({})).await, 200);
        app.clock.advance(chrono::Duration::days(2));
        let ana = relogin(&app, &ana).await;
        assert_status(&check_in(&app, &ana.access, &habit, &day(3), &json!({})).await, 200);
        let again = progress(&app, &ana.access).await;
        assert_eq!(again["xp"], 6 * 10 + 2 * 20, "{again}");
        let welcomes = again["recent_awards"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|award| award["reason"] == "welcome_back")
            .count();
        assert_eq!(welcomes, 2, "{again}");
        assert_balances_match_the_ledger(&app).await;
    }
}

db_test! {
    async fn a_backfill_that_fills_a_gap_pays_no_welcome_back(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let habit = daily_habit(&app, &ana.access, "Stretch").await;
        // Today, then Tuesday and Wednesday backfilled: for a moment today
        // looks like a comeback after a streak of two, but nobody came back
        // today; then Thursday fills the gap.
        checked_in_on(&app, &ana.access, &habit, [0, -3, -2]).await;
        assert_eq!(xp(&app, &ana.access).await, 30);
        checked_in_on(&app, &ana.access, &habit, [-1]).await;
        let progress = progress(&app, &ana.access).await;
        assert_eq!(progress["xp"], 40 + 15, "four days and the milestone of 3: {progress}");
        assert!(!badge_codes(&progress).contains(&"welcome_back".to_owned()), "{progress}");
    }
}

db_test! {
    async fn a_streak_that_ends_between_two_saved_checkpoints_is_still_welcomed_back(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let habit = daily_habit(&app, &ana.access, "Stretch").await;
        // Ten days up to today bank a rest day: the first miss spends it,
        // the second (day 2) ends the streak.
        checked_in_on(&app, &ana.access, &habit, -9..=0).await;
        let xp_before = xp(&app, &ana.access).await;
        // Today's list saves the streak as of 35 days back: on day 1 it still
        // runs. A fortnight later the next saved state lies past its end.
        app.clock.advance(chrono::Duration::days(36));
        let ana = relogin(&app, &ana).await;
        today(&app, &ana.access).await;
        app.clock.advance(chrono::Duration::days(14));
        let ana = relogin(&app, &ana).await;
        today(&app, &ana.access).await;
        assert_eq!(app.count("streak_checkpoints").await, 1);

        assert_status(&check_in(&app, &ana.access, &habit, &day(50), &json!({})).await, 200);
        let back = progress(&app, &ana.access).await;
        assert_eq!(back["xp"], xp_before + 10 + 20, "the day and the welcome: {back}");
        assert!(badge_codes(&back).contains(&"welcome_back".to_owned()), "{back}");
    }
}

db_test! {
    async fn a_completing_write_saves_the_streak_checkpoint_it_computed(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let habit = daily_habit(&app, &ana.access, "Stretch").await;
        checked_in_on(&app, &ana.access, &habit, -2..=0).await;
        app.clock.advance(chrono::Duration::days(40));
        let ana = relogin(&app, &ana).await;
        assert_eq!(app.count("streak_checkpoints").await, 0);
        // A person who only writes: the write's own streak computation
        // saves the habit's state as of 35 days back, as a read would.
        assert_status(&check_in(&app, &ana.access, &habit, &day(40), &json!({})).await, 200);
        assert_eq!(app.count("streak_checkpoints").await, 1);
        let resumed = json!({"current": 1, "longest": 3, "last_completed_on": day(40)});
        assert_streak(&app, &ana.access, &habit, resumed, "resumed from the saved state").await;
    }
}

db_test! {
    async fn identical_writes_sent_at_once_pay_once_and_reverse_once(app: TestApp) {
        let (team, ana, bo, _) = team_of_three(&app).await;
        let habit = daily_habit(&app, &ana.access, "Walk").await;
        let path = format!("/v1/habits/{habit}/check-ins/{}", day(0));
        let empty = json!({});
        let check_in = || put(&app, &ana.access, &path, &empty);
        let (a, b, c, d) = tokio::join!(check_in(), check_in(), check_in(), check_in());
        for reply in [&a, &b, &c, &d] {
            assert_status(reply, 200);
        }
        let item = json!({"items": [{"habit_id": habit, "date": day(-2)}]});
        let batch = || app.post("/v1/check-ins/batch", Some(&ana.access), &item);
        let (a, b, c) = tokio::join!(batch(), batch(), batch());
        for reply in [&a, &b, &c] {
            assert_status(reply, 200);
        }
        assert_eq!(xp(&app, &ana.access).await, 20, "each day once");

        let mut body = kudos(&[&bo]);
        body["id"] = json!(uuid::Uuid::now_v7().to_string());
        let acts = team_acts_path(&team);
        let post = || app.post(&acts, Some(&ana.access), &body);
        let (a, b, c) = tokio::join!(post(), post(), post());
        let mut statuses: Vec<u16> = [&a, &b, &c].iter().map(|reply| reply.status.as_u16()).collect();
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 200, 201], "{} | {} | {}", a.text, b.text, c.text);
        let act = body["id"].as_str().unwrap();
        let thanks = thanks_path(act);
        let thank = || app.call(Method::PUT, &thanks, Some(&bo.access), None);
        let (a, b, c) = tokio::join!(thank(), thank(), thank());
        for reply in [&a, &b, &c] {
            assert_status(reply, 200);
        }
        assert_eq!((xp(&app, &ana.access).await, xp(&app, &bo.access).await), (20 + 15 + 2, 5));

        let act = act_path(act);
        let withdraw = || app.call(Method::DELETE, &act, Some(&ana.access), None);
        let (a, b, c) = tokio::join!(withdraw(), withdraw(), withdraw());
        let mut statuses: Vec<u16> = [&a, &b, &c].iter().map(|reply| reply.status.as_u16()).collect();
        statuses.sort_unstable();
        assert_eq!(statuses, [204, 404, 404], "{} | {} | {}", a.text, b.text, c.text);
        assert_eq!((xp(&app, &ana.access).await, xp(&app, &bo.access).await), (20, 0));
        assert_eq!(app.count("xp_entries").await, 2 + 3 + 3, "two days; act, kudos, thanks paid and reversed");
        assert_balances_match_the_ledger(&app).await;
    }
}

db_test! {
    async fn two_colleagues_sending_each_other_kudos_at_once_both_get_through(app: TestApp) {
        let (team, ana, bo, _) = team_of_three(&app).await;
        let path = team_acts_path(&team);
        let (to_bo, to_ana) = (kudos(&[&bo]), kudos(&[&ana]));
        for _ in 0..20 {
            let (a, b) = tokio::join!(
                app.post(&path, Some(&ana.access), &to_bo),
                app.post(&path, Some(&bo.access), &to_ana),
            );
            assert_status(&a, 201);
            assert_status(&b, 201);
        }
        // Each posted twenty (15 each) and received twenty, of which three a
        // day pay.
        assert_eq!((xp(&app, &ana.access).await, xp(&app, &bo.access).await), (300 + 15, 300 + 15));
        assert_balances_match_the_ledger(&app).await;
    }
}
