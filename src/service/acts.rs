//! Acts of kindness and kudos: logging one (replayable by a client-chosen
//! id, within the daily limit), withdrawing it, thanking its author. The
//! caller has been authorised for the act or its team by `api::access`.

use std::collections::BTreeSet;

use uuid::Uuid;

use super::{Created, Error, InvalidField, Unit};
use crate::{
    domain::{
        Event,
        act::{ActFields, MAX_ACTS_PER_DAY, MAX_RECIPIENTS},
        calendar::next_day_starts,
    },
    store::{
        self,
        acts::{Act, NewAct},
        constraints::{ACTS_PKEY, OnUnique},
        orgs::Org,
        teams::Team,
    },
};

/// Logs an act in the team. `fields` are the request's as parsed, or what
/// was wrong with them: recipients outside the organisation are found here
/// and named with the rest. Runs under the author's lock, so that the daily
/// limit holds however many instances take their acts.
pub async fn create(
    unit: &mut Unit,
    author: Uuid,
    team: &Team,
    id: Option<Uuid>,
    fields: Result<ActFields, Vec<InvalidField>>,
    recipient_ids: &[Uuid],
) -> Result<Created<Act>, Error> {
    if let (Some(id), Ok(fields)) = (id, &fields)
        && let Some(existing) = store::acts::find(unit.txn(), id).await?
    {
        let same = existing.author_id == Some(author)
            && existing.team_id == team.id
            && existing.withdrawn_at.is_none()
            && stored_fields(unit, &existing).await? == *fields;
        return if same {
            Ok(Created::Replayed(existing))
        } else {
            Err(id_conflict())
        };
    }
    let mut invalid = fields.as_ref().err().cloned().unwrap_or_default();
    // A list too long is refused already.
    let strangers = recipient_ids.len() <= MAX_RECIPIENTS && {
        store::users::hold(unit.txn(), recipient_ids).await?;
        let members =
            store::orgs::members_among(unit.txn(), team.org_id, recipient_ids.iter().copied())
                .await?;
        recipient_ids.iter().any(|id| !members.contains(id))
    };
    if strangers {
        invalid.push(InvalidField::new(
            "recipient_ids",
            "must all be members of the team's organisation",
        ));
    }
    let fields = match fields {
        Ok(fields) if invalid.is_empty() => fields,
        _ => return Err(Error::invalid(invalid)),
    };

    let org = org_of(unit, team).await?;
    let now = unit.now;
    let today = org.date_at(now);
    if store::acts::logged_on(unit.txn(), author, team.id, today).await?
        >= u64::from(MAX_ACTS_PER_DAY)
    {
        let retry_after = (next_day_starts(now, org.timezone) - now).num_seconds();
        return Err(Error::Limited {
            code: "act_limit",
            limit: MAX_ACTS_PER_DAY,
            retry_after_secs: u64::try_from(retry_after).unwrap_or(1),
        });
    }
    let new_act = NewAct {
        id: id.unwrap_or_else(Uuid::now_v7),
        team_id: team.id,
        author_id: author,
        fields,
        local_date: today,
    };
    let recipients: Vec<Uuid> = new_act.fields.recipients.iter().copied().collect();
    let act = store::acts::insert(unit.txn(), new_act, now)
        .await
        .on_unique(&ACTS_PKEY, id_conflict)?;
    unit.raise(Event::ActPosted {
        act_id: act.id,
        team_id: act.team_id,
        author_id: author,
        kind: act.kind,
        category: act.category,
        visibility: act.visibility,
        recipients,
    });
    Ok(Created::New(act))
}

/// Withdraws the author's act: it leaves every list and count, and its
/// message and recipients are erased. A second withdrawal finds nothing.
pub async fn withdraw(unit: &mut Unit, act: &Act) -> Result<(), Error> {
    let act = &hold_its_people(unit, act).await?;
    let recipients = store::acts::withdraw(unit.txn(), act, unit.now)
        .await?
        .ok_or(Error::NotFound("act"))?;
    if let Some(author_id) = act.author_id {
        unit.raise(Event::ActWithdrawn {
            act_id: act.id,
            team_id: act.team_id,
            author_id,
            kind: act.kind,
            visibility: act.visibility,
            thanked_by: recipients
                .iter()
                .filter(|row| row.thanked_at.is_some())
                .map(|row| row.user_id)
                .collect(),
            recipients: recipients.into_iter().map(|row| row.user_id).collect(),
        });
    }
    Ok(())
}

/// A recipient thanks the author; thanking again keeps the first thanks.
pub async fn thank(unit: &mut Unit, act: &Act, recipient: Uuid) -> Result<(), Error> {
    let act = &hold_its_people(unit, act).await?;
    if store::acts::thank(unit.txn(), act.id, recipient, unit.now).await? {
        unit.raise(Event::Thanked {
            act_id: act.id,
            team_id: act.team_id,
            author_id: act.author_id,
            by: recipient,
        });
    }
    Ok(())
}

/// Holds the act's author and recipients, whose XP a withdrawal or a
/// thanks moves, and reads the act again: as it is once any erasure of
/// theirs has committed (its author gone, or some of its recipients).
async fn hold_its_people(unit: &Unit, act: &Act) -> Result<Act, Error> {
    let recipients = store::acts::recipients(unit.txn(), [act.id]).await?;
    let people: Vec<Uuid> = act
        .author_id
        .into_iter()
        .chain(recipients.values().flatten().map(|row| row.user_id))
        .collect();
    store::users::hold(unit.txn(), &people).await?;
    store::acts::find(unit.txn(), act.id)
        .await?
        .ok_or(Error::NotFound("act"))
}

/// The organisation of a team (the team's own 404 when it is gone).
async fn org_of(unit: &Unit, team: &Team) -> Result<Org, Error> {
    store::orgs::find(unit.txn(), team.org_id)
        .await?
        .ok_or(Error::NotFound("team"))
}

/// A stored act's fields, to tell a replayed create from a conflicting one.
async fn stored_fields(unit: &Unit, act: &Act) -> Result<ActFields, Error> {
    let recipients: BTreeSet<Uuid> = store::acts::recipients(unit.txn(), [act.id])
        .await?
        .remove(&act.id)
        .unwrap_or_default()
        .into_iter()
        .map(|row| row.user_id)
        .collect();
    Ok(ActFields {
        kind: act.kind,
        category: act.category,
        message: act.message.clone(),
        recipients,
        visibility: act.visibility,
    })
}

fn id_conflict() -> Error {
    Error::conflict(
        "id_conflict",
        "This id is already used by a different or withdrawn act; choose a new id.",
    )
}
