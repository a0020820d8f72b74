//! The unique constraints a write may run into on purpose, named as the
//! migrations name them, and [`OnUnique`] to turn a violation of one into
//! the caller's own answer (a 409, say) while every other error stays an
//! error.

use sea_orm::{DbErr, SqlErr};

/// A unique constraint. SQLite's error names the columns rather than the
/// index, so both are kept.
pub struct UniqueKey {
    pub name: &'static str,
    pub sqlite_columns: &'static str,
}

pub const USERS_EMAIL_KEY: UniqueKey = UniqueKey {
    name: "users_email_key",
    sqlite_columns: "users.email",
};

pub const ACTS_PKEY: UniqueKey = UniqueKey {
    name: "acts_pkey",
    sqlite_columns: "acts.id",
};

impl UniqueKey {
    /// Whether `error` is a violation of this key.
    pub fn violated_by(&self, error: &DbErr) -> bool {
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(message)) => {
                message.contains(self.name) || message.contains(self.sqlite_columns)
            }
            _ => false,
        }
    }
}

pub trait OnUnique<T> {
    /// `conflict()` when the write violated `key`; any other database error
    /// converted as usual.
    fn on_unique<E: From<DbErr>>(
        self,
        key: &UniqueKey,
        conflict: impl FnOnce() -> E,
    ) -> Result<T, E>;
}

impl<T> OnUnique<T> for Result<T, DbErr> {
    #[track_caller]
    fn on_unique<E: From<DbErr>>(
        self,
        key: &UniqueKey,
        conflict: impl FnOnce() -> E,
    ) -> Result<T, E> {
        match self {
            Ok(value) => Ok(value),
            Err(error) if key.violated_by(&error) => Err(conflict()),
            Err(error) => Err(E::from(error)),
        }
    }
}
