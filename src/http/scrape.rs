//! The metrics scheme: `/metrics` is served only to a scraper that sends the
//! operator's token (`KINDLING_METRICS_TOKEN`) as `Authorization: Bearer
//! <token>`, and to nobody while no token is set: request counts by route,
//! latencies and pool sizes are for operators, not for the public listener.

use poem::Request;
use poem_openapi::{SecurityScheme, auth::Bearer};
use sha2::{Digest, Sha256};

use super::problem::ApiError;

/// The digest of the configured token; tokens are compared by digest, so
/// that the comparison's time says nothing of the token.
#[derive(Clone)]
pub struct MetricsToken(Option<[u8; 32]>);

impl MetricsToken {
    pub fn new(token: Option<&str>) -> Self {
        Self(token.map(|token| Sha256::digest(token.as_bytes()).into()))
    }

    fn admits(&self, token: &str) -> Result<(), ApiError> {
        match self.0 {
            None => Err(ApiError::not_found(
                "metrics endpoint (set KINDLING_METRICS_TOKEN to serve it)",
            )),
            Some(digest) if digest == <[u8; 32]>::from(Sha256::digest(token.as_bytes())) => Ok(()),
            Some(_) => Err(ApiError::unauthorized(
                "invalid_token",
                "This is not the metrics token.",
            )),
        }
    }
}

/// The operator's metrics token (`KINDLING_METRICS_TOKEN`), sent as
/// `Authorization: Bearer <token>`. While none is set, `/metrics` is not
/// served.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", rename = "MetricsToken", checker = "admit")]
pub struct MetricsAuth(());

async fn admit(req: &Request, bearer: Bearer) -> poem::Result<()> {
    let token = req
        .data::<MetricsToken>()
        .ok_or_else(|| ApiError::internal("the metrics token is not attached"))?;
    Ok(token.admits(&bearer.token)?)
}
