//! The bearer security scheme: its checker *is* the authentication. A missing,
//! malformed, forged or expired token is a 401 problem, never "anonymous",
//! and so is a valid token whose account no longer exists: a token dies
//! with its account. The checker reaches only the [`TokenVerifier`], not the
//! whole state.

use std::sync::Arc;

use poem::Request;
use poem_openapi::{SecurityScheme, auth::Bearer};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::problem::ApiError;
use crate::{
    auth::tokens::{TokenError, TokenKeys},
    infra::clock::Clock,
    store::{self, users::User},
};

/// The authenticated person, as their account is now.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: Uuid,
    pub user: User,
}

/// The person a request's token names, its signature and claims checked by
/// the edge (for the rate limit) before the account is looked up.
#[derive(Debug, Clone, Copy)]
pub struct VerifiedToken(pub Uuid);

/// Verifies access tokens with the signing keys against the service's clock,
/// and finds their account.
#[derive(Clone)]
pub struct TokenVerifier {
    keys: Arc<TokenKeys>,
    clock: Arc<dyn Clock>,
    reader: DatabaseConnection,
}

impl TokenVerifier {
    pub fn new(keys: Arc<TokenKeys>, clock: Arc<dyn Clock>, reader: DatabaseConnection) -> Self {
        Self {
            keys,
            clock,
            reader,
        }
    }

    /// The person the token names, if its signature and claims hold.
    pub fn verify(&self, token: &str) -> Result<VerifiedToken, TokenError> {
        let claims = self.keys.verify_access(token, self.clock.now())?;
        Ok(VerifiedToken(claims.sub))
    }

    /// The person's account, if it still exists.
    async fn account(&self, token: VerifiedToken) -> Result<AuthUser, ApiError> {
        let user = store::users::find(&self.reader, token.0)
            .await?
            .ok_or_else(account_gone)?;
        Ok(AuthUser { id: user.id, user })
    }
}

/// A valid token whose account no longer exists.
pub fn account_gone() -> ApiError {
    ApiError::unauthorized(
        "invalid_token",
        "The account of this token no longer exists.",
    )
}

/// An access token (JWT) from `/v1/auth/register`, `/v1/auth/login` or
/// `/v1/auth/refresh`, sent as `Authorization: Bearer <token>`. It lasts 15
/// minutes; refresh it with the refresh token.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "JWT", checker = "authenticate")]
pub struct BearerAuth(pub AuthUser);

async fn authenticate(req: &Request, bearer: Bearer) -> poem::Result<AuthUser> {
    let verifier = req
        .data::<TokenVerifier>()
        .ok_or_else(|| ApiError::internal("the token verifier is not attached"))?;
    // The edge verified a valid token already (see `edge::Edge`).
    let token = match req.extensions().get::<VerifiedToken>() {
        Some(token) => *token,
        None => verifier.verify(&bearer.token).map_err(ApiError::from)?,
    };
    Ok(verifier.account(token).await?)
}
