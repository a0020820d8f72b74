//! A field that holds one of the document's named object schemas or
//! `null`. poem-openapi writes such a field as `allOf: [$ref]` beside
//! `nullable`, which generated clients turn into a copy of the referenced
//! class, and which `nullable` without a `type` beside it makes invalid
//! OpenAPI 3.0. Written `oneOf: [$ref, {type: object, nullable: true,
//! enum: [null]}]`, it is valid, and read by openapi-python-client and
//! openapi-typescript as "that class, or null".

use std::borrow::Cow;

use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef, Registry},
    types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type},
};
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct OrNull<T>(pub Option<T>);

impl<T: Type> Type for OrNull<T> {
    const IS_REQUIRED: bool = false;
    type RawValueType = T::RawValueType;
    type RawElementValueType = T::RawElementValueType;

    fn name() -> Cow<'static, str> {
        format!("nullable_{}", T::name()).into()
    }

    fn schema_ref() -> MetaSchemaRef {
        let null = MetaSchema {
            nullable: true,
            enum_items: vec![Value::Null],
            ..MetaSchema::new("object")
        };
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            one_of: vec![T::schema_ref(), MetaSchemaRef::Inline(Box::new(null))],
            ..MetaSchema::ANY
        }))
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        self.0.as_ref().and_then(Type::as_raw_value)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        match &self.0 {
            Some(value) => value.raw_element_iter(),
            None => Box::new(std::iter::empty()),
        }
    }
}

impl<T: ToJSON> ToJSON for OrNull<T> {
    fn to_json(&self) -> Option<Value> {
        Some(
            self.0
                .as_ref()
                .and_then(ToJSON::to_json)
                .unwrap_or(Value::Null),
        )
    }
}

impl<T: ParseFromJSON> ParseFromJSON for OrNull<T> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::Null => Ok(Self(None)),
            value => T::parse_from_json(Some(value))
                .map(|value| Self(Some(value)))
                .map_err(ParseError::propagate),
        }
    }
}
