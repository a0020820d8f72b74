//! The team leaderboard: off until the organisation switches it on, teams
//! (never people) ranked by shared acts per member this week or month, ties
//! sharing a rank, teams below `min_group_size` left out and counted.

use chrono::Duration;
use serde_json::{Value, json};

use crate::{db_test, support::*};

fn leaderboard_path(org: &str) -> String {
    format!("/v1/orgs/{org}/leaderboard")
}

async fn post_act(app: &TestApp, token: &str, team: &str, body: &Value) {
    assert_status(
        &app.post(&team_acts_path(team), Some(token), body).await,
        201,
    );
}

fn act() -> Value {
    json!({"kind": "act", "category": "help", "message": "Covered a shift"})
}

/// `(rank, name, member_count, acts, acts_per_member)` of each team shown.
fn ranks(board: &Value) -> Vec<(i64, String, i64, i64, f64)> {
    board["teams"]
        .as_array()
        .expect("teams")
        .iter()
        .map(|team| {
            (
                team["rank"].as_i64().unwrap(),
                team["name"].as_str().unwrap().to_owned(),
                team["member_count"].as_i64().unwrap(),
                team["acts"].as_i64().unwrap(),
                team["acts_per_member"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// A team called `name` in `org` with `size` new members; their sessions.
async fn team_of(
    app: &TestApp,
    owner: &str,
    org: &str,
    name: &str,
    size: usize,
) -> (String, Vec<Session>) {
    let team = create_team(app, owner, org, name).await;
    let mut people = Vec::new();
    for n in 0..size {
        let email = format!("{}{n}@example.com", name.to_lowercase());
        people.push(join_team(app, owner, org, &team, &email).await);
    }
    (team, people)
}

db_test! {
    async fn the_leaderboard_ranks_teams_by_shared_acts_per_member_and_leaves_small_teams_out(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let (care, care_people) = team_of(&app, &owner.access, &org, "Care", 3).await;
        let (desk, desk_people) = team_of(&app, &owner.access, &org, "Desk", 6).await;
        let (lab, lab_people) = team_of(&app, &owner.access, &org, "Lab", 3).await;
        let (tiny, tiny_people) = team_of(&app, &owner.access, &org, "Tiny", 2).await;
        create_team(&app, &owner.access, &org, "Empty").await;
        patch(&app, &owner.access, &org_path(&org), &json!({"min_group_size": 3})).await;

        // Off by default: 404 for every member.
        app.get(&leaderboard_path(&org), Some(&care_people[0].access))
            .await
            .assert_problem(404, "not_found");
        patch(&app, &owner.access, &org_path(&org), &json!({"team_leaderboard_enabled": true})).await;

        // Care: 3 acts / 3 people; Desk: 6 / 6 (a tie at 1.0); Lab: 6 / 3;
        // Tiny's many acts, and kudos kept to their recipients, count for
        // nothing shown.
        for person in &care_people {
            post_act(&app, &person.access, &care, &act()).await;
        }
        for person in &desk_people {
            post_act(&app, &person.access, &desk, &act()).await;
        }
        for person in &lab_people {
            post_act(&app, &person.access, &lab, &act()).await;
            post_act(&app, &person.access, &lab, &act()).await;
        }
        for person in &tiny_people {
            post_act(&app, &person.access, &tiny, &act()).await;
        }
        let private = json!({"kind": "kudos", "category": "help", "message": "Thanks",
                             "recipient_ids": [care_people[1].user_id], "visibility": "recipients"});
        post_act(&app, &care_people[0].access, &care, &private).await;

        let board = get_ok(&app, &desk_people[0].access, &leaderboard_path(&org)).await;
        assert_eq!(board["period"], "week");
        assert_eq!(board["period_start"], "2026-11-23", "the Monday of Friday 2026-11-27");
        assert_eq!(
            ranks(&board),
            vec![
                (1, "Lab".to_owned(), 3, 6, 2.0),
                (2, "Care".to_owned(), 3, 3, 1.0),
                (2, "Desk".to_owned(), 6, 6, 1.0),
            ]
        );
        assert_eq!(board["teams_not_shown"], 2, "Tiny and Empty");
        // Nobody's name or id is in it: teams only.
        for person in care_people.iter().chain(&desk_people).chain(&lab_people).chain(&tiny_people) {
            assert!(!board.to_string().contains(&person.user_id), "{board}");
        }
        // The owner and hr, outside every team, see the same board.
        let hr = join(&app, &owner.access, &org, "hr@example.com", "hr", None).await;
        assert_eq!(get_ok(&app, &hr.access, &leaderboard_path(&org)).await, board);
        assert_eq!(get_ok(&app, &owner.access, &leaderboard_path(&org)).await, board);

        // Next Monday, the week starts afresh; the month still counts.
        app.clock.advance(Duration::days(3));
        let desk_one = relogin(&app, &desk_people[0]).await;
        let week = get_ok(&app, &desk_one.access, &leaderboard_path(&org)).await;
        assert_eq!(week["period_start"], "2026-11-30");
        assert!(ranks(&week).iter().all(|team| team.0 == 1 && team.3 == 0), "{week}");
        let month = get_ok(&app, &desk_one.access, &format!("{}?period=month", leaderboard_path(&org))).await;
        assert_eq!(month["period"], "month");
        assert_eq!(month["period_start"], "2026-11-01");
        assert_eq!(ranks(&month), ranks(&board));
    }
}

db_test! {
    async fn the_leaderboard_refuses_other_periods_strangers_and_anonymous_callers(app: TestApp) {
        let (owner, org) = owned_org(&app, "owner@example.com", "Acme").await;
        let (stranger, _) = owned_org(&app, "stranger@example.com", "Elsewhere").await;
        patch(&app, &owner.access, &org_path(&org), &json!({"team_leaderboard_enabled": true})).await;
        for period in ["year", "WEEK", ""] {
            let reply = app.get(&format!("{}?period={period}", leaderboard_path(&org)), Some(&owner.access)).await;
            assert_eq!(invalid_fields(&reply), ["period"], "period {period:?}");
        }
        app.get(&leaderboard_path(&org), Some(&stranger.access))
            .await
            .assert_problem(404, "not_found");
        app.get(&leaderboard_path(&org), None)
            .await
            .assert_problem(401, "unauthorized");
        // Switched off again, it is gone again.
        patch(&app, &owner.access, &org_path(&org), &json!({"team_leaderboard_enabled": false})).await;
        app.get(&leaderboard_path(&org), Some(&owner.access))
            .await
            .assert_problem(404, "not_found");
    }
}
