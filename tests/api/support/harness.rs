//! The test harness: each test builds the real application on its own fresh
//! database (a SQLite file in a temporary folder, or a PostgreSQL database
//! created for it and dropped afterwards) and talks to it through HTTP.
//! Also the answers read whole ([`Reply`]) and the signed-in person
//! ([`Session`]).

use chrono::{TimeZone, Utc};
use clap::Parser;
use kindling::{
    app::App,
    infra::{
        clock::ManualClock,
        config::{Cli, ServeSettings},
    },
};
use poem::{
    Body,
    endpoint::BoxEndpoint,
    http::{HeaderMap, Method, StatusCode},
    test::{TestClient, TestRequestBuilder},
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use super::openapi::{assert_conforms, checked, request_line};
use serde_json::{Value, json};
use std::sync::Arc;

/// The signing secret tests forge tokens with.
pub const SECRET: &str = "a-test-signing-secret-of-at-least-32-bytes";
pub const PASSWORD: &str = "correct horse battery";

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Declares a test that runs once on SQLite and once on PostgreSQL; the
/// PostgreSQL run is listed as ignored unless `KINDLING_TEST_DATABASE_URL`
/// was set at build time. Written `async fn name(app: TestApp)`, the body
/// gets the app built with the defaults on a fresh database, as most tests
/// want; written `async fn name(backend)`, it gets the `backend` to build
/// its own app (other settings, a restart) with.
#[macro_export]
macro_rules! db_test {
    (async fn $name:ident($app:ident: TestApp) $body:block) => {
        $crate::db_test! {
            async fn $name(backend) {
                let $app = $crate::support::TestApp::spawn(backend).await;
                $body
            }
        }
    };
    (async fn $name:ident($backend:ident) $body:block) => {
        async fn $name($backend: $crate::support::Backend) $body

        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::support::Backend::Sqlite).await
            }

            #[tokio::test]
            #[cfg_attr(
                not(kindling_pg),
                ignore = "set KINDLING_TEST_DATABASE_URL to run on PostgreSQL"
            )]
            async fn postgres() {
                super::$name($crate::support::Backend::Postgres).await
            }
        }
    };
}

/// A fresh database for one test, removed when dropped.
pub enum TestDatabase {
    Sqlite {
        url: String,
        _dir: tempfile::TempDir,
    },
    Postgres {
        url: String,
        admin_url: String,
        name: String,
    },
}

impl TestDatabase {
    pub async fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("kindling.db").display()
                );
                Self::Sqlite { url, _dir: dir }
            }
            Backend::Postgres => {
                let admin_url = std::env::var("KINDLING_TEST_DATABASE_URL")
                    .expect("KINDLING_TEST_DATABASE_URL names a PostgreSQL admin URL");
                let name = format!("kindling_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(&admin_url)
                    .await
                    .expect("connecting to KINDLING_TEST_DATABASE_URL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("creating a test database");
                admin.close().await.ok();
                let url = with_database(&admin_url, &name);
                Self::Postgres {
                    url,
                    admin_url,
                    name,
                }
            }
        }
    }

    pub fn url(&self) -> &str {
        match self {
            Self::Sqlite { url, .. } | Self::Postgres { url, .. } => url,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Self::Postgres {
            admin_url, name, ..
        } = self
        {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime, which cannot be blocked on;
            // a thread with its own runtime can.
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                runtime.block_on(async {
                    let admin = Database::connect(&admin_url)
                        .await
                        .expect("admin connection");
                    admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await
                        .expect("dropping the test database");
                    admin.close().await.ok();
                });
            })
            .join()
            .expect("dropping the test database");
        }
    }
}

/// `postgres://u@h:5432/postgres?x=y` with its database replaced by `name`.
fn with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin_url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut url = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// Settings as the command line would give them, on the test's database,
/// with the known [`SECRET`].
pub fn settings(database_url: &str, extra: &[&str]) -> ServeSettings {
    let mut args = vec!["--jwt-secret", SECRET];
    args.extend_from_slice(extra);
    settings_without_secret(database_url, &args)
}

/// Settings that leave the signing secret to the service.
pub fn settings_without_secret(database_url: &str, extra: &[&str]) -> ServeSettings {
    let mut args = vec![
        "kindling",
        "--database-url",
        database_url,
        "--trust-forwarded-for",
        "--registrations-per-address",
        "1000",
    ];
    args.extend_from_slice(extra);
    Cli::try_parse_from(args)
        .expect("valid test settings")
        .serve
}

/// The instant every test starts at.
pub fn start_of_tests() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
}

pub struct TestApp {
    pub client: TestClient<BoxEndpoint<'static>>,
    pub clock: ManualClock,
    pub db: DatabaseConnection,
    url: String,
    /// Kept so the database outlives the app; dropped last.
    _database: TestDatabase,
}

/// An answer, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|_| panic!("expected JSON, got {:?}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// A signed-in person.
pub struct Session {
    pub user_id: String,
    pub email: String,
    pub access: String,
    pub refresh: String,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    pub async fn spawn_with(backend: Backend, extra: &[&str]) -> Self {
        let database = TestDatabase::create(backend).await;
        Self::on(database, extra).await
    }

    /// The app on an existing test database, as after a restart.
    pub async fn on(database: TestDatabase, extra: &[&str]) -> Self {
        // Errors the app logs (a 500's cause) show in a failing test's output;
        // `KINDLING_TEST_LOG=debug` shows more.
        let filter = std::env::var("KINDLING_TEST_LOG").unwrap_or_else(|_| "warn".to_owned());
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
        let clock = ManualClock::new(start_of_tests());
        let app = App::build(&settings(database.url(), extra), Arc::new(clock.clone()))
            .await
            .expect("the app builds");
        Self {
            client: TestClient::new(checked(app.endpoint)),
            clock,
            db: app.state.reader,
            url: database.url().to_owned(),
            _database: database,
        }
    }

    /// A second instance of the service on the same database and clock, as
    /// behind a load balancer.
    pub async fn another_instance(&self) -> TestClient<BoxEndpoint<'static>> {
        let app = App::build(&settings(&self.url, &[]), Arc::new(self.clock.clone()))
            .await
            .expect("the second instance builds");
        TestClient::new(checked(app.endpoint))
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let mut request = self
            .client
            .request(method, path)
            .header("x-forwarded-for", "203.0.113.7");
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            request = request.body_json(body);
        }
        read(request.send().await).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.call(Method::PATCH, path, token, Some(body)).await
    }

    /// Registers `email` with [`PASSWORD`] and returns the session.
    pub async fn register(&self, email: &str) -> Session {
        let reply = self
            .post(
                "/v1/auth/register",
                None,
                &json!({"email": email, "password": PASSWORD, "display_name": "Ana"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        session(&reply.json())
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post(
            "/v1/auth/login",
            None,
            &json!({"email": email, "password": password}),
        )
        .await
    }

    /// Runs `sql` on the app's database behind its back, as a failure or
    /// another process would.
    pub async fn execute(&self, sql: &str) {
        self.db.execute_unprepared(sql).await.expect("running SQL");
    }

    /// How many rows `table` holds.
    pub async fn count(&self, table: &str) -> i64 {
        self.number(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .await
    }

    /// The whole number `sql` selects, as `n`.
    pub async fn number(&self, sql: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .expect("running SQL")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("a number")
    }
}

/// `person` signed in again with [`PASSWORD`]: a fresh session once the
/// clock has moved past their access token's life (15 minutes).
pub async fn relogin(app: &TestApp, person: &Session) -> Session {
    let reply = app.login(&person.email, PASSWORD).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "logging in again: {}",
        reply.text
    );
    session(&reply.json())
}

/// The session a register or login answer carries.
pub fn session(body: &Value) -> Session {
    Session {
        user_id: body["user"]["id"].as_str().expect("user id").to_owned(),
        email: body["user"]["email"].as_str().expect("email").to_owned(),
        access: body["access_token"]
            .as_str()
            .expect("access token")
            .to_owned(),
        refresh: body["refresh_token"]
            .as_str()
            .expect("refresh token")
            .to_owned(),
    }
}

/// Sends a hand-built request from the usual client address.
pub async fn send(request: TestRequestBuilder<'_, BoxEndpoint<'static>>) -> Reply {
    read(
        request
            .header("x-forwarded-for", "203.0.113.7")
            .send()
            .await,
    )
    .await
}

/// Reads `response` whole, and asserts it conforms to the OpenAPI document
/// (see [`super::openapi`]).
pub async fn read(response: poem::test::TestResponse) -> Reply {
    let response = response.0;
    let status = response.status();
    let headers = response.headers().clone();
    let line = request_line(&response);
    let text = response
        .into_body()
        .into_string()
        .await
        .expect("a UTF-8 body");
    assert_conforms(line.as_ref(), status, &headers, &text);
    Reply {
        status,
        headers,
        text,
    }
}

/// A body of `bytes` bytes of JSON, without a `Content-Length`.
pub fn unsized_body(bytes: usize) -> Body {
    let mut text = String::from("{\"pad\":\"");
    text.push_str(&"x".repeat(bytes));
    text.push_str("\"}");
    Body::from_async_read(std::io::Cursor::new(text.into_bytes()))
}

/// Every balance is the sum of its person's entries: the two tables agree
/// in total (each person's balance is checked through the API).
pub async fn assert_balances_match_the_ledger(app: &TestApp) {
    let ledger = app
        .number("SELECT CAST(COALESCE(SUM(xp), 0) AS BIGINT) AS n FROM xp_entries")
        .await;
    let balances = app
        .number("SELECT CAST(COALESCE(SUM(xp), 0) AS BIGINT) AS n FROM xp_balances")
        .await;
    assert_eq!(ledger, balances, "the balances and the ledger disagree");
}
