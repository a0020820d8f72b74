//! Opaque pagination cursors: a tagged position, base64url encoded. Clients
//! must not look inside; a cursor that does not decode is a 400.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use poem::http::StatusCode;

use crate::error::ApiError;

pub fn encode(kind: &str, position: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{position}"))
}

/// The position inside a cursor made by [`encode`] with the same `kind`.
pub fn decode<T: std::str::FromStr>(kind: &str, cursor: &str) -> Result<T, ApiError> {
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

/// The position of an optional `cursor` parameter: `None` for the first page.
pub fn decode_after<T: std::str::FromStr>(
    kind: &str,
    cursor: Option<&str>,
) -> Result<Option<T>, ApiError> {
    cursor.map(|cursor| decode(kind, cursor)).transpose()
}

/// A page of a keyset-paged list: `rows` were read with `limit + 1` so that
/// one more row tells whether a next page exists; the cursor then points
/// after the page's last row.
pub fn page<T>(
    mut rows: Vec<T>,
    limit: u64,
    kind: &str,
    position: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    if rows.len() as u64 <= limit {
        return (rows, None);
    }
    rows.truncate(limit as usize);
    let next = rows.last().map(|row| encode(kind, &position(row)));
    (rows, next)
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
}
