//! Attacks on access tokens: each must be a 401 problem with the Bearer
//! challenge, never a way in.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Duration;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use poem::http::Method;
use serde_json::{Value, json};

use crate::{db_test, support::*};

fn claims(app: &TestApp, user_id: &str) -> Value {
    let now = app.clock_now();
    json!({
        "sub": user_id,
        "exp": now + 900,
        "iat": now,
        "iss": "kindling",
        "aud": "kindling-api",
        "jti": uuid::Uuid::now_v7(),
    })
}

fn sign(claims: &Value, secret: &str) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn unsigned(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.")
}

trait ClockNow {
    fn clock_now(&self) -> i64;
}

impl ClockNow for TestApp {
    fn clock_now(&self) -> i64 {
        use kindling::infra::clock::Clock;
        self.clock.now().timestamp()
    }
}

db_test! {
    async fn a_well_formed_token_signed_with_the_secret_is_accepted(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        // The forging helpers are right: a proper token passes.
        let token = sign(&claims(&app, &ana.user_id), SECRET);
        assert_status(&app.get("/v1/me", Some(&token)).await, 200);
    }
}

db_test! {
    async fn forged_altered_and_malformed_tokens_are_401_problems(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let bo = app.register("bo@example.com").await;
        let good = claims(&app, &ana.user_id);

        let with = |change: &dyn Fn(&mut Value)| {
            let mut claims = good.clone();
            change(&mut claims);
            claims
        };
        let altered = {
            // Bo's payload under Ana's signature.
            let parts: Vec<&str> = ana.access.split('.').collect();
            let bo_payload = bo.access.split('.').nth(1).unwrap().to_owned();
            format!("{}.{}.{}", parts[0], bo_payload, parts[2])
        };
        let cases: Vec<(String, &str, &str)> = vec![
            (unsigned(&good), "invalid_token", "alg none"),
            (altered, "invalid_token", "a payload changed under the signature"),
            (sign(&good, "another-secret-that-is-also-32-bytes-long"), "invalid_token", "another key"),
            (
                encode(&Header::new(Algorithm::HS512), &good, &EncodingKey::from_secret(SECRET.as_bytes())).unwrap(),
                "invalid_token",
                "another algorithm with the right key",
            ),
            (sign(&with(&|c| c["exp"] = json!(app.clock_now() - 1)), SECRET), "token_expired", "expired"),
            (sign(&with(&|c| c["exp"] = json!((app.clock_now() + 900).to_string())), SECRET), "invalid_token", "a string exp"),
            (sign(&with(&|c| { c.as_object_mut().unwrap().remove("aud"); }), SECRET), "invalid_token", "no aud"),
            (sign(&with(&|c| c["aud"] = json!("somebody-else")), SECRET), "invalid_token", "another audience"),
            (sign(&with(&|c| c["iss"] = json!("somebody-else")), SECRET), "invalid_token", "another issuer"),
            (sign(&with(&|c| { c.as_object_mut().unwrap().remove("iat"); }), SECRET), "invalid_token", "no iat"),
            (sign(&with(&|c| c["iat"] = json!(app.clock_now() + 3600)), SECRET), "invalid_token", "issued in the future"),
            (sign(&with(&|c| { c.as_object_mut().unwrap().remove("sub"); }), SECRET), "invalid_token", "no sub"),
            (sign(&with(&|c| c["sub"] = json!("not-a-uuid")), SECRET), "invalid_token", "a sub that is no id"),
            (sign(&with(&|c| { c.as_object_mut().unwrap().remove("jti"); }), SECRET), "invalid_token", "no jti"),
            (sign(&with(&|c| c["jti"] = json!("not-a-uuid")), SECRET), "invalid_token", "a jti that is no id"),
            (sign(&with(&|c| c["jti"] = json!(42)), SECRET), "invalid_token", "a number for a jti"),
            ("garbage".to_owned(), "invalid_token", "garbage"),
            ("a.b.c".to_owned(), "invalid_token", "three garbage parts"),
        ];
        for (token, code, why) in cases {
            let reply = app.get("/v1/me", Some(&token)).await;
            assert_eq!(reply.status.as_u16(), 401, "{why}: {}", reply.text);
            reply.assert_problem(401, code);
            assert_eq!(
                reply.header("www-authenticate"),
                Some("Bearer realm=\"kindling\""),
                "{why}"
            );
        }
    }
}

db_test! {
    async fn a_missing_or_non_bearer_authorization_is_a_401_problem(app: TestApp) {
        app.get("/v1/me", None).await.assert_problem(401, "unauthorized");
        let basic = send(app.client.get("/v1/me").header("authorization", "Basic YW5hOnB3")).await;
        basic.assert_problem(401, "unauthorized");
        assert!(basic.header("www-authenticate").unwrap().starts_with("Bearer"));
    }
}

db_test! {
    async fn a_token_dies_with_its_account_on_every_route(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let (_, org) = owned_org(&app, "bo@example.com", "Riverside").await;
        app.execute("DELETE FROM users WHERE email = 'ana@example.com'").await;
        let token = Some(ana.access.as_str());
        let org_path = format!("/v1/orgs/{org}");
        let calls: Vec<(Method, String, Option<Value>)> = vec![
            (Method::GET, "/v1/me".to_owned(), None),
            (Method::GET, "/v1/me/pauses".to_owned(), None),
            (Method::GET, "/v1/me/kudos".to_owned(), None),
            (Method::GET, "/v1/habits".to_owned(), None),
            (Method::GET, "/v1/sync".to_owned(), None),
            (Method::GET, "/v1/orgs".to_owned(), None),
            (Method::GET, org_path.clone(), None),
            (Method::POST, "/v1/orgs".to_owned(), Some(json!({"name": "Ghosts", "timezone": "UTC"}))),
            (Method::POST, "/v1/habits".to_owned(), Some(json!({"title": "Haunt", "category": "rest", "schedule": {"kind": "daily"}}))),
            (Method::POST, "/v1/me/pauses".to_owned(), Some(json!({"starts_on": "2026-11-27", "ends_on": "2026-11-27"}))),
        ];
        for (method, path, body) in calls {
            let reply = app.call(method.clone(), &path, token, body.as_ref()).await;
            assert_eq!(reply.status.as_u16(), 401, "{method} {path}: {}", reply.text);
            reply.assert_problem(401, "invalid_token");
        }
        assert_eq!(app.count("organisations").await, 1);
        assert_eq!(app.count("habits").await, 0);
        assert_eq!(app.count("pauses").await, 0);
    }
}

db_test! {
    async fn access_tokens_expire_after_fifteen_minutes(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        app.clock.advance(Duration::minutes(14));
        assert_status(&app.get("/v1/me", Some(&ana.access)).await, 200);
        app.clock.advance(Duration::minutes(1));
        app.get("/v1/me", Some(&ana.access))
            .await
            .assert_problem(401, "token_expired");
    }
}
