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

/// Deletes the team; its memberships, acts and kudos go with it, and each
/// member leaves it. A delete that a concurrent one beat to it changes
/// nothing and raises nothing.
pub async fn delete(unit: &mut Unit, team: Team) -> Result<(), Error> {
    let (org_id, team_id) = (team.org_id, team.id);
    if let Some(members) = store::teams::delete(unit.txn(), team).await? {
        for user_id in members {
            unit.raise(Event::TeamMemberLeft { team_id, user_id });
        }
        unit.raise(Event::TeamDeleted { org_id, team_id });
    }
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
    store::users::hold(unit.txn(), &[user_id]).await?;
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
        Put::RoleChanged { member, from } => {
            unit.raise(Event::TeamRoleChanged {
                team_id: team.id,
                user_id,
                from,
                to: role,
            });
            Ok(member)
        }
        Put::Unchanged(member) => Ok(member),
    }
}

/// Takes a person out of the team (or lets them leave).
/// A removal that a concurrent one beat to it raises nothing.
pub async fn remove_member(unit: &mut Unit, team: &Team, user_id: Uuid) -> Result<(), Error> {
    if store::teams::membership(unit.txn(), team.id, user_id)
        .await?
        .is_none()
    {
        return Err(Error::NotFound("member"));
    }
    if store::teams::remove_member(unit.txn(), team.id, user_id).await? {
        unit.raise(Event::TeamMemberLeft {
            team_id: team.id,
            user_id,
        });
    }
    Ok(())
}
