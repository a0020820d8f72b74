//! `DELETE /v1/acts/{id}`: the author withdraws an act, nobody else may,
//! and a double withdrawal withdraws once.

use chrono::Duration;
use poem::http::Method;
use serde_json::Value;
use uuid::Uuid;

use super::*;

db_test! {
    async fn the_author_withdraws_an_act_and_it_is_gone_from_the_feed_reads_and_kudos(app: TestApp) {
        let w = world(&app).await;
        let kept = log_id(&app, &w.ana.access, &w.team, &kudos_body("Kept", &[&w.bo])).await;
        app.clock.advance(Duration::seconds(1));
        let gone = log_id(&app, &w.ana.access, &w.team, &kudos_body("Gone", &[&w.bo, &w.cy])).await;
        assert_eq!(feed(&app, &w.bo.access, &w.team).await, strings(&[&gone, &kept]));

        let reply = withdraw(&app, &w.ana.access, &gone).await;
        assert_status(&reply, 204);
        assert!(reply.text.is_empty(), "a 204 has no body: {}", reply.text);
        for person in [&w.ana, &w.bo] {
            assert_eq!(feed(&app, &person.access, &w.team).await, strings(&[&kept]));
        }
        for person in [&w.ana, &w.bo, &w.cy] {
            app.get(&act_path(&gone), Some(&person.access))
                .await
                .assert_problem(404, "not_found");
        }
        assert_eq!(my_kudos(&app, &w.bo.access).await, strings(&[&kept]));
        assert!(my_kudos(&app, &w.cy.access).await.is_empty());
        withdraw(&app, &w.ana.access, &gone)
            .await
            .assert_problem(404, "not_found");
        thank(&app, &w.bo.access, &gone)
            .await
            .assert_problem(404, "not_found");
        withdraw(&app, &w.ana.access, &Uuid::new_v4().to_string())
            .await
            .assert_problem(404, "not_found");
        assert_status(&withdraw(&app, &w.ana.access, &kept).await, 204);
        assert!(feed(&app, &w.ana.access, &w.team).await.is_empty());
    }
}

db_test! {
    async fn only_the_author_may_withdraw_an_act_and_others_get_403_or_404(app: TestApp) {
        let w = world(&app).await;
        let Onlookers { dee, eve, stranger, .. } = onlookers(&app, &w).await;
        let plain = log(&app, &w.ana.access, &w.team, &act_body("Helped")).await;
        let team_kudos = log(&app, &w.ana.access, &w.team, &kudos_body("Thanks", &[&w.cy])).await;
        let private = log(&app, &w.ana.access, &w.team, &private_kudos("Between us", &[&w.bo])).await;
        let feed_before = feed(&app, &w.ana.access, &w.team).await;
        let rows_before = written(&app).await;

        let cases: [(&Value, &Session, u16, &str); 10] = [
            (&plain, &w.bo, 403, "a team member who is not the author"),
            (&plain, &eve, 404, "an organisation member outside the team"),
            (&plain, &w.owner, 404, "the owner outside the team"),
            (&plain, &stranger, 404, "a person of another organisation"),
            (&team_kudos, &w.cy, 403, "the recipient outside the team"),
            (&team_kudos, &w.bo, 403, "a team member"),
            (&private, &w.bo, 403, "the recipient of recipients-only kudos"),
            (&private, &dee, 404, "a team member who cannot see it"),
            (&private, &w.cy, 404, "an organisation member who cannot see it"),
            (&private, &stranger, 404, "a person of another organisation"),
        ];
        for (act, person, status, why) in cases {
            let reply = withdraw(&app, &person.access, act["id"].as_str().unwrap()).await;
            assert_refused(&app, &w, &reply, act, status, why).await;
        }
        app.call(Method::DELETE, &act_path(plain["id"].as_str().unwrap()), None, None)
            .await
            .assert_problem(401, "unauthorized");
        assert_eq!(feed(&app, &w.ana.access, &w.team).await, feed_before);
        assert_eq!(written(&app).await, rows_before);
    }
}

db_test! {
    async fn withdrawing_an_act_twice_at_once_withdraws_it_once(app: TestApp) {
        let w = world(&app).await;
        let act = log_id(&app, &w.ana.access, &w.team, &act_body("Held the door")).await;
        let (a, b) = tokio::join!(
            withdraw(&app, &w.ana.access, &act),
            withdraw(&app, &w.ana.access, &act)
        );
        let missing = if first_won(&a, &b, 204, 404, "withdrawing twice") { b } else { a };
        missing.assert_problem(404, "not_found");
        assert_eq!(written(&app).await, (1, 0), "the tombstone stays");
        assert!(feed(&app, &w.bo.access, &w.team).await.is_empty());
    }
}
