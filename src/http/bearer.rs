//! The bearer security scheme: its checker *is* the authentication. A missing,
//! malformed, forged or expired token is a 401 problem, never "anonymous".
//! The checker reaches only the [`TokenVerifier`], not the whole state.

use std::sync::Arc;

use poem::Request;
use poem_openapi::{SecurityScheme, auth::Bearer};
use uuid::Uuid;

use super::problem::ApiError;
use crate::{
    auth::tokens::{TokenError, TokenKeys},
    infra::clock::Clock,
};

/// The authenticated person.
#[derive(Debug, Clone, Copy)]
pub struct AuthUser {
    pub id: Uuid,
}

/// Verifies access tokens with the signing keys against the service's clock.
#[derive(Clone)]
pub struct TokenVerifier {
    keys: Arc<TokenKeys>,
    clock: Arc<dyn Clock>,
}

impl TokenVerifier {
    pub fn new(keys: Arc<TokenKeys>, clock: Arc<dyn Clock>) -> Self {
        Self { keys, clock }
    }

    pub fn verify(&self, token: &str) -> Result<AuthUser, TokenError> {
        let claims = self.keys.verify_access(token, self.clock.now())?;
        Ok(AuthUser { id: claims.sub })
    }
}

/// An access token (JWT) from `/v1/auth/register`, `/v1/auth/login` or
/// `/v1/auth/refresh`, sent as `Authorization: Bearer <token>`. It lasts 15
/// minutes; refresh it with the refresh token.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "JWT", checker = "authenticate")]
pub struct BearerAuth(pub AuthUser);

async fn authenticate(req: &Request, bearer: Bearer) -> poem::Result<AuthUser> {
    // The edge verified a valid token already (see `edge::Edge`).
    if let Some(user) = req.extensions().get::<AuthUser>() {
        return Ok(*user);
    }
    let verifier = req
        .data::<TokenVerifier>()
        .ok_or_else(|| ApiError::internal("the token verifier is not attached"))?;
    Ok(verifier.verify(&bearer.token).map_err(ApiError::from)?)
}
