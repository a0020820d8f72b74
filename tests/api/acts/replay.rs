//! Client-chosen act ids: a replay of the same create answers the stored
//! act, any other use of the id is a 409, and concurrent replays store one.

use chrono::Duration;
use serde_json::{Value, json};

use super::*;

db_test! {
    async fn replaying_a_create_with_the_same_id_and_body_answers_200_with_the_stored_act(app: TestApp) {
        let w = world(&app).await;
        let (id, body) = with_new_id(kudos_body("Thanks for the cover", &[&w.bo, &w.cy]));
        let first = post_act(&app, &w.ana.access, &w.team, &body).await;
        assert_status(&first, 201);
        assert_eq!(first.json()["id"], id.as_str());
        assert_eq!(first.header("location"), Some(act_path(&id).as_str()));
        app.clock.advance(Duration::minutes(5));

        let again = post_act(&app, &w.ana.access, &w.team, &body).await;
        assert_status(&again, 200);
        assert_eq!(again.json(), first.json(), "the stored act, created when first sent");
        assert_eq!(written(&app).await, (1, 2));

        let mut explicit = body.clone();
        explicit["visibility"] = json!("team");
        let third = post_act(&app, &w.ana.access, &w.team, &explicit).await;
        assert_status(&third, 200);
        assert_eq!(third.json(), first.json());
        assert_eq!(written(&app).await, (1, 2));
        assert_eq!(feed(&app, &w.ana.access, &w.team).await, strings(&[&id]));
    }
}

db_test! {
    async fn reusing_an_id_with_a_different_body_is_a_409_and_changes_nothing(app: TestApp) {
        let w = world(&app).await;
        let (id, body) = with_new_id(kudos_body("Thanks for the cover", &[&w.bo]));
        let stored = log(&app, &w.ana.access, &w.team, &body).await;
        let other_team = create_team(&app, &w.owner.access, &w.org, "Sales").await;
        add_member(&app, &w.owner.access, &other_team, &w.ana.user_id).await;

        let changes: [(&str, Value); 5] = [
            ("message", json!("Thanks for everything")),
            ("category", json!("help")),
            ("recipient_ids", json!([w.cy.user_id])),
            ("recipient_ids", json!([w.bo.user_id, w.cy.user_id])),
            ("visibility", json!("recipients")),
        ];
        for (field, value) in changes {
            let mut changed = body.clone();
            changed[field] = value.clone();
            post_act(&app, &w.ana.access, &w.team, &changed).await.assert_problem(409, "id_conflict");
            assert_eq!(written(&app).await, (1, 1), "{field} = {value}");
        }
        let as_act = json!({"id": id, "kind": "act", "category": "appreciation", "message": "Thanks for the cover"});
        post_act(&app, &w.ana.access, &w.team, &as_act).await.assert_problem(409, "id_conflict");
        // The same body in another team of the author's is another act.
        post_act(&app, &w.ana.access, &other_team, &body).await.assert_problem(409, "id_conflict");
        assert_eq!(written(&app).await, (1, 1));
        let read = app.get(&act_path(&id), Some(&w.ana.access)).await;
        assert_eq!(read.json(), stored);
        assert!(feed(&app, &w.ana.access, &other_team).await.is_empty());
    }
}

db_test! {
    async fn another_person_reusing_an_id_is_a_409(app: TestApp) {
        let w = world(&app).await;
        let (id, body) = with_new_id(act_body("Made tea for everyone"));
        let stored = log(&app, &w.ana.access, &w.team, &body).await;

        post_act(&app, &w.bo.access, &w.team, &body).await.assert_problem(409, "id_conflict");
        let kudos = with_id(kudos_body("Thanks", &[&w.ana]), &id);
        post_act(&app, &w.bo.access, &w.team, &kudos).await.assert_problem(409, "id_conflict");
        // Also somebody of another organisation, in a team of their own.
        let (stranger, their_org) = owned_org(&app, "stranger@example.com", "Theirs").await;
        let their_team = create_team(&app, &stranger.access, &their_org, "Theirs").await;
        add_member(&app, &stranger.access, &their_team, &stranger.user_id).await;
        post_act(&app, &stranger.access, &their_team, &body).await.assert_problem(409, "id_conflict");

        assert_eq!(written(&app).await, (1, 0));
        assert_eq!(app.get(&act_path(&id), Some(&w.ana.access)).await.json(), stored);
        assert_eq!(feed(&app, &w.bo.access, &w.team).await, strings(&[&id]));
    }
}

db_test! {
    async fn reusing_the_id_of_a_withdrawn_act_is_a_409(app: TestApp) {
        let w = world(&app).await;
        let (id, body) = with_new_id(kudos_body("Thanks", &[&w.bo]));
        log(&app, &w.ana.access, &w.team, &body).await;
        assert_status(&withdraw(&app, &w.ana.access, &id).await, 204);
        let before = written(&app).await;

        post_act(&app, &w.ana.access, &w.team, &body).await.assert_problem(409, "id_conflict");
        assert_eq!(written(&app).await, before);
        app.get(&act_path(&id), Some(&w.ana.access))
            .await
            .assert_problem(404, "not_found");
        assert!(feed(&app, &w.ana.access, &w.team).await.is_empty());
        assert!(my_kudos(&app, &w.bo.access).await.is_empty());
    }
}

db_test! {
    async fn a_create_replayed_while_the_first_is_in_flight_is_stored_once(app: TestApp) {
        let w = world(&app).await;
        let (_, body) = with_new_id(kudos_body("Thanks", &[&w.bo]));
        let path = team_acts_path(&w.team);
        let post = || app.post(&path, Some(&w.ana.access), &body);
        let (a, b, c) = tokio::join!(post(), post(), post());
        let mut statuses: Vec<u16> = [&a, &b, &c].iter().map(|reply| reply.status.as_u16()).collect();
        statuses.sort();
        assert_eq!(statuses, [200, 200, 201]);
        assert_eq!(a.json(), b.json());
        assert_eq!(b.json(), c.json());
        assert_eq!(written(&app).await, (1, 1));
    }
}
