//! Reading problem documents: the assert that an answer is the problem a
//! test expects, and the fields a 422 names.

use serde_json::Value;

use super::{Reply, strings_in};

impl Reply {
    /// Asserts this is a problem document with `status` and `code`.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status.as_u16(), status, "status of {}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "content type of {}",
            self.text
        );
        let body = self.json();
        assert_eq!(body["code"], code, "code of {body}");
        assert_eq!(body["status"], status, "status field of {body}");
        assert_eq!(body["type"], format!("urn:kindling:problem:{code}"));
        assert!(body["title"].is_string() && body["detail"].is_string());
        assert!(self.header("x-request-id").is_some(), "no X-Request-Id");
        body
    }
}

/// The fields a problem (or a batch item's error) names in `errors`, in
/// the order it lists them, duplicates included.
#[track_caller]
pub fn fields_of(problem: &Value) -> Vec<String> {
    strings_in(&problem["errors"], "field")
}

/// The fields a 422 `validation_failed` problem names, in the order it
/// lists them, duplicates included.
#[track_caller]
pub fn invalid_fields_in_order(reply: &Reply) -> Vec<String> {
    fields_of(&reply.assert_problem(422, "validation_failed"))
}

/// The fields a 422 `validation_failed` problem names, sorted and each
/// once.
#[track_caller]
pub fn invalid_fields(reply: &Reply) -> Vec<String> {
    let mut fields = invalid_fields_in_order(reply);
    fields.sort();
    fields.dedup();
    fields
}

/// Asserts a 422 `validation_failed` naming exactly `fields`, in order.
#[track_caller]
pub fn assert_invalid(reply: &Reply, fields: &[&str], why: &str) {
    assert_eq!(reply.status.as_u16(), 422, "{why}: {}", reply.text);
    assert_eq!(invalid_fields_in_order(reply), fields, "{why}");
}
