//! Probes, metrics, the published OpenAPI document, start-up rules, and one
//! conversation over a real socket.

use std::{collections::BTreeSet, sync::Arc, time::Duration};

use kindling::{
    app::{App, serve::serve},
    http::catalogue::{as_json_schema, validator},
    infra::clock::ManualClock,
};
use poem::listener::{Acceptor, Listener, TcpListener};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{db_test, support::*};

db_test! {
    async fn health_and_readiness_answer_ok(app: TestApp) {
        for path in ["/healthz", "/readyz"] {
            let reply = app.get(path, None).await;
            assert_eq!(reply.status.as_u16(), 200, "{path}: {}", reply.text);
            assert_eq!(reply.text, "ok");
        }
    }
}

db_test! {
    async fn readiness_is_a_503_problem_when_the_database_is_gone(app: TestApp) {
        app.db.close_by_ref().await.unwrap();
        app.get("/readyz", None).await.assert_problem(503, "unavailable");
        assert_status(&app.get("/healthz", None).await, 200);
    }
}

const METRICS_TOKEN: &str = "a-scraper-token";

db_test! {
    async fn metrics_are_served_only_to_the_scraper_with_the_token(backend) {
        let closed = TestApp::spawn(backend).await;
        closed.get("/metrics", None).await.assert_problem(401, "unauthorized");
        closed.get("/metrics", Some(METRICS_TOKEN)).await.assert_problem(404, "not_found");

        let app = TestApp::spawn_with(backend, &["--metrics-token", METRICS_TOKEN]).await;
        app.get("/metrics", None).await.assert_problem(401, "unauthorized");
        app.get("/metrics", Some("another-token")).await.assert_problem(401, "invalid_token");
        let ana = app.register("ana@example.com").await;
        app.get("/metrics", Some(&ana.access)).await.assert_problem(401, "invalid_token");
        assert_status(&app.get("/metrics", Some(METRICS_TOKEN)).await, 200);
    }
}

db_test! {
    async fn metrics_count_requests_by_route_and_status(backend) {
        let app = TestApp::spawn_with(backend, &["--metrics-token", METRICS_TOKEN]).await;
        app.register("ana@example.com").await;
        app.login("ana@example.com", "wrong").await;
        app.get("/nope", None).await;
        let reply = app.get("/metrics", Some(METRICS_TOKEN)).await;
        assert_status(&reply, 200);
        assert!(reply.header("content-type").unwrap().starts_with("text/plain"));
        let text = reply.text;
        for expected in [
            r#"kindling_http_requests_total{method="POST",route="register",status="201"} 1"#,
            r#"kindling_http_requests_total{method="POST",route="login",status="401"} 1"#,
            r#"kindling_http_requests_total{method="GET",route="unmatched",status="404"} 1"#,
            "kindling_http_request_duration_seconds_bucket",
        ] {
            assert!(text.contains(expected), "missing {expected} in\n{text}");
        }
        // Both handles: one pool each on SQLite, one shared on PostgreSQL.
        let pools: &[&str] = match backend {
            Backend::Sqlite => &["reader", "writer"],
            Backend::Postgres => &["shared"],
        };
        for pool in pools {
            for state in ["idle", "in_use"] {
                let series = format!(r#"kindling_db_pool_connections{{pool="{pool}",state="{state}"}}"#);
                assert!(text.contains(&series), "missing {series} in\n{text}");
            }
        }
        assert!(!text.contains("ana@example.com"));
    }
}

db_test! {
    async fn the_served_openapi_document_is_the_committed_one(app: TestApp) {
        let yaml = app.get("/openapi.yaml", None).await;
        assert_status(&yaml, 200);
        let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
            .expect("openapi.yaml is committed");
        assert!(
            yaml.text == committed,
            "the served OpenAPI document differs from openapi.yaml; regenerate it with \
             `cargo run -- openapi > openapi.yaml` and commit it"
        );
        let json = app.get("/openapi.json", None).await;
        assert_status(&json, 200);
        assert_eq!(json.json()["info"]["title"], "Kindling");
        let docs = app.get("/docs", None).await;
        assert_status(&docs, 200);
        assert!(docs.text.contains("swagger"), "{}", docs.text);
    }
}

#[test]
fn the_committed_openapi_yaml_is_up_to_date() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
        .expect("openapi.yaml is committed");
    assert!(
        kindling::app::openapi_yaml() == committed,
        "openapi.yaml is stale; regenerate it with `cargo run -- openapi > openapi.yaml` and commit it"
    );
}

#[test]
fn every_operation_is_documented_with_its_errors() {
    let spec: Value = serde_json::from_str(&kindling::app::openapi().spec()).unwrap();
    let paths = spec["paths"].as_object().unwrap();
    assert!(!paths.is_empty());
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            let at = format!("{method} {path}");
            for field in ["summary", "description", "operationId"] {
                assert!(operation[field].is_string(), "{at} has no {field}");
            }
            assert!(operation["tags"].is_array(), "{at} has no tag");
            let responses = operation["responses"].as_object().unwrap();
            let limited = path.starts_with("/v1/");
            for status in ["429", "500"].into_iter().filter(|_| limited) {
                let problem = &responses[status]["content"]["application/problem+json"];
                assert!(
                    problem.is_object(),
                    "{at} does not document {status} as a problem"
                );
            }
            for (status, response) in responses {
                assert!(
                    response["description"]
                        .as_str()
                        .is_some_and(|d| !d.is_empty()),
                    "{at} {status} has no description"
                );
            }
            let needs_credentials = operation["security"]
                .as_array()
                .is_some_and(|requirements| {
                    requirements
                        .iter()
                        .any(|r| r.as_object().is_some_and(|r| !r.is_empty()))
                });
            if needs_credentials {
                assert!(
                    responses.contains_key("401"),
                    "{at} needs auth but documents no 401"
                );
            }
            if operation.get("requestBody").is_some() {
                for status in ["400", "413", "415", "422"] {
                    assert!(
                        responses.contains_key(status),
                        "{at} takes a body but documents no {status}"
                    );
                }
            }
        }
    }
}

/// Whether `schema` is only a reference to one of the document's schemas.
fn is_reference(schema: &Value) -> bool {
    schema
        .as_object()
        .is_some_and(|map| map.len() == 1 && map.contains_key("$ref"))
}

/// Whether `schema` lists an `enum` of several values. A one-value `enum`
/// is OpenAPI 3.0's `const` (a discriminator's tag, as a schedule's `kind`),
/// a fixed value rather than a list for a generator to copy.
fn lists_values(schema: &Value) -> bool {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| values.len() > 1)
}

/// Walks every schema under `schema` (reached at `at`), asserting what the
/// document promises of each: no `allOf` wrapper (client generators copy
/// the class it wraps), no inline `enum` of several values (each closed list
/// is a named schema), only standard formats, and a description on every property
/// that is not just a reference to a described schema.
fn walk_schema(at: &str, schema: &Value) {
    let Some(map) = schema.as_object() else {
        return;
    };
    assert!(
        !map.contains_key("allOf"),
        "{at} wraps a schema in allOf: {schema}"
    );
    if let Some(format) = map.get("format").and_then(Value::as_str) {
        let standard = [
            "date",
            "date-time",
            "uuid",
            "int32",
            "int64",
            "float",
            "double",
            "email",
        ];
        assert!(
            standard.contains(&format),
            "{at} has the non-standard format {format}"
        );
    }
    for (name, property) in map
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let at = format!("{at}.{name}");
        assert!(
            property["description"].is_string() || is_reference(property),
            "{at} has no description"
        );
        assert_limits_are_keywords(&at, property);
        assert!(
            !lists_values(property),
            "{at} lists an enum inline instead of naming it"
        );
        walk_schema(&at, property);
    }
    if let Some(items) = map.get("items") {
        assert!(
            !lists_values(items),
            "{at}[] lists an enum inline instead of naming it"
        );
        walk_schema(&format!("{at}[]"), items);
    }
    for list in ["oneOf", "anyOf"] {
        for (index, member) in map
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            walk_schema(&format!("{at}.{list}[{index}]"), member);
        }
    }
}

/// Whether `text` states a bound in prose: "1 to 120", "0.0 to 1.0",
/// "at most 1000", "0–6".
fn states_a_bound(text: &str) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';'))
        .filter(|word| !word.is_empty())
        .collect();
    let number = |word: &str| {
        word.starts_with(|c: char| c.is_ascii_digit())
            && word.ends_with(|c: char| c.is_ascii_digit())
            && word.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    words
        .windows(3)
        .any(|w| number(w[0]) && w[1] == "to" && number(w[2].trim_end_matches('.')))
        || words
            .windows(3)
            .any(|w| w[0] == "at" && w[1] == "most" && number(w[2].trim_end_matches('.')))
        || words.iter().any(|word| {
            word.split_once('–')
                .is_some_and(|(a, b)| number(a) && number(b))
        })
}

/// Properties whose bounds depend on another value (today, the pause's
/// first day), which no schema keyword can state.
const RELATIVE_BOUNDS: &[&str] = &[
    "CreatePauseRequest.starts_on",
    "CreatePauseRequest.ends_on",
    "CreateChallengeRequest.ends_on",
];

/// A property whose description states a bound carries it as a keyword too
/// (on itself, or on its items for a list).
fn assert_limits_are_keywords(at: &str, property: &Value) {
    let Some(description) = property["description"].as_str() else {
        return;
    };
    if !states_a_bound(description) || RELATIVE_BOUNDS.contains(&at) {
        return;
    }
    let keywords = [
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
    ];
    let has = |schema: &Value| keywords.iter().any(|keyword| schema.get(keyword).is_some());
    assert!(
        has(property) || has(&property["items"]),
        "{at} states a bound in its description but no schema keyword: {description}"
    );
}

#[test]
fn bounds_in_prose_are_found() {
    assert!(states_a_bound("1 to 120 characters."));
    assert!(states_a_bound("A private note, at most 1000 characters"));
    assert!(states_a_bound("Hour (0–6) at which the day begins"));
    assert!(states_a_bound(
        "completed over the last 28 days, 0.0 to 1.0, leaving"
    ));
    assert!(!states_a_bound("Monday = 1 … Sunday = 7"));
    assert!(!states_a_bound("Pass as `cursor` for the next page"));
}

#[test]
fn every_schema_is_named_described_and_standard() {
    let spec: Value = serde_json::from_str(&kindling::app::openapi().spec()).unwrap();
    assert!(
        spec["info"].get("summary").is_none(),
        "info.summary is not OpenAPI 3.0"
    );
    assert!(
        spec["servers"]
            .as_array()
            .is_some_and(|servers| !servers.is_empty()),
        "the document names no server"
    );
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        assert!(
            schema["description"].is_string(),
            "the schema {name} has no description"
        );
        walk_schema(name, schema);
    }
    let lint = std::fs::read_to_string("redocly.yaml").unwrap();
    for (path, operations) in spec["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let at = format!("{method} {path}");
            // An operation that takes no credentials declares none, and is
            // named in redocly.yaml as a deliberate exception.
            assert!(
                operation["security"].is_array()
                    || lint.contains(&format!("- path: {path}\n        methods: [{method}]")),
                "{at} does not say which credentials it takes"
            );
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let at = format!("{at} ?{}", parameter["name"]);
                assert!(
                    parameter["description"].is_string(),
                    "{at} has no description"
                );
                assert!(
                    parameter["schema"].get("enum").is_none(),
                    "{at} lists an enum inline"
                );
                walk_schema(&at, &parameter["schema"]);
            }
            for (media_type, content) in operation["requestBody"]["content"]
                .as_object()
                .into_iter()
                .flatten()
            {
                walk_schema(&format!("{at} {media_type}"), &content["schema"]);
            }
            for (status, response) in operation["responses"].as_object().unwrap() {
                for (media_type, content) in response["content"].as_object().into_iter().flatten() {
                    walk_schema(&format!("{at} {status} {media_type}"), &content["schema"]);
                }
                assert!(
                    response["headers"]["X-REQUEST-ID"]["required"] == true,
                    "{at} {status} does not declare X-Request-Id"
                );
            }
        }
    }
}

/// Adds to `found` every component schema that `schema` refers to, and
/// those they refer to in turn, from the document's `components`.
fn referenced(schema: &Value, components: &Value, found: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|target| target.strip_prefix("#/components/schemas/"))
                && found.insert(name.to_owned())
            {
                referenced(&components[name], components, found);
            }
            for value in map.values() {
                referenced(value, components, found);
            }
        }
        Value::Array(items) => {
            for item in items {
                referenced(item, components, found);
            }
        }
        _ => {}
    }
}

/// Every example of an object a client sends or reads (a request body, an
/// answer, and the objects inside them) is there, for the rendered docs and
/// the generated clients' doc comments, and its own schema accepts it, so
/// that no example teaches a shape the service refuses or never sends.
/// Named lists (`enum`s) need none: their values are listed. (This is the
/// committed `openapi.yaml`, as `the_committed_openapi_yaml_is_up_to_date`
/// checks.)
#[test]
fn every_object_sent_or_read_has_an_example_its_schema_accepts() {
    let spec: Value = serde_json::from_str(&kindling::app::openapi().spec()).unwrap();
    let components = &spec["components"]["schemas"];
    let mut bodies = BTreeSet::new();
    for operations in spec["paths"].as_object().unwrap().values() {
        for operation in operations.as_object().unwrap().values() {
            referenced(&operation["requestBody"], components, &mut bodies);
            referenced(&operation["responses"], components, &mut bodies);
        }
    }
    assert!(bodies.contains("CreateHabitRequest") && bodies.contains("ProblemDocument"));
    let definitions = as_json_schema(components);
    let mut missing = Vec::new();
    let mut refused = Vec::new();
    for name in bodies
        .iter()
        .filter(|name| components[name.as_str()]["type"] == "object")
    {
        let Some(example) = components[name.as_str()].get("example") else {
            missing.push(name.as_str());
            continue;
        };
        let own = json!({ "$ref": format!("#/components/schemas/{name}") });
        for error in validator(&own, &definitions).iter_errors(example) {
            refused.push(format!("{name} at `{}`: {error}", error.instance_path()));
        }
    }
    assert!(
        missing.is_empty() && refused.is_empty(),
        "schemas of request or response bodies without an example: [{}]\n\
         examples their own schemas refuse:\n  {}",
        missing.join(", "),
        refused.join("\n  ")
    );
}

db_test! {
    async fn a_generated_signing_secret_survives_a_restart(backend) {
        let database = TestDatabase::create(backend).await;
        let url = database.url().to_owned();
        let build = || async {
            let settings = settings_without_secret(&url, &[]);
            App::build(&settings, Arc::new(ManualClock::new(start_of_tests())))
                .await
                .expect("the app builds")
        };
        let first = build().await;
        let client = poem::test::TestClient::new(checked(first.endpoint));
        let reply = read(
            client
                .post("/v1/auth/register")
                .body_json(&json!({"email": "ana@example.com", "password": PASSWORD, "display_name": "Ana"}))
                .send()
                .await,
        )
        .await;
        assert_status(&reply, 201);
        let ana = session(&reply.json());
        first.state.reader.close().await.unwrap();

        let second = build().await;
        let client = poem::test::TestClient::new(checked(second.endpoint));
        let me = read(
            client
                .get("/v1/me")
                .header("authorization", format!("Bearer {}", ana.access))
                .send()
                .await,
        )
        .await;
        assert_status(&me, 200);
        second.state.reader.close().await.unwrap();
        drop(database);
    }
}

db_test! {
    async fn a_configured_secret_shorter_than_32_bytes_is_refused_at_start(backend) {
        let database = TestDatabase::create(backend).await;
        let settings = settings(database.url(), &["--jwt-secret", "too-short-a-secret"]);
        let error = App::build(&settings, Arc::new(ManualClock::new(start_of_tests())))
            .await
            .err()
            .expect("a short secret is refused");
        assert!(error.to_string().contains("at least 32"), "{error}");
    }
}

db_test! {
    async fn the_service_answers_over_a_real_socket_and_shuts_down_gracefully(backend) {
        let database = TestDatabase::create(backend).await;
        let app = App::build(&settings(database.url(), &[]), Arc::new(ManualClock::new(start_of_tests())))
            .await
            .unwrap();
        let acceptor = TcpListener::bind("127.0.0.1:0").into_acceptor().await.unwrap();
        let address = *acceptor.local_addr()[0].as_socket_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(
            app,
            acceptor,
            async {
                stopped.await.ok();
            },
            Duration::from_secs(20),
        ));

        let body = json!({"email": "ana@example.com", "password": PASSWORD, "display_name": "Ana"}).to_string();
        let registered = raw_http(
            address,
            &format!(
                "POST /v1/auth/register HTTP/1.1\r\nHost: kindling\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ),
        )
        .await;
        assert!(registered.starts_with("HTTP/1.1 201"), "{registered}");
        let (_, json_body) = registered.split_once("\r\n\r\n").unwrap();
        let ana = session(&serde_json::from_str(json_body).unwrap());

        let me = raw_http(
            address,
            &format!(
                "GET /v1/me HTTP/1.1\r\nHost: kindling\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
                ana.access
            ),
        )
        .await;
        assert!(me.starts_with("HTTP/1.1 200"), "{me}");
        assert!(me.to_lowercase().contains("x-request-id:"), "{me}");

        let missing = raw_http(address, "GET /nowhere HTTP/1.1\r\nHost: kindling\r\nConnection: close\r\n\r\n").await;
        assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
        assert!(missing.contains("application/problem+json"), "{missing}");

        // A login in flight when the stop is signalled: its headers and half
        // its body are in, and the handler has begun reading the body (the
        // server answered `100 Continue`); the rest is sent only once the
        // stop has taken effect.
        let body = json!({"email": "ana@example.com", "password": PASSWORD}).to_string();
        let (first_half, second_half) = body.split_at(body.len() / 2);
        let mut in_flight = tokio::net::TcpStream::connect(address).await.unwrap();
        in_flight
            .write_all(
                format!(
                    "POST /v1/auth/login HTTP/1.1\r\nHost: kindling\r\nContent-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .as_bytes(),
            )
            .await
            .unwrap();
        let interim = read_head(&mut in_flight).await;
        assert!(interim.starts_with("HTTP/1.1 100"), "{interim}");
        in_flight.write_all(first_half.as_bytes()).await.unwrap();

        stop.send(()).unwrap();
        // The stop has taken effect once the listener is closed.
        until_refused(address).await;
        assert!(!server.is_finished(), "the server stopped with a request in flight");
        in_flight.write_all(second_half.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(30), in_flight.read_to_end(&mut answer))
            .await
            .expect("the login is answered")
            .unwrap();
        let answer = String::from_utf8(answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let (_, json_body) = answer.split_once("\r\n\r\n").expect("a complete answer");
        let signed_in: Value = serde_json::from_str(json_body)
            .unwrap_or_else(|error| panic!("{error}: the whole body of {answer}"));
        assert_eq!(signed_in["user"]["email"], "ana@example.com", "{signed_in}");
        assert_eq!(signed_in["token_type"], "Bearer", "{signed_in}");
        assert_eq!(session(&signed_in).user_id, ana.user_id);

        tokio::time::timeout(Duration::from_secs(30), server)
            .await
            .expect("the server stops")
            .unwrap()
            .unwrap();
        assert!(tokio::net::TcpStream::connect(address).await.is_err(), "still accepting");
    }
}

/// Reads an answer's head (up to the blank line), and nothing more.
async fn read_head(stream: &mut tokio::net::TcpStream) -> String {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let byte = tokio::time::timeout(Duration::from_secs(10), stream.read_u8())
            .await
            .expect("an answer's head")
            .expect("a byte");
        head.push(byte);
    }
    String::from_utf8(head).unwrap()
}

/// Waits until `address` refuses connections: the server stopped listening.
async fn until_refused(address: std::net::SocketAddr) {
    for _ in 0..500 {
        match tokio::net::TcpStream::connect(address).await {
            Err(_) => return,
            Ok(probe) => drop(probe),
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{address} still accepts connections 5 seconds after the stop");
}

async fn raw_http(address: std::net::SocketAddr, request: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    String::from_utf8(response).unwrap()
}
