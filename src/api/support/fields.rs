//! Collecting every invalid field of a request into one 422, rather than
//! stopping at the first.

use poem_openapi::types::MaybeUndefined;

use crate::{http::problem::ApiError, service::InvalidField};

#[derive(Default)]
pub struct Fields(Vec<InvalidField>);

impl Fields {
    /// Keeps the value, or records the field's error and gives `None`.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        parsed
            .map_err(|message| self.0.push(InvalidField::new(field, message)))
            .ok()
    }

    /// Like [`Fields::check`] for a field the request may leave out.
    pub fn check_optional<T, V>(
        &mut self,
        field: &str,
        value: Option<V>,
        parse: impl FnOnce(V) -> Result<T, String>,
    ) -> Option<Option<T>> {
        match value {
            None => Some(None),
            Some(value) => self.check(field, parse(value)).map(Some),
        }
    }

    /// Like [`Fields::check`] for a field a change may leave out (`None`) or
    /// clear with `null` (`Some(None)`).
    pub fn check_clearable<T, V>(
        &mut self,
        field: &str,
        value: MaybeUndefined<V>,
        parse: impl FnOnce(V) -> Result<T, String>,
    ) -> Option<Option<Option<T>>> {
        match value {
            MaybeUndefined::Undefined => Some(None),
            MaybeUndefined::Null => Some(Some(None)),
            MaybeUndefined::Value(value) => self.check(field, parse(value)).map(|v| Some(Some(v))),
        }
    }

    /// Everything recorded, for a use-case that finds more.
    pub fn into_invalid(self) -> Vec<InvalidField> {
        self.0
    }

    /// The 422 for everything recorded.
    pub fn into_error(self) -> ApiError {
        ApiError::validation(super::refusal::field_errors(self.0))
    }
}
