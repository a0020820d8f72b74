//! Entity tags for the resources mobile clients poll: a hash of the body, so
//! a client's `If-None-Match` is answered with 304 whenever nothing it would
//! see has changed (streaks and "today" included). [`Tagged`] is the one
//! response type for all of them. The body is serialised once, and both
//! hashed and sent.

use std::marker::PhantomData;

use poem::{IntoResponse, Response, http::StatusCode};
use poem_openapi::{
    ApiResponse, ResponseContent,
    payload::{Json, Payload},
    registry::{MetaHeader, MetaResponse, MetaResponses, Registry},
    types::{ToJSON, Type},
};
use sha2::{Digest, Sha256};

/// A body that clients poll, with what its 200 says in the document.
pub trait Polled: ToJSON + Send {
    /// The description of the 200 answer.
    const DESCRIPTION: &'static str;
}

/// A polled body (its JSON, and its tag), or 304 when the client's tag
/// still matches.
pub enum Tagged<T> {
    Fresh {
        json: String,
        tag: String,
        body: PhantomData<fn() -> T>,
    },
    NotModified(String),
}

impl<T: Polled> Tagged<T> {
    /// Answers `body`, or 304 when `if_none_match` holds its tag.
    pub fn answer(body: T, if_none_match: Option<&str>) -> Self {
        let json = body.to_json_string();
        let tag = of(&json);
        if matches(if_none_match, &tag) {
            Self::NotModified(tag)
        } else {
            Self::Fresh {
                json,
                tag,
                body: PhantomData,
            }
        }
    }
}

/// A weak tag for this JSON: it names the JSON, whichever content coding
/// (gzip, br) the answer travels in.
fn of(json: &str) -> String {
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
            Self::Fresh { json, tag, .. } => (
                Response::builder()
                    .content_type(<Json<T> as Payload>::CONTENT_TYPE)
                    .body(json),
                tag,
            ),
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

    #[derive(poem_openapi::Object)]
    struct Sample {
        word: String,
    }

    impl Polled for Sample {
        const DESCRIPTION: &'static str = "A sample.";
    }

    #[tokio::test]
    async fn the_tag_names_the_json_sent_and_a_match_sends_none() {
        let sample = || Sample {
            word: "kind".to_owned(),
        };
        let response = Tagged::answer(sample(), None).into_response();
        assert_eq!(
            response.headers().get("content-type").unwrap(),
            "application/json; charset=utf-8"
        );
        let tag = response
            .headers()
            .get(ETAG)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let body = response.into_body().into_string().await.unwrap();
        assert_eq!(body, r#"{"word":"kind"}"#);
        assert_eq!(tag, of(&body));

        let cached = Tagged::answer(sample(), Some(&tag)).into_response();
        assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(cached.into_body().into_string().await.unwrap(), "");
    }

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
