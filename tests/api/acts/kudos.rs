//! `GET /v1/me/kudos`: the kudos naming the caller, across teams and
//! organisations, and its paging.

use chrono::Duration;
use uuid::Uuid;

use super::*;

db_test! {
    async fn my_kudos_lists_the_kudos_naming_me_newest_first_across_teams_and_organisations(app: TestApp) {
        let w = world(&app).await;
        let sales = create_team(&app, &w.owner.access, &w.org, "Sales").await;
        for person in [&w.ana, &w.bo, &w.cy] {
            add_member(&app, &w.owner.access, &sales, &person.user_id).await;
        }
        // Bo also belongs to an organisation of Cy's.
        let cy_org = create_org(&app, &w.cy.access, "Cy & Co", "Europe/Paris").await;
        let cy_team = create_team(&app, &w.cy.access, &cy_org, "Crew").await;
        add_member(&app, &w.cy.access, &cy_team, &w.cy.user_id).await;
        enter(&app, &w.cy.access, &cy_org, &w.bo, "member", Some(&cy_team)).await;

        let step = || app.clock.advance(Duration::seconds(1));
        let mut mine = Vec::new();
        mine.push(log_id(&app, &w.ana.access, &w.team, &kudos_body("support", &[&w.bo])).await);
        step();
        log(&app, &w.ana.access, &w.team, &act_body("a plain act")).await;
        step();
        log(&app, &w.ana.access, &w.team, &kudos_body("for cy", &[&w.cy])).await;
        step();
        mine.push(log_id(&app, &w.cy.access, &sales, &kudos_body("sales", &[&w.bo, &w.ana])).await);
        step();
        let withdrawn = log_id(&app, &w.ana.access, &sales, &kudos_body("withdrawn", &[&w.bo])).await;
        assert_status(&withdraw(&app, &w.ana.access, &withdrawn).await, 204);
        step();
        mine.push(log_id(&app, &w.cy.access, &cy_team, &kudos_body("other org", &[&w.bo])).await);
        step();
        mine.push(log_id(&app, &w.ana.access, &w.team, &private_kudos("private", &[&w.bo])).await);
        step();
        // Kudos Bo gave are not kudos Bo received.
        log(&app, &w.bo.access, &w.team, &kudos_body("from bo", &[&w.ana])).await;

        let newest_first = reversed(mine);
        let page = app.get("/v1/me/kudos", Some(&w.bo.access)).await;
        assert_status(&page, 200);
        let page = page.json();
        assert_eq!(ids(&page), newest_first);
        assert!(page["next_cursor"].is_null());
        assert!(page["items"].as_array().unwrap().iter().all(|item| item["kind"] == "kudos"));
        assert_eq!(page["items"][0]["visibility"], "recipients");
        assert_eq!(page["items"][1]["team_id"], cy_team.as_str());
        assert_eq!(
            app.get(&act_path(&newest_first[0]), Some(&w.bo.access)).await.json(),
            page["items"][0]
        );
        let cy_kudos = my_kudos(&app, &w.cy.access).await;
        assert_eq!(cy_kudos.len(), 1, "Cy was named once: {cy_kudos:?}");
        assert_eq!(my_kudos(&app, &w.ana.access).await.len(), 2);
        assert!(my_kudos(&app, &w.owner.access).await.is_empty());
        app.get("/v1/me/kudos", None)
            .await
            .assert_problem(401, "unauthorized");
    }
}

db_test! {
    async fn my_kudos_pages_with_a_cursor_and_refuses_a_garbage_one(app: TestApp) {
        let w = world(&app).await;
        let mut logged = Vec::new();
        for n in 0..5 {
            let author = if n % 2 == 0 { &w.ana } else { &w.cy };
            let team = if n % 2 == 0 { w.team.clone() } else {
                let team = create_team(&app, &w.owner.access, &w.org, &format!("Team {n}")).await;
                add_member(&app, &w.owner.access, &team, &w.cy.user_id).await;
                team
            };
            logged.push(log_id(&app, &author.access, &team, &kudos_body(&format!("{n}"), &[&w.bo])).await);
            if n != 2 {
                app.clock.advance(Duration::seconds(1));
            }
        }
        // Two in the same second: ordered by id, newest (largest) first.
        let mut expected = reversed(logged);
        let (a, b) = (Uuid::parse_str(&expected[1]).unwrap(), Uuid::parse_str(&expected[2]).unwrap());
        if a < b {
            expected.swap(1, 2);
        }
        for limit in [1, 2, 3, 5, 50] {
            let (seen, sizes) = walk(&app, &w.bo.access, "/v1/me/kudos", limit).await;
            assert_eq!(seen, expected, "limit {limit}");
            assert_eq!(sizes.iter().sum::<usize>(), 5);
        }
        let feed_cursor = app
            .get(&format!("{}?limit=1", team_acts_path(&w.team)), Some(&w.ana.access))
            .await
            .json()["next_cursor"]
            .as_str()
            .expect("a feed cursor")
            .to_owned();
        for garbage in ["garbage", "bm90LWEtY3Vyc29y", "%21%21", feed_cursor.as_str()] {
            app.get(&format!("/v1/me/kudos?cursor={garbage}"), Some(&w.bo.access))
                .await
                .assert_problem(400, "invalid_cursor");
        }
        for limit in ["0", "201"] {
            let reply = app.get(&format!("/v1/me/kudos?limit={limit}"), Some(&w.bo.access)).await;
            assert_eq!(invalid_fields(&reply), ["limit"], "limit {limit}");
        }
    }
}
