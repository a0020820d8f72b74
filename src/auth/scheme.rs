//! The bearer security scheme: its checker *is* the authentication. A missing,
//! malformed, forged or expired token is a 401 problem, never "anonymous".

use poem::Request;
use poem_openapi::{SecurityScheme, auth::Bearer};
use uuid::Uuid;

use crate::{app::AppState, error::ApiError};

/// The authenticated person.
#[derive(Debug, Clone, Copy)]
pub struct AuthUser {
    pub id: Uuid,
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
    let state = req
        .data::<AppState>()
        .ok_or_else(|| ApiError::internal("the application state is not attached"))?;
    let claims = state
        .tokens
        .verify_access(&bearer.token, state.clock.now())?;
    Ok(AuthUser { id: claims.sub })
}
