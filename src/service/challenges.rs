//! Setting challenges, and completing `acts` challenges when an act brings
//! one to its target (once: the completion is written only where none is).

use chrono::{DateTime, Utc};

use super::{Error, InvalidField, Unit};
use crate::{
    domain::{Event, act::Visibility, challenge},
    store::{
        self, WriteTxn,
        challenges::{Challenge, NewChallenge},
        orgs::Org,
    },
};

/// Sets the challenge in the organisation (the caller may: `api::access`
/// said so), holding the lock that acts posted at the same moment wait for
/// ([`store::challenges::wait_for_new`]). Its team must be the
/// organisation's, and it must not be over on the organisation's today. An
/// `acts` challenge whose acts already reach its target is completed now.
pub async fn create(unit: &mut Unit, org: &Org, new: NewChallenge) -> Result<Challenge, Error> {
    store::challenges::hold_for_new(unit.txn(), org.id).await?;
    let mut invalid: Vec<InvalidField> = super::orgs::foreign_team(unit, org.id, new.team_id)
        .await?
        .into_iter()
        .collect();
    let today = org.date_at(unit.now);
    if let Err(message) = challenge::check_ends_on(new.starts_on, new.ends_on, today) {
        invalid.push(InvalidField::new("ends_on", message));
    }
    if !invalid.is_empty() {
        return Err(Error::invalid(invalid));
    }
    let mut created = store::challenges::insert(unit.txn(), new, unit.now).await?;
    if complete_if_reached(unit.txn(), &created, unit.now).await? {
        created.completed_at = Some(unit.now);
    }
    Ok(created)
}

/// Completes the `acts` challenges that the team-visible acts posted in a
/// write bring to their target.
pub async fn react(txn: &WriteTxn, now: DateTime<Utc>, events: &[Event]) -> Result<(), Error> {
    for event in events {
        if let Event::ActPosted {
            act_id,
            team_id,
            visibility: Visibility::Team,
            ..
        } = event
        {
            let (org_id, date) = store::acts::org_day(txn, *act_id)
                .await?
                .ok_or(Error::NotFound("act"))?;
            // A challenge set at this moment either sees this act in its own
            // count, or commits before the challenges are read here.
            store::challenges::wait_for_new(txn, org_id).await?;
            for waiting in store::challenges::awaiting_acts(txn, org_id, *team_id, date).await? {
                store::challenges::lock(txn, waiting.id).await?;
                complete_if_reached(txn, &waiting, now).await?;
            }
        }
    }
    Ok(())
}

/// Records an `acts` challenge's completion if its count reached the
/// target and it has none yet; whether this call recorded it.
async fn complete_if_reached(
    txn: &WriteTxn,
    challenge: &Challenge,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    if challenge.metric != challenge::Metric::Acts {
        return Ok(false);
    }
    let count = store::challenges::acts_count(txn, challenge).await?;
    if count < u64::try_from(challenge.target).unwrap_or(u64::MAX) {
        return Ok(false);
    }
    Ok(store::challenges::complete(txn, challenge.id, now).await?)
}
