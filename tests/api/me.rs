//! `/v1/me`: reading and changing one's own account.

use serde_json::{Value, json};

use crate::{db_test, support::*};

db_test! {
    async fn patch_me_changes_only_the_given_fields(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let moved = patch_me(&app, &ana.access, &json!({"timezone": "America/St_Johns", "day_starts_at_hour": 2})).await;
        let expected = json!({"timezone": "America/St_Johns", "day_starts_at_hour": 2, "display_name": "Ana"});
        assert_has(&moved, &expected, "a new timezone and day start");

        let renamed = patch_me(&app, &ana.access, &json!({"display_name": "Ana B."})).await;
        assert_has(&renamed, &json!({"display_name": "Ana B.", "timezone": "America/St_Johns"}), "a new name");
        assert_eq!(app.get("/v1/me", Some(&ana.access)).await.json(), renamed);
        assert_eq!(patch_me(&app, &ana.access, &json!({})).await, renamed);
    }
}

db_test! {
    async fn patch_me_refuses_invalid_fields_and_changes_nothing(app: TestApp) {
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
            let reply = patch(&app, &ana.access, "/v1/me", &body).await;
            assert_invalid(&reply, fields, why);
        }
        let reply = patch(&app, &ana.access, "/v1/me", &json!({"day_starts_at_hour": "two"})).await;
        assert_invalid(&reply, &["day_starts_at_hour"], "a word for an hour");
        assert_eq!(app.get("/v1/me", Some(&ana.access)).await.json(), before);
    }
}

db_test! {
    async fn me_needs_a_token(app: TestApp) {
        app.get("/v1/me", None).await.assert_problem(401, "unauthorized");
        app.patch("/v1/me", None, &json!({"display_name": "X"}))
            .await
            .assert_problem(401, "unauthorized");
    }
}
