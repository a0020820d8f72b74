//! Teams and their members. The caller has been authorised for the action
//! by `api::access`.

use uuid::Uuid;

use super::{Error, Unit};
use crate::{
    domain::{Event, access::TeamRole},
    store::{
        self,
        teams::{Put, Team, TeamFields, TeamMembership},
    },
};

pub async fn create(unit: &mut Unit, org_id: Uuid, fields: TeamFields) -> Result<Team, Error> {
    let team = store::teams::create(unit.txn(), org_id, fields, unit.now).await?;
    unit.raise(Event::TeamCreated {
        org_id,
        team_id: team.id,
    });
    Ok(team)
}

pub async fn update(unit: &mut Unit, team: Team, fields: TeamFields) -> Result<Team, Error> {
    Ok(store::teams::update(unit.txn(), team, fields, unit.now).await?)
}

/// Deletes the team; its memberships go with it.
pub async fn delete(unit: &mut Unit, team: Team) -> Result<(), Error> {
    let (org_id, team_id) = (team.org_id, team.id);
    store::teams::delete(unit.txn(), team).await?;
    unit.raise(Event::TeamDeleted { org_id, team_id });
    Ok(())
}

/// Puts a member of the team's organisation into the team with `role`, or
/// changes their team role. Runs under the organisation's lock, so that
/// nobody joins a team while leaving its organisation.
pub async fn put_member(
    unit: &mut Unit,
    team: &Team,
    user_id: Uuid,
    role: TeamRole,
) -> Result<TeamMembership, Error> {
    if store::orgs::membership(unit.txn(), team.org_id, user_id)
        .await?
        .is_none()
    {
        return Err(Error::NotFound("member"));
    }
    match store::teams::put_member(unit.txn(), team.id, user_id, role, unit.now).await? {
        Put::Joined(member) => {
            unit.raise(Event::TeamMemberJoined {
                team_id: team.id,
                user_id,
                role,
            });
            Ok(member)
        }
        Put::Stayed(member) => Ok(member),
    }
}

/// Takes a person out of the team (or lets them leave).
pub async fn remove_member(unit: &mut Unit, team: &Team, user_id: Uuid) -> Result<(), Error> {
    let member = store::teams::membership(unit.txn(), team.id, user_id)
        .await?
        .ok_or(Error::NotFound("member"))?;
    store::teams::remove_member(unit.txn(), &member).await?;
    unit.raise(Event::TeamMemberLeft {
        team_id: team.id,
        user_id,
    });
    Ok(())
}
