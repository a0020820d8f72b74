//! The HTTP edge around every route: the middleware every request passes
//! ([`edge`]), problem documents ([`problem`]), the bearer scheme, the general
//! rate limit, metrics, and the state handlers reach. Called by `app` (which
//! mounts it) and by `api`; it calls `auth` and `infra`, never `api`.

pub mod bearer;
pub mod catalogue;
pub mod edge;
pub mod limiter;
pub mod metrics;
pub mod problem;
pub mod scrape;
pub mod state;
pub mod strict_json;
