//! The HTTP edge: one `#[OpenApi]` impl per tag, with its request and response
//! types. Handlers parse and authorise, leave rules to `domain` and storage to
//! `store`, and never build SQL.

pub mod auth;
pub mod me;
pub mod operations;
pub mod timestamp;
pub mod views;

use poem_openapi::Tags;

#[derive(Tags)]
pub enum ApiTag {
    /// Accounts and tokens: register, log in, refresh, log out.
    Auth,
    /// The signed-in person's own account.
    Me,
    /// Health, readiness and metrics for operators.
    Operations,
}

pub type Apis = (auth::AuthApi, me::MeApi, operations::OperationsApi);

pub fn apis() -> Apis {
    (auth::AuthApi, me::MeApi, operations::OperationsApi)
}

pub const DESCRIPTION: &str = "\
Kindling's HTTP API. JSON bodies with `snake_case` fields; timestamps are RFC 3339 \
in UTC; calendar days are local dates (`YYYY-MM-DD`); timezones are IANA names.

**Authentication.** Register or log in to receive a short-lived access token \
(a JWT, 15 minutes) and a refresh token (30 days, rotated on every use). Send \
`Authorization: Bearer <access token>`. Reusing a spent refresh token revokes \
that whole login.

**Errors.** Every error is an RFC 9457 problem document \
(`application/problem+json`) with a stable `code`; validation failures list \
each invalid field in `errors`. Every response carries `X-Request-Id`.

**Limits.** Bodies are limited to 1 MiB. Requests are limited per caller \
(`RateLimit-Limit` and `RateLimit-Remaining` on every response); over a limit \
the answer is 429 with `Retry-After`.";
