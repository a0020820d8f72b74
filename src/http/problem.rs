//! Errors at the HTTP edge. Every error a client can meet, whether raised by a
//! handler ([`ApiError`]) or by poem itself (unknown route, bad body, missing
//! credentials…), leaves as an RFC 9457 problem document with a stable `code`.
//! A 500 never shows its cause: the cause, and the line of code it surfaced
//! at, travel with the error to the edge, which logs them with the request
//! id and the operation.
//!
//! Handlers return `Result<T, Problem<S>>`, where the bit set `S` lists the
//! statuses the operation can answer with, so that the OpenAPI document shows
//! each operation's own errors.

use std::panic::Location;

use poem::{
    IntoResponse, Response,
    error::{CorsError, ResponseError},
    http::{HeaderName, HeaderValue, StatusCode, header},
};
use poem_openapi::{
    ApiResponse, Object,
    registry::{
        MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef, Registry,
    },
    types::{Example, Type},
};
use sea_orm::DbErr;

use crate::{auth::tokens::TokenError, domain::account::parse_timezone};

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct ProblemDocument {
    /// A URI naming the problem type: `urn:kindling:problem:<code>`.
    #[oai(rename = "type")]
    pub type_: String,
    /// A short, human-readable summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: i32,
    /// A human-readable explanation of this occurrence.
    pub detail: String,
    /// A stable, machine-readable word that clients may switch on, e.g.
    /// `validation_failed`, `not_found`, `email_taken`, `rate_limited`.
    pub code: String,
    /// For a 422 (`validation_failed`, `date_out_of_range`), one entry per
    /// invalid field; empty for every other problem.
    pub errors: Vec<FieldError>,
}

/// The problem that lists its fields, as the service words it.
impl Example for ProblemDocument {
    fn example() -> Self {
        ApiError::validation(vec![FieldError::example()]).document()
    }
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
#[oai(example)]
pub struct FieldError {
    /// The field's name as sent, e.g. `timezone`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl Example for FieldError {
    fn example() -> Self {
        let refused = parse_timezone("Europe/Londres").expect_err("no such timezone");
        Self::new("timezone", refused)
    }
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// An error a handler answers with.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{status} {code}: {detail}")]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    detail: String,
    errors: Vec<FieldError>,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Boxed: most errors have none, and all travel in `Result`s.
    cause: Option<Box<Cause>>,
}

/// Why a 500 happened, for the log alone.
#[derive(Debug, Clone)]
pub struct Cause {
    pub message: String,
    /// Where in Kindling's code the failure surfaced.
    pub at: &'static Location<'static>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            headers: Vec::new(),
            cause: None,
        }
    }

    /// 422 listing every invalid field.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let mut error = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "The request has invalid fields; see `errors`.",
        );
        error.errors = errors;
        error
    }

    /// 401 with the `WWW-Authenticate` challenge RFC 6750 asks for.
    pub fn unauthorized(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, detail).with_header(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"kindling\""),
        )
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("No such {what}."),
        )
    }

    /// 403: the caller may see the resource but not do this to it.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, detail)
    }

    /// 429 with `Retry-After` and the `RateLimit-*` headers.
    pub fn rate_limited(code: &'static str, limit: u32, retry_after_secs: u64) -> Self {
        let retry_after_secs = retry_after_secs.max(1);
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            code,
            format!("Too many requests; try again in {retry_after_secs} seconds."),
        )
        .with_header(header::RETRY_AFTER, retry_after_secs.into())
        .with_header(HeaderName::from_static("ratelimit-limit"), limit.into())
        .with_header(HeaderName::from_static("ratelimit-remaining"), 0.into())
        .with_header(
            HeaderName::from_static("ratelimit-reset"),
            retry_after_secs.into(),
        )
    }

    /// A 500, located where this is called. The cause is kept for the log
    /// and never sent.
    #[track_caller]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::internal_at(cause.to_string(), Location::caller())
    }

    /// A 500 whose cause surfaced at `at`.
    pub fn internal_at(message: String, at: &'static Location<'static>) -> Self {
        let mut error = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Something went wrong on our side. Quote the X-Request-Id header when reporting it.",
        );
        error.cause = Some(Box::new(Cause { message, at }));
        error
    }

    /// Why a 500 happened.
    pub fn cause(&self) -> Option<&Cause> {
        self.cause.as_deref()
    }

    /// The same error under a more specific code.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    pub fn document(&self) -> ProblemDocument {
        ProblemDocument {
            type_: format!("urn:kindling:problem:{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16().into(),
            detail: self.detail.clone(),
            code: self.code.to_owned(),
            errors: self.errors.clone(),
        }
    }

    /// 422 for the parameter `name` that poem-openapi could not parse, for
    /// the `reason` it gave.
    pub fn invalid_parameter(name: &str, reason: &str) -> Self {
        Self::validation(vec![FieldError::new(name, parameter_message(reason))])
    }

    /// Turns any error poem or poem-openapi raised into a problem.
    pub fn from_poem(error: poem::Error) -> Self {
        use poem_openapi::error::{
            AuthorizationError, ContentTypeError, ParseParamError, ParsePathError,
            ParseRequestPayloadError,
        };
        let error = match error.downcast::<ApiError>() {
            Ok(api_error) => return api_error,
            Err(error) => error,
        };
        if let Some(e) = error.downcast_ref::<CorsError>() {
            return Self::new(StatusCode::FORBIDDEN, "cors_refused", format!("{e}."));
        }
        if error.is::<AuthorizationError>() {
            return Self::unauthorized(
                "unauthorized",
                "This operation needs a bearer access token.",
            );
        }
        if let Some(e) = error.downcast_ref::<ParseRequestPayloadError>() {
            return Self::new(
                StatusCode::BAD_REQUEST,
                "invalid_body",
                format!("The body could not be read: {}", e.reason),
            );
        }
        if let Some(e) = error.downcast_ref::<ParseParamError>() {
            return Self::invalid_parameter(e.name, &e.reason);
        }
        if let Some(e) = error.downcast_ref::<ParsePathError>() {
            return Self::invalid_parameter(e.name, &e.reason);
        }
        if let Some(e) = error.downcast_ref::<ContentTypeError>() {
            return Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!("{e}; send `Content-Type: application/json`."),
            );
        }
        match error.status() {
            StatusCode::NOT_FOUND => Self::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "There is nothing at this path.",
            ),
            StatusCode::METHOD_NOT_ALLOWED => Self::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "This path does not accept this method.",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => too_large(),
            status if status.is_server_error() => Self::internal(error),
            status => Self::new(status, "bad_request", error.to_string()),
        }
    }
}

/// What poem-openapi says of a parameter it could not parse, without the
/// names of its internal types: the message of the innermost cause.
fn parameter_message(reason: &str) -> String {
    let reason = reason
        .split(" (occurred while parsing")
        .next()
        .unwrap_or(reason);
    let reason = match reason.strip_prefix("failed to parse \"") {
        Some(rest) => rest.split_once("\": ").map_or(rest, |(_, message)| message),
        None => reason,
    };
    reason.to_owned()
}

/// The body limit every request is held to.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("The body is larger than {MAX_BODY_BYTES} bytes."),
    )
}

impl ResponseError for ApiError {
    fn status(&self) -> StatusCode {
        self.status
    }

    fn as_response(&self) -> Response {
        let body = serde_json::to_vec(&poem_openapi::types::ToJSON::to_json(&self.document()))
            .expect("a problem document serialises");
        let mut response = Response::builder()
            .status(self.status)
            .content_type(PROBLEM_CONTENT_TYPE)
            .body(body);
        for (name, value) in &self.headers {
            response.headers_mut().insert(name.clone(), value.clone());
        }
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.as_response()
    }
}

impl From<TokenError> for ApiError {
    fn from(error: TokenError) -> Self {
        match error {
            TokenError::Invalid => {
                Self::unauthorized("invalid_token", "The access token is not valid.")
            }
            TokenError::Expired => {
                Self::unauthorized("token_expired", "The access token has expired; refresh it.")
            }
        }
    }
}

/// `?` on a database error records the line of the `?`.
impl From<DbErr> for ApiError {
    #[track_caller]
    fn from(error: DbErr) -> Self {
        Self::internal(error)
    }
}

/// The statuses an operation can answer with besides success, as bits of the
/// `S` in [`Problem<S>`]. 429 and 500 are documented on every operation.
pub mod status {
    pub const BAD_REQUEST: u32 = 1 << 0;
    pub const UNAUTHORIZED: u32 = 1 << 1;
    pub const FORBIDDEN: u32 = 1 << 2;
    pub const NOT_FOUND: u32 = 1 << 3;
    pub const CONFLICT: u32 = 1 << 4;
    pub const PAYLOAD_TOO_LARGE: u32 = 1 << 5;
    pub const UNSUPPORTED_MEDIA_TYPE: u32 = 1 << 6;
    pub const UNPROCESSABLE: u32 = 1 << 7;
    pub const SERVICE_UNAVAILABLE: u32 = 1 << 8;
    /// What any operation with a JSON body can answer.
    pub const JSON_BODY: u32 =
        BAD_REQUEST | PAYLOAD_TOO_LARGE | UNSUPPORTED_MEDIA_TYPE | UNPROCESSABLE;
}

const DOCUMENTED: &[(u32, u16, &str)] = &[
    (
        status::BAD_REQUEST,
        400,
        "The body is not JSON (`invalid_body`), or a `cursor` is not one this list gave out (`invalid_cursor`).",
    ),
    (
        status::UNAUTHORIZED,
        401,
        "Credentials are missing, invalid or expired (`unauthorized`, `invalid_token`, `invalid_credentials`).",
    ),
    (
        status::FORBIDDEN,
        403,
        "The caller may see this resource but not do this (`forbidden`), or the password that confirms the request is wrong (`wrong_password`).",
    ),
    (
        status::NOT_FOUND,
        404,
        "No such resource, or not the caller's (`not_found`).",
    ),
    (
        status::CONFLICT,
        409,
        "The request conflicts with what is stored (see `code`).",
    ),
    (
        status::PAYLOAD_TOO_LARGE,
        413,
        "The body is over 1 MiB (`payload_too_large`).",
    ),
    (
        status::UNSUPPORTED_MEDIA_TYPE,
        415,
        "The body is not `application/json` (`unsupported_media_type`).",
    ),
    (
        status::UNPROCESSABLE,
        422,
        "Fields or parameters are invalid (`validation_failed`, with `errors` naming each).",
    ),
    (
        0,
        429,
        "Too many requests (`rate_limited` or a more specific code); see `Retry-After`.",
    ),
    (
        0,
        500,
        "An unexpected error (`internal_error`); its cause is logged with the request id.",
    ),
    (
        status::SERVICE_UNAVAILABLE,
        503,
        "A dependency, such as the database, does not answer (`unavailable`).",
    ),
];

/// A handler's error, documenting the statuses in `S` (plus 429 and 500).
#[derive(Debug)]
pub struct Problem<const S: u32>(pub ApiError);

impl<const S: u32> From<ApiError> for Problem<S> {
    fn from(error: ApiError) -> Self {
        Self(error)
    }
}

impl<const S: u32> From<DbErr> for Problem<S> {
    #[track_caller]
    fn from(error: DbErr) -> Self {
        Self(ApiError::internal(error))
    }
}

impl<const S: u32> From<Problem<S>> for poem::Error {
    fn from(problem: Problem<S>) -> Self {
        problem.0.into()
    }
}

impl<const S: u32> ApiResponse for Problem<S> {
    fn meta() -> MetaResponses {
        let problem = MetaMediaType {
            content_type: PROBLEM_CONTENT_TYPE,
            schema: ProblemDocument::schema_ref(),
        };
        MetaResponses {
            responses: DOCUMENTED
                .iter()
                .filter(|(bit, _, _)| *bit == 0 || S & bit != 0)
                .map(|&(_, code, description)| MetaResponse {
                    description,
                    status: Some(code),
                    status_range: None,
                    content: vec![MetaMediaType {
                        content_type: problem.content_type,
                        schema: problem.schema.clone(),
                    }],
                    headers: documented_headers(code),
                })
                .collect(),
        }
    }

    fn register(registry: &mut Registry) {
        ProblemDocument::register(registry);
    }
}

fn documented_headers(status: u16) -> Vec<MetaHeader> {
    let header = |name: &str, description: &str, schema: MetaSchemaRef| MetaHeader {
        name: name.to_owned(),
        description: Some(description.to_owned()),
        required: true,
        deprecated: false,
        schema,
    };
    let seconds = || {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            minimum: Some(1.0),
            ..MetaSchema::new_with_format("integer", "int64")
        }))
    };
    match status {
        401 => vec![header(
            "WWW-Authenticate",
            "`Bearer realm=\"kindling\"`.",
            String::schema_ref(),
        )],
        429 => vec![
            header(
                "Retry-After",
                "Seconds to wait before trying again.",
                seconds(),
            ),
            header(
                "RateLimit-Reset",
                "Seconds until the limit allows a request again.",
                seconds(),
            ),
        ],
        _ => Vec::new(),
    }
}
