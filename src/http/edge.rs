//! What every request passes through, whatever its route: a request id, the
//! body limit, the general rate limit, turning every error into a problem
//! document, one log line, and the metrics.

use std::{any::Any, time::Instant};

use poem::{
    Endpoint, IntoResponse, Request, Response,
    http::{HeaderName, HeaderValue, Method, StatusCode, header},
};
use poem_openapi::{OperationId, error::ParsePathError};
use tracing::Instrument;
use uuid::Uuid;

use super::{
    bearer::VerifiedToken,
    catalogue::BodyCheck,
    limiter::Allowance,
    problem::{ApiError, MAX_BODY_BYTES, too_large},
    state::AppState,
};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The client's address, as the rate limits see it.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

/// Paths that are never rate limited, so probes and scrapers always answer.
const UNLIMITED: &[&str] = &["/healthz", "/readyz", "/metrics"];

pub struct Edge<E> {
    inner: E,
    state: AppState,
}

impl<E> Edge<E> {
    pub fn new(inner: E, state: AppState) -> Self {
        Self { inner, state }
    }
}

impl<E: Endpoint> Endpoint for Edge<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> poem::Result<Response> {
        let started = Instant::now();
        let request_id = req
            .headers()
            .get(&REQUEST_ID)
            .and_then(|value| value.to_str().ok())
            .filter(|id| is_well_formed_request_id(id))
            .map(str::to_owned)
            .unwrap_or_else(|| Uuid::now_v7().to_string());
        let method = req.method().clone();
        let personal = req.uri().path().starts_with("/v1/");
        // At the highest level, so that the request id is on every line
        // logged inside it, whatever the filter lets through.
        let span = tracing::error_span!("request", request_id = %request_id);
        async move {
            let client = client_addr(&req, self.state.trust_forwarded_for);
            req.extensions_mut().insert(ClientAddr(client));
            let path = req.uri().path().to_owned();
            let (answer, allowance) = self.handle(req).await;
            let (mut response, route) = match answer {
                Ok(response) => {
                    let route = response.data::<OperationId>().map(|id| id.0);
                    let route = route.unwrap_or_else(|| unnamed_route(response.status()));
                    (response, route)
                }
                Err(error) => {
                    let route = error.data::<OperationId>().map(|id| id.0);
                    let problem = self.problem(error, &path);
                    let route = route.unwrap_or_else(|| unnamed_route(problem.status()));
                    if let Some(cause) = problem.cause() {
                        tracing::error!(route, error = %cause.message, at = %cause.at, "internal error");
                    }
                    (problem.into_response(), route)
                }
            };
            let status = response.status();
            let headers = response.headers_mut();
            if let Some(allowance) = allowance {
                headers.insert("ratelimit-limit", allowance.limit.into());
                headers.insert("ratelimit-remaining", allowance.remaining.into());
            }
            if let Ok(value) = HeaderValue::from_str(&request_id) {
                headers.insert(REQUEST_ID, value);
            }
            headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            // Tokens and personal data: no shared or browser cache keeps them
            // (clients that poll keep their `ETag`s themselves).
            if personal {
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            }
            let elapsed = started.elapsed();
            self.state.metrics.observe(
                route,
                method.as_str(),
                status.as_u16(),
                elapsed.as_secs_f64(),
            );
            tracing::info!(
                target: "kindling::http",
                method = %method,
                route,
                status = status.as_u16(),
                latency_ms = elapsed.as_secs_f64() * 1000.0,
                "request"
            );
            Ok(response)
        }
        .instrument(span)
        .await
    }
}

impl<E: Endpoint> Edge<E> {
    /// The answer, and what is left of the caller's limit when the request
    /// counted against it (whatever the answer).
    async fn handle(&self, mut req: Request) -> (poem::Result<Response>, Option<Allowance>) {
        if let Err(error) = limit_body(&mut req).await {
            return (Err(error.into()), None);
        }
        let user = self.verified_user(&req);
        if let Some(user) = user {
            req.extensions_mut().insert(user);
        }
        let allowance = if UNLIMITED.contains(&req.uri().path()) {
            None
        } else {
            match self.state.limiter.check(&caller(&req, user)) {
                Ok(allowance) => Some(allowance),
                Err(error) => return (Err(error.into()), None),
            }
        };
        if let Err(error) = self.check_body(&mut req).await {
            return (Err(error.into()), allowance);
        }
        let answer = self.inner.call(req).await.map(IntoResponse::into_response);
        (answer, allowance)
    }

    /// Refuses a JSON body whose shape the document forbids, naming each
    /// field, before a handler parses it.
    async fn check_body(&self, req: &mut Request) -> Result<(), ApiError> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("application/json"));
        if !json {
            return Ok(());
        }
        let body = req
            .take_body()
            .into_bytes_limit(MAX_BODY_BYTES)
            .await
            .map_err(|_| too_large())?;
        let checked = self
            .state
            .catalogue
            .check_body(req.method(), req.uri().path(), &body);
        req.set_body(body);
        match checked {
            Some(BodyCheck::Invalid(errors)) => Err(ApiError::validation(errors)),
            Some(BodyCheck::Unreadable) | None => Ok(()),
        }
    }

    /// The problem for an error raised by a route at `path`: as
    /// [`ApiError::from_poem`] makes it, with a path parameter under its
    /// name in the path and the `Allow` header on a 405.
    fn problem(&self, error: poem::Error, path: &str) -> ApiError {
        let catalogue = &self.state.catalogue;
        if let Some(e) = error.downcast_ref::<ParsePathError>()
            && let Some(name) = catalogue.path_parameter(path, e.name)
        {
            return ApiError::invalid_parameter(name, &e.reason);
        }
        let problem = ApiError::from_poem(error);
        if problem.status() != StatusCode::METHOD_NOT_ALLOWED {
            return problem;
        }
        let allowed = catalogue
            .allowed(path)
            .and_then(|allowed| HeaderValue::from_str(&allowed).ok());
        match allowed {
            Some(allowed) => problem.with_header(header::ALLOW, allowed),
            None => problem,
        }
    }

    /// The person of a valid bearer token, verified once here: the rate limit
    /// counts them, and the bearer scheme takes them from the request rather
    /// than verifying again. An invalid token is left for the scheme to refuse
    /// with the right problem.
    fn verified_user(&self, req: &Request) -> Option<VerifiedToken> {
        let token = req
            .headers()
            .get(header::AUTHORIZATION)?
            .to_str()
            .ok()?
            .strip_prefix("Bearer ")?;
        self.state.verifier.verify(token).ok()
    }
}

/// Whom the general limit counts: the person, when the request carries a
/// valid access token, otherwise the client address.
fn caller(req: &Request, user: Option<VerifiedToken>) -> String {
    match user {
        Some(user) => format!("user:{}", user.0),
        None => format!(
            "addr:{}",
            req.extensions()
                .get::<ClientAddr>()
                .map_or("unknown", |addr| addr.0.as_str())
        ),
    }
}

/// Refuses bodies over [`MAX_BODY_BYTES`]: at once when `Content-Length` says
/// so, otherwise (a chunked body) by reading at most that much.
async fn limit_body(req: &mut Request) -> Result<(), ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    match declared {
        Some(length) if length > MAX_BODY_BYTES as u64 => Err(too_large()),
        Some(_) => Ok(()),
        None if req.method() == Method::GET || req.method() == Method::HEAD => Ok(()),
        None => {
            let body = req
                .take_body()
                .into_bytes_limit(MAX_BODY_BYTES)
                .await
                .map_err(|_| too_large())?;
            req.set_body(body);
            Ok(())
        }
    }
}

fn client_addr(req: &Request, trust_forwarded_for: bool) -> String {
    let forwarded = trust_forwarded_for
        .then(|| {
            req.headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .map(str::trim)
                .rfind(|entry| !entry.is_empty())
                .map(str::to_owned)
        })
        .flatten();
    forwarded.unwrap_or_else(|| match req.remote_addr().as_socket_addr() {
        Some(addr) => addr.ip().to_string(),
        None => req.remote_addr().to_string(),
    })
}

/// The answer to a handler that panicked: a 500 problem like any other (the
/// edge adds the request id), with the panic's message logged.
pub fn answer_panic(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|message| (*message).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    tracing::error!(panic = %message, "a handler panicked");
    ApiError::internal(message).into_response()
}

/// An incoming `X-Request-Id` is echoed only when it is a short token of
/// safe characters, so that it cannot forge log lines.
fn is_well_formed_request_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// The metrics label of a response no operation answered.
fn unnamed_route(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => "unmatched",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_is_answered_with_a_500_problem_that_tells_nothing() {
        let response = answer_panic(Box::new("index out of bounds: the len is 3"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            crate::http::problem::PROBLEM_CONTENT_TYPE
        );
        let body = response.into_body().into_string().await.unwrap();
        assert!(body.contains("\"code\":\"internal_error\""), "{body}");
        assert!(!body.contains("index out of bounds"), "{body}");
    }

    #[test]
    fn request_ids_are_echoed_only_when_safe() {
        assert!(is_well_formed_request_id(
            "3f0c6a2e-9a51-4d2c-8f1e-6f1a2b3c4d5e"
        ));
        assert!(is_well_formed_request_id("req_01:abc.def"));
        assert!(!is_well_formed_request_id(""));
        assert!(!is_well_formed_request_id("a b"));
        assert!(!is_well_formed_request_id("line\nbreak"));
        assert!(!is_well_formed_request_id(&"a".repeat(129)));
    }
}
