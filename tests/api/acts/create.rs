//! Logging acts and kudos in a team: the answer and its view, the
//! categories, messages, who kudos may name, and who may log in a team.

use serde_json::json;
use uuid::Uuid;

use super::*;

db_test! {
    async fn logging_an_act_answers_201_with_its_location_and_the_act_view(app: TestApp) {
        let w = world(&app).await;
        rename(&app, &w.ana, "Ana Author").await;
        let reply = app
            .post(
                &team_acts_path(&w.team),
                Some(&w.ana.access),
                &json!({"kind": "act", "category": "listening", "message": "  Listened to Bo  "}),
            )
            .await;
        assert_status(&reply, 201);
        let act = reply.json();
        let id = act["id"].as_str().expect("id");
        assert!(Uuid::parse_str(id).is_ok(), "{id} is a UUID");
        assert_eq!(reply.header("location"), Some(act_path(id).as_str()));
        assert_eq!(
            act,
            json!({
                "id": id,
                "team_id": w.team,
                "kind": "act",
                "category": "listening",
                "message": "Listened to Bo",
                "author": {"user_id": w.ana.user_id, "display_name": "Ana Author"},
                "recipients": [],
                "visibility": "team",
                "local_date": "2026-11-27",
                "created_at": "2026-11-27T09:30:00Z",
            })
        );
        assert_eq!(written(&app).await, (1, 0));

        let read = app.get(&act_path(id), Some(&w.ana.access)).await;
        assert_status(&read, 200);
        assert_eq!(read.json(), act);
        assert_eq!(feed(&app, &w.bo.access, &w.team).await, strings(&[id]));

        for category in [
            "listening", "encouragement", "help", "appreciation", "inclusion",
            "patience", "celebration", "support", "other",
        ] {
            let body = json!({"kind": "act", "category": category, "message": "x", "visibility": "team"});
            let act = log(&app, &w.ana.access, &w.team, &body).await;
            assert_eq!(act["category"], category);
            assert_eq!(act["visibility"], "team");
        }
        assert_eq!(written(&app).await, (10, 0));
    }
}

db_test! {
    async fn logging_kudos_names_the_recipients_in_user_id_order_without_thanks(app: TestApp) {
        let w = world(&app).await;
        rename(&app, &w.bo, "Bo").await;
        rename(&app, &w.cy, "Cy").await;
        let reply = app
            .post(
                &team_acts_path(&w.team),
                Some(&w.ana.access),
                &json!({
                    "kind": "kudos",
                    "category": "support",
                    "message": "Thank you both",
                    "recipient_ids": [w.cy.user_id, w.bo.user_id],
                    "visibility": "recipients",
                }),
            )
            .await;
        assert_status(&reply, 201);
        let act = reply.json();
        let id = act["id"].as_str().expect("id");
        assert_eq!(reply.header("location"), Some(act_path(id).as_str()));
        let mut expected = vec![
            json!({"user_id": w.bo.user_id, "display_name": "Bo", "thanked_at": null}),
            json!({"user_id": w.cy.user_id, "display_name": "Cy", "thanked_at": null}),
        ];
        expected.sort_by_key(|r| Uuid::parse_str(r["user_id"].as_str().unwrap()).unwrap());
        assert_eq!(act["recipients"], json!(expected));
        assert_eq!(act["kind"], "kudos");
        assert_eq!(act["visibility"], "recipients");
        assert_eq!(act["author"]["user_id"], w.ana.user_id.as_str());
        assert_eq!(written(&app).await, (1, 2));
        assert_eq!(app.get(&act_path(id), Some(&w.bo.access)).await.json(), act);
    }
}

db_test! {
    async fn a_message_is_trimmed_keeps_line_breaks_and_may_be_500_multi_byte_characters(app: TestApp) {
        let w = world(&app).await;
        let act = log(&app, &w.ana.access, &w.team, &act_body("\n  line one\nline two\t end \n")).await;
        assert_eq!(act["message"], "line one\nline two\t end");
        for message in ["é".repeat(500), "🙂".repeat(500), format!("  {}  ", "x".repeat(500))] {
            let act = log(&app, &w.ana.access, &w.team, &act_body(&message)).await;
            assert_eq!(act["message"], message.trim());
            let read = app.get(&act_path(act["id"].as_str().unwrap()), Some(&w.bo.access)).await;
            assert_eq!(read.json()["message"], message.trim(), "stored whole");
        }
    }
}

db_test! {
    async fn kudos_may_name_any_member_of_the_organisation_even_outside_the_team(app: TestApp) {
        let w = world(&app).await;
        let admin = join(&app, &w.owner.access, &w.org, "admin@example.com", "admin", None).await;
        let act = log(&app, &w.ana.access, &w.team, &kudos_body("Thanks", &[&w.cy, &w.owner, &admin])).await;
        let id = act["id"].as_str().unwrap();
        assert_eq!(act["recipients"].as_array().unwrap().len(), 3);
        for person in [&w.cy, &w.owner, &admin] {
            let read = app.get(&act_path(id), Some(&person.access)).await;
            assert_status(&read, 200);
            assert_eq!(read.json(), act);
            assert_eq!(my_kudos(&app, &person.access).await, strings(&[id]));
            // Being named does not open the team's feed.
            app.get(&team_acts_path(&w.team), Some(&person.access))
                .await
                .assert_problem(404, "not_found");
        }
    }
}

db_test! {
    async fn kudos_may_name_ten_people_but_not_eleven(app: TestApp) {
        let w = world(&app).await;
        let mut people = Vec::new();
        for n in 0..11 {
            let email = format!("colleague{n}@example.com");
            people.push(join(&app, &w.owner.access, &w.org, &email, "member", None).await);
        }
        let everyone: Vec<&Session> = people.iter().collect();
        let reply = post_act(&app, &w.ana.access, &w.team, &kudos_body("All of you", &everyone)).await;
        assert_eq!(invalid_fields(&reply), ["recipient_ids"]);
        assert_eq!(written(&app).await, (0, 0));

        let act = log(&app, &w.ana.access, &w.team, &kudos_body("Ten of you", &everyone[..10])).await;
        assert_eq!(act["recipients"].as_array().unwrap().len(), 10);
        assert_eq!(written(&app).await, (1, 10));
    }
}

db_test! {
    async fn only_members_of_the_team_may_log_acts_in_it(app: TestApp) {
        let w = world(&app).await;
        let stranger = outsider(&app).await;
        let admin = join(&app, &w.owner.access, &w.org, "admin@example.com", "admin", None).await;
        let body = act_body("Helped out");
        for (person, why) in [(&w.cy, "a member outside the team"), (&w.owner, "the owner"), (&admin, "an admin")] {
            post_act(&app, &person.access, &w.team, &body).await.assert_problem(403, "forbidden");
            assert_eq!(written(&app).await, (0, 0), "{why} wrote an act");
        }
        let kudos = kudos_body("Thanks", &[&w.ana]);
        post_act(&app, &w.cy.access, &w.team, &kudos).await.assert_problem(403, "forbidden");
        post_act(&app, &stranger.access, &w.team, &body).await.assert_problem(404, "not_found");
        app.post(&team_acts_path(&Uuid::new_v4().to_string()), Some(&w.ana.access), &body)
            .await
            .assert_problem(404, "not_found");
        app.post(&team_acts_path(&w.team), None, &body)
            .await
            .assert_problem(401, "unauthorized");
        assert_eq!(written(&app).await, (0, 0));
        assert!(feed(&app, &w.ana.access, &w.team).await.is_empty());

        // A member of the team, whatever their organisation role, may.
        add_member(&app, &w.owner.access, &w.team, &w.cy.user_id).await;
        log(&app, &w.cy.access, &w.team, &body).await;
        assert_eq!(written(&app).await, (1, 0));
    }
}
