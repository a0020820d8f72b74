//! Request fields with documented bounds: `Text<MIN, MAX>` (a JSON string
//! of `MIN` to `MAX` characters), `Int<MIN, MAX>` (a JSON integer from `MIN`
//! to `MAX`), `List<T, MIN, MAX>` (a JSON array of `MIN` to `MAX` items) and
//! `Shaped<S>` (a JSON string of the shape `S`, such as a colour). The bounds
//! are written into the document as `minLength`/`maxLength`,
//! `minimum`/`maximum`, `minItems`/`maxItems` and `pattern`, from the
//! domain's own constants, but not enforced here: the use-case checks each value (after
//! trimming and normalising where it does), so that every invalid field of a
//! request is named in one 422 with the domain's message. Only JSON strings
//! parse as `Text` and only JSON integers as `Int`.

use std::{borrow::Cow, marker::PhantomData};

use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef, Registry},
    types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type},
};
use serde_json::Value;

/// A string of `MIN` to `MAX` characters, as documented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<const MIN: usize, const MAX: usize>(pub String);

impl<const MIN: usize, const MAX: usize> std::ops::Deref for Text<MIN, MAX> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// An integer from `MIN` to `MAX`, as documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Int<const MIN: i64, const MAX: i64>(pub i64);

impl<const MIN: i64, const MAX: i64> Int<MIN, MAX> {
    pub fn get(self) -> i64 {
        self.0
    }
}

impl<const MIN: usize, const MAX: usize> Type for Text<MIN, MAX> {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        format!("string_{MIN}_to_{MAX}").into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            min_length: (MIN > 0).then_some(MIN),
            max_length: Some(MAX),
            ..MetaSchema::new("string")
        }))
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

impl<const MIN: usize, const MAX: usize> ParseFromJSON for Text<MIN, MAX> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::String(text) => Ok(Self(text)),
            other => Err(ParseError::expected_type(other)),
        }
    }
}

impl<const MIN: usize, const MAX: usize> ToJSON for Text<MIN, MAX> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

impl<const MIN: i64, const MAX: i64> Type for Int<MIN, MAX> {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        format!("integer_{MIN}_to_{MAX}").into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            minimum: Some(MIN as f64),
            maximum: Some(MAX as f64),
            ..MetaSchema::new_with_format("integer", "int64")
        }))
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

impl<const MIN: i64, const MAX: i64> ParseFromJSON for Int<MIN, MAX> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::Number(number) => number
                .as_i64()
                .map(Self)
                .ok_or_else(|| ParseError::custom("expected a whole number")),
            other => Err(ParseError::expected_type(other)),
        }
    }
}

impl<const MIN: i64, const MAX: i64> ParseFromParameter for Int<MIN, MAX> {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        value
            .parse()
            .map(Self)
            .map_err(|_| ParseError::custom("expected a whole number"))
    }
}

impl<const MIN: i64, const MAX: i64> ToJSON for Int<MIN, MAX> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::from(self.0))
    }
}

/// A list of `MIN` to `MAX` items, as documented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List<T, const MIN: usize, const MAX: usize>(pub Vec<T>);

impl<T, const MIN: usize, const MAX: usize> std::ops::Deref for List<T, MIN, MAX> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T: Type, const MIN: usize, const MAX: usize> Type for List<T, MIN, MAX> {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = T::RawValueType;

    fn name() -> Cow<'static, str> {
        format!("list_{MIN}_to_{MAX}_{}", T::name()).into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            items: Some(Box::new(T::schema_ref())),
            min_items: (MIN > 0).then_some(MIN),
            max_items: Some(MAX),
            ..MetaSchema::new("array")
        }))
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(self.0.iter().filter_map(Type::as_raw_value))
    }
}

impl<T: ParseFromJSON, const MIN: usize, const MAX: usize> ParseFromJSON for List<T, MIN, MAX> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::Array(items) => items
                .into_iter()
                .map(|item| T::parse_from_json(Some(item)).map_err(ParseError::propagate))
                .collect::<Result<_, _>>()
                .map(Self),
            other => Err(ParseError::expected_type(other)),
        }
    }
}

impl<T: ToJSON, const MIN: usize, const MAX: usize> ToJSON for List<T, MIN, MAX> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::Array(
            self.0.iter().filter_map(ToJSON::to_json).collect(),
        ))
    }
}

/// A shape of string the document states as a `pattern`.
pub trait Shape: Send + Sync + 'static {
    const NAME: &'static str;
    const PATTERN: &'static str;
}

/// A local time of day, `HH:MM`, 24-hour.
pub struct LocalTime;

impl Shape for LocalTime {
    const NAME: &'static str = "local_time";
    const PATTERN: &'static str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
}

/// A colour, `#RRGGBB`.
pub struct Colour;

impl Shape for Colour {
    const NAME: &'static str = "colour";
    const PATTERN: &'static str = "^#[0-9A-Fa-f]{6}$";
}

/// A string of the shape `S`, as documented.
pub struct Shaped<S>(pub String, PhantomData<fn() -> S>);

impl<S> Shaped<S> {
    pub fn new(text: String) -> Self {
        Self(text, PhantomData)
    }
}

impl<S> Clone for Shaped<S> {
    fn clone(&self) -> Self {
        Self::new(self.0.clone())
    }
}

impl<S> std::fmt::Debug for Shaped<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<S: Shape> Type for Shaped<S> {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        format!("string_{}", S::NAME).into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            pattern: Some(S::PATTERN.to_owned()),
            ..MetaSchema::new("string")
        }))
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

impl<S: Shape> ParseFromJSON for Shaped<S> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::String(text) => Ok(Self::new(text)),
            other => Err(ParseError::expected_type(other)),
        }
    }
}

impl<S: Shape> ToJSON for Shaped<S> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_are_documented_as_schema_keywords() {
        let MetaSchemaRef::Inline(text) = Text::<1, 120>::schema_ref() else {
            panic!("an inline schema");
        };
        assert_eq!((text.min_length, text.max_length), (Some(1), Some(120)));
        let MetaSchemaRef::Inline(int) = Int::<0, 6>::schema_ref() else {
            panic!("an inline schema");
        };
        assert_eq!((int.minimum, int.maximum), (Some(0.0), Some(6.0)));
    }

    /// Whether `text` matches the pattern the document gives `S`.
    fn matches<S: Shape>(text: &str) -> bool {
        let schema = serde_json::json!({"type": "string", "pattern": S::PATTERN});
        jsonschema::validator_for(&schema)
            .expect("the pattern compiles")
            .is_valid(&Value::from(text))
    }

    #[test]
    fn the_documented_shapes_are_the_shapes_the_domain_accepts() {
        use crate::domain::habit::{parse_colour, parse_reminder_time};
        let times = [
            "00:00",
            "07:30",
            "23:59",
            "24:00",
            "7:30",
            "07:60",
            "07-30",
            "07:30:00",
            "",
            "ab:cd",
            "19:5",
            "12:00 ",
            "０７:３０",
        ];
        for time in times {
            assert_eq!(
                matches::<LocalTime>(time),
                parse_reminder_time(time).is_ok(),
                "{time:?}"
            );
        }
        let colours = [
            "#a1b2c3",
            "#A1B2C3",
            "#000000",
            "#fff",
            "a1b2c3",
            "#a1b2c",
            "#a1b2c3d",
            "#g1b2c3",
            "",
            "#ａ1b2c3",
        ];
        for colour in colours {
            assert_eq!(
                matches::<Colour>(colour),
                parse_colour(colour).is_ok(),
                "{colour:?}"
            );
        }
    }

    #[test]
    fn only_strings_are_text_and_only_whole_numbers_are_ints() {
        assert!(Text::<1, 10>::parse_from_json(Some(Value::from(12345))).is_err());
        assert!(Text::<1, 10>::parse_from_json(Some(Value::Bool(false))).is_err());
        assert_eq!(
            Text::<1, 10>::parse_from_json(Some(Value::from("a"))).ok(),
            Some(Text("a".into()))
        );
        assert!(Int::<1, 5>::parse_from_json(Some(Value::from("3"))).is_err());
        assert!(Int::<1, 5>::parse_from_json(Some(Value::from(2.5))).is_err());
        assert_eq!(
            Int::<1, 5>::parse_from_json(Some(Value::from(9))).ok(),
            Some(Int(9))
        );
    }
}
