//! Entity tags for the resources mobile clients poll: a hash of the body, so
//! a client's `If-None-Match` is answered with 304 whenever nothing it would
//! see has changed (streaks and "today" included).

use poem_openapi::types::ToJSON;
use sha2::{Digest, Sha256};

/// A strong tag for this body.
pub fn of(body: &impl ToJSON) -> String {
    let json = body.to_json_string();
    let digest = Sha256::digest(json.as_bytes());
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// Whether an `If-None-Match` header value matches `etag` (weak comparison,
/// as RFC 9110 asks for this header).
pub fn matches(if_none_match: Option<&str>, etag: &str) -> bool {
    let Some(header) = if_none_match else {
        return false;
    };
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    header
        .split(',')
        .any(|candidate| candidate.trim() == "*" || bare(candidate) == bare(etag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_is_compared_weakly_and_as_a_list() {
        let tag = "\"abc\"";
        assert!(matches(Some("\"abc\""), tag));
        assert!(matches(Some("W/\"abc\""), tag));
        assert!(matches(Some("\"x\", \"abc\""), tag));
        assert!(matches(Some("*"), tag));
        assert!(!matches(Some("\"abd\""), tag));
        assert!(!matches(None, tag));
    }
}
