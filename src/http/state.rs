//! What every handler may reach, cheap to clone. It holds the handles and
//! settings `app` built (the database handles, the token keys, the clock,
//! the limits) and knows nothing of the routes or the handlers.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use super::{
    bearer::TokenVerifier, catalogue::Catalogue, limiter::RequestLimiter, metrics::Metrics,
};
use crate::{
    auth::{password::Hasher, tokens::TokenKeys},
    infra::{clock::Clock, config::LimitSettings},
    store::Writer,
};

#[derive(Clone)]
pub struct AppState {
    /// For queries.
    pub reader: DatabaseConnection,
    /// For everything that writes, through write transactions.
    pub writer: Writer,
    /// Whether `reader` and `writer` are one pool (PostgreSQL).
    pub shared_pool: bool,
    pub tokens: Arc<TokenKeys>,
    pub hasher: Arc<Hasher>,
    pub verifier: TokenVerifier,
    pub clock: Arc<dyn Clock>,
    pub limits: Arc<LimitSettings>,
    pub limiter: Arc<RequestLimiter>,
    pub metrics: Arc<Metrics>,
    pub trust_forwarded_for: bool,
    /// The published operations, for the edge.
    pub catalogue: Arc<Catalogue>,
}
