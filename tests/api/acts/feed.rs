//! The team feed's order and paging: newest first, ties by id, pages
//! without gaps or duplicates, cursors and limits checked.

use chrono::Duration;
use uuid::Uuid;

use super::*;

db_test! {
    async fn the_feed_lists_the_team_s_acts_newest_first_and_pages_without_gaps_or_duplicates(app: TestApp) {
        let w = world(&app).await;
        let other_team = create_team(&app, &w.owner.access, &w.org, "Sales").await;
        add_member(&app, &w.owner.access, &other_team, &w.ana.user_id).await;
        let mut logged = Vec::new();
        for n in 0..7 {
            let author = if n % 2 == 0 { &w.ana } else { &w.bo };
            let body = if n % 3 == 0 {
                kudos_body(&format!("kudos {n}"), &[&w.cy])
            } else {
                act_body(&format!("act {n}"))
            };
            logged.push(log_id(&app, &author.access, &w.team, &body).await);
            log(&app, &w.ana.access, &other_team, &act_body("elsewhere")).await;
            app.clock.advance(Duration::seconds(1));
        }
        let newest_first = reversed(logged);

        for reader in [&w.ana, &w.bo] {
            let first = app.get(&team_acts_path(&w.team), Some(&reader.access)).await;
            assert_status(&first, 200);
            let page = first.json();
            assert_eq!(ids(&page), newest_first);
            assert!(page["next_cursor"].is_null());
            assert_eq!(page["items"][0]["message"], "kudos 6");
            assert_eq!(page["items"][0]["created_at"], "2026-11-27T09:30:06Z");
            assert_eq!(page["items"][6]["created_at"], "2026-11-27T09:30:00Z");
        }
        for limit in [1, 2, 3, 6, 7, 200] {
            let (seen, sizes) = walk(&app, &w.bo.access, &team_acts_path(&w.team), limit).await;
            assert_eq!(seen, newest_first, "limit {limit}");
            let limit = limit as usize;
            let expected: Vec<usize> = (0..7)
                .step_by(limit)
                .map(|start| (7 - start).min(limit))
                .collect();
            assert_eq!(sizes, expected, "limit {limit}: a last full page says there is no more");
        }

        let base = team_acts_path(&w.team);
        let kudos_cursor = {
            for _ in 0..2 {
                let body = kudos_body("for the cursor", &[&w.bo]);
                log(&app, &w.ana.access, &w.team, &body).await;
            }
            let page = app.get("/v1/me/kudos?limit=1", Some(&w.bo.access)).await.json();
            page["next_cursor"].as_str().expect("a kudos cursor").to_owned()
        };
        for garbage in ["garbage", "bm90LWEtY3Vyc29y", "%21%21", kudos_cursor.as_str()] {
            app.get(&format!("{base}?cursor={garbage}"), Some(&w.ana.access))
                .await
                .assert_problem(400, "invalid_cursor");
        }
        for limit in ["0", "201", "-1"] {
            let reply = app.get(&format!("{base}?limit={limit}"), Some(&w.ana.access)).await;
            assert_eq!(invalid_fields(&reply), ["limit"], "limit {limit}");
        }
    }
}

/// Logs `count` acts in `team` as `person`, each with a fresh client id
/// and a message starting with `prefix`; the ids, in the order logged.
async fn log_with_new_ids(
    app: &TestApp,
    person: &Session,
    team: &str,
    prefix: &str,
    count: usize,
) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for n in 0..count {
        let id = Uuid::new_v4();
        log(
            app,
            &person.access,
            team,
            &with_id(act_body(&format!("{prefix} {n}")), &id.to_string()),
        )
        .await;
        ids.push(id);
    }
    ids
}

db_test! {
    async fn acts_logged_in_the_same_instant_are_ordered_by_id_descending_across_pages(app: TestApp) {
        let w = world(&app).await;
        // Client ids in no particular order, some in the same second.
        let earlier = log_with_new_ids(&app, &w.ana, &w.team, "early", 5).await;
        for n in 0..3 {
            log(&app, &w.bo.access, &w.team, &act_body(&format!("early server {n}"))).await;
        }
        let early_feed: Vec<Uuid> = feed(&app, &w.ana.access, &w.team)
            .await
            .iter()
            .map(|id| Uuid::parse_str(id).unwrap())
            .collect();
        assert_eq!(early_feed.len(), 8);
        let mut early_ids = early_feed.clone();
        early_ids.sort_by(|a, b| b.cmp(a));
        assert_eq!(early_feed, early_ids, "ids descending within one instant");
        app.clock.advance(Duration::seconds(1));
        let mut later = log_with_new_ids(&app, &w.bo, &w.team, "late", 4).await;
        later.sort_by(|a, b| b.cmp(a));
        let expected: Vec<String> = later
            .iter()
            .chain(early_ids.iter())
            .map(Uuid::to_string)
            .collect();
        for earlier_id in &earlier {
            assert!(expected.contains(&earlier_id.to_string()));
        }
        for limit in [1, 2, 3, 5, 12] {
            let (seen, _) = walk(&app, &w.bo.access, &team_acts_path(&w.team), limit).await;
            assert_eq!(seen, expected, "limit {limit}");
        }
    }
}
