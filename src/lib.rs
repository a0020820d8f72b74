//! Kindling, the backend of a kindness tracker. `main.rs` only parses the
//! command line; everything else is here so that tests build the same app.
//!
//! A request flows one way: [`http`] (the edge every request passes) →
//! [`api`] (parse, authorise, view) → [`service`] (one use-case per write, in
//! one transaction) → [`domain`] (pure rules) and [`store`] (queries).
//! [`app`] composes them; [`auth`] and [`infra`] are leaves.

pub mod api;
pub mod app;
pub mod auth;
pub mod domain;
pub mod http;
pub mod infra;
pub mod service;
pub mod store;
