//! Entity tags for the resources mobile clients poll: a hash of the body, so
//! a client's `If-None-Match` is answered with 304 whenever nothing it would
//! see has changed (streaks and "today" included). [`Tagged`] is the one
//! response type for all of them.

use poem::{IntoResponse, Response, http::StatusCode};
use poem_openapi::{
    ApiResponse, ResponseContent,
    payload::Json,
    registry::{MetaHeader, MetaResponse, MetaResponses, Registry},
    types::{ToJSON, Type},
};
use sha2::{Digest, Sha256};

/// A body that clients poll, with what its 200 says in the document.
pub trait Polled: ToJSON + Send {
    /// The description of the 200 answer.
    const DESCRIPTION: &'static str;
}

/// A polled body, or 304 when the client's tag still matches.
pub enum Tagged<T> {
    Fresh(Box<T>, String),
    NotModified(String),
}

impl<T: Polled> Tagged<T> {
    /// Answers `body`, or 304 when `if_none_match` holds its tag.
    pub fn answer(body: T, if_none_match: Option<&str>) -> Self {
        let tag = of(&body);
        if matches(if_none_match, &tag) {
            Self::NotModified(tag)
        } else {
            Self::Fresh(Box::new(body), tag)
        }
    }
}

/// A weak tag for this body: it names the JSON, whichever content coding
/// (gzip, br) the answer travels in.
fn of(body: &impl ToJSON) -> String {
    let json = body.to_json_string();
    let digest = Sha256::digest(json.as_bytes());
    format!("W/\"{}\"", hex::encode(&digest[..16]))
}

/// Whether an `If-None-Match` header value matches `etag` (weak comparison,
/// as RFC 9110 asks for this header).
fn matches(if_none_match: Option<&str>, etag: &str) -> bool {
    let Some(header) = if_none_match else {
        return false;
    };
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    header
        .split(',')
        .any(|candidate| candidate.trim() == "*" || bare(candidate) == bare(etag))
}

const ETAG: &str = "ETAG";

impl<T: Polled> IntoResponse for Tagged<T> {
    fn into_response(self) -> Response {
        let (mut response, tag) = match self {
            Self::Fresh(body, tag) => (Json(*body).into_response(), tag),
            Self::NotModified(tag) => (StatusCode::NOT_MODIFIED.into_response(), tag),
        };
        if let Ok(value) = tag.parse() {
            response.headers_mut().insert(ETAG, value);
        }
        response
    }
}

impl<T: Polled + Type> ApiResponse for Tagged<T> {
    fn meta() -> MetaResponses {
        let etag = |description: &str| MetaHeader {
            name: ETAG.to_owned(),
            description: Some(description.to_owned()),
            required: true,
            deprecated: false,
            schema: String::schema_ref(),
        };
        MetaResponses {
            responses: vec![
                MetaResponse {
                    description: T::DESCRIPTION,
                    status: Some(200),
                    status_range: None,
                    content: <Json<T> as ResponseContent>::media_types(),
                    headers: vec![etag(
                        "Send back in `If-None-Match` to get 304 while nothing changed.",
                    )],
                },
                MetaResponse {
                    description: "Unchanged since the `If-None-Match` tag.",
                    status: Some(304),
                    status_range: None,
                    content: Vec::new(),
                    headers: vec![etag("The current tag.")],
                },
            ],
        }
    }

    fn register(registry: &mut Registry) {
        <Json<T> as ResponseContent>::register(registry);
    }
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
