//! `PUT /v1/acts/{id}/thanks`: a recipient thanks the author, once, and
//! nobody else may.

use chrono::Duration;
use poem::http::Method;
use serde_json::Value;
use uuid::Uuid;

use super::*;

db_test! {
    async fn a_recipient_thanks_the_author_once_and_thanking_again_keeps_the_first_time(app: TestApp) {
        let w = world(&app).await;
        let act = log(&app, &w.ana.access, &w.team, &kudos_body("Thanks", &[&w.bo, &w.cy])).await;
        let id = act["id"].as_str().unwrap().to_owned();
        app.clock.advance(Duration::minutes(2));

        let reply = thank(&app, &w.bo.access, &id).await;
        assert_status(&reply, 200);
        let thanked = reply.json();
        let thanks_of = |view: &Value, person: &Session| {
            view["recipients"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["user_id"] == person.user_id.as_str())
                .unwrap_or_else(|| panic!("{} among the recipients of {view}", person.user_id))
                ["thanked_at"]
                .clone()
        };
        assert_eq!(thanks_of(&thanked, &w.bo), "2026-11-27T09:32:00Z");
        assert_eq!(thanks_of(&thanked, &w.cy), Value::Null);
        let mut expected = act.clone();
        expected["recipients"] = thanked["recipients"].clone();
        assert_eq!(thanked, expected, "only the thanks changed");
        assert_eq!(app.get(&act_path(&id), Some(&w.ana.access)).await.json(), thanked);

        app.clock.advance(Duration::hours(1));
        let bo = relogin(&app, &w.bo).await;
        let again = thank(&app, &bo.access, &id).await;
        assert_status(&again, 200);
        assert_eq!(again.json(), thanked, "the same answer, with the first thanks' time");

        let cy = relogin(&app, &w.cy).await;
        let by_cy = thank(&app, &cy.access, &id).await;
        assert_status(&by_cy, 200);
        assert_eq!(thanks_of(&by_cy.json(), &w.cy), "2026-11-27T10:32:00Z");
        assert_eq!(thanks_of(&by_cy.json(), &w.bo), "2026-11-27T09:32:00Z");
        let kudos = app.get("/v1/me/kudos", Some(&bo.access)).await.json();
        assert_eq!(kudos["items"][0], by_cy.json());
    }
}

db_test! {
    async fn only_recipients_may_thank_and_a_withdrawn_act_cannot_be_thanked(app: TestApp) {
        let w = world(&app).await;
        let Onlookers { dee, eve, stranger, .. } = onlookers(&app, &w).await;
        let kudos = log(&app, &w.ana.access, &w.team, &kudos_body("Thanks", &[&w.cy])).await;
        let plain = log(&app, &w.ana.access, &w.team, &act_body("Helped")).await;
        let private = log(&app, &w.ana.access, &w.team, &private_kudos("Between us", &[&w.bo])).await;

        let cases: [(&Value, &Session, u16, &str); 9] = [
            (&kudos, &w.bo, 403, "a team member who is not a recipient"),
            (&kudos, &w.ana, 403, "the author"),
            (&kudos, &eve, 404, "an organisation member outside the team"),
            (&kudos, &w.owner, 404, "the owner outside the team"),
            (&kudos, &stranger, 404, "a person of another organisation"),
            (&plain, &w.ana, 403, "the author of a plain act"),
            (&plain, &w.bo, 403, "a team member on a plain act"),
            (&private, &dee, 404, "a team member who cannot see it"),
            (&private, &w.ana, 403, "the author of recipients-only kudos"),
        ];
        for (act, person, status, why) in cases {
            let reply = thank(&app, &person.access, act["id"].as_str().unwrap()).await;
            assert_refused(&app, &w, &reply, act, status, why).await;
        }
        thank(&app, &w.cy.access, &Uuid::new_v4().to_string())
            .await
            .assert_problem(404, "not_found");
        let id = kudos["id"].as_str().unwrap();
        app.call(Method::PUT, &thanks_path(id), None, None)
            .await
            .assert_problem(401, "unauthorized");

        assert_status(&withdraw(&app, &w.ana.access, id).await, 204);
        thank(&app, &w.cy.access, id)
            .await
            .assert_problem(404, "not_found");
    }
}
