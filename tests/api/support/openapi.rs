//! The harness's check that the OpenAPI document tells the truth about
//! every answer a test receives through [`TestApp`] or `send`: its status is
//! listed among its operation's `responses`, its content type is one that
//! status documents, its JSON body validates against that response's schema
//! (the document's schemas read as JSON Schema, `nullable` included), and
//! each header the response declares required is there.
//! The wrapped endpoint ([`checked`]) records each request's method and
//! path on its response, and [`assert_conforms`] (called by `read`) finds
//! the operation by method and path template. Requests that match no
//! operation (unknown paths, wrong methods, `/docs`, `/openapi.json`,
//! `/openapi.yaml`) are not checked.
//!
//! [`TestApp`]: super::TestApp

use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, Mutex},
};

use jsonschema::Validator;
use kindling::http::catalogue::{as_json_schema, validator};
use poem::{
    Endpoint, EndpointExt, Response,
    endpoint::BoxEndpoint,
    http::{HeaderMap, Method, StatusCode},
};
use serde_json::{Map, Value};

/// The method and path of the request a response answers.
#[derive(Debug, Clone)]
pub struct RequestLine {
    method: Method,
    path: String,
}

/// `endpoint`, recording on every response the request it answers, for
/// [`assert_conforms`].
pub fn checked(endpoint: BoxEndpoint<'static>) -> BoxEndpoint<'static> {
    endpoint
        .around(|endpoint, request| async move {
            let line = RequestLine {
                method: request.method().clone(),
                path: request.uri().path().to_owned(),
            };
            let mut response = endpoint.get_response(request).await;
            response.extensions_mut().insert(line);
            Ok(response)
        })
        .boxed()
}

/// One operation of the document.
struct Operation {
    id: String,
    method: Method,
    /// The path template, e.g. `/v1/habits/{id}/check-ins/{date}`.
    template: String,
    /// Its `responses`, keyed by status, `1XX`..`5XX` range or `default`.
    responses: Map<String, Value>,
}

static SPEC: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(&kindling::app::openapi().spec()).expect("the OpenAPI document is JSON")
});

static OPERATIONS: LazyLock<Vec<Operation>> = LazyLock::new(|| {
    let mut operations = Vec::new();
    for (template, item) in SPEC["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let Some(responses) = operation["responses"].as_object() else {
                continue;
            };
            operations.push(Operation {
                id: operation["operationId"].as_str().unwrap_or("?").to_owned(),
                method,
                template: template.clone(),
                responses: responses.clone(),
            });
        }
    }
    operations
});

/// The document's component schemas as JSON Schema definitions.
static DEFINITIONS: LazyLock<Value> =
    LazyLock::new(|| as_json_schema(&SPEC["components"]["schemas"]));

/// How specifically `template` matches `path`: `None` when it does not;
/// otherwise, segment by segment, whether the segment was literal, so that
/// the more literal template wins, as in the router.
fn matches(template: &str, path: &str) -> Option<Vec<bool>> {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    if template.len() != path.len() {
        return None;
    }
    template
        .iter()
        .zip(&path)
        .map(|(expected, actual)| {
            if expected.starts_with('{') && expected.ends_with('}') {
                (!actual.is_empty()).then_some(false)
            } else {
                (expected == actual).then_some(true)
            }
        })
        .collect()
}

/// The operation the router would give `method` and `path`: the most
/// literal matching template, if it has that method.
fn operation(method: &Method, path: &str) -> Option<&'static Operation> {
    let template = OPERATIONS
        .iter()
        .filter_map(|operation| Some((matches(&operation.template, path)?, operation)))
        .max_by(|(a, _), (b, _)| a.cmp(b))?
        .1
        .template
        .as_str();
    OPERATIONS
        .iter()
        .find(|operation| operation.template == template && operation.method == method)
}

/// The documented response for `status`: its own entry, else its range's,
/// else `default`.
fn documented(operation: &Operation, status: u16) -> Option<&Value> {
    let range = format!("{}XX", status / 100);
    operation
        .responses
        .get(&status.to_string())
        .or_else(|| {
            operation
                .responses
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(&range))
                .map(|(_, response)| response)
        })
        .or_else(|| operation.responses.get("default"))
}

/// Compiled validators, by operation, status and content type.
type Validators = HashMap<(String, u16, String), Arc<Validator>>;

static VALIDATORS: LazyLock<Mutex<Validators>> = LazyLock::new(Mutex::default);

fn body_validator(
    operation: &Operation,
    status: u16,
    content_type: &str,
    schema: &Value,
) -> Arc<Validator> {
    let key = (operation.id.clone(), status, content_type.to_owned());
    let mut validators = VALIDATORS.lock().expect("the validators");
    validators
        .entry(key)
        .or_insert_with(|| Arc::new(validator(schema, &DEFINITIONS)))
        .clone()
}

/// The request `response` answers, when it came through [`checked`].
pub fn request_line(response: &Response) -> Option<RequestLine> {
    response.extensions().get::<RequestLine>().cloned()
}

/// Asserts the answer to `line` conforms to its operation in the document:
/// `status` is documented, and so are its content type, its body (`text`)
/// and its required headers.
pub fn assert_conforms(
    line: Option<&RequestLine>,
    status: StatusCode,
    headers: &HeaderMap,
    text: &str,
) {
    let Some(line) = line else {
        return;
    };
    let Some(operation) = operation(&line.method, &line.path) else {
        return;
    };
    let status = status.as_u16();
    let what = format!(
        "{} {} ({}) answered {status}",
        line.method, operation.template, operation.id
    );
    let Some(response) = documented(operation, status) else {
        let listed: Vec<&str> = operation.responses.keys().map(String::as_str).collect();
        panic!(
            "{what}, which its OpenAPI responses ({}) do not document; body: {text}",
            listed.join(", "),
        );
    };
    for (name, header) in response["headers"].as_object().into_iter().flatten() {
        if header["required"] == Value::Bool(true) {
            assert!(
                headers.contains_key(name.as_str()),
                "{what} without the header {name} that the document declares required"
            );
        }
    }
    if text.is_empty() || line.method == Method::HEAD {
        return;
    }
    let essence = |media_type: &str| media_type.split(';').next().unwrap_or("").trim().to_owned();
    let content_type = headers
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let content_type = essence(content_type);
    let listed = response["content"].as_object().into_iter().flatten();
    let schema = listed
        .filter(|(media_type, _)| essence(media_type) == content_type)
        .find_map(|(_, media)| media.get("schema"));
    let Some(schema) = schema else {
        panic!(
            "{what} with a `{content_type}` body, which the document does not list for it: {text}"
        );
    };
    if !content_type.ends_with("json") {
        return;
    }
    let body: Value = serde_json::from_str(text)
        .unwrap_or_else(|error| panic!("{what} with a body that is not JSON ({error}): {text}"));
    let validator = body_validator(operation, status, &content_type, schema);
    let problems: Vec<String> = validator
        .iter_errors(&body)
        .map(|error| format!("at `{}`: {error}", error.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "{what} with a body that its documented schema refuses:\n  {}\nbody: {text}",
        problems.join("\n  "),
    );
}

#[test]
fn the_status_check_finds_operations_by_their_path_templates() {
    let find = |method: Method, path: &str| operation(&method, path).map(|op| op.id.as_str());
    assert_eq!(
        find(Method::PUT, "/v1/habits/abc/check-ins/2026-11-27"),
        Some("put_check_in")
    );
    assert_eq!(find(Method::GET, "/v1/me/kudos"), Some("list_my_kudos"));
    assert_eq!(find(Method::GET, "/v1/me"), Some("get_me"));
    assert_eq!(find(Method::GET, "/v1/habits//check-ins"), None);
    assert_eq!(find(Method::GET, "/nope"), None);
    assert_eq!(find(Method::GET, "/openapi.json"), None);
    assert_eq!(find(Method::DELETE, "/healthz"), None, "a wrong method");
}
