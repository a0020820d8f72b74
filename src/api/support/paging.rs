//! Keyset pages: `?limit=` and `?cursor=`, and opaque cursors. A cursor is a
//! tagged position, base64url encoded; clients must not look inside, and a
//! cursor that does not decode to this list's kind of position is a 400.

use std::{fmt::Display, str::FromStr};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use poem::http::StatusCode;

use super::bounded::Int;
use crate::http::problem::{ApiError, FieldError};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

pub fn encode(kind: &str, position: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{position}"))
}

/// The position inside a cursor made by [`encode`] with the same `kind`.
pub fn decode<T: FromStr>(kind: &str, cursor: &str) -> Result<T, ApiError> {
    let invalid = || {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
            "The cursor is not one this list gave out.",
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (tag, position) = text.split_once(':').ok_or_else(invalid)?;
    if tag != kind {
        return Err(invalid());
    }
    position.parse().map_err(|_| invalid())
}

/// `?limit=` as sent, documented as 1 to 200.
pub type Limit = Int<1, MAX_LIMIT>;

/// `?limit=`: 1 to 200, 50 when left out.
pub fn parse_limit(limit: Option<Limit>) -> Result<u64, ApiError> {
    match limit.map_or(DEFAULT_LIMIT, Int::get) {
        limit @ 1..=MAX_LIMIT => Ok(limit as u64),
        _ => Err(ApiError::validation(vec![FieldError::new(
            "limit",
            format!("must be 1 to {MAX_LIMIT}"),
        )])),
    }
}

/// A request for one page of a list whose cursors are tagged `kind` and
/// hold positions `P`.
pub struct PageRequest<P> {
    kind: &'static str,
    limit: u64,
    /// Where the page starts: after this position, or at the beginning.
    pub after: Option<P>,
}

impl<P: FromStr + Display> PageRequest<P> {
    /// The `limit` (422 unless 1 to 200) and `cursor` (400 unless this
    /// list's; empty, like none, asks for the first page) parameters.
    pub fn parse(
        kind: &'static str,
        limit: Option<Limit>,
        cursor: Option<&str>,
    ) -> Result<Self, ApiError> {
        let limit = parse_limit(limit)?;
        let after = cursor
            .filter(|cursor| !cursor.is_empty())
            .map(|cursor| decode(kind, cursor))
            .transpose()?;
        Ok(Self { kind, limit, after })
    }

    /// How many rows to read: one more than a page, which tells whether
    /// another page follows.
    pub fn rows(&self) -> u64 {
        self.limit + 1
    }

    /// The page from rows read with [`PageRequest::rows`], and the cursor
    /// after its last row when another page follows.
    pub fn page<T>(
        &self,
        mut rows: Vec<T>,
        position: impl Fn(&T) -> P,
    ) -> (Vec<T>, Option<String>) {
        if rows.len() as u64 <= self.limit {
            return (rows, None);
        }
        rows.truncate(self.limit as usize);
        let next = rows
            .last()
            .map(|row| encode(self.kind, &position(row).to_string()));
        (rows, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_strangers() {
        let cursor = encode("seq", "42");
        assert_eq!(decode::<i64>("seq", &cursor).unwrap(), 42);
        assert!(decode::<i64>("date", &cursor).is_err());
        assert!(decode::<i64>("seq", "not a cursor!").is_err());
        assert!(decode::<i64>("seq", &encode("seq", "forty-two")).is_err());
    }

    #[test]
    fn a_page_reads_one_row_more_and_points_after_its_last_row() {
        let request = PageRequest::<i64>::parse("n", Some(Int(2)), None).unwrap();
        assert_eq!(request.rows(), 3);
        let (rows, next) = request.page(vec![1, 2, 3], |n| *n);
        assert_eq!(rows, [1, 2]);
        let next = PageRequest::<i64>::parse("n", Some(Int(2)), next.as_deref()).unwrap();
        assert_eq!(next.after, Some(2));
        assert_eq!(request.page(vec![1, 2], |n| *n), (vec![1, 2], None));
    }

    #[test]
    fn limits_are_1_to_200() {
        assert_eq!(parse_limit(None).unwrap(), 50);
        assert_eq!(parse_limit(Some(Int(200))).unwrap(), 200);
        for bad in [0, 201, -1] {
            assert_eq!(
                parse_limit(Some(Int(bad))).unwrap_err().code(),
                "validation_failed"
            );
        }
    }
}
