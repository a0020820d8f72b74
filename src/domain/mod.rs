//! Pure rules: parsing of user input into types that can only hold valid
//! values, and (later) schedules, streaks and suppression. No I/O here.

pub mod account;
pub mod calendar;
pub mod fields;
pub mod habit;
pub mod streak;
