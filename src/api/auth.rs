//! `/v1/auth`: registration, login, refresh with rotation and reuse
//! detection, logout.

use poem::web::Data;
use poem_openapi::{ApiResponse, Object, OpenApi, payload::Json, types::Example};
use uuid::uuid;

use super::{
    ApiTag,
    support::{
        bounded::{Anything, Text, Visible},
        examples,
        fields::Fields,
    },
    views::UserView,
};
use crate::{
    auth::tokens::{ACCESS_TOKEN_TTL, Claims, TokenKeys},
    domain::account::{DisplayName, Email, Password, parse_timezone},
    http::{
        edge::ClientAddr,
        problem::{Problem, status::*},
        state::AppState,
    },
    service::{
        self,
        auth::{Gate, Registration, Session},
    },
};

#[derive(Default)]
pub struct AuthApi;

/// A new account.
#[derive(Debug, Object)]
#[oai(example)]
pub struct RegisterRequest {
    /// Email address; one account per address, compared after NFKC
    /// normalisation and without case. Invisible characters are refused.
    pub email: String,
    /// 8 to 128 characters.
    pub password: Text<{ Password::MIN_CHARS }, { Password::MAX_CHARS }, Anything>,
    /// The name colleagues will see, 1 to 80 characters, NFKC-normalised;
    /// invisible and direction characters are refused.
    pub display_name: Text<1, { DisplayName::MAX_CHARS }, Visible>,
    /// IANA timezone, e.g. `Europe/London`; `UTC` when left out.
    pub timezone: Option<String>,
}

/// The password of the examples: a passphrase.
pub(super) const EXAMPLE_PASSWORD: &str = "kettle lantern meadow 42";

/// What makes [`UserView::example`].
impl Example for RegisterRequest {
    fn example() -> Self {
        let user = UserView::example();
        Self {
            email: user.email,
            password: Text::new(EXAMPLE_PASSWORD.to_owned()),
            display_name: Text::new(user.display_name),
            timezone: Some(user.timezone),
        }
    }
}

/// Credentials.
#[derive(Debug, Object)]
#[oai(example)]
pub struct LoginRequest {
    /// The account's email address.
    pub email: String,
    /// The account's password.
    pub password: String,
}

impl Example for LoginRequest {
    fn example() -> Self {
        Self {
            email: examples::ANA_EMAIL.to_owned(),
            password: EXAMPLE_PASSWORD.to_owned(),
        }
    }
}

/// A refresh token to spend.
#[derive(Debug, Object)]
#[oai(example)]
pub struct RefreshRequest {
    /// The refresh token from the last register, login or refresh.
    pub refresh_token: String,
}

impl Example for RefreshRequest {
    fn example() -> Self {
        Self {
            refresh_token: examples::REFRESH_TOKEN.to_owned(),
        }
    }
}

/// A signed-in session: the person and a fresh token pair.
#[derive(Debug, Object)]
#[oai(example)]
pub struct TokenPair {
    pub user: UserView,
    /// JWT to send as `Authorization: Bearer <token>`.
    pub access_token: String,
    /// Opaque token to get the next pair from `/v1/auth/refresh`; single use,
    /// valid 30 days.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires (900).
    pub expires_in: i64,
}

/// Every token pair's `token_type`.
const TOKEN_TYPE: &str = "Bearer";

/// Ana's session, with an access token issued as the service issues them,
/// signed with a secret of the examples' own.
impl Example for TokenPair {
    fn example() -> Self {
        let issued = examples::at("2026-11-30T07:42:00Z").0;
        let claims = Claims::access(
            examples::ANA,
            issued,
            uuid!("01a22b67-4e7e-75b1-88bd-b86ccf33cc01"),
        );
        let access_token = TokenKeys::new(b"the examples' own signing secret, 32+ bytes")
            .sign(&claims)
            .expect("the example claims sign");
        Self {
            user: UserView::example(),
            access_token,
            refresh_token: examples::REFRESH_TOKEN.to_owned(),
            token_type: TOKEN_TYPE.to_owned(),
            expires_in: ACCESS_TOKEN_TTL.num_seconds(),
        }
    }
}

#[derive(ApiResponse)]
pub enum RegisterResponse {
    /// The account was created; the body holds its first token pair.
    #[oai(status = 201)]
    Created(Json<TokenPair>),
}

#[derive(ApiResponse)]
pub enum TokenResponse {
    /// A new token pair.
    #[oai(status = 200)]
    Ok(Json<TokenPair>),
}

#[derive(ApiResponse)]
pub enum LogoutResponse {
    /// The login is over: its refresh tokens no longer work.
    #[oai(status = 204)]
    LoggedOut,
}

#[OpenApi(prefix_path = "/v1/auth", tag = "ApiTag::Auth")]
impl AuthApi {
    /// Create an account
    ///
    /// Creates an account and signs it in. At most 20 registrations per client
    /// address per hour (429 `too_many_registrations`). An address already
    /// registered is 409 `email_taken`.
    #[oai(path = "/register", method = "post", operation_id = "register")]
    async fn register(
        &self,
        state: Data<&AppState>,
        client: Data<&ClientAddr>,
        body: Json<RegisterRequest>,
    ) -> Result<RegisterResponse, Problem<{ JSON_BODY | CONFLICT }>> {
        let mut fields = Fields::default();
        let email = fields.check("email", Email::parse(&body.email));
        let password = fields.check("password", Password::parse(&body.password));
        let name = fields.check("display_name", DisplayName::parse(&body.display_name));
        let timezone = fields.check(
            "timezone",
            parse_timezone(body.timezone.as_deref().unwrap_or("UTC")),
        );
        let (Some(email), Some(password), Some(display_name), Some(timezone)) =
            (email, password, name, timezone)
        else {
            return Err(fields.into_error().into());
        };

        let registration = Registration {
            email,
            password,
            display_name,
            timezone,
        };
        let session = service::auth::register(&gate(&state, &client), registration).await?;
        Ok(RegisterResponse::Created(Json(session.into())))
    }

    /// Log in
    ///
    /// Exchanges email and password for a token pair, starting a new login.
    /// A wrong password and an unknown email get the same 401
    /// `invalid_credentials`, in the same time. Failed attempts are limited to
    /// 10 per account and 50 per client address in 15 minutes (429
    /// `too_many_login_attempts`, with `Retry-After`). An account over its
    /// limit is locked only from the addresses its failures came from: from
    /// another address, its owner still gets one try.
    #[oai(path = "/login", method = "post", operation_id = "login")]
    async fn login(
        &self,
        state: Data<&AppState>,
        client: Data<&ClientAddr>,
        body: Json<LoginRequest>,
    ) -> Result<TokenResponse, Problem<{ JSON_BODY | UNAUTHORIZED }>> {
        let body = body.0;
        let session = service::auth::login(
            &gate(&state, &client),
            &state.reader,
            &body.email,
            body.password,
        )
        .await?;
        Ok(TokenResponse::Ok(Json(session.into())))
    }

    /// Refresh the token pair
    ///
    /// Spends a refresh token for a new pair. Each refresh token works once:
    /// presenting one that was already spent is taken as theft, and revokes
    /// the whole login (401 `refresh_token_reused`), except within 30
    /// seconds of its first use while the token it was rotated to is
    /// unspent, when it gets that same new token again (a client's retry).
    /// An unknown, revoked or expired token is 401 `invalid_refresh_token`;
    /// a login ends 90 days after it began.
    #[oai(path = "/refresh", method = "post", operation_id = "refresh")]
    async fn refresh(
        &self,
        state: Data<&AppState>,
        body: Json<RefreshRequest>,
    ) -> Result<TokenResponse, Problem<{ JSON_BODY | UNAUTHORIZED }>> {
        let session = service::auth::refresh(
            &state.writer,
            &state.tokens,
            &body.refresh_token,
            state.clock.now(),
        )
        .await?;
        Ok(TokenResponse::Ok(Json(session.into())))
    }

    /// Log out
    ///
    /// Revokes the login the refresh token belongs to: none of its refresh
    /// tokens work afterwards. Access tokens already issued expire on their
    /// own within 15 minutes. Answers 204 for an unknown token as well, so
    /// logging out twice is harmless.
    #[oai(path = "/logout", method = "post", operation_id = "logout")]
    async fn logout(
        &self,
        state: Data<&AppState>,
        body: Json<RefreshRequest>,
    ) -> Result<LogoutResponse, Problem<JSON_BODY>> {
        service::auth::logout(&state.writer, &body.refresh_token, state.clock.now()).await?;
        Ok(LogoutResponse::LoggedOut)
    }
}

pub(super) fn gate<'a>(state: &'a AppState, client: &'a ClientAddr) -> Gate<'a> {
    Gate {
        writer: &state.writer,
        keys: &state.tokens,
        hasher: &state.hasher,
        limits: &state.limits,
        client: &client.0,
        now: state.clock.now(),
    }
}

impl From<Session> for TokenPair {
    fn from(session: Session) -> Self {
        Self {
            user: session.user.into(),
            access_token: session.access_token,
            refresh_token: session.refresh_token,
            token_type: TOKEN_TYPE.to_owned(),
            expires_in: ACCESS_TOKEN_TTL.num_seconds(),
        }
    }
}
