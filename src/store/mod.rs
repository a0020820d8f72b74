//! Queries and transactions over sea-orm, one module per aggregate. Functions
//! take `&impl ConnectionTrait` so a handler can run several in one
//! transaction.

pub mod acts;
pub mod check_ins;
pub mod habits;
pub mod orgs;
pub mod pauses;
pub mod rate_limits;
pub mod refresh_tokens;
pub mod service_settings;
pub mod streaks;
pub mod sync;
pub mod team_streaks;
pub mod teams;
pub mod users;
