//! A person's pauses: days on which no habit is due and no streak counts or
//! breaks.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Error, InvalidField, Unit};
use crate::{
    domain::habit::check_pause,
    store::{self, pauses::Pause},
};

/// Most pauses one person may keep.
pub const MAX_PAUSES: u64 = 100;

pub async fn create(
    unit: &mut Unit,
    owner: Uuid,
    today: NaiveDate,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Result<Pause, Error> {
    check_pause(starts_on, ends_on, today)
        .map_err(|(field, message)| Error::invalid(vec![InvalidField::new(field, message)]))?;
    if store::pauses::count(unit.txn(), owner).await? >= MAX_PAUSES {
        return Err(Error::conflict(
            "pause_limit",
            format!("A person keeps at most {MAX_PAUSES} pauses; delete an old one first."),
        ));
    }
    Ok(store::pauses::insert(unit.txn(), owner, starts_on, ends_on, unit.now).await?)
}

pub async fn delete(unit: &mut Unit, owner: Uuid, pause_id: Uuid) -> Result<(), Error> {
    let pause = store::pauses::find_owned(unit.txn(), owner, pause_id)
        .await?
        .ok_or(Error::NotFound("pause"))?;
    Ok(store::pauses::delete(unit.txn(), pause).await?)
}
