//! Shared infrastructure with no knowledge of HTTP or of the rules: the
//! settings, the clock and the database connections. Called by anything;
//! calls nothing of Kindling's outside this folder.

pub mod clock;
pub mod config;
pub mod db;
