//! `/v1/auth`: registration, login, refresh with rotation and reuse
//! detection, logout.

use chrono::{DateTime, Duration, Utc};
use poem::web::Data;
use poem_openapi::{ApiResponse, Object, OpenApi, payload::Json};
use uuid::Uuid;

use super::{ApiTag, views::UserView};
use crate::{
    app::AppState,
    auth::{
        password,
        tokens::{ACCESS_TOKEN_TTL, hash_secret},
    },
    db,
    domain::{
        account::{DisplayName, Email, Password, parse_timezone},
        fields::Fields,
    },
    edge::ClientAddr,
    error::{ApiError, Problem, USERS_EMAIL_KEY, status::*, violates},
    store::{self, users::NewUser},
};

/// Window of the failed-login limits.
const LOGIN_WINDOW: Duration = Duration::minutes(15);
/// Window of the registration limit.
const REGISTRATION_WINDOW: Duration = Duration::hours(1);

pub struct AuthApi;

/// A new account.
#[derive(Debug, Object)]
pub struct RegisterRequest {
    /// Email address; one account per address, compared without case.
    pub email: String,
    /// 8 to 128 characters.
    pub password: String,
    /// The name colleagues will see, 1 to 80 characters.
    pub display_name: String,
    /// IANA timezone, e.g. `Europe/London`; `UTC` when left out.
    pub timezone: Option<String>,
}

/// Credentials.
#[derive(Debug, Object)]
pub struct LoginRequest {
    /// The account's email address.
    pub email: String,
    /// The account's password.
    pub password: String,
}

/// A refresh token to spend.
#[derive(Debug, Object)]
pub struct RefreshRequest {
    /// The refresh token from the last register, login or refresh.
    pub refresh_token: String,
}

/// A signed-in session: the person and a fresh token pair.
#[derive(Debug, Object)]
pub struct TokenPair {
    /// The signed-in person.
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

        let now = state.clock.now();
        let (window_start, retry_after) = store::rate_limits::window(now, REGISTRATION_WINDOW);
        let limit = state.limits.registrations_per_address.get();
        let key = format!("register:addr:{}", client.0.0);
        if store::rate_limits::hit(&state.writer, &key, window_start).await? > limit {
            return Err(
                ApiError::rate_limited("too_many_registrations", limit, retry_after).into(),
            );
        }

        let password_hash = password::hash(password.into_inner()).await?;
        let txn = db::begin_write(&state.writer).await?;
        let new_user = NewUser {
            email,
            password_hash,
            display_name,
            timezone,
        };
        let user = match store::users::insert(&txn, new_user, now).await {
            Ok(user) => user,
            Err(error) if violates(&error, &USERS_EMAIL_KEY) => {
                return Err(ApiError::conflict(
                    "email_taken",
                    "An account with this email address exists.",
                )
                .into());
            }
            Err(error) => return Err(error.into()),
        };
        let refresh_token =
            store::refresh_tokens::issue(&txn, user.id, Uuid::now_v7(), now).await?;
        txn.commit().await?;
        let pair = token_pair(&state, user, refresh_token, now)?;
        Ok(RegisterResponse::Created(Json(pair)))
    }

    /// Log in
    ///
    /// Exchanges email and password for a token pair, starting a new login.
    /// A wrong password and an unknown email get the same 401
    /// `invalid_credentials`, in the same time. Failed attempts are limited to
    /// 10 per account and 50 per client address in 15 minutes (429
    /// `too_many_login_attempts`, with `Retry-After`).
    #[oai(path = "/login", method = "post", operation_id = "login")]
    async fn login(
        &self,
        state: Data<&AppState>,
        client: Data<&ClientAddr>,
        body: Json<LoginRequest>,
    ) -> Result<TokenResponse, Problem<{ JSON_BODY | UNAUTHORIZED }>> {
        let now = state.clock.now();
        let email = Email::parse(&body.email).ok();
        // Keyed by a hash of what was typed, so the counter names no address
        // and exists alike for accounts that do and do not exist.
        let typed = email.as_ref().map_or_else(
            || body.email.trim().to_lowercase(),
            |e| e.as_str().to_owned(),
        );
        let account_key = format!("login:account:{}", hash_secret(&typed));
        let address_key = format!("login:addr:{}", client.0.0);
        let (window_start, retry_after) = store::rate_limits::window(now, LOGIN_WINDOW);

        // Each attempt is counted before the password is checked, so parallel
        // guesses cannot slip past the limit; a success takes its count back.
        let account_hits =
            store::rate_limits::hit(&state.writer, &account_key, window_start).await?;
        let address_hits =
            store::rate_limits::hit(&state.writer, &address_key, window_start).await?;
        let account_limit = state.limits.login_failures_per_account.get();
        let address_limit = state.limits.login_failures_per_address.get();
        if account_hits > account_limit {
            return Err(ApiError::rate_limited(
                "too_many_login_attempts",
                account_limit,
                retry_after,
            )
            .into());
        }
        if address_hits > address_limit {
            return Err(ApiError::rate_limited(
                "too_many_login_attempts",
                address_limit,
                retry_after,
            )
            .into());
        }

        let user = match &email {
            Some(email) => store::users::find_by_email(&state.db, email).await?,
            None => None,
        };
        let stored_hash = user.as_ref().map(|user| user.password_hash.clone());
        let verified = password::verify(body.0.password, stored_hash).await?;
        let Some(user) = user.filter(|_| verified) else {
            return Err(ApiError::unauthorized(
                "invalid_credentials",
                "The email or the password is wrong.",
            )
            .into());
        };

        store::rate_limits::clear(&state.writer, &account_key).await?;
        store::rate_limits::unhit(&state.writer, &address_key, window_start).await?;
        let refresh_token =
            store::refresh_tokens::issue(&state.writer, user.id, Uuid::now_v7(), now).await?;
        Ok(TokenResponse::Ok(Json(token_pair(
            &state,
            user,
            refresh_token,
            now,
        )?)))
    }

    /// Refresh the token pair
    ///
    /// Spends a refresh token for a new pair. Each refresh token works once:
    /// presenting one that was already spent is taken as theft, and revokes
    /// the whole login (401 `refresh_token_reused`). An unknown, revoked or
    /// expired token is 401 `invalid_refresh_token`.
    #[oai(path = "/refresh", method = "post", operation_id = "refresh")]
    async fn refresh(
        &self,
        state: Data<&AppState>,
        body: Json<RefreshRequest>,
    ) -> Result<TokenResponse, Problem<{ JSON_BODY | UNAUTHORIZED }>> {
        let now = state.clock.now();
        let invalid = || {
            ApiError::unauthorized(
                "invalid_refresh_token",
                "The refresh token is unknown, revoked or expired; log in again.",
            )
        };
        let txn = db::begin_write(&state.writer).await?;
        let Some(token) = store::refresh_tokens::find_by_token(&txn, &body.refresh_token).await?
        else {
            return Err(invalid().into());
        };
        if token.revoked_at.is_some() || token.expires_at <= now {
            return Err(invalid().into());
        }
        if !store::refresh_tokens::spend(&txn, token.id, now).await? {
            store::refresh_tokens::revoke_family(&txn, token.family_id, now).await?;
            txn.commit().await?;
            return Err(ApiError::unauthorized(
                "refresh_token_reused",
                "This refresh token was already used, so this login has been revoked; log in again.",
            )
            .into());
        }
        let user = store::users::find(&txn, token.user_id)
            .await?
            .ok_or_else(invalid)?;
        let refresh_token =
            store::refresh_tokens::issue(&txn, user.id, token.family_id, now).await?;
        txn.commit().await?;
        Ok(TokenResponse::Ok(Json(token_pair(
            &state,
            user,
            refresh_token,
            now,
        )?)))
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
        if let Some(token) =
            store::refresh_tokens::find_by_token(&state.writer, &body.refresh_token).await?
        {
            store::refresh_tokens::revoke_family(&state.writer, token.family_id, state.clock.now())
                .await?;
        }
        Ok(LogoutResponse::LoggedOut)
    }
}

fn token_pair(
    state: &AppState,
    user: entity::users::Model,
    refresh_token: String,
    now: DateTime<Utc>,
) -> Result<TokenPair, ApiError> {
    Ok(TokenPair {
        access_token: state.tokens.issue_access(user.id, now)?,
        refresh_token,
        token_type: "Bearer".to_owned(),
        expires_in: ACCESS_TOKEN_TTL.num_seconds(),
        user: user.into(),
    })
}
