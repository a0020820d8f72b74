//! Calendar days as the API writes and reads them: RFC 3339 full dates
//! (`2026-11-27`), documented as the standard `format: date` (poem-openapi's
//! own `NaiveDate` says `naive-date`, which no client generator knows).

use std::borrow::Cow;

use chrono::NaiveDate;
use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef},
    types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type},
};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(pub NaiveDate);

impl From<NaiveDate> for Day {
    fn from(date: NaiveDate) -> Self {
        Self(date)
    }
}

impl Day {
    /// `YYYY-MM-DD`, four digits of year and two of month and day, a date
    /// that exists.
    fn parse(text: &str) -> Result<Self, ParseError<Self>> {
        let shaped = text.len() == 10
            && text.bytes().enumerate().all(|(at, byte)| match at {
                4 | 7 => byte == b'-',
                _ => byte.is_ascii_digit(),
            });
        shaped
            .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
            .flatten()
            .map(Self)
            .ok_or_else(|| ParseError::custom("expected a date YYYY-MM-DD"))
    }
}

impl Type for Day {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "string_date".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "date")))
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

impl ParseFromJSON for Day {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::String(text) => Self::parse(&text),
            other => Err(ParseError::expected_type(other)),
        }
    }
}

impl ParseFromParameter for Day {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        Self::parse(value)
    }
}

impl ToJSON for Day {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.format("%Y-%m-%d").to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_full_dates_of_the_calendar_parse() {
        let parsed = |text: &str| Day::parse(text).ok().map(|day| day.0);
        assert_eq!(parsed("2026-11-27"), NaiveDate::from_ymd_opt(2026, 11, 27));
        assert_eq!(parsed("0001-01-01"), NaiveDate::from_ymd_opt(1, 1, 1));
        for text in [
            "2026-02-30",
            "2026-1-27",
            "-262143-01-01",
            "+2026-11-27",
            "20261127",
            "2026-11-27T00:00:00Z",
            "２０２６-11-27",
            "",
        ] {
            assert_eq!(parsed(text), None, "{text:?}");
        }
    }

    #[test]
    fn days_are_written_with_four_digits_of_year() {
        let day = Day(NaiveDate::from_ymd_opt(7, 3, 1).unwrap());
        assert_eq!(day.to_json(), Some(Value::String("0007-03-01".into())));
    }
}
