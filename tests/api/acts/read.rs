//! Who sees an act, in the feed and read one by one: team members,
//! its author and recipients, `recipients` visibility, people who left,
//! and authors whose account is gone.

use chrono::Duration;
use serde_json::json;
use uuid::Uuid;

use super::*;

db_test! {
    async fn only_members_of_the_team_may_read_its_feed(app: TestApp) {
        let w = world(&app).await;
        let Onlookers { admin, hr, stranger, .. } = onlookers(&app, &w).await;
        log(&app, &w.ana.access, &w.team, &act_body("Helped")).await;
        for (person, why) in [
            (&w.cy, "a member outside the team"),
            (&admin, "an admin outside the team"),
            (&w.owner, "the owner outside the team"),
            (&hr, "hr outside the team"),
            (&stranger, "a person of another organisation"),
        ] {
            let reply = app.get(&team_acts_path(&w.team), Some(&person.access)).await;
            assert_eq!(reply.status.as_u16(), 404, "{why}: {}", reply.text);
            reply.assert_problem(404, "not_found");
        }
        app.get(&team_acts_path(&Uuid::new_v4().to_string()), Some(&w.ana.access))
            .await
            .assert_problem(404, "not_found");
        app.get(&team_acts_path(&w.team), None)
            .await
            .assert_problem(401, "unauthorized");
        assert_eq!(feed(&app, &w.bo.access, &w.team).await.len(), 1);
    }
}

db_test! {
    async fn kudos_shared_with_recipients_show_only_to_their_author_and_recipients(app: TestApp) {
        let w = world(&app).await;
        let dee = join_team(&app, &w.owner.access, &w.org, &w.team, "dee@example.com").await;
        let public = log_id(&app, &w.ana.access, &w.team, &kudos_body("Well done", &[&w.bo])).await;
        app.clock.advance(Duration::seconds(1));
        let private = log_id(&app, &w.ana.access, &w.team, &private_kudos("Just between us", &[&w.bo, &w.cy])).await;

        let both = strings(&[&private, &public]);
        assert_eq!(feed(&app, &w.ana.access, &w.team).await, both, "the author");
        assert_eq!(feed(&app, &w.bo.access, &w.team).await, both, "a recipient in the team");
        assert_eq!(feed(&app, &dee.access, &w.team).await, strings(&[&public]), "another member");
        // Paging never shows the hidden act either.
        let (seen, _) = walk(&app, &dee.access, &team_acts_path(&w.team), 1).await;
        assert_eq!(seen, strings(&[&public]));

        for person in [&w.ana, &w.bo, &w.cy] {
            assert_status(&app.get(&act_path(&private), Some(&person.access)).await, 200);
        }
        for person in [&dee, &w.owner] {
            app.get(&act_path(&private), Some(&person.access))
                .await
                .assert_problem(404, "not_found");
        }
        assert_eq!(my_kudos(&app, &w.cy.access).await, strings(&[&private]));
        assert_eq!(my_kudos(&app, &w.bo.access).await, both);
    }
}

db_test! {
    async fn an_act_is_readable_by_its_author_recipients_and_team_and_by_nobody_else(app: TestApp) {
        let w = world(&app).await;
        let Onlookers { eve, admin, stranger, .. } = onlookers(&app, &w).await;
        let act = log(&app, &w.ana.access, &w.team, &kudos_body("Thanks", &[&w.cy])).await;
        let id = act["id"].as_str().unwrap();

        for (person, why) in [(&w.ana, "the author"), (&w.bo, "a team member"), (&w.cy, "a recipient outside the team")] {
            let read = app.get(&act_path(id), Some(&person.access)).await;
            assert_eq!(read.status.as_u16(), 200, "{why}: {}", read.text);
            assert_eq!(read.json(), act, "{why}");
        }
        for (person, why) in [
            (&eve, "an organisation member outside the team"),
            (&admin, "an admin outside the team"),
            (&w.owner, "the owner outside the team"),
            (&stranger, "a person of another organisation"),
        ] {
            let reply = app.get(&act_path(id), Some(&person.access)).await;
            assert_eq!(reply.status.as_u16(), 404, "{why}: {}", reply.text);
            reply.assert_problem(404, "not_found");
        }
        app.get(&act_path(&Uuid::new_v4().to_string()), Some(&w.ana.access))
            .await
            .assert_problem(404, "not_found");
        app.get(&act_path(id), None)
            .await
            .assert_problem(401, "unauthorized");
    }
}

db_test! {
    async fn a_person_who_left_the_team_loses_its_feed_but_keeps_their_own_acts(app: TestApp) {
        let w = world(&app).await;
        let own = log_id(&app, &w.bo.access, &w.team, &act_body("Bo's act")).await;
        app.clock.advance(Duration::seconds(1));
        let other = log_id(&app, &w.ana.access, &w.team, &act_body("Ana's act")).await;
        app.clock.advance(Duration::seconds(1));
        let named = log_id(&app, &w.ana.access, &w.team, &kudos_body("For Bo", &[&w.bo])).await;
        assert_status(&delete(&app, &w.bo.access, &team_member_path(&w.team, &w.bo.user_id)).await, 204);

        app.get(&team_acts_path(&w.team), Some(&w.bo.access))
            .await
            .assert_problem(404, "not_found");
        post_act(&app, &w.bo.access, &w.team, &act_body("still here?")).await.assert_problem(403, "forbidden");
        app.get(&act_path(&other), Some(&w.bo.access))
            .await
            .assert_problem(404, "not_found");
        assert_status(&app.get(&act_path(&own), Some(&w.bo.access)).await, 200);
        assert_status(&app.get(&act_path(&named), Some(&w.bo.access)).await, 200);
        assert_status(&thank(&app, &w.bo.access, &named).await, 200);
        assert_status(&withdraw(&app, &w.bo.access, &own).await, 204);
        assert_eq!(feed(&app, &w.ana.access, &w.team).await, strings(&[&named, &other]));
    }
}

db_test! {
    async fn acts_of_a_deleted_account_stay_signed_by_a_former_colleague(app: TestApp) {
        use sea_orm::EntityTrait;

        let w = world(&app).await;
        log_id(&app, &w.ana.access, &w.team, &kudos_body("Thank you, Bo", &[&w.bo])).await;
        let before = app.get(&format!("/v1/teams/{}/streak", w.team), Some(&w.bo.access)).await;
        assert_status(&before, 200);

        // What `DELETE /v1/me` will do to the account's row.
        let ana: Uuid = w.ana.user_id.parse().expect("a user id");
        entity::users::Entity::delete_by_id(ana)
            .exec(&app.db)
            .await
            .expect("deleting the account");

        let page = app.get(&team_acts_path(&w.team), Some(&w.bo.access)).await;
        assert_status(&page, 200);
        let item = &page.json()["items"][0];
        assert_eq!(item["message"], "Thank you, Bo");
        assert_eq!(item["author"], json!({"user_id": null, "display_name": "a former colleague"}));
        assert_eq!(my_kudos(&app, &w.bo.access).await.len(), 1);
        let after = app.get(&format!("/v1/teams/{}/streak", w.team), Some(&w.bo.access)).await;
        assert_eq!(after.json(), before.json(), "the team's day still counts");
    }
}
