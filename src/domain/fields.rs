//! Collecting every invalid field of a request into one 422, rather than
//! stopping at the first.

use crate::error::{ApiError, FieldError};

#[derive(Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    /// Keeps the value, or records the field's error and gives `None`.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        parsed
            .map_err(|message| self.0.push(FieldError::new(field, message)))
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

    /// The 422 for everything recorded.
    pub fn into_error(self) -> ApiError {
        ApiError::validation(self.0)
    }
}
