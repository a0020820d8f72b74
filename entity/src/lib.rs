//! sea-orm entities: one module per table, mirroring the migrations. Behaviour
//! lives in the `kindling` crate's `store` modules, not here.

pub mod act_recipients;
pub mod acts;
pub mod challenges;
pub mod check_ins;
pub mod habits;
pub mod invitations;
pub mod org_members;
pub mod organisations;
pub mod pauses;
pub mod rate_limit_windows;
pub mod refresh_tokens;
pub mod service_settings;
pub mod streak_checkpoints;
pub mod sync_tombstones;
pub mod team_members;
pub mod team_streak_checkpoints;
pub mod teams;
pub mod user_badges;
pub mod users;
pub mod xp_balances;
pub mod xp_entries;
