//! Why a use-case did not happen, in the service's own terms: the edge turns
//! each kind into its status and problem document (see
//! `api::support::refusal`).

use std::panic::Location;

use sea_orm::DbErr;

/// One invalid field of a request, named as the client sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidField {
    pub field: String,
    pub message: String,
}

impl InvalidField {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// No such thing, or not the caller's to know of. Names the thing.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// The caller may see it, but not do this.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The caller may not do this, for the reason `code` names.
    #[error("{code}: {detail}")]
    Refused {
        code: &'static str,
        detail: &'static str,
    },
    /// It conflicts with what is stored; `code` is stable.
    #[error("{code}: {detail}")]
    Conflict { code: &'static str, detail: String },
    /// Fields are invalid; `code` is `validation_failed` or more specific.
    #[error("{code}: {errors:?}")]
    Invalid {
        code: &'static str,
        errors: Vec<InvalidField>,
    },
    /// Over a limit, until `retry_after_secs` from now.
    #[error("{code}: over {limit}")]
    Limited {
        code: &'static str,
        limit: u32,
        retry_after_secs: u64,
    },
    /// Credentials were refused.
    #[error("{code}: {detail}")]
    Unauthenticated {
        code: &'static str,
        detail: &'static str,
    },
    /// Something failed inside: the cause, and the line it surfaced at.
    #[error("{cause} (at {at})")]
    Internal {
        cause: String,
        at: &'static Location<'static>,
    },
}

impl Error {
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            detail: detail.into(),
        }
    }

    /// Fields invalid under the generic `validation_failed`.
    pub fn invalid(errors: Vec<InvalidField>) -> Self {
        Self::Invalid {
            code: "validation_failed",
            errors,
        }
    }

    /// A failure inside, located where this is called.
    #[track_caller]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal {
            cause: cause.to_string(),
            at: Location::caller(),
        }
    }

    /// A valid token whose account is gone (erased since it was issued).
    pub fn account_gone() -> Self {
        Self::Unauthenticated {
            code: "invalid_token",
            detail: "The account of this token no longer exists.",
        }
    }

    /// A refusal answers the request; an internal failure aborts it.
    pub fn is_internal(&self) -> bool {
        matches!(self, Self::Internal { .. })
    }
}

/// `?` on a database error records the line of the `?`.
impl From<DbErr> for Error {
    #[track_caller]
    fn from(error: DbErr) -> Self {
        Self::internal(error)
    }
}

impl From<anyhow::Error> for Error {
    #[track_caller]
    fn from(error: anyhow::Error) -> Self {
        Self::internal(format!("{error:#}"))
    }
}
