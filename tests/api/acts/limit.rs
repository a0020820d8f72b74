//! The daily limit of 20 acts per person and team on the organisation's
//! calendar: the 429 and its `Retry-After`, withdrawals, replays, midnight,
//! timezones and concurrent posts.

use chrono::Duration;

use super::*;

/// Logs `n` plain acts in `team` as `token`'s person.
async fn log_many(app: &TestApp, token: &str, team: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(log_id(app, token, team, &act_body(&format!("act {i}"))).await);
    }
    ids
}

#[track_caller]
fn assert_act_limit(reply: &Reply, retry_after: &str) {
    reply.assert_problem(429, "act_limit");
    assert_eq!(
        reply.header("retry-after"),
        Some(retry_after),
        "Retry-After"
    );
}

db_test! {
    async fn the_twenty_first_act_of_a_day_is_a_429_with_retry_after_until_the_org_s_midnight(app: TestApp) {
        let w = world(&app).await;
        log_many(&app, &w.ana.access, &w.team, 19).await;
        log(&app, &w.ana.access, &w.team, &kudos_body("the twentieth", &[&w.bo])).await;
        let before = written(&app).await;
        assert_eq!(before, (20, 1));
        let feed_before = feed(&app, &w.ana.access, &w.team).await;

        let reply = post_act(&app, &w.ana.access, &w.team, &act_body("one more")).await;
        // Friday 09:30 in London (GMT); the next day starts 14.5 hours later.
        assert_act_limit(&reply, "52200");
        let (id, kudos) = with_new_id(kudos_body("and kudos", &[&w.bo]));
        let reply = post_act(&app, &w.ana.access, &w.team, &kudos).await;
        assert_act_limit(&reply, "52200");
        assert_eq!(written(&app).await, before, "a refused act is not written");
        assert_eq!(feed(&app, &w.ana.access, &w.team).await, feed_before);
        app.get(&act_path(&id), Some(&w.ana.access))
            .await
            .assert_problem(404, "not_found");

        app.clock.advance(Duration::minutes(10));
        let reply = post_act(&app, &w.ana.access, &w.team, &act_body("later")).await;
        assert_act_limit(&reply, "51600");
        assert_eq!(written(&app).await, before);
    }
}

db_test! {
    async fn a_withdrawn_act_still_counts_toward_the_daily_limit(app: TestApp) {
        let w = world(&app).await;
        let logged = log_many(&app, &w.ana.access, &w.team, 20).await;
        for id in &logged[..5] {
            assert_status(&withdraw(&app, &w.ana.access, id).await, 204);
        }
        assert_eq!(feed(&app, &w.ana.access, &w.team).await.len(), 15);
        let before = written(&app).await;
        let reply = post_act(&app, &w.ana.access, &w.team, &act_body("one more")).await;
        assert_act_limit(&reply, "52200");
        assert_eq!(written(&app).await, before);
        assert_eq!(feed(&app, &w.ana.access, &w.team).await.len(), 15);
    }
}

db_test! {
    async fn the_daily_limit_is_per_person_and_per_team(app: TestApp) {
        let w = world(&app).await;
        let sales = create_team(&app, &w.owner.access, &w.org, "Sales").await;
        add_member(&app, &w.owner.access, &sales, &w.ana.user_id).await;
        log_many(&app, &w.ana.access, &w.team, 20).await;
        assert_act_limit(
            &post_act(&app, &w.ana.access, &w.team, &act_body("one more")).await,
            "52200",
        );
        // Another team of Ana's still accepts, up to its own 20.
        let in_sales = log(&app, &w.ana.access, &sales, &kudos_body("in sales", &[&w.bo])).await;
        assert_eq!(in_sales["team_id"], sales.as_str());
        log_many(&app, &w.ana.access, &sales, 19).await;
        assert_act_limit(
            &post_act(&app, &w.ana.access, &sales, &act_body("one more")).await,
            "52200",
        );
        // Another person in the full team still may.
        log(&app, &w.bo.access, &w.team, &act_body("Bo's act")).await;
        assert_eq!(written(&app).await, (41, 1));
    }
}

db_test! {
    async fn replaying_an_existing_id_at_the_daily_limit_still_answers_200(app: TestApp) {
        let w = world(&app).await;
        let (_, body) = with_new_id(kudos_body("Thanks", &[&w.bo]));
        let stored = log(&app, &w.ana.access, &w.team, &body).await;
        log_many(&app, &w.ana.access, &w.team, 19).await;
        assert_act_limit(
            &post_act(&app, &w.ana.access, &w.team, &act_body("one more")).await,
            "52200",
        );
        let before = written(&app).await;
        let replay = post_act(&app, &w.ana.access, &w.team, &body).await;
        assert_status(&replay, 200);
        assert_eq!(replay.json(), stored);
        assert_eq!(written(&app).await, before);
    }
}

db_test! {
    async fn the_daily_limit_resets_at_the_organisation_s_midnight(app: TestApp) {
        let w = world(&app).await;
        log_many(&app, &w.ana.access, &w.team, 20).await;
        // One second before midnight in London it still applies.
        app.clock.advance(Duration::seconds(52199));
        let ana = relogin(&app, &w.ana).await;
        let reply = post_act(&app, &ana.access, &w.team, &act_body("late")).await;
        assert_act_limit(&reply, "1");
        assert_eq!(written(&app).await, (20, 0));

        app.clock.advance(Duration::seconds(1));
        let act = log(&app, &ana.access, &w.team, &act_body("a new day")).await;
        assert_eq!(act["local_date"], "2026-11-28");
        assert_eq!(act["created_at"], "2026-11-28T00:00:00Z");
        log_many(&app, &ana.access, &w.team, 19).await;
        let reply = post_act(&app, &ana.access, &w.team, &act_body("too many")).await;
        assert_act_limit(&reply, "86400");
        assert_eq!(written(&app).await, (40, 0));
    }
}

db_test! {
    async fn the_daily_limit_follows_the_organisation_s_timezone(app: TestApp) {
        let owner = app.register("owner@example.com").await;
        // 09:30Z is 22:30 on Friday in Auckland (NZDT, UTC+13).
        let org = create_org(&app, &owner.access, "Kiwi", "Pacific/Auckland").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        add_member(&app, &owner.access, &team, &owner.user_id).await;
        let act = log(&app, &owner.access, &team, &act_body("first")).await;
        assert_eq!(act["local_date"], "2026-11-27");
        log_many(&app, &owner.access, &team, 19).await;
        let reply = post_act(&app, &owner.access, &team, &act_body("late")).await;
        assert_act_limit(&reply, "5400");

        app.clock.advance(Duration::minutes(90));
        let owner = relogin(&app, &owner).await;
        let act = log(&app, &owner.access, &team, &act_body("Saturday")).await;
        assert_eq!(act["local_date"], "2026-11-28");
        assert_eq!(act["created_at"], "2026-11-27T11:00:00Z");
    }
}

db_test! {
    async fn the_daily_limit_holds_when_acts_arrive_at_once(app: TestApp) {
        let w = world(&app).await;
        log_many(&app, &w.ana.access, &w.team, 17).await;
        let post = |n: u32| {
            let body = act_body(&format!("at once {n}"));
            let (app, token, team) = (&app, w.ana.access.clone(), w.team.clone());
            async move { post_act(app, &token, &team, &body).await }
        };
        let (a, b, c, d, e) = tokio::join!(post(1), post(2), post(3), post(4), post(5));
        let mut statuses: Vec<u16> = [a, b, c, d, e]
            .iter()
            .map(|reply| reply.status.as_u16())
            .collect();
        statuses.sort();
        assert_eq!(statuses, [201, 201, 201, 429, 429]);
        assert_eq!(written(&app).await, (20, 0));
    }
}
