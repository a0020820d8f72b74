//! A use-case's refusal as the problem document it answers with: the one
//! place a `service::Error` becomes a status.

use crate::{
    http::problem::{ApiError, FieldError, Problem},
    service::{Error, InvalidField},
};

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        match error {
            Error::NotFound(what) => ApiError::not_found(what),
            Error::Forbidden(detail) => ApiError::forbidden(detail),
            Error::Refused { code, detail } => ApiError::forbidden(detail).with_code(code),
            Error::Conflict { code, detail } => ApiError::conflict(code, detail),
            Error::Invalid { code, errors } => {
                ApiError::validation(field_errors(errors)).with_code(code)
            }
            Error::Limited {
                code,
                limit,
                retry_after_secs,
            } => ApiError::rate_limited(code, limit, retry_after_secs),
            Error::Unauthenticated { code, detail } => ApiError::unauthorized(code, detail),
            Error::Internal { cause, at } => ApiError::internal_at(cause, at),
        }
    }
}

impl<const S: u32> From<Error> for Problem<S> {
    fn from(error: Error) -> Self {
        Self(error.into())
    }
}

pub fn field_errors(errors: Vec<InvalidField>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|error| FieldError::new(error.field, error.message))
        .collect()
}

/// The refusal of one item of a list request, its fields named under
/// `prefix` (`items[3].`).
pub fn item_refusal(error: Error, prefix: &str) -> ApiError {
    match error {
        Error::Invalid { code, errors } => Error::Invalid {
            code,
            errors: errors
                .into_iter()
                .map(|error| InvalidField::new(format!("{prefix}{}", error.field), error.message))
                .collect(),
        }
        .into(),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use poem::http::StatusCode;

    #[test]
    fn each_refusal_answers_its_status_and_code() {
        let cases = [
            (Error::NotFound("habit"), StatusCode::NOT_FOUND, "not_found"),
            (Error::Forbidden("no"), StatusCode::FORBIDDEN, "forbidden"),
            (
                Error::Refused {
                    code: "wrong_password",
                    detail: "no",
                },
                StatusCode::FORBIDDEN,
                "wrong_password",
            ),
            (
                Error::conflict("id_conflict", "taken"),
                StatusCode::CONFLICT,
                "id_conflict",
            ),
            (
                Error::invalid(vec![InvalidField::new("title", "empty")]),
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            ),
            (
                Error::Limited {
                    code: "act_limit",
                    limit: 20,
                    retry_after_secs: 60,
                },
                StatusCode::TOO_MANY_REQUESTS,
                "act_limit",
            ),
            (
                Error::Unauthenticated {
                    code: "invalid_credentials",
                    detail: "wrong",
                },
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
            ),
            (
                Error::internal("boom"),
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
            ),
        ];
        for (error, status, code) in cases {
            let problem = ApiError::from(error);
            assert_eq!((problem.status(), problem.code()), (status, code));
        }
    }

    #[test]
    fn an_internal_failure_keeps_its_cause_and_place_but_never_sends_them() {
        let problem = ApiError::from(Error::internal("the disk is on fire"));
        let cause = problem.cause().expect("a cause");
        assert_eq!(cause.message, "the disk is on fire");
        assert!(cause.at.file().ends_with("refusal.rs"), "{}", cause.at);
        assert!(!problem.document().detail.contains("fire"));
    }

    #[test]
    fn an_item_s_invalid_fields_are_named_under_its_prefix() {
        let error = Error::Invalid {
            code: "date_out_of_range",
            errors: vec![InvalidField::new("date", "too early")],
        };
        let document = item_refusal(error, "items[3].").document();
        assert_eq!(document.code, "date_out_of_range");
        assert_eq!(document.errors[0].field, "items[3].date");
    }
}
