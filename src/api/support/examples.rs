//! What the OpenAPI document's examples share, so that they tell one story:
//! Ana, who keeps a habit of drinking water and works in a team with Ben, on
//! the morning of Monday 2026-11-30 in London. Ids are UUIDv7, their time
//! the moment the thing was created; instants are UTC.
//!
//! Each body's example sits beside its struct (`#[oai(example)]` and an
//! `impl Example`), and builds the bodies inside it from their own
//! examples. Request bodies are only ever parsed, never sent, so
//! `skip_serializing_if_is_none` on one changes nothing but its example:
//! the optional fields it leaves unset are left out, as a client would
//! leave them out, rather than written as `null`, which their schemas
//! refuse.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::{Uuid, uuid};

use super::{day::Day, timestamp::Timestamp};

/// Ana, the signed-in person.
pub const ANA: Uuid = uuid!("01a09efb-d876-724d-b96f-58da6d4a8512");
pub const ANA_NAME: &str = "Ana Lima";
pub const ANA_EMAIL: &str = "ana@example.com";
/// When Ana registered.
pub const ANA_JOINED: &str = "2026-09-14T08:15:00Z";

/// Ben, Ana's colleague in her team, whom her kudos thank.
pub const BEN: Uuid = uuid!("01a0a529-98ce-7670-869c-8ff7480e34a7");
pub const BEN_NAME: &str = "Ben Okafor";
/// When Ben joined the organisation and the team.
pub const BEN_JOINED: &str = "2026-09-15T13:05:10Z";

/// The organisation Ana created, and the team in it.
pub const ORG: Uuid = uuid!("01a09f01-734c-7e87-b45c-05ad389d5890");
pub const ORG_NAME: &str = "Harbour Lights Studio";
pub const TEAM: Uuid = uuid!("01a09f04-ec33-7ca8-a2d0-db83a22db163");
pub const TEAM_NAME: &str = "Customer Care";

/// Ana's habit "Drink a glass of water".
pub const HABIT: Uuid = uuid!("01a0fb86-3795-709a-a23b-1fd4f638918d");
pub const HABIT_TITLE: &str = "Drink a glass of water";
/// A habit Ana deleted on another device while this one was offline.
pub const DELETED_HABIT: Uuid = uuid!("01a1557d-7de6-7fd0-841a-70a3d222529d");

/// Ana's kudos to Ben.
pub const ACT: Uuid = uuid!("01a22bf0-afd4-7f83-87be-16e270186d35");
/// The pause Ana declared for the winter holidays.
pub const PAUSE: Uuid = uuid!("01a1fa58-7f2d-7621-80bf-05396716df93");

/// The refresh token of Ana's session: 256 random bits, base64url.
pub const REFRESH_TOKEN: &str = "E2smLbE-E6DsvcW4VUja8sWXm6SmRCdq1bqIbJA-TxE";

/// Ana's timezone, and her organisation's.
pub const TIMEZONE: &str = "Europe/London";

/// The story's day: Ana's local today, and her organisation's.
pub fn today() -> Day {
    day("2026-11-30")
}

/// The local date `text`, `YYYY-MM-DD`.
pub fn day(text: &str) -> Day {
    Day(NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("an example date"))
}

/// The instant `text`, RFC 3339.
pub fn at(text: &str) -> Timestamp {
    Timestamp(
        DateTime::parse_from_rfc3339(text)
            .expect("an example instant")
            .with_timezone(&Utc),
    )
}
