//! Kindling, the backend of a kindness tracker. `main.rs` only parses the
//! command line; everything else is here so that tests build the same app.

pub mod api;
pub mod app;
pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod edge;
pub mod error;
pub mod limiter;
pub mod metrics;
pub mod serve;
pub mod store;
pub mod telemetry;
