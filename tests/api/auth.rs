//! Registration, login, refresh rotation with reuse detection, logout, and
//! the limits on guessing.

use chrono::Duration;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{db_test, support::*};

/// `POST /v1/auth/refresh` with `refresh_token`; the answer, whatever it is.
async fn refresh(app: &TestApp, refresh_token: &str) -> Reply {
    let body = json!({ "refresh_token": refresh_token });
    app.post("/v1/auth/refresh", None, &body).await
}

/// `POST /v1/auth/logout` with `refresh_token`; the answer, whatever it is.
async fn logout(app: &TestApp, refresh_token: &str) -> Reply {
    let body = json!({ "refresh_token": refresh_token });
    app.post("/v1/auth/logout", None, &body).await
}

db_test! {
    async fn register_returns_201_with_the_user_and_a_token_pair(app: TestApp) {
        let reply = app
            .post(
                "/v1/auth/register",
                None,
                &json!({"email": "  Ana@Example.com ", "password": PASSWORD, "display_name": " Ana ", "timezone": "Asia/Kolkata"}),
            )
            .await;
        assert_status(&reply, 201);
        let body = reply.json();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 900);
        assert_eq!(body["user"]["email"], "ana@example.com");
        assert_eq!(body["user"]["display_name"], "Ana");
        assert_eq!(body["user"]["timezone"], "Asia/Kolkata");
        assert_eq!(body["user"]["day_starts_at_hour"], 0);
        assert_eq!(body["user"]["created_at"], "2026-11-27T09:30:00Z");
        assert!(body["user"].get("password_hash").is_none());
        let session = session(&body);
        let me = app.get("/v1/me", Some(&session.access)).await;
        assert_status(&me, 200);
        assert_eq!(me.json(), body["user"]);
    }
}

db_test! {
    async fn register_defaults_the_timezone_to_utc(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let me = app.get("/v1/me", Some(&ana.access)).await.json();
        assert_eq!(me["timezone"], "UTC");
    }
}

db_test! {
    async fn register_names_every_invalid_field_in_one_422_and_writes_nothing(app: TestApp) {
        let cases: [(Value, &[&str], &str); 6] = [
            (json!({"email": "ana", "password": PASSWORD, "display_name": "Ana"}), &["email"], "an email without @"),
            (json!({"email": "ana@example.com", "password": "short", "display_name": "Ana"}), &["password"], "a 5-character password"),
            (json!({"email": "ana@example.com", "password": "x".repeat(129), "display_name": "Ana"}), &["password"], "a 129-character password"),
            (json!({"email": "ana@example.com", "password": PASSWORD, "display_name": "   "}), &["display_name"], "a blank name"),
            (json!({"email": "ana@example.com", "password": PASSWORD, "display_name": "Ana", "timezone": "Europe/Atlantis"}), &["timezone"], "an unknown timezone"),
            (json!({"email": "", "password": "", "display_name": "", "timezone": "nowhere"}), &["email", "password", "display_name", "timezone"], "everything wrong"),
        ];
        for (body, fields, why) in cases {
            let reply = app.post("/v1/auth/register", None, &body).await;
            assert_invalid(&reply, fields, why);
        }
        assert_eq!(app.count("users").await, 0);
        assert_eq!(app.count("refresh_tokens").await, 0);
    }
}

db_test! {
    async fn registering_a_taken_email_in_any_case_is_a_409_and_changes_nothing(app: TestApp) {
        app.register("ana@example.com").await;
        let reply = app
            .post(
                "/v1/auth/register",
                None,
                &json!({"email": "ANA@example.com", "password": "another password", "display_name": "Impostor"}),
            )
            .await;
        reply.assert_problem(409, "email_taken");
        // A look-alike in full-width letters is the same address.
        let look_alike = app
            .post(
                "/v1/auth/register",
                None,
                &json!({"email": "ａｎａ@ｅｘａｍｐｌｅ.ｃｏｍ", "password": "another password", "display_name": "Impostor"}),
            )
            .await;
        look_alike.assert_problem(409, "email_taken");
        assert_eq!(app.count("users").await, 1);
        assert_eq!(app.count("refresh_tokens").await, 1);
        assert_status(&app.login("ＡＮＡ@example.com", PASSWORD).await, 200);
        // The first password still works; the second never took.
        assert_status(&app.login("ana@example.com", PASSWORD).await, 200);
        app.login("ana@example.com", "another password")
            .await
            .assert_problem(401, "invalid_credentials");
    }
}

db_test! {
    async fn registrations_are_limited_per_client_address(backend) {
        let app = TestApp::spawn_with(backend, &["--registrations-per-address", "2"]).await;
        app.register("a@example.com").await;
        app.register("b@example.com").await;
        let reply = app
            .post(
                "/v1/auth/register",
                None,
                &json!({"email": "c@example.com", "password": PASSWORD, "display_name": "C"}),
            )
            .await;
        reply.assert_problem(429, "too_many_registrations");
        assert!(reply.header("retry-after").is_some());
        assert_eq!(app.count("users").await, 2);

        app.clock.advance(Duration::hours(1));
        app.register("c@example.com").await;
    }
}

db_test! {
    async fn login_returns_a_new_token_pair(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let reply = app.login(" ANA@example.com", PASSWORD).await;
        assert_status(&reply, 200);
        let fresh = session(&reply.json());
        assert_eq!(fresh.user_id, ana.user_id);
        assert_ne!(fresh.refresh, ana.refresh);
        assert_status(&app.get("/v1/me", Some(&fresh.access)).await, 200);
    }
}

db_test! {
    async fn login_answers_an_unknown_email_and_a_wrong_password_alike(app: TestApp) {
        app.register("ana@example.com").await;
        let wrong_password = app.login("ana@example.com", "not the password").await;
        let unknown_email = app.login("nobody@example.com", PASSWORD).await;
        let malformed_email = app.login("nobody", PASSWORD).await;
        let first = wrong_password.assert_problem(401, "invalid_credentials");
        assert_eq!(unknown_email.assert_problem(401, "invalid_credentials"), first);
        assert_eq!(malformed_email.assert_problem(401, "invalid_credentials"), first);
        assert_eq!(
            wrong_password.header("www-authenticate"),
            unknown_email.header("www-authenticate")
        );
    }
}

db_test! {
    async fn failed_logins_are_limited_per_account_until_the_window_passes(app: TestApp) {
        app.register("ana@example.com").await;
        for attempt in 1..=10 {
            let reply = app.login("ana@example.com", "wrong guess").await;
            assert_eq!(reply.status.as_u16(), 401, "attempt {attempt}: {}", reply.text);
        }
        // From the address the guesses came from, even the right password is
        // refused while the account is locked.
        let locked = app.login("ana@example.com", PASSWORD).await;
        locked.assert_problem(429, "too_many_login_attempts");
        let retry_after: i64 = locked.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=15 * 60).contains(&retry_after), "{retry_after}");

        // Another account from the same address is not locked.
        app.register("bo@example.com").await;
        assert_status(&app.login("bo@example.com", PASSWORD).await, 200);

        app.clock.advance(Duration::seconds(retry_after));
        assert_status(&app.login("ana@example.com", PASSWORD).await, 200);
    }
}

db_test! {
    async fn a_successful_login_forgives_earlier_failures_of_the_account(app: TestApp) {
        app.register("ana@example.com").await;
        for _ in 0..9 {
            app.login("ana@example.com", "wrong guess").await;
        }
        assert_status(&app.login("ana@example.com", PASSWORD).await, 200);
        for _ in 0..9 {
            app.login("ana@example.com", "wrong guess").await;
        }
        assert_status(&app.login("ana@example.com", PASSWORD).await, 200);
    }
}

db_test! {
    async fn failed_logins_are_limited_per_client_address(backend) {
        let app = TestApp::spawn_with(backend, &["--login-failures-per-address", "3"]).await;
        for n in 0..3 {
            let reply = app.login(&format!("guess{n}@example.com"), "wrong").await;
            reply.assert_problem(401, "invalid_credentials");
        }
        app.login("guess9@example.com", "wrong")
            .await
            .assert_problem(429, "too_many_login_attempts");
    }
}

db_test! {
    async fn refresh_rotates_the_pair_and_the_new_tokens_work(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        app.clock.advance(Duration::minutes(20));
        // The access token has expired; the refresh token has not.
        app.get("/v1/me", Some(&ana.access))
            .await
            .assert_problem(401, "token_expired");
        let reply = refresh(&app, &ana.refresh).await;
        assert_status(&reply, 200);
        let next = session(&reply.json());
        assert_ne!(next.refresh, ana.refresh);
        assert_status(&app.get("/v1/me", Some(&next.access)).await, 200);
        let again = refresh(&app, &next.refresh).await;
        assert_status(&again, 200);
    }
}

db_test! {
    async fn reusing_a_spent_refresh_token_revokes_the_whole_login(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let other_login = session(&app.login("ana@example.com", PASSWORD).await.json());
        let rotated = session(&refresh(&app, &ana.refresh).await.json());

        // A thief replays the spent token once the grace for retries is over…
        app.clock.advance(Duration::seconds(31));
        refresh(&app, &ana.refresh).await.assert_problem(401, "refresh_token_reused");
        // …and the token rotated from it dies with the family.
        refresh(&app, &rotated.refresh).await.assert_problem(401, "invalid_refresh_token");
        // A separate login of the same person is untouched.
        let reply = refresh(&app, &other_login.refresh).await;
        assert_status(&reply, 200);
    }
}

db_test! {
    async fn an_unknown_or_expired_refresh_token_is_a_401(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        refresh(&app, "made-up").await.assert_problem(401, "invalid_refresh_token");
        app.clock.advance(Duration::days(30));
        refresh(&app, &ana.refresh).await.assert_problem(401, "invalid_refresh_token");
    }
}

db_test! {
    async fn logout_revokes_the_login_and_may_be_repeated(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let rotated = session(&refresh(&app, &ana.refresh).await.json());
        for _ in 0..2 {
            let reply = logout(&app, &rotated.refresh).await;
            assert_status(&reply, 204);
            assert!(reply.text.is_empty());
        }
        refresh(&app, &rotated.refresh).await.assert_problem(401, "invalid_refresh_token");
        let unknown = logout(&app, "never-issued").await;
        assert_status(&unknown, 204);
    }
}

db_test! {
    async fn refresh_tokens_are_stored_only_as_hashes(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let reply = refresh(&app, &ana.refresh).await;
        assert_status(&reply, 200);
        let rotated = session(&reply.json());

        let mut rows = entity::refresh_tokens::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(rows.len(), 2, "{rows:?}");
        for token in [&ana.refresh, &rotated.refresh] {
            // Exactly the lower-case hex SHA-256 of the token, nothing else.
            let expected = hex::encode(Sha256::digest(token.as_bytes()));
            assert_eq!(expected.len(), 64);
            let at = rows
                .iter()
                .position(|row| row.token_hash == expected)
                .unwrap_or_else(|| panic!("no row holds SHA-256 {expected} of {token}: {rows:?}"));
            let row = rows.remove(at);
            assert!(
                row.token_hash.len() == 64
                    && row.token_hash.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
                "{}",
                row.token_hash
            );
            // No column of the row holds the token or any 16 characters of it.
            let stored = format!("{row:?}");
            for piece in token.as_bytes().windows(16) {
                let piece = std::str::from_utf8(piece).unwrap();
                assert!(!stored.contains(piece), "{piece} of the token is stored: {stored}");
            }
        }
        let users = entity::users::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        assert!(users[0].password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    }
}

db_test! {
    async fn sign_ins_beyond_the_hashes_run_at_once_wait_their_turn_and_all_succeed(backend) {
        let app = TestApp::spawn_with(backend, &["--password-hashes", "1"]).await;
        let bodies: Vec<Value> = (0..4)
            .map(|n| json!({"email": format!("p{n}@example.com"), "password": PASSWORD, "display_name": "P"}))
            .collect();
        let register = |body| app.post("/v1/auth/register", None, body);
        let (a, b, c, d) = tokio::join!(
            register(&bodies[0]),
            register(&bodies[1]),
            register(&bodies[2]),
            register(&bodies[3])
        );
        for reply in [&a, &b, &c, &d] {
            assert_status(reply, 201);
        }
        let (a, b) = tokio::join!(
            app.login("p0@example.com", PASSWORD),
            app.login("p1@example.com", "a wrong password")
        );
        assert_status(&a, 200);
        b.assert_problem(401, "invalid_credentials");
        assert_eq!(app.count("users").await, 4);
    }
}

db_test! {
    async fn invisible_and_direction_changing_characters_are_refused_in_addresses_and_names(app: TestApp) {
        let cases = [
            (json!({"email": "an\u{200b}a@example.com"}), "email", "a zero-width space"),
            (json!({"email": "ana\u{ad}@example.com"}), "email", "a soft hyphen"),
            (json!({"email": "\u{feff}ana@example.com"}), "email", "a byte-order mark"),
            (json!({"display_name": "Ana\u{202e}nimda"}), "display_name", "a right-to-left override"),
            (json!({"display_name": "An\u{2066}a"}), "display_name", "a directional isolate"),
            (json!({"display_name": "\u{200d}"}), "display_name", "only a zero-width joiner"),
        ];
        for (change, field, why) in cases {
            let mut body = json!({"email": "ana@example.com", "password": PASSWORD, "display_name": "Ana"});
            body.as_object_mut().unwrap().extend(change.as_object().unwrap().clone());
            assert_invalid(&app.post("/v1/auth/register", None, &body).await, &[field], why);
        }
        assert_eq!(app.count("users").await, 0);
        // Names are normalised: full-width letters are the letters.
        let registered = app
            .post("/v1/auth/register", None, &json!({"email": "ana@example.com", "password": PASSWORD, "display_name": "Ａｎａ"}))
            .await;
        assert_status(&registered, 201);
        assert_eq!(registered.json()["user"]["display_name"], "Ana");
        let token = session(&registered.json()).access;
        let renamed = patch(&app, &token, "/v1/me", &json!({"display_name": "Bo\u{202e}"})).await;
        assert_invalid(&renamed, &["display_name"], "a rename with an override");
        let org = app.post("/v1/orgs", Some(&token), &json!({"name": "Clinic\u{200b}", "timezone": "UTC"})).await;
        assert_invalid(&org, &["name"], "an organisation name with a zero-width space");
    }
}

db_test! {
    async fn a_login_ends_ninety_days_after_it_began_however_often_it_is_refreshed(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let mut refresh_token = ana.refresh.clone();
        for _ in 0..3 {
            app.clock.advance(Duration::days(29));
            let reply = refresh(&app, &refresh_token).await;
            assert_status(&reply, 200);
            refresh_token = session(&reply.json()).refresh;
        }
        // Day 87: the last pair works until day 90, not day 117.
        app.clock.advance(Duration::days(3) + Duration::minutes(1));
        refresh(&app, &refresh_token).await.assert_problem(401, "invalid_refresh_token");
        // Logging in again starts a new login.
        let again = app.login("ana@example.com", PASSWORD).await;
        assert_status(&again, 200);
        assert_status(&refresh(&app, &session(&again.json()).refresh).await, 200);
    }
}

db_test! {
    async fn a_refresh_token_fired_twice_within_thirty_seconds_gets_the_same_new_token(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let first = refresh(&app, &ana.refresh).await;
        assert_status(&first, 200);
        let first = session(&first.json());

        // The answer was lost and the app retries: it gets the same refresh
        // token (and a working access token), and the login goes on.
        app.clock.advance(Duration::seconds(20));
        let retry = refresh(&app, &ana.refresh).await;
        assert_status(&retry, 200);
        let retry = session(&retry.json());
        assert_eq!(retry.refresh, first.refresh);
        assert_status(&app.get("/v1/me", Some(&retry.access)).await, 200);
        assert_eq!(app.count("refresh_tokens").await, 2, "no second successor was stored");

        let next = refresh(&app, &retry.refresh).await;
        assert_status(&next, 200);
        let next = session(&next.json());

        // Once the new token is spent, replaying the old one is reuse even
        // within the grace, and it ends the login.
        refresh(&app, &ana.refresh).await.assert_problem(401, "refresh_token_reused");
        refresh(&app, &next.refresh).await.assert_problem(401, "invalid_refresh_token");
    }
}

db_test! {
    async fn refresh_tokens_fired_at_once_by_one_client_keep_the_login(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let (one, two) = tokio::join!(refresh(&app, &ana.refresh), refresh(&app, &ana.refresh));
        assert_status(&one, 200);
        assert_status(&two, 200);
        let (one, two) = (session(&one.json()), session(&two.json()));
        assert_eq!(one.refresh, two.refresh, "both answers carry the same next token");
        assert_status(&refresh(&app, &one.refresh).await, 200);
    }
}

/// `POST /v1/auth/login` from the client address `address`.
async fn login_from(app: &TestApp, address: &str, email: &str, password: &str) -> Reply {
    let request = app
        .client
        .post("/v1/auth/login")
        .header("x-forwarded-for", address)
        .body_json(&json!({"email": email, "password": password}));
    read(request.send().await).await
}

db_test! {
    async fn guesses_from_one_address_do_not_lock_the_person_out_from_another(app: TestApp) {
        app.register("ana@example.com").await;
        for _ in 0..12 {
            login_from(&app, "198.51.100.66", "ana@example.com", "a guess").await;
        }
        login_from(&app, "198.51.100.66", "ana@example.com", PASSWORD)
            .await
            .assert_problem(429, "too_many_login_attempts");

        // Ana, from her own address, logs in with her password.
        assert_status(&login_from(&app, "192.0.2.10", "ana@example.com", PASSWORD).await, 200);

        // The guesser goes on. A fresh address gets one try while the
        // account is over its limit; after a wrong one, that address is
        // locked out too, right password or not.
        for _ in 0..12 {
            login_from(&app, "198.51.100.66", "ana@example.com", "a guess").await;
        }
        login_from(&app, "192.0.2.21", "ana@example.com", "another guess")
            .await
            .assert_problem(401, "invalid_credentials");
        login_from(&app, "192.0.2.21", "ana@example.com", PASSWORD)
            .await
            .assert_problem(429, "too_many_login_attempts");
    }
}
