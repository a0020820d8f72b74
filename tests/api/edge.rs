//! What every request meets: problem documents for every error, request ids,
//! the body limit and the general rate limit.

use std::sync::{Arc, Mutex};

use poem::http::Method;
use serde_json::json;
use tracing::instrument::WithSubscriber;

use crate::{db_test, support::*};

db_test! {
    async fn an_unknown_route_is_a_404_problem(app: TestApp) {
        for path in ["/nope", "/v1/nothing/here", "/v1/auth/register/extra"] {
            app.get(path, None).await.assert_problem(404, "not_found");
        }
    }
}

db_test! {
    async fn a_wrong_method_is_a_405_problem(app: TestApp) {
        app.call(Method::DELETE, "/healthz", None, None)
            .await
            .assert_problem(405, "method_not_allowed");
        app.get("/v1/auth/login", None)
            .await
            .assert_problem(405, "method_not_allowed");
    }
}

db_test! {
    async fn a_body_over_one_mebibyte_is_a_413_problem_and_nothing_is_written(app: TestApp) {
        let big = "x".repeat(1024 * 1024 + 1);
        let declared = send(
            app.client
                .post("/v1/auth/register")
                .content_type("application/json")
                .header("content-length", big.len().to_string())
                .body(big),
        )
        .await;
        declared.assert_problem(413, "payload_too_large");

        let streamed = post_raw(&app, None, "/v1/auth/register", Some("application/json"), unsized_body(1024 * 1024 + 10)).await;
        streamed.assert_problem(413, "payload_too_large");
        assert_eq!(app.count("users").await, 0);
    }
}

db_test! {
    async fn a_body_under_the_limit_without_a_length_is_read(app: TestApp) {
        let reply = post_raw(&app, None, "/v1/auth/login", Some("application/json"), unsized_body(1000)).await;
        // The body arrives whole; it just lacks the login's fields.
        assert_invalid(&reply, &["email", "password"], "a body of padding");
    }
}

db_test! {
    async fn a_wrong_content_type_is_a_415_problem_and_nothing_is_written(app: TestApp) {
        for (content_type, body) in [(Some("text/plain"), "email=ana@example.com"), (None, "{}")] {
            post_raw(&app, None, "/v1/auth/register", content_type, body)
                .await
                .assert_problem(415, "unsupported_media_type");
        }
        assert_eq!(app.count("users").await, 0);
    }
}

db_test! {
    async fn unparsable_json_is_a_400_problem_and_a_misshapen_body_a_422_naming_each_field(app: TestApp) {
        for (body, why) in [("{not json", "malformed JSON"), ("[]", "an array, not an object"), ("\"ana\"", "a string")] {
            let reply = post_raw(&app, None, "/v1/auth/register", Some("application/json"), body).await;
            assert_eq!(reply.status.as_u16(), 400, "{why}: {}", reply.text);
            reply.assert_problem(400, "invalid_body");
        }
        let misshapen: [(&str, &[&str], &str); 6] = [
            (r#"{"email": "a@example.com"}"#, &["password", "display_name"], "fields missing"),
            (r#"{"email": {"at": "example.com"}, "password": "12345678", "display_name": "A"}"#, &["email"], "an object for a string"),
            (r#"{"email": 12345, "password": "12345678", "display_name": "A"}"#, &["email"], "a number for a string"),
            (r#"{"email": "a@example.com", "password": false, "display_name": "A"}"#, &["password"], "a boolean for a string"),
            (r#"{"email": "a@example.com", "password": "12345678", "display_name": null}"#, &["display_name"], "null for a required string"),
            (r#"{"email": "a@example.com", "email": "b@example.com", "password": "12345678", "display_name": "A"}"#, &["email"], "a key given twice"),
        ];
        for (body, fields, why) in misshapen {
            let reply = post_raw(&app, None, "/v1/auth/register", Some("application/json"), body).await;
            assert_invalid(&reply, fields, why);
        }
        assert_eq!(app.count("users").await, 0);
    }
}

db_test! {
    async fn every_response_carries_a_request_id_and_echoes_a_well_formed_one(app: TestApp) {
        let fresh = app.get("/healthz", None).await;
        let id = fresh.header("x-request-id").expect("a request id");
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");

        let echoed = send(
            app.client.get("/nope").header("x-request-id", "client-req-42"),
        )
        .await;
        assert_eq!(echoed.header("x-request-id"), Some("client-req-42"));

        let replaced = send(
            app.client.get("/healthz").header("x-request-id", "evil id with spaces"),
        )
        .await;
        let id = replaced.header("x-request-id").expect("a request id");
        assert_ne!(id, "evil id with spaces");
    }
}

db_test! {
    async fn no_answer_is_sniffed_and_no_token_or_personal_answer_is_cached(app: TestApp) {
        let registered = app
            .post("/v1/auth/register", None, &json!({"email": "ana@example.com", "password": PASSWORD, "display_name": "Ana"}))
            .await;
        assert_status(&registered, 201);
        let ana = session(&registered.json());
        let personal = [
            ("a token pair", registered),
            ("the account", app.get("/v1/me", Some(&ana.access)).await),
            ("a polled list", app.get("/v1/habits", Some(&ana.access)).await),
            ("a problem", app.get("/v1/habits/not-an-id", Some(&ana.access)).await),
        ];
        for (what, reply) in personal {
            assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{what}");
            assert_eq!(reply.header("cache-control"), Some("no-store"), "{what}");
        }
        for path in ["/healthz", "/nope", "/openapi.json"] {
            let reply = app.get(path, None).await;
            assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
            assert_eq!(reply.header("cache-control"), None, "{path}");
        }
    }
}

db_test! {
    async fn a_caller_over_the_request_limit_gets_a_429_with_retry_after(backend) {
        let app = TestApp::spawn_with(backend, &["--requests-per-minute", "3"]).await;
        let ana = app.register("ana@example.com").await;
        for _ in 0..3 {
            let reply = app.get("/v1/me", Some(&ana.access)).await;
            assert_status(&reply, 200);
            assert_eq!(reply.header("ratelimit-limit"), Some("3"));
        }
        let limited = app.get("/v1/me", Some(&ana.access)).await;
        limited.assert_problem(429, "rate_limited");
        let retry_after: u64 = limited.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry_after), "{retry_after}");
        assert_eq!(limited.header("ratelimit-remaining"), Some("0"));

        // Another caller is counted apart, and probes are never limited.
        let bo = app.register("bo@example.com").await;
        assert_status(&app.get("/v1/me", Some(&bo.access)).await, 200);
        for _ in 0..5 {
            assert_status(&app.get("/healthz", None).await, 200);
        }
    }
}

db_test! {
    async fn a_database_failure_is_a_500_that_reveals_nothing_and_is_logged_with_its_cause_and_place(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        app.execute("DROP TABLE refresh_tokens").await;
        let log = Log::default();
        let reply = app.login(&ana.email, PASSWORD).with_subscriber(log.subscriber()).await;
        let body = reply.assert_problem(500, "internal_error");
        let text = body.to_string().to_lowercase();
        for secret in ["refresh_tokens", "sql", "table", "relation"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        // The log says what failed, where in the code it surfaced, in which
        // operation, and for which request.
        let logged = log.text();
        let request_id = reply.header("x-request-id").expect("a request id");
        for expected in ["internal error", "refresh_tokens", "route=\"login\"", "at=src/service/auth.rs:", request_id] {
            assert!(logged.contains(expected), "{expected} is not in the log:\n{logged}");
        }
    }
}

/// Everything the app logs at `warn` and above (as `KINDLING_LOG=warn`
/// would have it) while a future runs with [`Log::subscriber`].
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Log {
    fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync {
        let log = self.clone();
        tracing_subscriber::fmt()
            .with_writer(move || log.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::WARN)
            .finish()
    }

    fn text(&self) -> String {
        String::from_utf8(self.0.lock().expect("the log").clone()).expect("UTF-8")
    }
}

impl std::io::Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("the log").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

db_test! {
    async fn extra_fields_are_ignored_and_the_request_still_validated(app: TestApp) {
        // An unknown field beside an invalid known one: still a 422 naming
        // exactly the known field, and nothing written.
        let with_admin = |email: &str| json!({"email": email, "password": PASSWORD, "display_name": "Ana", "admin": true});
        let reply = app.post("/v1/auth/register", None, &with_admin("ana")).await;
        assert_invalid(&reply, &["email"], "an invalid email beside an unknown field");
        assert_eq!(app.count("users").await, 0);
        assert_eq!(app.count("refresh_tokens").await, 0);

        // Beside valid fields it is ignored: neither stored nor echoed.
        let reply = app.post("/v1/auth/register", None, &with_admin("ana@example.com")).await;
        assert_status(&reply, 201);
        assert!(!reply.text.contains("admin"), "echoed: {}", reply.text);
        let ana = session(&reply.json());
        let me = get_ok(&app, &ana.access, "/v1/me").await;
        assert_eq!(me, reply.json()["user"]);
        assert!(!me.to_string().contains("admin"), "stored: {me}");
        assert_eq!(app.count("users").await, 1);

        // The same on a resource's create: an unknown field that names
        // another owner neither passes an invalid title nor is kept.
        let bo = app.register("bo@example.com").await;
        let habit = json!({"title": "", "category": "rest", "schedule": {"kind": "daily"}, "user_id": bo.user_id});
        let reply = app.post("/v1/habits", Some(&ana.access), &habit).await;
        assert_invalid(&reply, &["title"], "a blank title beside an unknown field");
        assert_eq!(app.count("habits").await, 0);
        let habit = json!({"title": "Walk", "category": "rest", "schedule": {"kind": "daily"}, "user_id": bo.user_id});
        let created = create_habit(&app, &ana.access, &habit).await;
        assert!(created.get("user_id").is_none(), "echoed: {created}");
        let id = id_of(&created);
        assert_eq!(get_ok(&app, &ana.access, &format!("/v1/habits/{id}")).await, created);
        app.get(&format!("/v1/habits/{id}"), Some(&bo.access))
            .await
            .assert_problem(404, "not_found");
        assert_eq!(get_ok(&app, &bo.access, "/v1/habits").await["items"], json!([]));
    }
}

db_test! {
    async fn a_wrong_method_is_a_405_that_says_which_methods_the_path_allows(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let cases = [
            (Method::DELETE, "/v1/me/today", "GET"),
            (Method::PUT, "/v1/habits", "GET, POST"),
            (Method::POST, "/v1/habits/01938a6e-7c00-7000-8000-000000000000", "DELETE, GET, PATCH"),
        ];
        for (method, path, allowed) in cases {
            let reply = app.call(method.clone(), path, Some(&ana.access), None).await;
            reply.assert_problem(405, "method_not_allowed");
            assert_eq!(reply.header("allow"), Some(allowed), "{method} {path}");
        }
    }
}

db_test! {
    async fn every_answer_that_counts_carries_the_rate_limit_headers_errors_included(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let answers = [
            app.get("/v1/me", Some(&ana.access)).await,
            app.get("/v1/me", None).await,
            app.get("/v1/habits/not-a-uuid", Some(&ana.access)).await,
            app.post("/v1/habits", Some(&ana.access), &json!({"title": 1})).await,
            app.get("/v1/nothing-here", Some(&ana.access)).await,
        ];
        for reply in &answers {
            let limit = reply.header("ratelimit-limit");
            let remaining = reply.header("ratelimit-remaining");
            assert!(limit.is_some() && remaining.is_some(), "{} without RateLimit-*: {}", reply.status, reply.text);
        }
        let remaining: Vec<u32> = answers
            .iter()
            .map(|reply| reply.header("ratelimit-remaining").unwrap().parse().unwrap())
            .collect();
        assert!(remaining[0] > remaining[2] && remaining[2] > remaining[4], "the person's allowance goes down: {remaining:?}");
        assert_eq!(app.get("/healthz", None).await.header("ratelimit-limit"), None, "probes are never counted");
    }
}

db_test! {
    async fn pages_of_an_allowed_origin_may_call_the_api_and_read_its_headers(backend) {
        let app = TestApp::spawn_with(backend, &["--cors-origins", "https://app.example.com,http://localhost:5173"]).await;
        let origin = "https://app.example.com";
        let preflight = send(
            app.client
                .request(Method::OPTIONS, "/v1/habits")
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "authorization, content-type"),
        )
        .await;
        assert_eq!(preflight.status.as_u16(), 200, "{}", preflight.text);
        assert_eq!(preflight.header("access-control-allow-origin"), Some(origin));
        let methods = preflight.header("access-control-allow-methods").unwrap_or_default().to_uppercase();
        assert!(methods.contains("POST") && methods.contains("PATCH"), "{methods}");
        let headers = preflight.header("access-control-allow-headers").unwrap_or_default().to_lowercase();
        assert!(headers.contains("authorization") && headers.contains("content-type"), "{headers}");

        let ana = app.register("ana@example.com").await;
        for reply in [
            send(app.client.get("/v1/me/today").header("origin", origin).header("authorization", format!("Bearer {}", ana.access))).await,
            send(app.client.get("/v1/me").header("origin", origin)).await,
        ] {
            assert_eq!(reply.header("access-control-allow-origin"), Some(origin), "{}: {}", reply.status, reply.text);
            let exposed = reply.header("access-control-expose-headers").unwrap_or_default().to_lowercase();
            for header in ["etag", "location", "ratelimit-limit", "ratelimit-remaining", "x-request-id"] {
                assert!(exposed.contains(header), "{header} is not exposed: {exposed}");
            }
        }

        // Another origin is served as any client is, without the headers
        // that would let its page read the answer.
        let elsewhere = send(app.client.get("/v1/me").header("origin", "https://evil.example")).await;
        elsewhere.assert_problem(401, "unauthorized");
        assert_eq!(elsewhere.header("access-control-allow-origin"), None);
        let preflight = send(
            app.client
                .request(Method::OPTIONS, "/v1/habits")
                .header("origin", "https://evil.example")
                .header("access-control-request-method", "POST"),
        )
        .await;
        assert_eq!(preflight.header("access-control-allow-origin"), None, "{}", preflight.text);
    }
}

db_test! {
    async fn no_origin_may_call_from_a_browser_unless_one_is_configured(app: TestApp) {
        let reply = send(app.client.get("/v1/me").header("origin", "https://app.example.com")).await;
        reply.assert_problem(401, "unauthorized");
        assert_eq!(reply.header("access-control-allow-origin"), None);
    }
}

db_test! {
    async fn answers_are_compressed_for_clients_that_accept_gzip_or_br(app: TestApp) {
        let plain = app.client.get("/openapi.json").send().await.0;
        assert_eq!(plain.headers().get("content-encoding"), None);
        let size = plain.into_body().into_bytes().await.unwrap().len();
        for coding in ["gzip", "br"] {
            let compressed = app.client.get("/openapi.json").header("accept-encoding", coding).send().await.0;
            assert_eq!(compressed.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some(coding));
            let compressed_size = compressed.into_body().into_bytes().await.unwrap().len();
            assert!(compressed_size * 5 < size, "{coding}: {compressed_size} of {size} bytes");
        }
    }
}

db_test! {
    async fn a_value_of_the_wrong_json_type_is_named_in_a_change_too(app: TestApp) {
        let ana = app.register("ana@example.com").await;
        let walk = daily_habit(&app, &ana.access, "Walk").await;
        let before = app.get(&format!("/v1/habits/{walk}"), Some(&ana.access)).await.json();
        let reply = patch(&app, &ana.access, &format!("/v1/habits/{walk}"), &json!({"icon": 5, "colour": false, "title": ["Run"]})).await;
        assert_eq!(invalid_fields(&reply), ["colour", "icon", "title"], "{}", reply.text);
        let after = app.get(&format!("/v1/habits/{walk}"), Some(&ana.access)).await.json();
        assert_eq!(after, before);
    }
}
