//! Use-cases: one function per write a client can cause, taking a [`Unit`]
//! (one write transaction, holding its lock) and parsed domain values, and
//! returning what happened (and, where a write starts from a lookup, that
//! read). The domain events a use-case raises gather on
//! the unit, and [`Unit::commit`] is the one place reactions to them are
//! written, in the same transaction: XP and badges, membership history,
//! webhook outbox rows, audit rows.
//!
//! Called by `api` (and by background work, when there is some); calls
//! `domain` for the rules and `store` for every query. Knows no HTTP: a
//! refusal is an [`Error`], which the edge turns into a problem document.

pub mod account;
pub mod acts;
pub mod auth;
pub mod challenges;
pub mod check_ins;
pub mod habits;
pub mod orgs;
pub mod pauses;
pub mod teams;

mod error;
mod game;
mod unit;

pub use error::{Error, InvalidField};
pub use unit::Unit;

/// What a create with a client-chosen id did.
pub enum Created<T> {
    /// It stored something new.
    New(T),
    /// It replayed an earlier create, and this is what that stored.
    Replayed(T),
}
