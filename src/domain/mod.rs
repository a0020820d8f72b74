//! Pure rules: parsing of user input into types that can only hold valid
//! values, schedules, and habit and team streaks. No I/O here.

pub mod access;
pub mod account;
pub mod act;
pub mod calendar;
pub mod fields;
pub mod habit;
pub mod org;
pub mod streak;
pub mod team_streak;
