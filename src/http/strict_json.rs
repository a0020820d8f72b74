//! JSON read as the document means it: an object that gives a key twice is
//! refused (serde_json would silently keep the last), naming where.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

pub enum Refused {
    /// Not JSON.
    Unreadable,
    /// The path (keys and indices) of a key given twice.
    Repeated(Vec<String>),
}

pub fn parse(body: &[u8]) -> Result<Value, Refused> {
    let mut repeated = None;
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = Strict {
        at: Vec::new(),
        repeated: &mut repeated,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    match (value, repeated) {
        (_, Some(at)) => Err(Refused::Repeated(at)),
        (Ok(value), None) => Ok(value),
        (Err(_), None) => Err(Refused::Unreadable),
    }
}

/// A value at `at`; the first repeated key found is recorded in `repeated`
/// (and the parse then fails).
struct Strict<'a> {
    at: Vec<String>,
    repeated: &'a mut Option<Vec<String>>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(value.into())
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(value.into())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(value)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number JSON cannot hold"))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut values = Vec::new();
        loop {
            let mut at = self.at.clone();
            at.push(values.len().to_string());
            let item = Strict {
                at,
                repeated: &mut *self.repeated,
            };
            match items.next_element_seed(item)? {
                Some(value) => values.push(value),
                None => return Ok(Value::Array(values)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = entries.next_key::<String>()? {
            let mut at = self.at.clone();
            at.push(key.clone());
            if map.contains_key(&key) {
                *self.repeated = Some(at);
                return Err(de::Error::custom("a key given twice"));
            }
            let value = entries.next_value_seed(Strict {
                at,
                repeated: &mut *self.repeated,
            })?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repeated(body: &str) -> Option<Vec<String>> {
        match parse(body.as_bytes()) {
            Err(Refused::Repeated(at)) => Some(at),
            _ => None,
        }
    }

    #[test]
    fn a_key_given_twice_is_refused_where_it_is() {
        assert_eq!(
            repeated(r#"{"title": "a", "title": "b"}"#),
            Some(vec!["title".into()])
        );
        assert_eq!(
            repeated(r#"{"items": [{}, {"note": "a", "note": "b"}]}"#),
            Some(vec!["items".into(), "1".into(), "note".into()])
        );
        assert_eq!(repeated(r#"{"a": {"b": 1}, "c": {"b": 2}}"#), None);
    }

    #[test]
    fn json_reads_as_serde_json_reads_it_otherwise() {
        let body = r#"{"a": [1, -2, 2.5, true, null, "x"], "b": {"c": {}}}"#;
        assert_eq!(
            parse(body.as_bytes()).ok(),
            serde_json::from_str::<Value>(body).ok()
        );
        for unreadable in ["", "{", "{\"a\": 1} 2", "[1,]", "nul"] {
            assert!(
                matches!(parse(unreadable.as_bytes()), Err(Refused::Unreadable)),
                "{unreadable:?}"
            );
        }
    }
}
