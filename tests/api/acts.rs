//! Acts of kindness and kudos: logging them in a team (who may, the fields
//! and their validation, client-chosen ids and replays), the team feed and
//! its pagination, who may read, withdraw and thank an act, the kudos a
//! person received, and the daily limit of 20 acts per person and team on
//! the organisation's calendar.

use chrono::Duration;
use poem::http::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{db_test, support::*};

/// An organisation (Europe/London) with one team and the people around it.
struct World {
    /// The organisation's owner, not in the team.
    owner: Session,
    org: String,
    team: String,
    /// Members of the team.
    ana: Session,
    bo: Session,
    /// A member of the organisation outside the team.
    cy: Session,
}

async fn world(app: &TestApp) -> World {
    let owner = app.register("owner@example.com").await;
    let org = create_org(app, &owner.access, "Acme", "Europe/London").await;
    let team = create_team(app, &owner.access, &org, "Support").await;
    let ana = join(
        app,
        &owner.access,
        &org,
        "ana@example.com",
        "member",
        Some(&team),
    )
    .await;
    let bo = join(
        app,
        &owner.access,
        &org,
        "bo@example.com",
        "member",
        Some(&team),
    )
    .await;
    let cy = join(app, &owner.access, &org, "cy@example.com", "member", None).await;
    World {
        owner,
        org,
        team,
        ana,
        bo,
        cy,
    }
}

/// Somebody in an organisation of their own, nothing to do with the world's.
async fn outsider(app: &TestApp) -> Session {
    let person = app.register("outsider@example.com").await;
    create_org(app, &person.access, "Elsewhere", "Europe/London").await;
    person
}

fn act_body(message: &str) -> Value {
    json!({"kind": "act", "category": "help", "message": message})
}

fn kudos_body(message: &str, recipients: &[&Session]) -> Value {
    let ids: Vec<&str> = recipients.iter().map(|p| p.user_id.as_str()).collect();
    json!({"kind": "kudos", "category": "appreciation", "message": message, "recipient_ids": ids})
}

/// Logs `body` in `team` as `token`'s person, expecting 201; the act.
async fn log(app: &TestApp, token: &str, team: &str, body: &Value) -> Value {
    let reply = app.post(&team_acts_path(team), Some(token), body).await;
    assert_status(&reply, 201);
    reply.json()
}

/// Like [`log`], the act's id.
async fn log_id(app: &TestApp, token: &str, team: &str, body: &Value) -> String {
    log(app, token, team, body).await["id"]
        .as_str()
        .expect("act id")
        .to_owned()
}

async fn withdraw(app: &TestApp, token: &str, act: &str) -> Reply {
    app.call(Method::DELETE, &act_path(act), Some(token), None)
        .await
}

async fn thank(app: &TestApp, token: &str, act: &str) -> Reply {
    app.call(Method::PUT, &thanks_path(act), Some(token), None)
        .await
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("items in {page}"))
        .iter()
        .map(|item| item["id"].as_str().expect("id").to_owned())
        .collect()
}

/// Every page of the list at `base` (which has no query yet) with `limit`:
/// the ids in order and the size of each page.
async fn walk(app: &TestApp, token: &str, base: &str, limit: u32) -> (Vec<String>, Vec<usize>) {
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let path = match &cursor {
            Some(cursor) => format!("{base}?limit={limit}&cursor={cursor}"),
            None => format!("{base}?limit={limit}"),
        };
        let reply = app.get(&path, Some(token)).await;
        assert_status(&reply, 200);
        let page = reply.json();
        let items = ids(&page);
        sizes.push(items.len());
        seen.extend(items);
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return (seen, sizes),
        }
    }
    panic!("paging {base} did not end");
}

/// The ids of the team's feed as `token`'s person sees it, newest first.
async fn feed(app: &TestApp, token: &str, team: &str) -> Vec<String> {
    walk(app, token, &team_acts_path(team), 200).await.0
}

/// The ids of the kudos naming `token`'s person, newest first.
async fn my_kudos(app: &TestApp, token: &str) -> Vec<String> {
    walk(app, token, "/v1/me/kudos", 200).await.0
}

/// The rows a refused request must not have added.
async fn written(app: &TestApp) -> (i64, i64) {
    (app.count("acts").await, app.count("act_recipients").await)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

fn reversed(mut items: Vec<String>) -> Vec<String> {
    items.reverse();
    items
}

async fn rename(app: &TestApp, person: &Session, name: &str) {
    let reply = app
        .patch(
            "/v1/me",
            Some(&person.access),
            &json!({"display_name": name}),
        )
        .await;
    assert_status(&reply, 200);
}

db_test! {
    async fn logging_an_act_answers_201_with_its_location_and_the_act_view(backend) {
        let app = TestApp::spawn(backend).await;
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
    async fn logging_kudos_names_the_recipients_in_user_id_order_without_thanks(backend) {
        let app = TestApp::spawn(backend).await;
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
    async fn a_message_is_trimmed_keeps_line_breaks_and_may_be_500_multi_byte_characters(backend) {
        let app = TestApp::spawn(backend).await;
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
    async fn kudos_may_name_any_member_of_the_organisation_even_outside_the_team(backend) {
        let app = TestApp::spawn(backend).await;
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
    async fn kudos_may_name_ten_people_but_not_eleven(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let mut people = Vec::new();
        for n in 0..11 {
            let email = format!("colleague{n}@example.com");
            people.push(join(&app, &w.owner.access, &w.org, &email, "member", None).await);
        }
        let everyone: Vec<&Session> = people.iter().collect();
        let reply = app
            .post(&team_acts_path(&w.team), Some(&w.ana.access), &kudos_body("All of you", &everyone))
            .await;
        assert_eq!(invalid_fields(&reply), ["recipient_ids"]);
        assert_eq!(written(&app).await, (0, 0));

        let act = log(&app, &w.ana.access, &w.team, &kudos_body("Ten of you", &everyone[..10])).await;
        assert_eq!(act["recipients"].as_array().unwrap().len(), 10);
        assert_eq!(written(&app).await, (1, 10));
    }
}

db_test! {
    async fn only_members_of_the_team_may_log_acts_in_it(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let stranger = outsider(&app).await;
        let admin = join(&app, &w.owner.access, &w.org, "admin@example.com", "admin", None).await;
        let body = act_body("Helped out");
        for (person, why) in [(&w.cy, "a member outside the team"), (&w.owner, "the owner"), (&admin, "an admin")] {
            app.post(&team_acts_path(&w.team), Some(&person.access), &body)
                .await
                .assert_problem(403, "forbidden");
            assert_eq!(written(&app).await, (0, 0), "{why} wrote an act");
        }
        let kudos = kudos_body("Thanks", &[&w.ana]);
        app.post(&team_acts_path(&w.team), Some(&w.cy.access), &kudos)
            .await
            .assert_problem(403, "forbidden");
        app.post(&team_acts_path(&w.team), Some(&stranger.access), &body)
            .await
            .assert_problem(404, "not_found");
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

db_test! {
    async fn replaying_a_create_with_the_same_id_and_body_answers_200_with_the_stored_act(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let id = Uuid::new_v4().to_string();
        let mut body = kudos_body("Thanks for the cover", &[&w.bo, &w.cy]);
        body["id"] = json!(id);
        let first = app.post(&team_acts_path(&w.team), Some(&w.ana.access), &body).await;
        assert_status(&first, 201);
        assert_eq!(first.json()["id"], id.as_str());
        assert_eq!(first.header("location"), Some(act_path(&id).as_str()));
        app.clock.advance(Duration::minutes(5));

        let again = app.post(&team_acts_path(&w.team), Some(&w.ana.access), &body).await;
        assert_status(&again, 200);
        assert_eq!(again.json(), first.json(), "the stored act, created when first sent");
        assert_eq!(written(&app).await, (1, 2));

        let mut explicit = body.clone();
        explicit["visibility"] = json!("team");
        let third = app.post(&team_acts_path(&w.team), Some(&w.ana.access), &explicit).await;
        assert_status(&third, 200);
        assert_eq!(third.json(), first.json());
        assert_eq!(written(&app).await, (1, 2));
        assert_eq!(feed(&app, &w.ana.access, &w.team).await, strings(&[&id]));
    }
}

db_test! {
    async fn reusing_an_id_with_a_different_body_is_a_409_and_changes_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let id = Uuid::new_v4().to_string();
        let mut body = kudos_body("Thanks for the cover", &[&w.bo]);
        body["id"] = json!(id);
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
            app.post(&team_acts_path(&w.team), Some(&w.ana.access), &changed)
                .await
                .assert_problem(409, "id_conflict");
            assert_eq!(written(&app).await, (1, 1), "{field} = {value}");
        }
        let as_act = json!({"id": id, "kind": "act", "category": "appreciation", "message": "Thanks for the cover"});
        app.post(&team_acts_path(&w.team), Some(&w.ana.access), &as_act)
            .await
            .assert_problem(409, "id_conflict");
        // The same body in another team of the author's is another act.
        app.post(&team_acts_path(&other_team), Some(&w.ana.access), &body)
            .await
            .assert_problem(409, "id_conflict");
        assert_eq!(written(&app).await, (1, 1));
        let read = app.get(&act_path(&id), Some(&w.ana.access)).await;
        assert_eq!(read.json(), stored);
        assert!(feed(&app, &w.ana.access, &other_team).await.is_empty());
    }
}

db_test! {
    async fn another_person_reusing_an_id_is_a_409(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let id = Uuid::new_v4().to_string();
        let mut body = act_body("Made tea for everyone");
        body["id"] = json!(id);
        let stored = log(&app, &w.ana.access, &w.team, &body).await;

        app.post(&team_acts_path(&w.team), Some(&w.bo.access), &body)
            .await
            .assert_problem(409, "id_conflict");
        let mut kudos = kudos_body("Thanks", &[&w.ana]);
        kudos["id"] = json!(id);
        app.post(&team_acts_path(&w.team), Some(&w.bo.access), &kudos)
            .await
            .assert_problem(409, "id_conflict");
        // Also somebody of another organisation, in a team of their own.
        let stranger = app.register("stranger@example.com").await;
        let their_org = create_org(&app, &stranger.access, "Theirs", "Europe/London").await;
        let their_team = create_team(&app, &stranger.access, &their_org, "Theirs").await;
        add_member(&app, &stranger.access, &their_team, &stranger.user_id).await;
        app.post(&team_acts_path(&their_team), Some(&stranger.access), &body)
            .await
            .assert_problem(409, "id_conflict");

        assert_eq!(written(&app).await, (1, 0));
        assert_eq!(app.get(&act_path(&id), Some(&w.ana.access)).await.json(), stored);
        assert_eq!(feed(&app, &w.bo.access, &w.team).await, strings(&[&id]));
    }
}

db_test! {
    async fn reusing_the_id_of_a_withdrawn_act_is_a_409(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let id = Uuid::new_v4().to_string();
        let mut body = kudos_body("Thanks", &[&w.bo]);
        body["id"] = json!(id);
        log(&app, &w.ana.access, &w.team, &body).await;
        assert_status(&withdraw(&app, &w.ana.access, &id).await, 204);
        let before = written(&app).await;

        app.post(&team_acts_path(&w.team), Some(&w.ana.access), &body)
            .await
            .assert_problem(409, "id_conflict");
        assert_eq!(written(&app).await, before);
        app.get(&act_path(&id), Some(&w.ana.access))
            .await
            .assert_problem(404, "not_found");
        assert!(feed(&app, &w.ana.access, &w.team).await.is_empty());
        assert!(my_kudos(&app, &w.bo.access).await.is_empty());
    }
}

db_test! {
    async fn invalid_fields_are_a_422_naming_each_and_write_nothing(backend) {
        let app = TestApp::spawn(backend).await;
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
            let reply = app.post(&team_acts_path(&w.team), Some(&w.ana.access), &body).await;
            assert_eq!(invalid_fields(&reply), fields, "{why}");
            assert_eq!(written(&app).await, (0, 0), "{why} wrote an act");
        }
        assert!(feed(&app, &w.ana.access, &w.team).await.is_empty());
    }
}

db_test! {
    async fn a_recipient_outside_the_organisation_is_listed_with_the_other_invalid_fields(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let stranger = app.register("stranger@example.com").await;
        let body = json!({
            "kind": "kudos",
            "category": "gossip",
            "message": "",
            "recipient_ids": [stranger.user_id],
        });
        let reply = app.post(&team_acts_path(&w.team), Some(&w.ana.access), &body).await;
        assert_eq!(invalid_fields(&reply), ["category", "message", "recipient_ids"]);
        assert_eq!(written(&app).await, (0, 0));
    }
}

db_test! {
    async fn the_feed_lists_the_team_s_acts_newest_first_and_pages_without_gaps_or_duplicates(backend) {
        let app = TestApp::spawn(backend).await;
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

db_test! {
    async fn acts_logged_in_the_same_instant_are_ordered_by_id_descending_across_pages(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        // Client ids in no particular order, some in the same second.
        let mut earlier: Vec<Uuid> = Vec::new();
        for n in 0..5 {
            let id = Uuid::new_v4();
            let mut body = act_body(&format!("early {n}"));
            body["id"] = json!(id.to_string());
            log(&app, &w.ana.access, &w.team, &body).await;
            earlier.push(id);
        }
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
        let mut later: Vec<Uuid> = Vec::new();
        for n in 0..4 {
            let id = Uuid::new_v4();
            let mut body = act_body(&format!("late {n}"));
            body["id"] = json!(id.to_string());
            log(&app, &w.bo.access, &w.team, &body).await;
            later.push(id);
        }
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

db_test! {
    async fn only_members_of_the_team_may_read_its_feed(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let admin = join(&app, &w.owner.access, &w.org, "admin@example.com", "admin", None).await;
        let hr = join(&app, &w.owner.access, &w.org, "hr@example.com", "hr", None).await;
        let stranger = outsider(&app).await;
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
    async fn kudos_shared_with_recipients_show_only_to_their_author_and_recipients(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let dee = join(&app, &w.owner.access, &w.org, "dee@example.com", "member", Some(&w.team)).await;
        let public = log_id(&app, &w.ana.access, &w.team, &kudos_body("Well done", &[&w.bo])).await;
        app.clock.advance(Duration::seconds(1));
        let mut private_body = kudos_body("Just between us", &[&w.bo, &w.cy]);
        private_body["visibility"] = json!("recipients");
        let private = log_id(&app, &w.ana.access, &w.team, &private_body).await;

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
    async fn an_act_is_readable_by_its_author_recipients_and_team_and_by_nobody_else(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let eve = join(&app, &w.owner.access, &w.org, "eve@example.com", "member", None).await;
        let admin = join(&app, &w.owner.access, &w.org, "admin@example.com", "admin", None).await;
        let stranger = outsider(&app).await;
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
    async fn the_author_withdraws_an_act_and_it_is_gone_from_the_feed_reads_and_kudos(backend) {
        let app = TestApp::spawn(backend).await;
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
    async fn only_the_author_may_withdraw_an_act_and_others_get_403_or_404(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let dee = join(&app, &w.owner.access, &w.org, "dee@example.com", "member", Some(&w.team)).await;
        let eve = join(&app, &w.owner.access, &w.org, "eve@example.com", "member", None).await;
        let stranger = outsider(&app).await;
        let plain = log(&app, &w.ana.access, &w.team, &act_body("Helped")).await;
        let team_kudos = log(&app, &w.ana.access, &w.team, &kudos_body("Thanks", &[&w.cy])).await;
        let mut private_body = kudos_body("Between us", &[&w.bo]);
        private_body["visibility"] = json!("recipients");
        let private = log(&app, &w.ana.access, &w.team, &private_body).await;
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
            let id = act["id"].as_str().unwrap();
            let reply = withdraw(&app, &person.access, id).await;
            assert_eq!(reply.status.as_u16(), status, "{why}: {}", reply.text);
            reply.assert_problem(status, if status == 403 { "forbidden" } else { "not_found" });
            let read = app.get(&act_path(id), Some(&w.ana.access)).await;
            assert_eq!(&read.json(), act, "{why} changed the act");
        }
        app.call(Method::DELETE, &act_path(plain["id"].as_str().unwrap()), None, None)
            .await
            .assert_problem(401, "unauthorized");
        assert_eq!(feed(&app, &w.ana.access, &w.team).await, feed_before);
        assert_eq!(written(&app).await, rows_before);
    }
}

db_test! {
    async fn a_recipient_thanks_the_author_once_and_thanking_again_keeps_the_first_time(backend) {
        let app = TestApp::spawn(backend).await;
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
    async fn only_recipients_may_thank_and_a_withdrawn_act_cannot_be_thanked(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let dee = join(&app, &w.owner.access, &w.org, "dee@example.com", "member", Some(&w.team)).await;
        let eve = join(&app, &w.owner.access, &w.org, "eve@example.com", "member", None).await;
        let stranger = outsider(&app).await;
        let kudos = log(&app, &w.ana.access, &w.team, &kudos_body("Thanks", &[&w.cy])).await;
        let plain = log(&app, &w.ana.access, &w.team, &act_body("Helped")).await;
        let mut private_body = kudos_body("Between us", &[&w.bo]);
        private_body["visibility"] = json!("recipients");
        let private = log(&app, &w.ana.access, &w.team, &private_body).await;

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
            let id = act["id"].as_str().unwrap();
            let reply = thank(&app, &person.access, id).await;
            assert_eq!(reply.status.as_u16(), status, "{why}: {}", reply.text);
            reply.assert_problem(status, if status == 403 { "forbidden" } else { "not_found" });
            let read = app.get(&act_path(id), Some(&w.ana.access)).await;
            assert_eq!(&read.json(), act, "{why} changed the act");
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

db_test! {
    async fn my_kudos_lists_the_kudos_naming_me_newest_first_across_teams_and_organisations(backend) {
        let app = TestApp::spawn(backend).await;
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
        let mut private = kudos_body("private", &[&w.bo]);
        private["visibility"] = json!("recipients");
        mine.push(log_id(&app, &w.ana.access, &w.team, &private).await);
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
    async fn my_kudos_pages_with_a_cursor_and_refuses_a_garbage_one(backend) {
        let app = TestApp::spawn(backend).await;
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

/// Logs `n` plain acts in `team` as `token`'s person.
async fn log_many(app: &TestApp, token: &str, team: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(log_id(app, token, team, &act_body(&format!("act {i}"))).await);
    }
    ids
}

#[track_caller]
fn assert_act_limit(reply: &Reply, retry_after: &str) {
    reply.assert_problem(429, "act_limit");
    assert_eq!(
        reply.header("retry-after"),
        Some(retry_after),
        "Retry-After"
    );
}

db_test! {
    async fn the_twenty_first_act_of_a_day_is_a_429_with_retry_after_until_the_org_s_midnight(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        log_many(&app, &w.ana.access, &w.team, 19).await;
        log(&app, &w.ana.access, &w.team, &kudos_body("the twentieth", &[&w.bo])).await;
        let before = written(&app).await;
        assert_eq!(before, (20, 1));
        let feed_before = feed(&app, &w.ana.access, &w.team).await;

        let reply = app.post(&team_acts_path(&w.team), Some(&w.ana.access), &act_body("one more")).await;
        // Friday 09:30 in London (GMT); the next day starts 14.5 hours later.
        assert_act_limit(&reply, "52200");
        let mut with_id = kudos_body("and kudos", &[&w.bo]);
        let id = Uuid::new_v4().to_string();
        with_id["id"] = json!(id);
        let reply = app.post(&team_acts_path(&w.team), Some(&w.ana.access), &with_id).await;
        assert_act_limit(&reply, "52200");
        assert_eq!(written(&app).await, before, "a refused act is not written");
        assert_eq!(feed(&app, &w.ana.access, &w.team).await, feed_before);
        app.get(&act_path(&id), Some(&w.ana.access))
            .await
            .assert_problem(404, "not_found");

        app.clock.advance(Duration::minutes(10));
        let reply = app.post(&team_acts_path(&w.team), Some(&w.ana.access), &act_body("later")).await;
        assert_act_limit(&reply, "51600");
        assert_eq!(written(&app).await, before);
    }
}

db_test! {
    async fn a_withdrawn_act_still_counts_toward_the_daily_limit(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let logged = log_many(&app, &w.ana.access, &w.team, 20).await;
        for id in &logged[..5] {
            assert_status(&withdraw(&app, &w.ana.access, id).await, 204);
        }
        assert_eq!(feed(&app, &w.ana.access, &w.team).await.len(), 15);
        let before = written(&app).await;
        let reply = app.post(&team_acts_path(&w.team), Some(&w.ana.access), &act_body("one more")).await;
        assert_act_limit(&reply, "52200");
        assert_eq!(written(&app).await, before);
        assert_eq!(feed(&app, &w.ana.access, &w.team).await.len(), 15);
    }
}

db_test! {
    async fn the_daily_limit_is_per_person_and_per_team(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let sales = create_team(&app, &w.owner.access, &w.org, "Sales").await;
        add_member(&app, &w.owner.access, &sales, &w.ana.user_id).await;
        log_many(&app, &w.ana.access, &w.team, 20).await;
        assert_act_limit(
            &app.post(&team_acts_path(&w.team), Some(&w.ana.access), &act_body("one more")).await,
            "52200",
        );
        // Another team of Ana's still accepts, up to its own 20.
        let in_sales = log(&app, &w.ana.access, &sales, &kudos_body("in sales", &[&w.bo])).await;
        assert_eq!(in_sales["team_id"], sales.as_str());
        log_many(&app, &w.ana.access, &sales, 19).await;
        assert_act_limit(
            &app.post(&team_acts_path(&sales), Some(&w.ana.access), &act_body("one more")).await,
            "52200",
        );
        // Another person in the full team still may.
        log(&app, &w.bo.access, &w.team, &act_body("Bo's act")).await;
        assert_eq!(written(&app).await, (41, 1));
    }
}

db_test! {
    async fn replaying_an_existing_id_at_the_daily_limit_still_answers_200(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let id = Uuid::new_v4().to_string();
        let mut body = kudos_body("Thanks", &[&w.bo]);
        body["id"] = json!(id);
        let stored = log(&app, &w.ana.access, &w.team, &body).await;
        log_many(&app, &w.ana.access, &w.team, 19).await;
        assert_act_limit(
            &app.post(&team_acts_path(&w.team), Some(&w.ana.access), &act_body("one more")).await,
            "52200",
        );
        let before = written(&app).await;
        let replay = app.post(&team_acts_path(&w.team), Some(&w.ana.access), &body).await;
        assert_status(&replay, 200);
        assert_eq!(replay.json(), stored);
        assert_eq!(written(&app).await, before);
    }
}

db_test! {
    async fn the_daily_limit_resets_at_the_organisation_s_midnight(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        log_many(&app, &w.ana.access, &w.team, 20).await;
        // One second before midnight in London it still applies.
        app.clock.advance(Duration::seconds(52199));
        let ana = relogin(&app, &w.ana).await;
        let reply = app.post(&team_acts_path(&w.team), Some(&ana.access), &act_body("late")).await;
        assert_act_limit(&reply, "1");
        assert_eq!(written(&app).await, (20, 0));

        app.clock.advance(Duration::seconds(1));
        let act = log(&app, &ana.access, &w.team, &act_body("a new day")).await;
        assert_eq!(act["local_date"], "2026-11-28");
        assert_eq!(act["created_at"], "2026-11-28T00:00:00Z");
        log_many(&app, &ana.access, &w.team, 19).await;
        let reply = app.post(&team_acts_path(&w.team), Some(&ana.access), &act_body("too many")).await;
        assert_act_limit(&reply, "86400");
        assert_eq!(written(&app).await, (40, 0));
    }
}

db_test! {
    async fn the_daily_limit_follows_the_organisation_s_timezone(backend) {
        let app = TestApp::spawn(backend).await;
        let owner = app.register("owner@example.com").await;
        // 09:30Z is 22:30 on Friday in Auckland (NZDT, UTC+13).
        let org = create_org(&app, &owner.access, "Kiwi", "Pacific/Auckland").await;
        let team = create_team(&app, &owner.access, &org, "Support").await;
        add_member(&app, &owner.access, &team, &owner.user_id).await;
        let act = log(&app, &owner.access, &team, &act_body("first")).await;
        assert_eq!(act["local_date"], "2026-11-27");
        log_many(&app, &owner.access, &team, 19).await;
        let reply = app.post(&team_acts_path(&team), Some(&owner.access), &act_body("late")).await;
        assert_act_limit(&reply, "5400");

        app.clock.advance(Duration::minutes(90));
        let owner = relogin(&app, &owner).await;
        let act = log(&app, &owner.access, &team, &act_body("Saturday")).await;
        assert_eq!(act["local_date"], "2026-11-28");
        assert_eq!(act["created_at"], "2026-11-27T11:00:00Z");
    }
}

db_test! {
    async fn the_daily_limit_holds_when_acts_arrive_at_once(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        log_many(&app, &w.ana.access, &w.team, 17).await;
        let post = |n: u32| {
            let body = act_body(&format!("at once {n}"));
            let (app, token, team) = (&app, w.ana.access.clone(), w.team.clone());
            async move { app.post(&team_acts_path(&team), Some(&token), &body).await }
        };
        let (a, b, c, d, e) = tokio::join!(post(1), post(2), post(3), post(4), post(5));
        let mut statuses: Vec<u16> = [a, b, c, d, e]
            .iter()
            .map(|reply| reply.status.as_u16())
            .collect();
        statuses.sort();
        assert_eq!(statuses, [201, 201, 201, 429, 429]);
        assert_eq!(written(&app).await, (20, 0));
    }
}

db_test! {
    async fn a_create_replayed_while_the_first_is_in_flight_is_stored_once(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let mut body = kudos_body("Thanks", &[&w.bo]);
        body["id"] = json!(Uuid::new_v4().to_string());
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

db_test! {
    async fn a_person_who_left_the_team_loses_its_feed_but_keeps_their_own_acts(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let own = log_id(&app, &w.bo.access, &w.team, &act_body("Bo's act")).await;
        app.clock.advance(Duration::seconds(1));
        let other = log_id(&app, &w.ana.access, &w.team, &act_body("Ana's act")).await;
        app.clock.advance(Duration::seconds(1));
        let named = log_id(&app, &w.ana.access, &w.team, &kudos_body("For Bo", &[&w.bo])).await;
        let reply = app
            .call(
                Method::DELETE,
                &format!("/v1/teams/{}/members/{}", w.team, w.bo.user_id),
                Some(&w.bo.access),
                None,
            )
            .await;
        assert_status(&reply, 204);

        app.get(&team_acts_path(&w.team), Some(&w.bo.access))
            .await
            .assert_problem(404, "not_found");
        app.post(&team_acts_path(&w.team), Some(&w.bo.access), &act_body("still here?"))
            .await
            .assert_problem(403, "forbidden");
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
    async fn withdrawing_an_act_twice_at_once_withdraws_it_once(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let act = log_id(&app, &w.ana.access, &w.team, &act_body("Held the door")).await;
        let (a, b) = tokio::join!(
            withdraw(&app, &w.ana.access, &act),
            withdraw(&app, &w.ana.access, &act)
        );
        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort();
        assert_eq!(statuses, [204, 404], "{} / {}", a.text, b.text);
        let missing = if a.status.as_u16() == 404 { a } else { b };
        missing.assert_problem(404, "not_found");
        assert_eq!(written(&app).await, (1, 0), "the tombstone stays");
        assert!(feed(&app, &w.bo.access, &w.team).await.is_empty());
    }
}

db_test! {
    async fn acts_of_a_deleted_account_stay_signed_by_a_former_colleague(backend) {
        use sea_orm::EntityTrait;

        let app = TestApp::spawn(backend).await;
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

db_test! {
    async fn malformed_ids_bodies_and_parameters_on_the_act_routes_are_400_or_415_and_write_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        let w = world(&app).await;
        let act = log_id(&app, &w.ana.access, &w.team, &kudos_body("Thanks", &[&w.bo])).await;
        let before = (written(&app).await, feed(&app, &w.ana.access, &w.team).await);
        let token = Some(w.ana.access.as_str());

        for (method, path) in [
            (Method::GET, "/v1/acts/not-an-id".to_owned()),
            (Method::DELETE, "/v1/acts/12345".to_owned()),
            (Method::PUT, "/v1/acts/not-an-id/thanks".to_owned()),
            (Method::GET, "/v1/teams/not-an-id/acts".to_owned()),
            (Method::GET, "/v1/teams/not-an-id/streak".to_owned()),
            (Method::GET, "/v1/teams/not-an-id/progress".to_owned()),
            (Method::GET, format!("{}?limit=many", team_acts_path(&w.team))),
            (Method::GET, "/v1/me/kudos?limit=many".to_owned()),
        ] {
            let reply = app.call(method.clone(), &path, token, None).await;
            assert_eq!(reply.status.as_u16(), 400, "{method} {path}: {}", reply.text);
            reply.assert_problem(400, "invalid_parameter");
        }
        let reply = app
            .post("/v1/teams/not-an-id/acts", token, &act_body("Hello"))
            .await;
        reply.assert_problem(400, "invalid_parameter");

        let path = team_acts_path(&w.team);
        let bearer = format!("Bearer {}", w.ana.access);
        let not_json = send(
            app.client
                .post(&path)
                .header("authorization", &bearer)
                .content_type("application/json")
                .body("{\"kind\": \"act\","),
        )
        .await;
        not_json.assert_problem(400, "invalid_body");
        let wrong_types = app
            .post(&path, token, &json!({"kind": "act", "category": "help", "message": "Hi", "recipient_ids": ["not-an-id"]}))
            .await;
        wrong_types.assert_problem(400, "invalid_body");
        let not_a_list = app
            .post(&path, token, &json!({"kind": "act", "category": "help", "message": "Hi", "recipient_ids": "everyone"}))
            .await;
        not_a_list.assert_problem(400, "invalid_body");
        let form = send(
            app.client
                .post(&path)
                .header("authorization", &bearer)
                .content_type("text/plain")
                .body("kind=act"),
        )
        .await;
        form.assert_problem(415, "unsupported_media_type");

        assert_eq!((written(&app).await, feed(&app, &w.ana.access, &w.team).await), before);
        let read = app.get(&act_path(&act), token).await;
        assert_status(&read, 200);
        assert_eq!(read.json()["recipients"][0]["thanked_at"], Value::Null);
    }
}
