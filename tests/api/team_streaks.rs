//! Team kindness streaks and weekly progress: consecutive organisation working
//! days (in the organisation's timezone) on which a team reached its daily act
//! threshold, how weekends, missed days, today, withdrawals, threshold and
//! working-day changes and daylight saving shape it, that the stored
//! checkpoint never hides a withdrawal, this week's acts against the weekly
//! goal, and who may read either.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use poem::http::Method;
use serde_json::{Value, json};

use crate::{db_test, support::*};

// ---------------------------------------------------------------- helpers

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

/// Logs an act in `team` as `token`'s person; the act.
async fn log_act(app: &TestApp, token: &str, team: &str) -> Value {
    let reply = app
        .post(
            &team_acts_path(team),
            Some(token),
            &json!({"kind": "act", "category": "help", "message": "Covered a shift"}),
        )
        .await;
    assert_status(&reply, 201);
    reply.json()
}

/// Logs an act and returns its id.
async fn log_act_id(app: &TestApp, token: &str, team: &str) -> String {
    log_act(app, token, team).await["id"]
        .as_str()
        .expect("act id")
        .to_owned()
}

async fn withdraw(app: &TestApp, token: &str, act: &str) {
    let reply = app
        .call(
            Method::DELETE,
            &format!("/v1/acts/{act}"),
            Some(token),
            None,
        )
        .await;
    assert_status(&reply, 204);
}

async fn streak(app: &TestApp, token: &str, team: &str) -> Value {
    let reply = app.get(&team_streak_path(team), Some(token)).await;
    assert_status(&reply, 200);
    reply.json()
}

async fn progress(app: &TestApp, token: &str, team: &str) -> Value {
    let reply = app.get(&team_progress_path(team), Some(token)).await;
    assert_status(&reply, 200);
    reply.json()
}

/// `(acts, goal_reached)` of a progress.
fn tally(progress: &Value) -> (Value, Value) {
    (progress["acts"].clone(), progress["goal_reached"].clone())
}

/// `(current, longest, today_count)` of a streak.
fn run(streak: &Value) -> (u64, u64, u64) {
    let field = |name: &str| {
        streak[name]
            .as_u64()
            .unwrap_or_else(|| panic!("{name} in {streak}"))
    };
    (field("current"), field("longest"), field("today_count"))
}

async fn patch_team(app: &TestApp, token: &str, team: &str, body: Value) -> Value {
    let reply = app.patch(&team_path(team), Some(token), &body).await;
    assert_status(&reply, 200);
    reply.json()
}

async fn patch_org(app: &TestApp, token: &str, org: &str, body: Value) -> Value {
    let reply = app
        .patch(&format!("/v1/orgs/{org}"), Some(token), &body)
        .await;
    assert_status(&reply, 200);
    reply.json()
}

/// One day of a crew's life: `(days on, acts, run, why)`, the run being
/// `(current, longest, today_count)` once the day's acts are logged.
type Day<'a> = (u32, usize, (u64, u64, u64), &'a str);

/// An organisation with its owner (not in the team) and Ana, a member of
/// the organisation and of its one team, who logs the acts.
struct Crew {
    owner: Session,
    ana: Session,
    org: String,
    team: String,
}

impl Crew {
    /// A crew whose emails start with `tag`, in an organisation in `timezone`
    /// with the default working days (Monday to Friday).
    async fn new(app: &TestApp, tag: &str, timezone: &str) -> Self {
        let owner = app.register(&format!("{tag}.owner@example.com")).await;
        let org = create_org(app, &owner.access, tag, timezone).await;
        let team = create_team(app, &owner.access, &org, "Support").await;
        let ana = join_team(
            app,
            &owner.access,
            &org,
            &team,
            &format!("{tag}.ana@example.com"),
        )
        .await;
        Self {
            owner,
            ana,
            org,
            team,
        }
    }

    /// Fresh tokens for everybody, after the clock moved.
    async fn wake(&mut self, app: &TestApp) {
        self.owner = relogin(app, &self.owner).await;
        self.ana = relogin(app, &self.ana).await;
    }

    /// The clock a day on, and fresh tokens.
    async fn next_day(&mut self, app: &TestApp) {
        app.clock.advance(Duration::days(1));
        self.wake(app).await;
    }

    /// The clock at `instant`, and fresh tokens.
    async fn at(&mut self, app: &TestApp, instant: DateTime<Utc>) {
        app.clock.set(instant);
        self.wake(app).await;
    }

    /// The owner sets the organisation's working days; the organisation.
    async fn working_days(&self, app: &TestApp, days: Value) -> Value {
        patch_org(
            app,
            &self.owner.access,
            &self.org,
            json!({"working_days": days}),
        )
        .await
    }

    async fn act(&self, app: &TestApp) -> Value {
        log_act(app, &self.ana.access, &self.team).await
    }

    async fn act_id(&self, app: &TestApp) -> String {
        log_act_id(app, &self.ana.access, &self.team).await
    }

    async fn streak(&self, app: &TestApp) -> Value {
        streak(app, &self.ana.access, &self.team).await
    }

    async fn run(&self, app: &TestApp) -> (u64, u64, u64) {
        run(&self.streak(app).await)
    }

    async fn progress(&self, app: &TestApp) -> Value {
        progress(app, &self.ana.access, &self.team).await
    }

    /// Asserts that the crew's today is `date` and whether it is a working
    /// day; the streak.
    async fn today_is(&self, app: &TestApp, date: &str, working: bool) -> Value {
        let streak = self.streak(app).await;
        assert_eq!(streak["today"], date, "{streak}");
        assert_eq!(streak["today_is_working_day"], working, "{date}: {streak}");
        streak
    }

    /// Lives through `days`: for each, moves the clock its days on (0: the
    /// same day), logs its acts and asserts its run. The last streak.
    async fn live(&mut self, app: &TestApp, days: &[Day<'_>]) -> Value {
        let mut last = Value::Null;
        for &(days_on, acts, expected, why) in days {
            for _ in 0..days_on {
                self.next_day(app).await;
            }
            for _ in 0..acts {
                self.act(app).await;
            }
            last = self.streak(app).await;
            assert_eq!(run(&last), expected, "{why}: {last}");
        }
        last
    }
}

// ---------------------------------------------------------------- streaks

db_test! {
    async fn a_new_team_has_no_streak_and_one_act_today_starts_it(app: TestApp) {
        let crew = Crew::new(&app, "acme", "Europe/London").await;
        assert_eq!(
            crew.streak(&app).await,
            json!({
                "current": 0,
                "longest": 0,
                "today_count": 0,
                "threshold": 1,
                "today": "2026-11-27",
                "today_is_working_day": true,
            })
        );
        let act = crew.act(&app).await;
        assert_eq!(act["local_date"], "2026-11-27");
        assert_eq!(
            crew.streak(&app).await,
            json!({
                "current": 1,
                "longest": 1,
                "today_count": 1,
                "threshold": 1,
                "today": "2026-11-27",
                "today_is_working_day": true,
            })
        );
        // The owner, outside the team, sees nothing of it.
        app.get(&team_streak_path(&crew.team), Some(&crew.owner.access))
            .await
            .assert_problem(404, "not_found");

        // Withdrawn, the act no longer counts; today still does not break.
        let second = crew.act_id(&app).await;
        assert_eq!(crew.run(&app).await, (1, 1, 2));
        withdraw(&app, &crew.ana.access, act["id"].as_str().expect("id")).await;
        assert_eq!(crew.run(&app).await, (1, 1, 1));
        withdraw(&app, &crew.ana.access, &second).await;
        let after = crew.streak(&app).await;
        assert_eq!(run(&after), (0, 0, 0), "{after}");
    }
}

db_test! {
    async fn working_days_build_the_streak_weekends_neither_count_nor_break_and_a_missed_day_ends_it(app: TestApp) {
        let mut crew = Crew::new(&app, "acme", "Europe/London").await;

        // Friday 2026-11-27.
        crew.live(&app, &[(0, 1, (1, 1, 1), "Friday")]).await;

        // Saturday: not a working day; an act then adds nothing.
        crew.live(&app, &[(1, 0, (1, 1, 0), "Saturday before its act")]).await;
        crew.today_is(&app, "2026-11-28", false).await;
        let act = crew.act(&app).await;
        assert_eq!(act["local_date"], "2026-11-28");
        assert_eq!(crew.run(&app).await, (1, 1, 1), "an act on Saturday");

        // Sunday: nothing, and nothing breaks.
        let sunday = crew.live(&app, &[(1, 0, (1, 1, 0), "Sunday")]).await;
        assert_eq!(sunday["today_is_working_day"], false);

        // Monday: not yet reached does not break Friday's streak.
        crew.live(&app, &[(1, 0, (1, 1, 0), "Monday before its act")]).await;
        crew.today_is(&app, "2026-11-30", true).await;
        let days = [
            (0, 1, (2, 2, 1), "Monday"),
            // Tuesday with two acts, Wednesday with one.
            (1, 2, (3, 3, 2), "Tuesday"),
            (1, 1, (4, 4, 1), "Wednesday"),
            // Thursday without an act: still 4 while Thursday lasts.
            (1, 0, (4, 4, 0), "Thursday without an act"),
            // Friday: Thursday was missed, so the streak ended; longest stays.
            (1, 0, (0, 4, 0), "Friday after a missed Thursday"),
            (0, 1, (1, 4, 1), "Friday's act starts again"),
            // Over the weekend to Monday 2026-12-07.
            (1, 0, (1, 4, 0), "Saturday"),
            (2, 0, (1, 4, 0), "Monday before its act"),
            (0, 1, (2, 4, 1), "Monday"),
        ];
        assert_eq!(crew.live(&app, &days).await["today"], "2026-12-07");
    }
}

db_test! {
    async fn a_day_below_the_threshold_does_not_count_and_changing_the_threshold_recomputes(app: TestApp) {
        let mut crew = Crew::new(&app, "acme", "Europe/London").await;
        let body = json!({"daily_act_threshold": 2});
        let team = patch_team(&app, &crew.owner.access, &crew.team, body).await;
        assert_eq!(team["daily_act_threshold"], 2);
        assert_eq!(crew.streak(&app).await["threshold"], 2);

        // Friday 2026-11-27: one act is not enough, two are.
        crew.live(&app, &[(0, 1, (0, 0, 1), "Friday with one act"), (0, 1, (1, 1, 2), "Friday with two acts")]).await;

        // Monday with two, Tuesday with one, Wednesday and Thursday with two.
        crew.at(&app, utc(2026, 11, 30, 9, 30, 0)).await;
        let days = [
            (0, 2, (2, 2, 2), "Monday"),
            (1, 1, (2, 2, 1), "Tuesday below the threshold so far"),
            (1, 0, (0, 2, 0), "Tuesday fell short"),
            (0, 2, (1, 2, 2), "Wednesday"),
            (1, 2, (2, 2, 2), "Thursday"),
        ];
        assert_eq!(crew.live(&app, &days).await["threshold"], 2);
        assert_eq!(app.count("team_streak_checkpoints").await, 1);

        let thresholds = [
            // Every day had an act: with a threshold of 1 the run is unbroken.
            (1, (5, 5, 2)),
            // No day had three.
            (3, (0, 0, 2)),
            // Back to two: as before.
            (2, (2, 2, 2)),
        ];
        for (threshold, expected) in thresholds {
            patch_team(&app, &crew.owner.access, &crew.team, json!({"daily_act_threshold": threshold})).await;
            let streak = crew.streak(&app).await;
            assert_eq!(run(&streak), expected, "threshold {threshold}: {streak}");
            assert_eq!(streak["threshold"], threshold);
        }

        // The next day resumes from whatever checkpoint was kept.
        crew.live(&app, &[(1, 2, (3, 3, 2), "Friday 2026-12-04")]).await;
    }
}

db_test! {
    async fn in_auckland_an_act_counts_for_the_local_date_and_working_days_follow_the_local_weekday(app: TestApp) {
        let mut crew = Crew::new(&app, "kiwi", "Pacific/Auckland").await;

        // 2026-11-27T09:30Z is Friday 22:30 in Auckland (UTC+13).
        crew.today_is(&app, "2026-11-27", true).await;
        assert_eq!(crew.act(&app).await["local_date"], "2026-11-27");
        assert_eq!(crew.run(&app).await, (1, 1, 1), "Friday");

        // 11:30Z on the same UTC Friday is already Saturday in Auckland.
        crew.at(&app, utc(2026, 11, 27, 11, 30, 0)).await;
        crew.today_is(&app, "2026-11-28", false).await;
        assert_eq!(crew.act(&app).await["local_date"], "2026-11-28");
        assert_eq!(crew.run(&app).await, (1, 1, 1), "Saturday's act adds nothing");

        // Sunday 11:30Z in UTC is Monday 00:30 in Auckland: a working day.
        crew.at(&app, utc(2026, 11, 29, 11, 30, 0)).await;
        let monday = crew.today_is(&app, "2026-11-30", true).await;
        assert_eq!(run(&monday), (1, 1, 0), "Monday before its act");
        let act = crew.act(&app).await;
        assert_eq!(act["local_date"], "2026-11-30");
        assert_eq!(act["created_at"], "2026-11-29T11:30:00Z");
        assert_eq!(crew.run(&app).await, (2, 2, 1), "Monday");

        // One minute before local midnight it is still Monday…
        crew.at(&app, utc(2026, 11, 30, 10, 59, 0)).await;
        assert_eq!(crew.act(&app).await["local_date"], "2026-11-30");
        assert_eq!(crew.run(&app).await, (2, 2, 2), "late on Monday");
        // …and at local midnight it is Tuesday, while UTC is still Monday.
        crew.at(&app, utc(2026, 11, 30, 11, 0, 0)).await;
        let tuesday = crew.streak(&app).await;
        assert_eq!(tuesday["today"], "2026-12-01");
        assert_eq!(run(&tuesday), (2, 2, 0), "Tuesday before its act");
        assert_eq!(crew.act(&app).await["local_date"], "2026-12-01");
        assert_eq!(crew.run(&app).await, (3, 3, 1), "Tuesday");

        // Friday 11:30Z in UTC is Saturday in Auckland; Wednesday to Friday
        // there were missed.
        crew.at(&app, utc(2026, 12, 4, 11, 30, 0)).await;
        let saturday = crew.today_is(&app, "2026-12-05", false).await;
        assert_eq!(run(&saturday), (0, 3, 0), "after missed local working days");
    }
}

db_test! {
    async fn in_los_angeles_a_late_evening_act_counts_for_the_local_day_while_utc_is_already_tomorrow(app: TestApp) {
        let mut crew = Crew::new(&app, "la", "America/Los_Angeles").await;

        // 2026-11-27T09:30Z is Friday 01:30 in Los Angeles (UTC-8).
        assert_eq!(crew.act(&app).await["local_date"], "2026-11-27");
        // Saturday 07:30Z in UTC is still Friday 23:30 there.
        crew.at(&app, utc(2026, 11, 28, 7, 30, 0)).await;
        crew.today_is(&app, "2026-11-27", true).await;
        let act = crew.act(&app).await;
        assert_eq!(act["local_date"], "2026-11-27");
        assert_eq!(act["created_at"], "2026-11-28T07:30:00Z");
        assert_eq!(crew.run(&app).await, (1, 1, 2), "Friday late in the evening");

        // 08:00Z is Saturday midnight there.
        crew.at(&app, utc(2026, 11, 28, 8, 0, 0)).await;
        let saturday = crew.today_is(&app, "2026-11-28", false).await;
        assert_eq!(run(&saturday), (1, 1, 0));

        // Tuesday 07:00Z in UTC is Monday 23:00 there.
        crew.at(&app, utc(2026, 12, 1, 7, 0, 0)).await;
        let monday = crew.today_is(&app, "2026-11-30", true).await;
        assert_eq!(run(&monday), (1, 1, 0), "Monday before its act");
        assert_eq!(crew.act(&app).await["local_date"], "2026-11-30");
        assert_eq!(crew.run(&app).await, (2, 2, 1), "Monday");
    }
}

db_test! {
    async fn the_streak_continues_across_a_daylight_saving_change(app: TestApp) {
        let new_york = chrono_tz::America::New_York;
        // Monday 2027-03-08 at 09:00 in New York; clocks spring forward on
        // Sunday 2027-03-14.
        app.clock.set(utc(2027, 3, 8, 14, 0, 0));
        let mut crew = Crew::new(&app, "nyc", "America/New_York").await;
        assert_eq!(crew.streak(&app).await["today"], "2027-03-08");

        // An act every working day at 23:30 local time, for two weeks.
        let mut working_days = 0;
        for day in 8..=19 {
            let local = new_york
                .with_ymd_and_hms(2027, 3, day, 23, 30, 0)
                .single()
                .expect("an unambiguous local time")
                .with_timezone(&Utc);
            crew.at(&app, local).await;
            let today = NaiveDate::from_ymd_opt(2027, 3, day).unwrap();
            let working = today.weekday().number_from_monday() <= 5;
            let before = crew.streak(&app).await;
            assert_eq!(before["today"], today.to_string(), "at {local}");
            assert_eq!(before["today_is_working_day"], working, "at {local}");
            assert_eq!(run(&before), (working_days, working_days, 0), "{today} before its act");
            if working {
                let act = crew.act(&app).await;
                assert_eq!(act["local_date"], today.to_string(), "at {local}");
                working_days += 1;
            }
            assert_eq!(
                crew.run(&app).await,
                (working_days, working_days, u64::from(working)),
                "{today}"
            );
        }
        assert_eq!(working_days, 10);

        // 04:30Z was 23:30 the evening before in winter time, but on Tuesday
        // 2027-03-16 (summer time, UTC-4) it is already 00:30 on the Tuesday.
        crew.at(&app, utc(2027, 3, 16, 4, 30, 0)).await;
        assert_eq!(crew.streak(&app).await["today"], "2027-03-16");
        crew.at(&app, utc(2027, 3, 12, 4, 30, 0)).await;
        assert_eq!(crew.streak(&app).await["today"], "2027-03-11");
    }
}

db_test! {
    async fn the_checkpoint_never_hides_a_withdrawn_act_from_an_early_day(app: TestApp) {
        let mut crew = Crew::new(&app, "acme", "Europe/London").await;
        let first_day = date("2026-11-27");
        let withdrawn_day = date("2026-12-17");
        let mut withdrawn_act = None;
        let mut working_days = 0;
        // Every day from Friday 2026-11-27 to Friday 2027-01-01, with an act
        // on each working day, reading the streak each day.
        for offset in 0..=35 {
            if offset > 0 {
                crew.next_day(&app).await;
            }
            let today = first_day + Duration::days(offset);
            let working = today.weekday().number_from_monday() <= 5;
            if working {
                let id = crew.act_id(&app).await;
                if today == withdrawn_day {
                    withdrawn_act = Some(id);
                }
                working_days += 1;
            }
            let streak = crew.streak(&app).await;
            assert_eq!(streak["today"], today.to_string());
            assert_eq!(
                run(&streak),
                (working_days, working_days, u64::from(working)),
                "{today}"
            );
            // Two days in, the day before yesterday is closed and kept.
            let checkpoints = if offset >= 2 { 1 } else { 0 };
            assert_eq!(app.count("team_streak_checkpoints").await, checkpoints, "{today}");
        }
        assert_eq!(working_days, 26);
        assert_eq!(crew.streak(&app).await["today"], "2027-01-01");

        // Ana withdraws her act of Thursday 2026-12-17, fifteen days ago:
        // 14 working days before it, 11 after it.
        let act = withdrawn_act.expect("an act on 2026-12-17");
        withdraw(&app, &crew.ana.access, &act).await;
        let after = crew.streak(&app).await;
        assert_eq!(run(&after), (11, 14, 1), "after the withdrawal: {after}");
        assert_eq!(app.count("team_streak_checkpoints").await, 1);
        let progress = crew.progress(&app).await;
        assert_eq!(progress["acts"], 5, "this week's acts: {progress}");

        // The days after build on the corrected history.
        crew.next_day(&app).await;
        assert_eq!(crew.run(&app).await, (11, 14, 0), "Saturday 2027-01-02");
        crew.next_day(&app).await;
        crew.next_day(&app).await;
        let mut expected = 11;
        for day in ["2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07"] {
            crew.act(&app).await;
            expected += 1;
            let streak = crew.streak(&app).await;
            assert_eq!(streak["today"], day);
            assert_eq!(run(&streak), (expected, expected.max(14), 1), "{day}");
            crew.next_day(&app).await;
        }
        // Friday 2027-01-08 before its act.
        assert_eq!(crew.run(&app).await, (15, 15, 0), "2027-01-08");
        assert_eq!(app.count("team_streak_checkpoints").await, 1);

        // Deleting the team takes its checkpoint with it.
        let reply = app
            .call(Method::DELETE, &team_path(&crew.team), Some(&crew.owner.access), None)
            .await;
        assert_status(&reply, 204);
        assert_eq!(app.count("team_streak_checkpoints").await, 0);
    }
}

db_test! {
    async fn changing_the_organisations_working_days_recomputes_the_streak(app: TestApp) {
        let mut crew = Crew::new(&app, "acme", "Europe/London").await;
        // Acts on Friday 2026-11-27, Monday, Wednesday and Thursday; none on
        // Tuesday 2026-12-01.
        crew.act(&app).await;
        crew.at(&app, utc(2026, 11, 30, 9, 30, 0)).await;
        crew.act(&app).await;
        let days = [(1, 0, (2, 2, 0), "Tuesday"), (1, 1, (1, 2, 1), "Wednesday"), (1, 1, (2, 2, 1), "Thursday")];
        crew.live(&app, &days).await;
        assert_eq!(app.count("team_streak_checkpoints").await, 1);

        let changes = [
            // Without Tuesday the run is unbroken.
            (json!([1, 3, 4, 5]), (4, 4, 1), true, "Tuesday is no working day"),
            // With Saturday instead, the empty Saturday breaks Friday off.
            (json!([1, 3, 4, 5, 6]), (3, 3, 1), true, "Saturday is a working day"),
            // Only Tuesdays: the one Tuesday was missed, and today is no working day.
            (json!([2]), (0, 0, 1), false, "only Tuesdays"),
            (json!([1, 2, 3, 4, 5]), (2, 2, 1), true, "Monday to Friday again"),
        ];
        for (working_days, expected, today_works, why) in changes {
            let org = crew.working_days(&app, working_days.clone()).await;
            assert_eq!(org["working_days"], working_days, "{why}");
            let streak = crew.streak(&app).await;
            assert_eq!(run(&streak), expected, "{why}: {streak}");
            assert_eq!(streak["today_is_working_day"], today_works, "{why}");
        }

        // And removing Tuesday again, a day later, when a checkpoint exists.
        crew.live(&app, &[(1, 1, (3, 3, 1), "Friday 2026-12-04")]).await;
        crew.working_days(&app, json!([1, 3, 4, 5])).await;
        assert_eq!(crew.run(&app).await, (5, 5, 1), "Friday without Tuesday");
    }
}

// ---------------------------------------------------------------- progress

db_test! {
    async fn progress_counts_this_weeks_acts_monday_to_sunday_against_the_weekly_goal(app: TestApp) {
        let mut crew = Crew::new(&app, "acme", "Europe/London").await;
        assert_eq!(
            crew.progress(&app).await,
            json!({
                "week_starts_on": "2026-11-23",
                "week_ends_on": "2026-11-29",
                "acts": 0,
                "weekly_goal": null,
                "goal_reached": false,
                "challenges": [],
            })
        );

        // Friday two acts, Saturday one, Sunday one; one withdrawn.
        crew.act(&app).await;
        crew.act(&app).await;
        crew.next_day(&app).await;
        let saturday = crew.act_id(&app).await;
        crew.next_day(&app).await;
        crew.act(&app).await;
        assert_eq!(crew.progress(&app).await["acts"], 4);
        withdraw(&app, &crew.ana.access, &saturday).await;
        let sunday = crew.progress(&app).await;
        assert_eq!(sunday["acts"], 3, "{sunday}");
        assert_eq!(sunday["weekly_goal"], Value::Null);
        assert_eq!(sunday["goal_reached"], false, "no goal, nothing reached");

        // The last second of Sunday is still this week…
        crew.at(&app, utc(2026, 11, 29, 23, 59, 59)).await;
        assert_eq!(crew.progress(&app).await["week_ends_on"], "2026-11-29");
        assert_eq!(crew.progress(&app).await["acts"], 3);
        // …and Monday starts a new one without last week's acts.
        crew.at(&app, utc(2026, 11, 30, 0, 0, 0)).await;
        assert_eq!(
            crew.progress(&app).await,
            json!({
                "week_starts_on": "2026-11-30",
                "week_ends_on": "2026-12-06",
                "acts": 0,
                "weekly_goal": null,
                "goal_reached": false,
                "challenges": [],
            })
        );

        // A goal of 3 is reached by the third act.
        patch_team(&app, &crew.owner.access, &crew.team, json!({"weekly_goal": 3})).await;
        let goal = crew.progress(&app).await;
        assert_eq!(goal["weekly_goal"], 3);
        assert_eq!(goal["goal_reached"], false);
        let monday = crew.act_id(&app).await;
        crew.act(&app).await;
        let two = crew.progress(&app).await;
        assert_eq!(tally(&two), (json!(2), json!(false)));
        crew.next_day(&app).await;
        crew.act(&app).await;
        let three = crew.progress(&app).await;
        assert_eq!(tally(&three), (json!(3), json!(true)));
        // The owner, outside the team, sees nothing of it.
        app.get(&team_progress_path(&crew.team), Some(&crew.owner.access))
            .await
            .assert_problem(404, "not_found");

        // Withdrawing one of them falls short again.
        withdraw(&app, &crew.ana.access, &monday).await;
        let short = crew.progress(&app).await;
        assert_eq!(tally(&short), (json!(2), json!(false)));

        // Sunday 2026-12-06: one more reaches it; next Monday starts again.
        crew.at(&app, utc(2026, 12, 6, 12, 0, 0)).await;
        crew.act(&app).await;
        let sunday = crew.progress(&app).await;
        assert_eq!(sunday["week_starts_on"], "2026-11-30");
        assert_eq!(tally(&sunday), (json!(3), json!(true)));
        crew.next_day(&app).await;
        assert_eq!(
            crew.progress(&app).await,
            json!({
                "week_starts_on": "2026-12-07",
                "week_ends_on": "2026-12-13",
                "acts": 0,
                "weekly_goal": 3,
                "goal_reached": false,
                "challenges": [],
            })
        );

        // Clearing the goal.
        patch_team(&app, &crew.owner.access, &crew.team, json!({"weekly_goal": null})).await;
        crew.act(&app).await;
        let cleared = crew.progress(&app).await;
        assert_eq!(cleared["weekly_goal"], Value::Null);
        assert_eq!(cleared["goal_reached"], false);
        assert_eq!(cleared["acts"], 1);
    }
}

db_test! {
    async fn the_week_of_the_progress_follows_the_organisations_timezone(app: TestApp) {
        let mut kiwi = Crew::new(&app, "kiwi", "Pacific/Auckland").await;
        let mut london = Crew::new(&app, "london", "Europe/London").await;

        // Sunday 10:59:59Z is 23:59:59 on Sunday in Auckland (UTC+13).
        kiwi.at(&app, utc(2026, 11, 29, 10, 59, 59)).await;
        let act = kiwi.act(&app).await;
        assert_eq!(act["local_date"], "2026-11-29");
        let late = kiwi.progress(&app).await;
        assert_eq!(late["week_starts_on"], "2026-11-23");
        assert_eq!(late["week_ends_on"], "2026-11-29");
        assert_eq!(late["acts"], 1);

        // One second later a new week has begun in Auckland but not in London.
        kiwi.at(&app, utc(2026, 11, 29, 11, 0, 0)).await;
        london.wake(&app).await;
        let monday = kiwi.progress(&app).await;
        assert_eq!(monday["week_starts_on"], "2026-11-30");
        assert_eq!(monday["week_ends_on"], "2026-12-06");
        assert_eq!(monday["acts"], 0, "last week's act: {monday}");
        assert_eq!(kiwi.act(&app).await["local_date"], "2026-11-30");
        assert_eq!(kiwi.progress(&app).await["acts"], 1);

        london.act(&app).await;
        let sunday = london.progress(&app).await;
        assert_eq!(sunday["week_starts_on"], "2026-11-23");
        assert_eq!(sunday["week_ends_on"], "2026-11-29");
        assert_eq!(sunday["acts"], 1);
    }
}

// ---------------------------------------------------------------- who may read

db_test! {
    async fn only_the_team_sees_its_streak_and_progress_and_anyone_else_gets_404(app: TestApp) {
        let TeamCast { owner, team, admin, hr, lead, member, colleague, stranger, elsewhere_team, .. } = team_cast(&app).await;
        log_act(&app, &member.access, &team).await;
        log_act(&app, &lead.access, &team).await;
        patch_team(&app, &owner.access, &team, json!({"weekly_goal": 2})).await;

        let expected_streak = streak(&app, &member.access, &team).await;
        assert_eq!(run(&expected_streak), (1, 1, 2));
        let expected_progress = progress(&app, &member.access, &team).await;
        assert_eq!(expected_progress["acts"], 2);
        assert_eq!(expected_progress["goal_reached"], true);

        let readers = [(&member, "a team member"), (&lead, "the team's lead")];
        for (person, who) in readers {
            let reply = app.get(&team_streak_path(&team), Some(&person.access)).await;
            assert_eq!(reply.status.as_u16(), 200, "{who}: {}", reply.text);
            assert_eq!(reply.json(), expected_streak, "{who}");
            let reply = app.get(&team_progress_path(&team), Some(&person.access)).await;
            assert_eq!(reply.status.as_u16(), 200, "{who}: {}", reply.text);
            assert_eq!(reply.json(), expected_progress, "{who}");
        }

        let unknown = "01938a6e-7c00-7000-8000-000000000000";
        let hidden = [
            (&owner, team.as_str(), "the owner, outside the team"),
            (&admin, team.as_str(), "an admin, outside the team"),
            (&hr, team.as_str(), "hr, outside the team"),
            (&colleague, team.as_str(), "an org member outside the team"),
            (&stranger, team.as_str(), "a person of another organisation"),
            (&owner, elsewhere_team.as_str(), "the owner, for another organisation's team"),
            (&member, unknown, "an unknown team id"),
        ];
        for (person, team, who) in hidden {
            for path in [team_streak_path(team), team_progress_path(team)] {
                let reply = app.get(&path, Some(&person.access)).await;
                assert_eq!(reply.status.as_u16(), 404, "{who} on {path}: {}", reply.text);
                reply.assert_problem(404, "not_found");
            }
        }

        for path in [team_streak_path(&team), team_progress_path(&team)] {
            app.get(&path, None).await.assert_problem(401, "unauthorized");
        }
        for path in [team_streak_path("not-a-uuid"), team_progress_path("12345")] {
            let reply = app.get(&path, Some(&member.access)).await;
            assert_invalid(&reply, &["team_id"], &path);
        }

        // Reading changes nothing that the members see.
        assert_eq!(streak(&app, &member.access, &team).await, expected_streak);
        assert_eq!(progress(&app, &member.access, &team).await, expected_progress);
    }
}

db_test! {
    async fn kudos_shared_only_with_their_recipients_count_for_nothing_the_team_sees(app: TestApp) {
        let crew = Crew::new(&app, "private", "Europe/London").await;
        let private = json!({
            "kind": "kudos",
            "category": "support",
            "message": "Between us: thank you",
            "recipient_ids": [crew.owner.user_id],
            "visibility": "recipients",
        });
        let reply = app.post(&team_acts_path(&crew.team), Some(&crew.ana.access), &private).await;
        assert_status(&reply, 201);
        // Counted, the team would learn that kudos it cannot read exist.
        assert_eq!(crew.run(&app).await, (0, 0, 0));
        assert_eq!(tally(&crew.progress(&app).await), (json!(0), json!(false)));

        crew.act(&app).await;
        assert_eq!(crew.run(&app).await, (1, 1, 1));
        assert_eq!(crew.progress(&app).await["acts"], 1);
    }
}

db_test! {
    async fn changing_the_organisations_settings_and_back_sets_the_checkpoint_aside(app: TestApp) {
        let mut crew = Crew::new(&app, "settings", "Europe/London").await;
        // Two working weeks of acts, so that a checkpoint is kept.
        for _ in 0..14 {
            crew.act(&app).await;
            crew.streak(&app).await;
            crew.next_day(&app).await;
        }
        let fingerprint = || async {
            use sea_orm::EntityTrait;
            entity::team_streak_checkpoints::Entity::find()
                .one(&app.db)
                .await
                .expect("reading the checkpoint")
                .expect("a checkpoint")
                .fingerprint
        };
        let before = (crew.streak(&app).await, fingerprint().await);
        // Away to a timezone and back: the settings are as they were, but the
        // checkpoint is not trusted; the streak, computed afresh, is the same.
        for timezone in ["Pacific/Kiritimati", "Europe/London"] {
            patch_org(&app, &crew.owner.access, &crew.org, json!({"timezone": timezone})).await;
        }
        assert_eq!(crew.streak(&app).await, before.0);
        assert_ne!(fingerprint().await, before.1, "a checkpoint of the old settings");
    }
}
