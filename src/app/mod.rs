//! The composition root: builds the application once, for `main` and for the
//! tests. It connects and migrates the database, resolves the signing secret,
//! and assembles routes, documentation and the edge around the shared state.
//! Called by `main` and the tests only.

pub mod serve;
pub mod telemetry;

use std::{
    collections::HashSet,
    sync::{Arc, OnceLock},
};

use anyhow::Context;
use poem::{
    Endpoint, EndpointExt, IntoResponse, Request, Route,
    endpoint::BoxEndpoint,
    http::{Method, header},
    middleware::{CatchPanic, Compression, Cors},
    web::CompressionAlgo,
};
use poem_openapi::{ExtraHeader, LicenseObject, OpenApiService, ServerObject};

use crate::{
    api,
    auth::{
        password::Hasher,
        tokens::{MIN_SECRET_BYTES, TokenKeys, new_signing_secret},
    },
    http::{
        bearer::TokenVerifier,
        catalogue::Catalogue,
        edge::{self, Edge},
        limiter::RequestLimiter,
        metrics::Metrics,
        problem::ApiError,
        scrape::MetricsToken,
        state::AppState,
    },
    infra::{
        clock::Clock,
        config::{AuthSettings, ServeSettings},
        db,
    },
    store::{self, Lock, Writer},
};

pub struct App {
    pub state: AppState,
    pub endpoint: BoxEndpoint<'static>,
}

impl App {
    pub async fn build(settings: &ServeSettings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let pools = db::connect(&settings.database)
            .await
            .context("connecting to the database")?;
        db::migrate(&pools.writer)
            .await
            .context("applying migrations")?;
        let shared_pool = pools.shared();
        let writer = Writer::new(pools.writer);
        let secret = signing_secret(&settings.auth, &writer, clock.as_ref()).await?;
        let tokens = Arc::new(TokenKeys::new(secret.as_bytes()));
        let state = AppState {
            verifier: TokenVerifier::new(tokens.clone(), clock.clone(), pools.reader.clone()),
            reader: pools.reader,
            writer,
            shared_pool,
            tokens,
            hasher: Arc::new(Hasher::new(settings.limits.password_hashes())),
            clock,
            limits: Arc::new(settings.limits.clone()),
            limiter: Arc::new(RequestLimiter::per_minute(
                settings.limits.requests_per_minute,
            )),
            metrics: Arc::new(Metrics::new()),
            trust_forwarded_for: settings.auth.trust_forwarded_for,
            catalogue: catalogue(),
        };
        crate::auth::password::warm_up();
        let endpoint = routes(
            state.clone(),
            &settings.cors_origins,
            settings.auth.metrics_token.as_deref(),
        );
        Ok(Self { state, endpoint })
    }
}

/// The configured secret, or the one generated and stored at first start.
async fn signing_secret(
    settings: &AuthSettings,
    writer: &Writer,
    clock: &dyn Clock,
) -> anyhow::Result<String> {
    match &settings.jwt_secret {
        Some(secret) if secret.len() < MIN_SECRET_BYTES => anyhow::bail!(
            "KINDLING_JWT_SECRET is {} bytes; it must be at least {MIN_SECRET_BYTES}",
            secret.len()
        ),
        Some(secret) => Ok(secret.clone()),
        None => {
            let txn = writer.begin(Lock::Nothing).await?;
            let secret = store::service_settings::get_or_insert(
                &txn,
                "jwt_secret",
                new_signing_secret,
                clock.now(),
            )
            .await
            .context("reading the stored signing secret")?;
            txn.commit().await?;
            Ok(secret)
        }
    }
}

/// The published API, without state: also what `kindling openapi` prints.
pub fn openapi() -> OpenApiService<api::Published, ()> {
    OpenApiService::new(api::Published::default(), "Kindling", env!("CARGO_PKG_VERSION"))
        .description(api::DESCRIPTION)
        .license(LicenseObject::new("MIT").url("https://opensource.org/license/mit"))
        .server(
            ServerObject::new("http://127.0.0.1:8080")
                .description("A local Kindling, as `cargo run --release` serves it."),
        )
        .extra_response_header::<String, _>(
            ExtraHeader::new("X-Request-Id")
                .description("The request's id (a well-formed incoming one is echoed); quote it when reporting a problem."),
        )
        .extra_response_header::<Option<i64>, _>(
            ExtraHeader::new("RateLimit-Limit")
                .description("Requests allowed per minute to this caller (on every response that counts)."),
        )
        .extra_response_header::<Option<i64>, _>(
            ExtraHeader::new("RateLimit-Remaining")
                .description("Requests this caller has left in the current window."),
        )
}

fn routes(
    state: AppState,
    cors_origins: &[String],
    metrics_token: Option<&str>,
) -> BoxEndpoint<'static> {
    let service = openapi();
    let spec_json = service.spec_endpoint();
    let spec_yaml = service.spec_endpoint_yaml();
    let docs = service.swagger_ui();
    let route = Route::new()
        .at("/openapi.json", spec_json)
        .at("/openapi.yaml", spec_yaml)
        .nest("/docs", docs)
        .nest("/", service)
        .with(CatchPanic::new().with_handler(edge::answer_panic))
        .data(state.verifier.clone())
        .data(MetricsToken::new(metrics_token))
        .data(state.clone());
    let edge = Edge::new(route, state)
        .with(Compression::new().algorithms([CompressionAlgo::BR, CompressionAlgo::GZIP]))
        .boxed();
    if cors_origins.is_empty() {
        return edge;
    }
    let edge = Arc::new(edge);
    let allowed: HashSet<String> = cors_origins.iter().cloned().collect();
    let with_cors = Arc::new(
        edge.clone()
            .with(cors(cors_origins))
            .catch_all_error(|error| async move { ApiError::from_poem(error).into_response() }),
    );
    // A request from any other origin is answered as if it came from no
    // page at all: without CORS headers, so that a browser keeps the answer
    // from that page, while other clients that send `Origin` are served.
    poem::endpoint::make(move |request: Request| {
        let from_allowed = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|origin| origin.to_str().ok())
            .is_some_and(|origin| allowed.contains(origin));
        let (edge, with_cors) = (edge.clone(), with_cors.clone());
        async move {
            if from_allowed {
                with_cors.get_response(request).await
            } else {
                edge.get_response(request).await
            }
        }
    })
    .boxed()
}

/// What pages of `origins` may do from a browser: every method the API
/// has, the headers it reads, and reading the headers it answers with.
fn cors(origins: &[String]) -> Cors {
    Cors::new()
        .allow_origins(origins.iter().map(String::as_str))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            "authorization",
            "content-type",
            "if-none-match",
            "x-request-id",
        ])
        .expose_headers([
            "etag",
            "location",
            "ratelimit-limit",
            "ratelimit-remaining",
            "retry-after",
            "x-request-id",
        ])
        .max_age(600)
}

/// The published operations, read from the document once per process (it
/// is the same for every app built).
fn catalogue() -> Arc<Catalogue> {
    static CATALOGUE: OnceLock<Arc<Catalogue>> = OnceLock::new();
    CATALOGUE
        .get_or_init(|| {
            let document = serde_json::from_str(&openapi().spec()).expect("the document is JSON");
            Arc::new(Catalogue::of(&document))
        })
        .clone()
}

/// The OpenAPI document as YAML, exactly as served at `/openapi.yaml`.
pub fn openapi_yaml() -> String {
    openapi().spec_yaml()
}
