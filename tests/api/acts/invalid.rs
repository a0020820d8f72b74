//! What the act routes refuse before doing anything: invalid fields (422,
//! each named) and malformed ids, bodies and parameters (400, 415); none
//! of it writes.

use poem::http::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use super::*;

db_test! {
    async fn invalid_fields_are_a_422_naming_each_and_write_nothing(app: TestApp) {
        let w = world(&app).await;
        let stranger = app.register("stranger@example.com").await;
        let random = Uuid::new_v4().to_string();
        let eleven: Vec<String> = (0..11).map(|_| Uuid::new_v4().to_string()).collect();
        let kudos = |recipients: Value| {
            json!({"kind": "kudos", "category": "help", "message": "Thanks", "recipient_ids": recipients})
        };
        let cases: Vec<(Value, &[&str], &str)> = vec![
            (json!({"kind": "gift", "category": "help", "message": "x"}), &["kind"], "an unknown kind"),
            (json!({"kind": "act", "category": "gossip", "message": "x"}), &["category"], "an unknown category"),
            (act_body(""), &["message"], "an empty message"),
            (act_body(" \n\t  "), &["message"], "a blank message"),
            (act_body(&"x".repeat(501)), &["message"], "a 501-character message"),
            (act_body(&"é".repeat(501)), &["message"], "501 multi-byte characters"),
            (act_body("ring\u{7}ring"), &["message"], "a control character"),
            (
                json!({"kind": "kudos", "category": "help", "message": "Thanks"}),
                &["recipient_ids"],
                "kudos naming nobody",
            ),
            (kudos(json!([])), &["recipient_ids"], "kudos with an empty list"),
            (kudos(json!(eleven)), &["recipient_ids"], "kudos naming eleven"),
            (kudos(json!([w.bo.user_id, w.bo.user_id])), &["recipient_ids"], "a recipient twice"),
            (kudos(json!([w.ana.user_id])), &["recipient_ids"], "kudos to oneself"),
            (kudos(json!([w.bo.user_id, w.ana.user_id])), &["recipient_ids"], "kudos to oneself and another"),
            (
                json!({"kind": "act", "category": "help", "message": "x", "recipient_ids": [w.bo.user_id]}),
                &["recipient_ids"],
                "a plain act naming somebody",
            ),
            (kudos(json!([stranger.user_id])), &["recipient_ids"], "a person outside the organisation"),
            (kudos(json!([random])), &["recipient_ids"], "an unknown user id"),
            (kudos(json!([w.bo.user_id, random])), &["recipient_ids"], "one known and one unknown"),
            (
                json!({"kind": "act", "category": "help", "message": "x", "visibility": "everyone"}),
                &["visibility"],
                "an unknown visibility",
            ),
            (
                json!({"kind": "act", "category": "help", "message": "x", "visibility": "recipients"}),
                &["visibility"],
                "a plain act for recipients only",
            ),
            (
                json!({"kind": "gift", "category": "gossip", "message": " ", "visibility": "everyone"}),
                &["category", "kind", "message", "visibility"],
                "everything wrong on an unknown kind",
            ),
            (
                json!({
                    "kind": "kudos", "category": "gossip", "message": "x".repeat(501),
                    "recipient_ids": [w.ana.user_id], "visibility": "everyone",
                }),
                &["category", "message", "recipient_ids", "visibility"],
                "everything wrong on kudos",
            ),
            (
                json!({
                    "kind": "act", "category": "help", "message": "",
                    "recipient_ids": [w.bo.user_id], "visibility": "recipients",
                }),
                &["message", "recipient_ids", "visibility"],
                "a plain act with recipients for recipients only",
            ),
        ];
        for (body, fields, why) in cases {
            let reply = post_act(&app, &w.ana.access, &w.team, &body).await;
            assert_eq!(invalid_fields(&reply), fields, "{why}");
            assert_eq!(written(&app).await, (0, 0), "{why} wrote an act");
        }
        assert!(feed(&app, &w.ana.access, &w.team).await.is_empty());
    }
}

db_test! {
    async fn a_recipient_outside_the_organisation_is_listed_with_the_other_invalid_fields(app: TestApp) {
        let w = world(&app).await;
        let stranger = app.register("stranger@example.com").await;
        let body = json!({
            "kind": "kudos",
            "category": "gossip",
            "message": "",
            "recipient_ids": [stranger.user_id],
        });
        let reply = post_act(&app, &w.ana.access, &w.team, &body).await;
        assert_eq!(invalid_fields(&reply), ["category", "message", "recipient_ids"]);
        assert_eq!(written(&app).await, (0, 0));
    }
}

db_test! {
    async fn malformed_ids_bodies_and_parameters_on_the_act_routes_are_problems_that_write_nothing(app: TestApp) {
        let w = world(&app).await;
        let act = log_id(&app, &w.ana.access, &w.team, &kudos_body("Thanks", &[&w.bo])).await;
        let before = (written(&app).await, feed(&app, &w.ana.access, &w.team).await);
        let token = Some(w.ana.access.as_str());

        for (method, path, parameter) in [
            (Method::GET, "/v1/acts/not-an-id".to_owned(), "act_id"),
            (Method::DELETE, "/v1/acts/12345".to_owned(), "act_id"),
            (Method::PUT, "/v1/acts/not-an-id/thanks".to_owned(), "act_id"),
            (Method::GET, "/v1/teams/not-an-id/acts".to_owned(), "team_id"),
            (Method::GET, "/v1/teams/not-an-id/streak".to_owned(), "team_id"),
            (Method::GET, "/v1/teams/not-an-id/progress".to_owned(), "team_id"),
            (Method::GET, format!("{}?limit=many", team_acts_path(&w.team)), "limit"),
            (Method::GET, "/v1/me/kudos?limit=many".to_owned(), "limit"),
        ] {
            let reply = app.call(method.clone(), &path, token, None).await;
            assert_invalid(&reply, &[parameter], &format!("{method} {path}"));
        }
        let reply = app
            .post("/v1/teams/not-an-id/acts", token, &act_body("Hello"))
            .await;
        assert_invalid(&reply, &["team_id"], "a team id that is no UUID");

        let path = team_acts_path(&w.team);
        post_raw(&app, token, &path, Some("application/json"), "{\"kind\": \"act\",")
            .await
            .assert_problem(400, "invalid_body");
        let wrong_types = app
            .post(&path, token, &json!({"kind": "act", "category": "help", "message": "Hi", "recipient_ids": ["not-an-id"]}))
            .await;
        assert_invalid(&wrong_types, &["recipient_ids[0]"], "a recipient id that is no UUID");
        let not_a_list = app
            .post(&path, token, &json!({"kind": "act", "category": "help", "message": "Hi", "recipient_ids": "everyone"}))
            .await;
        assert_invalid(&not_a_list, &["recipient_ids"], "a word for the recipients");
        post_raw(&app, token, &path, Some("text/plain"), "kind=act")
            .await
            .assert_problem(415, "unsupported_media_type");

        assert_eq!((written(&app).await, feed(&app, &w.ana.access, &w.team).await), before);
        let read = app.get(&act_path(&act), token).await;
        assert_status(&read, 200);
        assert_eq!(read.json()["recipients"][0]["thanked_at"], Value::Null);
    }
}
