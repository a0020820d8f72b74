//! Response and request bodies shared by several tags. Entities never leave
//! the service as they are: each is turned into a view here.

use poem_openapi::Object;
use uuid::Uuid;

use super::timestamp::Timestamp;

/// A person's account.
#[derive(Debug, Object)]
pub struct UserView {
    /// The person's id.
    pub id: Uuid,
    /// Their email address, lower-cased.
    pub email: String,
    /// The name colleagues see.
    pub display_name: String,
    /// IANA timezone that decides the person's local dates.
    pub timezone: String,
    /// Hour (0–6) at which the person's day begins: with 2, a check-in at
    /// 01:30 counts for the day before.
    pub day_starts_at_hour: i16,
    /// When the account was created.
    pub created_at: Timestamp,
}

impl From<entity::users::Model> for UserView {
    fn from(user: entity::users::Model) -> Self {
        Self {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            timezone: user.timezone,
            day_starts_at_hour: user.day_starts_at_hour,
            created_at: user.created_at.into(),
        }
    }
}
