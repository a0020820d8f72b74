//! A habit's schedule as the API sends and receives it: one of three objects
//! told apart by `kind`, as API.md gives them — `{"kind": "daily"}`,
//! `{"kind": "weekdays", "days": [1, 3, 5]}`, `{"kind": "times_per_week",
//! "times": 3}`. The document states it as a `oneOf` of one named schema
//! per kind, with a discriminator; each shape requires its fields and allows
//! no other (by `maxProperties`, as poem-openapi's schema model cannot write
//! `additionalProperties: false`), so that a client generator types each
//! shape exactly and a validator refuses a field of another shape. Any JSON
//! parses here, so that a wrong schedule is a 422 naming the field
//! (`schedule.days`) with the domain's message, like every other field.

use std::borrow::Cow;

use poem_openapi::{
    registry::{MetaDiscriminatorObject, MetaSchema, MetaSchemaRef, Registry},
    types::{ParseFromJSON, ParseResult, ToJSON, Type},
};
use serde_json::{Value, json};

use super::bounded::{Int, Weekdays};
use crate::domain::{
    habit::{self, ScheduleKind},
    names::Named,
    streak::{Schedule, WeekdaySet},
};

/// A schedule as sent or to be sent: any JSON value until [`parse`]d.
///
/// [`parse`]: ScheduleBody::parse
#[derive(Debug, Clone)]
pub struct ScheduleBody(Value);

const NAME: &str = "Schedule";

impl ScheduleBody {
    /// The schedule sent, or the field it gets wrong (`schedule.days`) and
    /// why.
    pub fn parse(&self) -> Result<Schedule, (String, String)> {
        let wrong = |field: &str, message: &str| Err((field.to_owned(), message.to_owned()));
        let Value::Object(fields) = &self.0 else {
            return wrong("schedule", "must be an object with a `kind`");
        };
        if let Some(other) = fields
            .keys()
            .find(|key| !matches!(key.as_str(), "kind" | "days" | "times"))
        {
            return wrong(
                &format!("schedule.{other}"),
                "is not a field of any schedule",
            );
        }
        let kind = match fields.get("kind") {
            Some(Value::String(kind)) => kind,
            Some(_) => return wrong("schedule.kind", "must be of JSON type string"),
            None => return wrong("schedule.kind", "is required"),
        };
        let days: Option<Vec<i64>> = match fields.get("days") {
            None => None,
            Some(Value::Array(days)) => match days.iter().map(Value::as_i64).collect() {
                Some(days) => Some(days),
                None => return wrong("schedule.days", "must list whole numbers"),
            },
            Some(_) => return wrong("schedule.days", "must be of JSON type array"),
        };
        let times = match fields.get("times") {
            None => None,
            Some(times) => match times.as_i64() {
                Some(times) => Some(times),
                None => return wrong("schedule.times", "must be a whole number"),
            },
        };
        habit::parse_schedule(kind, days.as_deref(), times)
            .map_err(|(field, message)| (field.to_owned(), message))
    }
}

impl From<Schedule> for ScheduleBody {
    fn from(schedule: Schedule) -> Self {
        let kind = ScheduleKind::of(schedule).as_str();
        Self(match schedule {
            Schedule::Daily => json!({ "kind": kind }),
            Schedule::Weekdays(days) => json!({ "kind": kind, "days": days.days() }),
            Schedule::TimesPerWeek(times) => json!({ "kind": kind, "times": times }),
        })
    }
}

/// The document's schema of the shape of `kind`: its name, and the schema.
fn shape(kind: ScheduleKind) -> (&'static str, MetaSchema) {
    let described = |schema: MetaSchemaRef, description: &'static str| match schema {
        MetaSchemaRef::Inline(mut schema) => {
            schema.description = Some(description);
            MetaSchemaRef::Inline(schema)
        }
        reference => reference,
    };
    let (name, description, example, field) = match kind {
        ScheduleKind::Daily => ("DailySchedule", "Due every day.", Schedule::Daily, None),
        ScheduleKind::Weekdays => (
            "WeekdaysSchedule",
            "Due on the listed weekdays; the other days neither count nor break its streak.",
            Schedule::Weekdays(WeekdaySet::parse(&[1, 3, 5]).expect("weekdays")),
            Some((
                "days",
                described(
                    Weekdays::schema_ref(),
                    "The ISO weekdays it is due, Monday = 1 … Sunday = 7, each once.",
                ),
            )),
        ),
        ScheduleKind::TimesPerWeek => (
            "TimesPerWeekSchedule",
            "Due `times` days in each ISO week, whichever days they are; its streak counts weeks.",
            Schedule::times_per_week(3).expect("three times a week"),
            Some((
                "times",
                described(Int::<1, 7>::schema_ref(), "How many days a week, 1 to 7."),
            )),
        ),
    };
    let tag = MetaSchema {
        description: Some("Which shape of schedule this is."),
        enum_items: vec![Value::from(kind.as_str())],
        ..MetaSchema::new("string")
    };
    let mut properties = vec![("kind", MetaSchemaRef::Inline(Box::new(tag)))];
    properties.extend(field);
    let schema = MetaSchema {
        description: Some(description),
        required: properties.iter().map(|(field, _)| *field).collect(),
        max_properties: Some(properties.len()),
        properties,
        example: ScheduleBody::from(example).to_json(),
        ..MetaSchema::new("object")
    };
    (name, schema)
}

fn reference(name: &str) -> String {
    format!("#/components/schemas/{name}")
}

impl Type for ScheduleBody {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        NAME.into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Reference(NAME.to_owned())
    }

    fn register(registry: &mut Registry) {
        registry.create_schema::<Self, _>(NAME.to_owned(), |registry| {
            let shapes: Vec<_> = ScheduleKind::all()
                .iter()
                .map(|kind| (kind, shape(*kind)))
                .collect();
            let mapping = shapes
                .iter()
                .map(|(kind, (name, _))| (kind.as_str().to_owned(), reference(name)))
                .collect();
            let one_of = shapes
                .iter()
                .map(|(_, (name, _))| MetaSchemaRef::Reference((*name).to_owned()))
                .collect();
            for (_, (name, schema)) in shapes {
                registry.create_schema::<Self, _>(name.to_owned(), |_| schema);
            }
            MetaSchema {
                description: Some(
                    "When a habit is due: one of three shapes, told apart by `kind`.",
                ),
                one_of,
                example: ScheduleBody::from(Schedule::Daily).to_json(),
                discriminator: Some(MetaDiscriminatorObject {
                    property_name: "kind",
                    mapping,
                }),
                ..MetaSchema::new("object")
            }
        });
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

impl ParseFromJSON for ScheduleBody {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        Ok(Self(value.unwrap_or_default()))
    }
}

impl ToJSON for ScheduleBody {
    fn to_json(&self) -> Option<Value> {
        Some(self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(value: Value) -> Result<Schedule, (String, String)> {
        ScheduleBody::parse_from_json(Some(value)).unwrap().parse()
    }

    #[test]
    fn every_schedule_parses_back_from_what_is_sent() {
        for schedule in [
            Schedule::Daily,
            Schedule::Weekdays(WeekdaySet::parse(&[2, 6]).unwrap()),
            Schedule::times_per_week(7).unwrap(),
        ] {
            assert_eq!(ScheduleBody::from(schedule).parse(), Ok(schedule));
        }
    }

    #[test]
    fn a_misshapen_schedule_names_the_field_it_gets_wrong() {
        for (value, field) in [
            (json!("daily"), "schedule"),
            (json!({}), "schedule.kind"),
            (json!({"kind": 1}), "schedule.kind"),
            (json!({"kind": "daily", "every": 2}), "schedule.every"),
            (json!({"kind": "daily", "days": null}), "schedule.days"),
            (json!({"kind": "weekdays", "days": "1,3"}), "schedule.days"),
            (json!({"kind": "weekdays", "days": [1.5]}), "schedule.days"),
            (
                json!({"kind": "times_per_week", "times": "3"}),
                "schedule.times",
            ),
            (
                json!({"kind": "times_per_week", "times": null}),
                "schedule.times",
            ),
            (json!({"kind": "daily", "times": 2}), "schedule.times"),
        ] {
            assert_eq!(
                parsed(value.clone()).map_err(|(at, _)| at),
                Err(field.to_owned()),
                "{value}"
            );
        }
    }
}
