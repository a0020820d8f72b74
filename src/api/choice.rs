//! Strings from a fixed list. The OpenAPI document lists the values as an
//! `enum`, but any string parses, so that a wrong value is a 422 naming the
//! field (like every other invalid field) rather than an opaque 400.

use std::{borrow::Cow, marker::PhantomData};

use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef},
    types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type},
};
use serde_json::Value;

pub trait Choices: Send + Sync + 'static {
    const NAME: &'static str;
    const VALUES: &'static [&'static str];
}

pub struct Choice<C>(pub String, PhantomData<fn() -> C>);

impl<C> Choice<C> {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into(), PhantomData)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<C> Clone for Choice<C> {
    fn clone(&self) -> Self {
        Self::new(self.0.clone())
    }
}

impl<C> std::fmt::Debug for Choice<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<C: Choices> Type for Choice<C> {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        C::NAME.into()
    }

    fn schema_ref() -> MetaSchemaRef {
        let mut schema = MetaSchema::new("string");
        schema.enum_items = C::VALUES
            .iter()
            .map(|value| Value::String((*value).to_owned()))
            .collect();
        MetaSchemaRef::Inline(Box::new(schema))
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

impl<C: Choices> ParseFromJSON for Choice<C> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::String(text) => Ok(Self::new(text)),
            other => Err(ParseError::expected_type(other)),
        }
    }
}

impl<C: Choices> ToJSON for Choice<C> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

/// Habit categories.
pub struct HabitCategories;

impl Choices for HabitCategories {
    const NAME: &'static str = "HabitCategory";
    const VALUES: &'static [&'static str] = crate::domain::habit::CATEGORIES;
}

/// Schedule kinds.
pub struct ScheduleKinds;

impl Choices for ScheduleKinds {
    const NAME: &'static str = "ScheduleKind";
    const VALUES: &'static [&'static str] = crate::domain::habit::SCHEDULE_KINDS;
}
