//! The published operations, read from the OpenAPI document itself, for
//! what the edge must know of a route before (or after) poem routes it: the
//! methods a path allows (`Allow` on a 405), the names of its path
//! parameters (poem-openapi reports them as `param0`, `param1`…), and the
//! schema of its JSON body, which every body is checked against before a
//! handler sees it. That check refuses what the document forbids in a
//! body's shape (a missing field, a value of the wrong JSON type, a date or
//! id that is no date or id, a key given twice) with a 422 naming each
//! field; what a field's value means (its length, its range, a known
//! timezone) is left to the use-case, which names those fields in turn.

use std::collections::BTreeSet;

use jsonschema::{
    Validator,
    error::{TypeKind, ValidationErrorKind},
    paths::LocationSegment,
};
use poem::http::Method;
use serde_json::{Map, Value, json};

use super::{problem::FieldError, strict_json};

pub struct Catalogue {
    paths: Vec<PathEntry>,
}

struct PathEntry {
    /// The template's segments; `None` for a `{parameter}`.
    segments: Vec<Option<String>>,
    /// The names of its path parameters, in order.
    parameters: Vec<String>,
    operations: Vec<(Method, Option<Validator>)>,
}

/// What a JSON body's shape gets wrong, by field.
pub enum BodyCheck {
    /// Not JSON, or not the JSON value (an object, say) the body must be:
    /// for poem to refuse as the 400 it is.
    Unreadable,
    Invalid(Vec<FieldError>),
}

impl Catalogue {
    /// The catalogue of `document`, an OpenAPI 3.0 document as JSON.
    pub fn of(document: &Value) -> Self {
        let definitions = as_json_schema(&document["components"]["schemas"]);
        let mut paths = Vec::new();
        for (template, item) in document["paths"].as_object().into_iter().flatten() {
            let segments: Vec<Option<String>> = template
                .split('/')
                .map(|segment| {
                    (!(segment.starts_with('{') && segment.ends_with('}')))
                        .then(|| segment.to_owned())
                })
                .collect();
            let parameters = template
                .split('/')
                .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
                .map(str::to_owned)
                .collect();
            let operations = item
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(method, operation)| {
                    let method = method.to_uppercase().parse::<Method>().ok()?;
                    let schema = operation["requestBody"]["content"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .find(|(media_type, _)| media_type.starts_with("application/json"))
                        .map(|(_, content)| validator(&content["schema"], &definitions));
                    Some((method, schema))
                })
                .collect();
            paths.push(PathEntry {
                segments,
                parameters,
                operations,
            });
        }
        Self { paths }
    }

    /// The template `path` is routed to, as the router picks it: the most
    /// literal that matches.
    fn route(&self, path: &str) -> Option<&PathEntry> {
        let segments: Vec<&str> = path.split('/').collect();
        self.paths
            .iter()
            .filter_map(|entry| {
                if entry.segments.len() != segments.len() {
                    return None;
                }
                let literal: Option<Vec<bool>> = entry
                    .segments
                    .iter()
                    .zip(&segments)
                    .map(|(expected, actual)| match expected {
                        Some(expected) => (expected == actual).then_some(true),
                        None => (!actual.is_empty()).then_some(false),
                    })
                    .collect();
                Some((literal?, entry))
            })
            .max_by(|(a, _), (b, _)| a.cmp(b))
            .map(|(_, entry)| entry)
    }

    /// The methods `path` allows, for `Allow`: `None` for a path that
    /// matches no operation.
    pub fn allowed(&self, path: &str) -> Option<String> {
        let entry = self.route(path)?;
        let methods: BTreeSet<&str> = entry
            .operations
            .iter()
            .map(|(method, _)| method.as_str())
            .collect();
        Some(methods.into_iter().collect::<Vec<_>>().join(", "))
    }

    /// The name of the path parameter poem-openapi calls `extracted`
    /// (`param0`…) in `path`'s template.
    pub fn path_parameter(&self, path: &str, extracted: &str) -> Option<&str> {
        let index: usize = extracted.strip_prefix("param")?.parse().ok()?;
        self.route(path)?.parameters.get(index).map(String::as_str)
    }

    /// Checks `body` (JSON, as sent) against the documented body of `method`
    /// on `path`; `None` when it is sound or the route takes no JSON body.
    pub fn check_body(&self, method: &Method, path: &str, body: &[u8]) -> Option<BodyCheck> {
        let (_, validator) = self
            .route(path)?
            .operations
            .iter()
            .find(|(allowed, _)| allowed == method)?;
        let validator = validator.as_ref()?;
        let value = match strict_json::parse(body) {
            Ok(value) => value,
            Err(strict_json::Refused::Unreadable) => return Some(BodyCheck::Unreadable),
            Err(strict_json::Refused::Repeated(at)) => {
                return Some(BodyCheck::Invalid(vec![FieldError::new(
                    field_name(&at),
                    "is given more than once",
                )]));
            }
        };
        let mut errors = Vec::new();
        for error in validator.iter_errors(&value) {
            let mut at: Vec<String> = error
                .instance_path()
                .iter()
                .map(|segment| match segment {
                    LocationSegment::Property(name) => name.into_owned(),
                    LocationSegment::Index(index) => index.to_string(),
                })
                .collect();
            let message = match error.kind() {
                ValidationErrorKind::Type { .. } if at.is_empty() => {
                    return Some(BodyCheck::Unreadable);
                }
                ValidationErrorKind::Required { property } => {
                    at.push(property.as_str().unwrap_or_default().to_owned());
                    "is required".to_owned()
                }
                ValidationErrorKind::Type {
                    kind: TypeKind::Single(expected),
                } => format!("must be of JSON type {expected}"),
                ValidationErrorKind::Type { .. } | ValidationErrorKind::AnyOf { .. } => {
                    "is not of the type the document gives it".to_owned()
                }
                ValidationErrorKind::Format { format } => format!("must be a {format}"),
                _ => continue,
            };
            errors.push(FieldError::new(field_name(&at), message));
        }
        errors.dedup();
        (!errors.is_empty()).then_some(BodyCheck::Invalid(errors))
    }
}

/// A field as problems name it: `items[3].note`.
fn field_name(at: &[String]) -> String {
    let mut name = String::new();
    for segment in at {
        if segment.parse::<usize>().is_ok() {
            name.push_str(&format!("[{segment}]"));
        } else {
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str(segment);
        }
    }
    name
}

/// A validator for `schema`, a schema of the document whose component
/// schemas, read by [`as_json_schema`], are `definitions`; the formats
/// `date`, `date-time` and `uuid` are checked.
pub fn validator(schema: &Value, definitions: &Value) -> Validator {
    let mut root = as_json_schema(schema);
    if let Value::Object(map) = &mut root {
        map.insert("$defs".to_owned(), definitions.clone());
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|error| panic!("the document's schema {schema} does not compile: {error}"))
}

/// An OpenAPI 3.0 schema read as JSON Schema 2020-12: `nullable: true`
/// admits `null` beside what the rest of the schema admits (as a second
/// `type` where the schema has one, so that a value of the right type that
/// breaks a bound fails on that bound, not on the type), and component
/// references point into `$defs`.
pub fn as_json_schema(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut converted: Map<String, Value> = map
                .iter()
                .filter(|(key, _)| *key != "nullable" && *key != "example")
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        ("$ref", Value::String(target)) => {
                            Value::String(target.replace("#/components/schemas/", "#/$defs/"))
                        }
                        _ => as_json_schema(value),
                    };
                    (key.clone(), value)
                })
                .collect();
            let nullable = map.get("nullable") == Some(&Value::Bool(true));
            if let (true, Some(Value::String(kind))) = (nullable, map.get("type")) {
                converted.insert("type".to_owned(), json!([kind, "null"]));
            } else if nullable {
                let description = converted.remove("description");
                let mut either = Map::new();
                either.insert(
                    "anyOf".to_owned(),
                    json!([Value::Object(converted), {"type": "null"}]),
                );
                if let Some(description) = description {
                    either.insert("description".to_owned(), description);
                }
                converted = either;
            }
            Value::Object(converted)
        }
        Value::Array(items) => Value::Array(items.iter().map(as_json_schema).collect()),
        other => other.clone(),
    }
}
