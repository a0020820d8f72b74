//! Pure rules: parsing of user input into types that can only hold valid
//! values, schedules, habit and team streaks, who may do what, and the
//! events a write raises. No I/O and no HTTP or SQL here: called by every
//! other layer, it calls nothing outside itself.

pub mod access;
pub mod account;
pub mod act;
pub mod calendar;
pub mod challenge;
pub mod event;
pub mod habit;
pub mod leaderboard;
pub mod names;
pub mod org;
pub mod streak;
pub mod team_streak;
pub mod text;
pub mod xp;

pub use event::Event;
