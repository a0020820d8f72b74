//! `/v1/me`: reading and changing one's own account.

use serde_json::{Value, json};

use crate::{db_test, support::*};

db_test! {
    async fn patch_me_changes_only_the_given_fields(backend) {
        let app = TestApp::spawn(backend).await;
        let ana = app.register("ana@example.com").await;
        let reply = app
            .patch(
                "/v1/me",
                Some(&ana.access),
                &json!({"timezone": "America/St_Johns", "day_starts_at_hour": 2}),
            )
            .await;
        assert_status(&reply, 200);
        let body = reply.json();
        assert_eq!(body["timezone"], "America/St_Johns");
        assert_eq!(body["day_starts_at_hour"], 2);
        assert_eq!(body["display_name"], "Ana");

        let renamed = app
            .patch("/v1/me", Some(&ana.access), &json!({"display_name": "Ana B."}))
            .await
            .json();
        assert_eq!(renamed["display_name"], "Ana B.");
        assert_eq!(renamed["timezone"], "America/St_Johns");
        assert_eq!(app.get("/v1/me", Some(&ana.access)).await.json(), renamed);

        let unchanged = app.patch("/v1/me", Some(&ana.access), &json!({})).await;
        assert_eq!(unchanged.json(), renamed);
    }
}

db_test! {
    async fn patch_me_refuses_invalid_fields_and_changes_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        let ana = app.register("ana@example.com").await;
        let before = app.get("/v1/me", Some(&ana.access)).await.json();
        let cases: [(Value, &[&str], &str); 5] = [
            (json!({"timezone": "Moon/Tranquility"}), &["timezone"], "an unknown timezone"),
            (json!({"day_starts_at_hour": 7}), &["day_starts_at_hour"], "a day starting at 7"),
            (json!({"day_starts_at_hour": -1}), &["day_starts_at_hour"], "a negative hour"),
            (json!({"display_name": ""}), &["display_name"], "an empty name"),
            (
                json!({"display_name": "Valid", "timezone": "Nowhere", "day_starts_at_hour": 12}),
                &["timezone", "day_starts_at_hour"],
                "one valid field among invalid ones",
            ),
        ];
        for (body, fields, why) in cases {
            let reply = app.patch("/v1/me", Some(&ana.access), &body).await;
            assert_invalid(&reply, fields, why);
        }
        let wrong_type = app
            .patch("/v1/me", Some(&ana.access), &json!({"day_starts_at_hour": "two"}))
            .await;
        wrong_type.assert_problem(400, "invalid_body");
        assert_eq!(app.get("/v1/me", Some(&ana.access)).await.json(), before);
    }
}

db_test! {
    async fn me_needs_a_token(backend) {
        let app = TestApp::spawn(backend).await;
        app.get("/v1/me", None).await.assert_problem(401, "unauthorized");
        app.patch("/v1/me", None, &json!({"display_name": "X"}))
            .await
            .assert_problem(401, "unauthorized");
    }
}
