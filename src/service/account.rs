//! Changes to a person's own account.

use uuid::Uuid;

use super::{Error, Unit};
use crate::store::{
    self,
    users::{ProfileChanges, User},
};

/// Changes the display name, timezone or day start. An account gone since
/// its token was issued is refused like the token.
pub async fn update_profile(
    unit: &mut Unit,
    user_id: Uuid,
    changes: ProfileChanges,
) -> Result<User, Error> {
    store::users::update_profile(unit.txn(), user_id, changes, unit.now)
        .await?
        .ok_or(Error::Unauthenticated {
            code: "invalid_token",
            detail: "The account of this token no longer exists.",
        })
}
