//! Values from a fixed list, as the API sends and receives them. The list
//! is the domain enum's own ([`Named`]); the OpenAPI document has one named
//! schema per list (an `enum` of its names, referred to wherever the list is
//! used), but any string parses, so that a wrong value is a 422 naming the
//! field (like every other invalid field) rather than an opaque 400.

use std::{borrow::Cow, marker::PhantomData};

use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef, Registry},
    types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type},
};
use serde_json::Value;

use crate::domain::{
    access::{OrgRole, TeamRole},
    act,
    challenge::Metric,
    habit::{self, TombstoneKind},
    leaderboard::Period,
    names::Named,
    streak::Unit,
    xp::{Badge, Reason, SourceType},
};

/// A domain enum as the document names and describes its type.
pub trait Choices: Named + Send + Sync + 'static {
    const NAME: &'static str;
    const DESCRIPTION: &'static str;
}

impl Choices for habit::Category {
    const NAME: &'static str = "HabitCategory";
    const DESCRIPTION: &'static str = "What kind of self-kindness a habit is.";
}

impl Choices for act::Kind {
    const NAME: &'static str = "ActKind";
    const DESCRIPTION: &'static str =
        "`act`: something the author did or noticed; `kudos`: appreciation to named colleagues.";
}

impl Choices for act::Category {
    const NAME: &'static str = "ActCategory";
    const DESCRIPTION: &'static str = "What kind of kindness an act is.";
}

impl Choices for act::Visibility {
    const NAME: &'static str = "ActVisibility";
    const DESCRIPTION: &'static str = "Who sees an act: `team`, everyone in its team; `recipients`, only its author and recipients.";
}

impl Choices for OrgRole {
    const NAME: &'static str = "OrgRole";
    const DESCRIPTION: &'static str = "A role in an organisation: `owner` and `admin` manage it, `hr` reads its reports, `member` takes part.";
}

impl Choices for TombstoneKind {
    const NAME: &'static str = "TombstoneKind";
    const DESCRIPTION: &'static str = "What a sync tombstone stands for: a deleted `habit` (remove it and all its check-ins) or an undone `check_in`.";
}

impl Choices for Unit {
    const NAME: &'static str = "StreakUnit";
    const DESCRIPTION: &'static str =
        "What a streak counts: a `day`, or a `week` for `times_per_week` habits.";
}

impl Choices for Reason {
    const NAME: &'static str = "AwardReason";
    const DESCRIPTION: &'static str = "Why XP was awarded: `check_in_day`, a habit's day completed; `act`, an act or kudos posted; `kudos_received`; `thanks_received`; `streak_milestone`; `welcome_back`, the first complete day after a streak ended.";
}

impl Choices for SourceType {
    const NAME: &'static str = "AwardSourceType";
    const DESCRIPTION: &'static str = "What an award is for: a `habit_day` (`source_id` the habit, `date` the day), an `act`, a `habit` (milestones, comebacks) or a `team`.";
}

impl Choices for Badge {
    const NAME: &'static str = "BadgeCode";
    const DESCRIPTION: &'static str = "A badge, as `GET /v1/badges` describes each.";
}

impl Choices for Metric {
    const NAME: &'static str = "ChallengeMetric";
    const DESCRIPTION: &'static str = "What a challenge counts: `acts`, the team-visible acts and kudos of its scope, together; `check_ins`, each person's own complete habit days.";
}

impl Choices for Period {
    const NAME: &'static str = "LeaderboardPeriod";
    const DESCRIPTION: &'static str = "What a leaderboard counts, up to today: this `week` (from Monday) or this `month` (from the first), in the organisation's timezone.";
}

impl Choices for TeamRole {
    const NAME: &'static str = "TeamRole";
    const DESCRIPTION: &'static str =
        "A role in a team: a `lead` manages its members, a `member` takes part.";
}

/// A name from `C`'s list as sent: received, it may name nothing (see
/// [`Choice::parse`]).
pub struct Choice<C>(String, PhantomData<fn() -> C>);

impl<C: Choices> Choice<C> {
    pub fn of(value: C) -> Self {
        Self(value.as_str().to_owned(), PhantomData)
    }

    /// The value named, or the field's message.
    pub fn parse(&self) -> Result<C, String> {
        C::parse(&self.0)
    }

    /// The name as it was sent, whether or not it names a value.
    pub fn as_sent(&self) -> &str {
        &self.0
    }
}

impl<C> Clone for Choice<C> {
    fn clone(&self) -> Self {
        Self(self.0.clone(), PhantomData)
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
        MetaSchemaRef::Reference(C::NAME.to_owned())
    }

    fn register(registry: &mut Registry) {
        registry.create_schema::<C, _>(C::NAME.to_owned(), |_| {
            let mut schema = MetaSchema::new("string");
            schema.description = Some(C::DESCRIPTION);
            schema.enum_items = C::names()
                .iter()
                .map(|value| Value::String((*value).to_owned()))
                .collect();
            schema
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

impl<C: Choices> ParseFromJSON for Choice<C> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::String(text) => Ok(Self(text, PhantomData)),
            other => Err(ParseError::expected_type(other)),
        }
    }
}

/// As a query parameter, like in a body: any text parses, and the handler
/// answers 422 naming the parameter when it names no value.
impl<C: Choices> ParseFromParameter for Choice<C> {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        Ok(Self(value.to_owned(), PhantomData))
    }
}

impl<C: Choices> ToJSON for Choice<C> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}
