//! Challenges: setting them (owners and admins, validated), their scope (an
//! organisation's for its members, a team's for the team's), progress
//! (`acts` collective and completed once; `check_ins` personal, with
//! completions shown from `min_group_size` people) and the team progress
//! that lists the team's active ones.

use chrono::Duration;
use poem::http::Method;
use serde_json::{Value, json};

use crate::{db_test, support::*};

fn challenges_path(org: &str) -> String {
    format!("/v1/orgs/{org}/challenges")
}

fn challenge_path(id: &str) -> String {
    format!("/v1/challenges/{id}")
}

/// An `acts` challenge over the tests' first week (Friday 2026-11-27 to
/// Thursday 2026-12-03), for `team` if one is named.
fn acts_challenge(target: u32, team: Option<&str>) -> Value {
    let mut body = json!({
        "title": "Kind week",
        "metric": "acts",
        "target": target,
        "starts_on": day(0),
        "ends_on": day(6),
    });
    if let Some(team) = team {
        body["team_id"] = json!(team);
    }
    body
}

/// Sets the challenge as `token`'s person, expecting 201 with its
/// location; the challenge.
async fn set(app: &TestApp, token: &str, org: &str, body: &Value) -> Value {
    let reply = app.post(&challenges_path(org), Some(token), body).await;
    assert_status(&reply, 201);
    let challenge = reply.json();
    let id = id_of(&challenge);
    assert_eq!(reply.header("location"), Some(challenge_path(&id).as_str()));
    challenge
}

async fn read(app: &TestApp, token: &str, id: &str) -> Value {
    get_ok(app, token, &challenge_path(id)).await
}

/// The ids of the challenges `token`'s person lists in `org`.
async fn listed(app: &TestApp, token: &str, org: &str) -> Vec<String> {
    strings_in(
        &get_ok(app, token, &challenges_path(org)).await["items"],
        "id",
    )
}

async fn post_act(app: &TestApp, token: &str, team: &str, body: &Value) -> String {
    let reply = app.post(&team_acts_path(team), Some(token), body).await;
    assert_status(&reply, 201);
    id_of(&reply.json())
}

fn act() -> Value {
    json!({"kind": "act", "category": "help", "message": "Covered a shift"})
}

fn private_kudos(to: &Session) -> Value {
    json!({"kind": "kudos", "category": "appreciation", "message": "Thank you",
           "recipient_ids": [to.user_id], "visibility": "recipients"})
}

fn progress(challenge: &Value) -> (i64, bool) {
    (
        challenge["progress"]["count"].as_i64().expect("count"),
        challenge["progress"]["completed_at"].is_string(),
    )
}

db_test! {
    async fn setting_a_challenge_answers_201_and_it_reads_back_with_its_progress(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let body = json!({
            "title": "  Kind week  ",
            "description": "Every act counts.\nEvery kudos too.",
            "metric": "acts",
            "target": 10,
            "starts_on": day(-2),
            "ends_on": day(6),
        });
        let challenge = set(&app, &owner.access, &org, &body).await;
        let id = id_of(&challenge);
        assert_eq!(
            challenge,
            json!({
                "id": id,
                "title": "Kind week",
                "description": "Every act counts.\nEvery kudos too.",
                "metric": "acts",
                "target": 10,
                "starts_on": day(-2),
                "ends_on": day(6),
                "team_id": null,
                "active": true,
                "progress": {"count": 0, "target": 10, "completed_at": null},
                "completed_by": null,
                "created_at": "2026-11-27T09:30:00Z",
            })
        );
        assert_eq!(read(&app, &owner.access, &id).await, challenge);
        assert_eq!(listed(&app, &owner.access, &org).await, vec![id]);
    }
}

db_test! {
    async fn an_invalid_challenge_is_a_422_naming_each_field_and_writes_nothing(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let (stranger, elsewhere) = owned_org(&app, "stranger@example.com", "Elsewhere").await;
        let their_team = create_team(&app, &stranger.access, &elsewhere, "Theirs").await;
        let valid = acts_challenge(5, None);
        let with = |changes: Value| {
            let mut body = valid.clone();
            for (key, value) in changes.as_object().unwrap() {
                body[key] = value.clone();
            }
            body
        };
        let cases: Vec<(Value, &[&str], &str)> = vec![
            (with(json!({"title": ""})), &["title"], "an empty title"),
            (with(json!({"title": "   "})), &["title"], "a blank title"),
            (with(json!({"title": "x".repeat(121)})), &["title"], "a 121-character title"),
            (with(json!({"title": "Kind\u{202E}week"})), &["title"], "a bidi override"),
            (with(json!({"description": "x".repeat(1001)})), &["description"], "a long description"),
            (with(json!({"metric": "mood"})), &["metric"], "an unknown metric"),
            (with(json!({"target": 0})), &["target"], "target 0"),
            (with(json!({"target": 100_001})), &["target"], "target 100001"),
            (with(json!({"ends_on": day(-1)})), &["ends_on"], "ending before it starts"),
            (
                with(json!({"starts_on": day(0), "ends_on": day(93)})),
                &["ends_on"],
                "93 days long",
            ),
            (
                with(json!({"starts_on": day(-10), "ends_on": day(-1)})),
                &["ends_on"],
                "over already",
            ),
            (with(json!({"team_id": their_team})), &["team_id"], "another organisation's team"),
            (
                with(json!({"team_id": "01a207a2-3280-7b1e-9c4d-5a2f7e18c630"})),
                &["team_id"],
                "no such team",
            ),
            (
                with(json!({"title": "", "target": 0, "metric": "x"})),
                &["metric", "target", "title"],
                "everything wrong",
            ),
        ];
        for (body, fields, why) in cases {
            let reply = app.post(&challenges_path(&org), Some(&owner.access), &body).await;
            assert_eq!(invalid_fields(&reply), fields, "{why}");
            assert_eq!(app.count("challenges").await, 0, "{why} wrote a challenge");
        }
        // 92 days after the start is the longest it runs.
        set(&app, &owner.access, &org, &with(json!({"ends_on": day(92)}))).await;
    }
}

db_test! {
    async fn an_acts_challenge_counts_its_scopes_shared_acts_and_is_completed_once(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let other = create_team(&app, &owner.access, &org, "Sales").await;
        let ana = join_team(&app, &owner.access, &org, &team, "ana@example.com").await;
        let bo = join_team(&app, &owner.access, &org, &team, "bo@example.com").await;
        let cy = join_team(&app, &owner.access, &org, &other, "cy@example.com").await;
        // An act the day before either challenge starts counts for neither.
        app.clock.advance(Duration::days(-1));
        let ana = relogin(&app, &ana).await;
        post_act(&app, &ana.access, &team, &act()).await;
        app.clock.advance(Duration::days(1));
        let (ana, bo, cy) = (relogin(&app, &ana).await, relogin(&app, &bo).await, relogin(&app, &cy).await);

        let team_challenge = id_of(&set(&app, &owner.access, &org, &acts_challenge(3, Some(&team))).await);
        let org_challenge = id_of(&set(&app, &owner.access, &org, &acts_challenge(4, None)).await);

        // Kudos kept to their recipients and another team's acts do not
        // count toward the team's challenge; the other team's count for the
        // organisation's.
        post_act(&app, &ana.access, &team, &private_kudos(&bo)).await;
        post_act(&app, &cy.access, &other, &act()).await;
        post_act(&app, &ana.access, &team, &act()).await;
        post_act(&app, &bo.access, &team, &act()).await;
        assert_eq!(progress(&read(&app, &ana.access, &team_challenge).await), (2, false));
        assert_eq!(progress(&read(&app, &cy.access, &org_challenge).await), (3, false));

        // The third shared act completes the team's, the fourth the
        // organisation's.
        let third = post_act(&app, &bo.access, &team, &act()).await;
        let completed = read(&app, &ana.access, &team_challenge).await;
        assert_eq!(progress(&completed), (3, true));
        assert_eq!(completed["progress"]["completed_at"], "2026-11-27T09:30:00Z");
        assert_eq!(progress(&read(&app, &ana.access, &org_challenge).await), (4, true));

        // Withdrawing an act lowers the count but keeps the completion, and
        // later acts do not move it.
        app.clock.advance(Duration::minutes(5));
        assert_status(
            &app.call(Method::DELETE, &act_path(&third), Some(&bo.access), None).await,
            204,
        );
        let after = read(&app, &ana.access, &team_challenge).await;
        assert_eq!(progress(&after), (2, true));
        assert_eq!(after["progress"]["completed_at"], "2026-11-27T09:30:00Z");
        post_act(&app, &ana.access, &team, &act()).await;
        let again = read(&app, &ana.access, &team_challenge).await;
        assert_eq!(again["progress"], json!({"count": 3, "target": 3, "completed_at": "2026-11-27T09:30:00Z"}));

        // After its last day, acts count no more, and it is no longer active.
        app.clock.advance(Duration::days(7));
        let ana = relogin(&app, &ana).await;
        post_act(&app, &ana.access, &team, &act()).await;
        let over = read(&app, &ana.access, &team_challenge).await;
        assert_eq!(over["progress"]["count"], 3);
        assert_eq!(over["active"], false);
    }
}

db_test! {
    async fn a_check_ins_challenge_is_personal_and_shows_completions_from_min_group_size(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        app.patch(&org_path(&org), Some(&owner.access), &json!({"min_group_size": 3})).await;
        let people = [
            join(&app, &owner.access, &org, "ana@example.com", "member", None).await,
            join(&app, &owner.access, &org, "bo@example.com", "member", None).await,
            join(&app, &owner.access, &org, "cy@example.com", "member", None).await,
        ];
        let body = json!({"title": "Two kind days", "metric": "check_ins", "target": 2,
                          "starts_on": day(-3), "ends_on": day(3)});
        let id = id_of(&set(&app, &owner.access, &org, &body).await);
        let mut habits = Vec::new();
        for person in &people {
            let water = new_habit(&app, &person.access, &json!({"title": "Water", "category": "nourishment",
                "schedule": {"kind": "daily"}, "target_per_day": 2})).await;
            habits.push(water);
        }
        let [ana, bo, cy] = &people;

        // Half a day, and a day before the challenge, count for nothing.
        assert_status(&check_in(&app, &ana.access, &habits[0], &day(0), &json!({"count": 1})).await, 200);
        assert_status(&check_in(&app, &ana.access, &habits[0], &day(-4), &json!({"count": 2})).await, 200);
        let mine = read(&app, &ana.access, &id).await;
        assert_eq!(mine["progress"], json!({"count": 0, "target": 2, "completed_at": null}));

        // Each person sees only their own days; two habits' days count two.
        assert_status(&check_in(&app, &ana.access, &habits[0], &day(0), &json!({"count": 2})).await, 200);
        let rest = daily_habit(&app, &ana.access, "Rest").await;
        assert_status(&check_in(&app, &ana.access, &rest, &day(0), &json!({})).await, 200);
        let ana_view = read(&app, &ana.access, &id).await;
        assert_eq!(progress(&ana_view), (2, true), "{ana_view}");
        assert_eq!(ana_view["completed_by"], Value::Null, "one person completed it: not shown");
        assert_eq!(read(&app, &bo.access, &id).await["progress"]["count"], 0, "Bo sees Ana's days");
        assert_eq!(read(&app, &owner.access, &id).await["progress"]["count"], 0);

        // Two people completed it: still hidden; the third shows all three.
        for (person, habit) in [(bo, &habits[1]), (cy, &habits[2])] {
            for date in [day(-2), day(-1)] {
                assert_status(&check_in(&app, &person.access, habit, &date, &json!({"count": 2})).await, 200);
            }
            let shown = read(&app, &owner.access, &id).await["completed_by"].clone();
            if person.user_id == bo.user_id {
                assert_eq!(shown, Value::Null, "two completions shown");
            } else {
                assert_eq!(shown, 3);
            }
        }
        // Undoing a day takes a completion back, and the figure hides again.
        assert_status(&undo_check_in(&app, &cy.access, &habits[2], &day(-1)).await, 204);
        let after = read(&app, &cy.access, &id).await;
        assert_eq!(progress(&after), (1, false));
        assert_eq!(after["completed_by"], Value::Null);
    }
}

db_test! {
    async fn a_team_challenge_is_for_the_teams_members_and_its_progress_lists_the_active_ones(app: TestApp) {
        let TeamCast { owner, org, team, admin, hr, member, colleague, stranger, .. } = team_cast(&app).await;
        let running = set(&app, &admin.access, &org, &acts_challenge(5, Some(&team))).await;
        let running_id = id_of(&running);
        let later = json!({"title": "Next week", "metric": "acts", "target": 5,
                           "starts_on": day(7), "ends_on": day(13), "team_id": team});
        let later_id = id_of(&set(&app, &owner.access, &org, &later).await);
        let whole = id_of(&set(&app, &owner.access, &org, &acts_challenge(5, None)).await);

        // The team's members list and read the team's; everyone else in the
        // organisation only the organisation's, and 404 for the team's.
        assert_eq!(listed(&app, &member.access, &org).await, vec![whole.clone(), later_id.clone(), running_id.clone()]);
        for outside in [&owner, &admin, &hr, &colleague] {
            assert_eq!(listed(&app, &outside.access, &org).await, vec![whole.clone()]);
            for id in [&running_id, &later_id] {
                app.get(&challenge_path(id), Some(&outside.access)).await.assert_problem(404, "not_found");
            }
            assert_eq!(read(&app, &outside.access, &whole).await["id"], whole.as_str());
        }
        app.get(&challenges_path(&org), Some(&stranger.access)).await.assert_problem(404, "not_found");
        app.get(&challenge_path(&whole), Some(&stranger.access)).await.assert_problem(404, "not_found");
        app.get(&challenge_path(&whole), None).await.assert_problem(401, "unauthorized");

        // Team progress lists the running one, not next week's, nor the
        // organisation's.
        post_act(&app, &member.access, &team, &act()).await;
        let progress = get_ok(&app, &member.access, &team_progress_path(&team)).await;
        let shown = &progress["challenges"];
        assert_eq!(strings_in(shown, "id"), vec![running_id.clone()]);
        assert_eq!(shown[0]["progress"]["count"], 1);
        assert_eq!(read(&app, &member.access, &later_id).await["active"], false);

        // Deleting the team takes its challenges with it.
        assert_status(&app.call(Method::DELETE, &team_path(&team), Some(&owner.access), None).await, 204);
        app.get(&challenge_path(&running_id), Some(&member.access)).await.assert_problem(404, "not_found");
        assert_eq!(app.count("challenges").await, 1);
    }
}

db_test! {
    async fn acts_posted_at_once_that_reach_the_target_complete_the_challenge(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let mut people = Vec::new();
        for n in 0..4 {
            people.push(join_team(&app, &owner.access, &org, &team, &format!("p{n}@example.com")).await);
        }
        for round in 0..3i64 {
            let id = id_of(&set(&app, &owner.access, &org, &acts_challenge(4 * (round as u32 + 1), Some(&team))).await);
            let body = act();
            let path = team_acts_path(&team);
            let post = |person: usize| app.post(&path, Some(people[person].access.as_str()), &body);
            let (a, b, c, d) = tokio::join!(post(0), post(1), post(2), post(3));
            for reply in [a, b, c, d] {
                assert_status(&reply, 201);
            }
            // Each round's target is every act posted so far.
            let challenge = read(&app, &people[0].access, &id).await;
            assert_eq!(progress(&challenge), (4 * (round + 1), true), "round {round}: {challenge}");
        }
    }
}

db_test! {
    async fn a_challenge_set_while_its_last_act_is_posted_completes_all_the_same(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        let member = join_team(&app, &owner.access, &org, &team, "ana@example.com").await;
        let (body, path, challenges) = (act(), team_acts_path(&team), challenges_path(&org));
        for round in 1..=16u32 {
            // The target is every act posted by the end of this round: the
            // challenge's own count, or the act's, must see the other.
            let challenge = acts_challenge(round, Some(&team));
            let (set, posted) = tokio::join!(
                app.post(&challenges, Some(&owner.access), &challenge),
                app.post(&path, Some(&member.access), &body),
            );
            assert_status(&set, 201);
            assert_status(&posted, 201);
            let challenge = read(&app, &member.access, &id_of(&set.json())).await;
            assert_eq!(progress(&challenge), (i64::from(round), true), "round {round}: {challenge}");
        }
    }
}

db_test! {
    async fn the_challenge_routes_refuse_what_the_table_refuses_and_change_nothing(app: TestApp) {
        let TeamCast { org, team, hr, lead, member, stranger, .. } = team_cast(&app).await;
        for (token, status, code) in [
            (Some(&hr.access), 403, "forbidden"),
            (Some(&lead.access), 403, "forbidden"),
            (Some(&member.access), 403, "forbidden"),
            (Some(&stranger.access), 404, "not_found"),
            (None, 401, "unauthorized"),
        ] {
            for body in [acts_challenge(3, None), acts_challenge(3, Some(&team))] {
                let reply = app.post(&challenges_path(&org), token.map(String::as_str), &body).await;
                reply.assert_problem(status, code);
                assert_eq!(app.count("challenges").await, 0);
            }
        }
    }
}

db_test! {
    async fn challenges_list_newest_first_in_pages_and_a_foreign_cursor_is_a_400(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let mut ids = Vec::new();
        for _ in 0..3 {
            ids.push(id_of(&set(&app, &owner.access, &org, &acts_challenge(5, None)).await));
        }
        ids.reverse();
        let first = get_ok(&app, &owner.access, &format!("{}?limit=2", challenges_path(&org))).await;
        assert_eq!(strings_in(&first["items"], "id"), ids[..2]);
        let cursor = first["next_cursor"].as_str().expect("a next page").to_owned();
        let second = get_ok(&app, &owner.access, &format!("{}?limit=2&cursor={cursor}", challenges_path(&org))).await;
        assert_eq!(strings_in(&second["items"], "id"), ids[2..]);
        assert_eq!(second["next_cursor"], Value::Null);

        // A cursor of another list, and a limit out of bounds.
        create_team(&app, &owner.access, &org, "Support").await;
        create_team(&app, &owner.access, &org, "Sales").await;
        let teams = get_ok(&app, &owner.access, &format!("{}?limit=1", org_teams_path(&org))).await;
        let foreign = teams["next_cursor"].as_str().expect("a teams cursor");
        app.get(&format!("{}?cursor={foreign}", challenges_path(&org)), Some(&owner.access))
            .await
            .assert_problem(400, "invalid_cursor");
        for limit in ["0", "201"] {
            let reply = app.get(&format!("{}?limit={limit}", challenges_path(&org)), Some(&owner.access)).await;
            assert_eq!(invalid_fields(&reply), ["limit"], "limit {limit}");
        }
    }
}

db_test! {
    async fn a_list_and_team_progress_show_each_challenge_as_its_own_read_does(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        app.patch(&org_path(&org), Some(&owner.access), &json!({"min_group_size": 3})).await;
        let (support, finance) = (
            create_team(&app, &owner.access, &org, "Support").await,
            create_team(&app, &owner.access, &org, "Finance").await,
        );
        let ana = join_team(&app, &owner.access, &org, &support, "ana@example.com").await;
        let bo = join_team(&app, &owner.access, &org, &support, "bo@example.com").await;
        let cy = join_team(&app, &owner.access, &org, &finance, "cy@example.com").await;
        let days = |target: u32, team: Option<&str>| {
            let mut body = acts_challenge(target, team);
            body["metric"] = json!("check_ins");
            body["starts_on"] = json!(day(-1));
            body
        };
        for body in [
            acts_challenge(2, None),
            acts_challenge(2, Some(&support)),
            acts_challenge(1, Some(&finance)),
            days(1, None),
            days(2, Some(&support)),
            days(1, Some(&finance)),
        ] {
            set(&app, &owner.access, &org, &body).await;
        }
        post_act(&app, &ana.access, &support, &act()).await;
        post_act(&app, &cy.access, &finance, &act()).await;
        for (person, offsets) in [(&ana, [0, -1]), (&bo, [0, 0]), (&cy, [0, 1])] {
            let habit = daily_habit(&app, &person.access, "Walk").await;
            for offset in offsets.into_iter().filter(|&offset| offset <= 0) {
                checked_in(&app, &person.access, &habit, &day(offset)).await;
            }
        }

        for person in [&owner, &ana, &bo, &cy] {
            let list = get_ok(&app, &person.access, &challenges_path(&org)).await["items"].clone();
            let items = list.as_array().unwrap();
            // The owner is in no team: the organisation's two.
            assert!(items.len() >= 2, "{list}");
            for item in items {
                let own = read(&app, &person.access, item["id"].as_str().unwrap()).await;
                assert_eq!(item, &own, "listed and read apart");
            }
        }
        let team_progress = get_ok(&app, &ana.access, &format!("/v1/teams/{support}/progress")).await;
        let listed = team_progress["challenges"].as_array().unwrap();
        assert_eq!(listed.len(), 2, "{team_progress}");
        for item in listed {
            assert_eq!(item, &read(&app, &ana.access, item["id"].as_str().unwrap()).await);
        }
        // The figures themselves: the organisation's acts challenge counts
        // both teams; Support's days challenge is completed by Ana only.
        let whole = items_named(&list_of(&app, &ana, &org).await, "acts", None);
        assert_eq!(progress(&whole), (2, true));
        let support_days = items_named(&list_of(&app, &ana, &org).await, "check_ins", Some(&support));
        assert_eq!((progress(&support_days), support_days["completed_by"].clone()), ((2, true), Value::Null));
        let everyone_days = items_named(&list_of(&app, &bo, &org).await, "check_ins", None);
        assert_eq!((progress(&everyone_days), everyone_days["completed_by"].clone()), ((1, true), json!(3)));
    }
}

async fn list_of(app: &TestApp, person: &Session, org: &str) -> Value {
    get_ok(app, &person.access, &challenges_path(org)).await["items"].clone()
}

/// The listed challenge of `metric` for `team` (or the organisation's).
fn items_named(list: &Value, metric: &str, team: Option<&str>) -> Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|item| item["metric"] == metric && item["team_id"].as_str() == team)
        .cloned()
        .unwrap_or_else(|| panic!("no {metric} challenge for {team:?} in {list}"))
}
