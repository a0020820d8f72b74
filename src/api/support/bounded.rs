//! Fields with documented bounds: `Text<MIN, MAX, S>` (a JSON string of
//! `MIN` to `MAX` characters of the shape `S`: a charset, or a colour),
//! `Int<MIN, MAX>` (a JSON integer from `MIN` to `MAX`) and
//! `List<T, MIN, MAX, UNIQUE>` (a JSON array of `MIN` to `MAX` items,
//! distinct when `UNIQUE`). The bounds
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

use crate::domain::streak::WeekdaySet;

/// A string of `MIN` to `MAX` characters of the shape `C`, as documented.
pub struct Text<const MIN: usize, const MAX: usize, C>(pub String, PhantomData<fn() -> C>);

impl<const MIN: usize, const MAX: usize, C> Text<MIN, MAX, C> {
    pub fn new(text: String) -> Self {
        Self(text, PhantomData)
    }
}

impl<const MIN: usize, const MAX: usize, C> std::ops::Deref for Text<MIN, MAX, C> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<const MIN: usize, const MAX: usize, C> Clone for Text<MIN, MAX, C> {
    fn clone(&self) -> Self {
        Self::new(self.0.clone())
    }
}

impl<const MIN: usize, const MAX: usize, C> std::fmt::Debug for Text<MIN, MAX, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<const MIN: usize, const MAX: usize, C> PartialEq for Text<MIN, MAX, C> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

/// What a `Text` may hold, as the domain rules it: a set of characters (for
/// names, titles, notes) or a shape (a colour), stated in the document as a
/// `pattern` (ECMA-262, `\uXXXX` escapes, so every JSON Schema validator
/// reads it alike). Where the domain trims, "not blank" means a character
/// other than whitespace.
pub trait Shape: Send + Sync + 'static {
    const NAME: &'static str;
    const PATTERN: Option<&'static str>;
}

/// C0 and C1 control characters and DEL (Unicode's `Cc`).
macro_rules! control {
    () => {
        r"\u0000-\u001F\u007F-\u009F"
    };
}
/// Control characters but tab, line feed and carriage return.
macro_rules! control_but_breaks {
    () => {
        r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F"
    };
}
/// Unicode's format characters (`Cf`) of the Basic Multilingual Plane: soft
/// hyphen, zero-width spaces and joiners, bidi marks, overrides and isolates,
/// invisible operators, byte-order mark.
macro_rules! format_chars {
    () => {
        r"\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB"
    };
}
/// Unicode's `White_Space`, which the domain trims, spelled out because
/// regex dialects disagree on `\s`.
macro_rules! white_space {
    () => {
        r"\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
    };
}
/// Any number of characters outside `$class`, with one that is not
/// white space either.
macro_rules! not_blank {
    ($class:expr) => {
        concat!(
            "^[^",
            $class,
            "]*[^",
            white_space!(),
            $class,
            "][^",
            $class,
            "]*$"
        )
    };
}

/// Anything at all (passwords).
pub struct Anything;

impl Shape for Anything {
    const NAME: &'static str = "any";
    const PATTERN: Option<&'static str> = None;
}

/// One line with no control character, not blank (habit titles).
pub struct SingleLine;

impl Shape for SingleLine {
    const NAME: &'static str = "line";
    const PATTERN: Option<&'static str> = Some(not_blank!(control!()));
}

/// No control character; spaces count (icons).
pub struct Printable;

impl Shape for Printable {
    const NAME: &'static str = "printable";
    const PATTERN: Option<&'static str> = Some(concat!("^[^", control!(), "]*$"));
}

/// Every character shows: no control or format (invisible, bidi)
/// character, not blank (names of people, organisations and teams). The
/// pattern names the format characters of the Basic Multilingual Plane;
/// the few beyond it (tags, U+E0001…; Egyptian and musical format marks),
/// which ECMA-262 5.1 sees only as pairs of surrogates, are refused all
/// the same.
pub struct Visible;

impl Shape for Visible {
    const NAME: &'static str = "visible";
    const PATTERN: Option<&'static str> = Some(not_blank!(concat!(control!(), format_chars!())));
}

/// Lines of text: no control character but line breaks and tabs, not blank
/// (act messages).
pub struct Message;

impl Shape for Message {
    const NAME: &'static str = "message";
    const PATTERN: Option<&'static str> = Some(not_blank!(control_but_breaks!()));
}

/// Lines of text that may be empty: no control character but line breaks and
/// tabs (check-in notes).
pub struct Note;

impl Shape for Note {
    const NAME: &'static str = "note";
    const PATTERN: Option<&'static str> = Some(concat!("^[^", control_but_breaks!(), "]*$"));
}

/// An integer from `MIN` to `MAX`, as documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Int<const MIN: i64, const MAX: i64>(pub i64);

impl<const MIN: i64, const MAX: i64> Int<MIN, MAX> {
    pub fn get(self) -> i64 {
        self.0
    }
}

impl<const MIN: usize, const MAX: usize, C: Shape> Type for Text<MIN, MAX, C> {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        format!("string_{MIN}_to_{MAX}_{}", C::NAME).into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            min_length: (MIN > 0).then_some(MIN),
            max_length: Some(MAX),
            pattern: C::PATTERN.map(str::to_owned),
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

impl<const MIN: usize, const MAX: usize, C: Shape> ParseFromJSON for Text<MIN, MAX, C> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::String(text) => Ok(Self::new(text)),
            other => Err(ParseError::expected_type(other)),
        }
    }
}

impl<const MIN: usize, const MAX: usize, C: Shape> ToJSON for Text<MIN, MAX, C> {
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

/// A list of `MIN` to `MAX` items, each named at most once when `UNIQUE`, as
/// documented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List<T, const MIN: usize, const MAX: usize, const UNIQUE: bool = false>(pub Vec<T>);

/// ISO weekdays, Monday = 1 … Sunday = 7, each at most once.
pub type Weekdays = List<Int<1, 7>, 1, 7, true>;

impl Weekdays {
    pub fn numbers(&self) -> Vec<i64> {
        self.0.iter().map(|day| day.get()).collect()
    }

    pub fn of(days: impl IntoIterator<Item = i64>) -> Self {
        Self(days.into_iter().map(Int).collect())
    }
}

impl From<WeekdaySet> for Weekdays {
    fn from(days: WeekdaySet) -> Self {
        Self::of(days.days().into_iter().map(i64::from))
    }
}

impl<T, const MIN: usize, const MAX: usize, const UNIQUE: bool> std::ops::Deref
    for List<T, MIN, MAX, UNIQUE>
{
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T: Type, const MIN: usize, const MAX: usize, const UNIQUE: bool> Type
    for List<T, MIN, MAX, UNIQUE>
{
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = T::RawValueType;

    fn name() -> Cow<'static, str> {
        format!("list_{MIN}_to_{MAX}_{UNIQUE}_{}", T::name()).into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            items: Some(Box::new(T::schema_ref())),
            min_items: (MIN > 0).then_some(MIN),
            max_items: Some(MAX),
            unique_items: UNIQUE.then_some(true),
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

impl<T: ParseFromJSON, const MIN: usize, const MAX: usize, const UNIQUE: bool> ParseFromJSON
    for List<T, MIN, MAX, UNIQUE>
{
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

impl<T: ToJSON, const MIN: usize, const MAX: usize, const UNIQUE: bool> ToJSON
    for List<T, MIN, MAX, UNIQUE>
{
    fn to_json(&self) -> Option<Value> {
        Some(Value::Array(
            self.0.iter().filter_map(ToJSON::to_json).collect(),
        ))
    }
}

/// A local time of day, `HH:MM`, 24-hour.
pub struct LocalTime;

impl Shape for LocalTime {
    const NAME: &'static str = "local_time";
    const PATTERN: Option<&'static str> = Some("^([01][0-9]|2[0-3]):[0-5][0-9]$");
}

/// A reminder's local time, `HH:MM`.
pub type TimeOfDay = Text<5, 5, LocalTime>;

/// A colour, `#RRGGBB`.
pub struct Colour;

impl Shape for Colour {
    const NAME: &'static str = "colour";
    const PATTERN: Option<&'static str> = Some("^#[0-9A-Fa-f]{6}$");
}

/// A colour, `#RRGGBB`.
pub type ColourCode = Text<7, 7, Colour>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_are_documented_as_schema_keywords() {
        let MetaSchemaRef::Inline(text) = Text::<1, 120, Anything>::schema_ref() else {
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
        documented::<S>().is_valid(&Value::from(text))
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

    /// A validator of the pattern the document gives the shape `S`.
    fn documented<S: Shape>() -> jsonschema::Validator {
        let pattern = S::PATTERN.expect("a shape with a pattern");
        jsonschema::validator_for(&serde_json::json!({"type": "string", "pattern": pattern}))
            .expect("the pattern compiles")
    }

    /// Every character of the Basic Multilingual Plane and a few beyond it,
    /// alone and between letters.
    fn samples() -> impl Iterator<Item = String> {
        let astral = [
            '\u{1F642}',
            '\u{1F469}',
            '\u{10000}',
            '\u{E0100}',
            '\u{10FFFD}',
        ];
        (0..=0xFFFF_u32)
            .filter_map(char::from_u32)
            .chain(astral)
            .flat_map(|c| [c.to_string(), format!("a{c}b")])
    }

    #[test]
    fn the_documented_charsets_are_the_characters_the_domain_accepts() {
        use crate::domain::{account::DisplayName, act, habit, org};
        type Accepts = fn(&str) -> bool;
        let rules: [(&str, jsonschema::Validator, Accepts); 6] = [
            ("title", documented::<SingleLine>(), |s| {
                habit::parse_title(s).is_ok()
            }),
            ("icon", documented::<Printable>(), |s| {
                habit::parse_icon(s).is_ok()
            }),
            ("display name", documented::<Visible>(), |s| {
                DisplayName::parse(s).is_ok()
            }),
            ("organisation name", documented::<Visible>(), |s| {
                org::parse_name(s).is_ok()
            }),
            ("message", documented::<Message>(), |s| {
                act::parse_message(s).is_ok()
            }),
            ("note", documented::<Note>(), |s| {
                habit::parse_note(s.to_owned()).is_ok()
            }),
        ];
        for (field, documented, domain) in rules {
            let differ: Vec<String> = samples()
                .filter(|s| documented.is_valid(&Value::from(s.as_str())) != domain(s))
                .map(|s| format!("{s:?}"))
                .take(20)
                .collect();
            assert!(
                differ.is_empty(),
                "{field}: the document and the domain differ on {differ:?}"
            );
        }
    }

    #[test]
    fn only_strings_are_text_and_only_whole_numbers_are_ints() {
        assert!(Text::<1, 10, Anything>::parse_from_json(Some(Value::from(12345))).is_err());
        assert!(Text::<1, 10, Anything>::parse_from_json(Some(Value::Bool(false))).is_err());
        assert_eq!(
            Text::<1, 10, Anything>::parse_from_json(Some(Value::from("a"))).ok(),
            Some(Text::new("a".into()))
        );
        assert!(Int::<1, 5>::parse_from_json(Some(Value::from("3"))).is_err());
        assert!(Int::<1, 5>::parse_from_json(Some(Value::from(2.5))).is_err());
        assert_eq!(
            Int::<1, 5>::parse_from_json(Some(Value::from(9))).ok(),
            Some(Int(9))
        );
    }
}
