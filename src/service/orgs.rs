//! Organisations, their members and invitations. The caller has been
//! authorised for the action by `api::access`; the rules that depend on
//! whom the action touches (only an owner touches the owner role, an
//! organisation always keeps an owner) are applied here, under the
//! organisation's lock.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{Error, InvalidField, Unit};
use crate::{
    auth::tokens::{hash_secret, random_token},
    domain::{
        Event,
        access::{OrgRole, TeamRole, may_touch_ownership},
    },
    store::{
        self,
        orgs::{Invitation, Membership, NewInvitation, NewOrg, Org, OrgChanges},
    },
};

/// Creates the organisation with its creator as owner.
pub async fn create(unit: &mut Unit, owner: Uuid, org: NewOrg) -> Result<Org, Error> {
    let org = store::orgs::create(unit.txn(), org, owner, unit.now).await?;
    unit.raise(Event::MemberJoined {
        org_id: org.id,
        user_id: owner,
        role: OrgRole::Owner,
        team_id: None,
    });
    Ok(org)
}

pub async fn update(unit: &mut Unit, org_id: Uuid, changes: OrgChanges) -> Result<Org, Error> {
    store::orgs::update(unit.txn(), org_id, changes, unit.now)
        .await?
        .ok_or(Error::NotFound("organisation"))
}

/// Gives a member a new role. Only an owner grants or takes away the owner
/// role, and the last owner keeps it.
pub async fn change_role(
    unit: &mut Unit,
    org_id: Uuid,
    caller: OrgRole,
    user_id: Uuid,
    role: OrgRole,
) -> Result<Membership, Error> {
    let member = member(unit, org_id, user_id).await?;
    let current = member.role;
    if current == role {
        return Ok(member);
    }
    let touches_owner = current == OrgRole::Owner || role == OrgRole::Owner;
    if touches_owner && !may_touch_ownership(caller) {
        return Err(owners_only());
    }
    if current == OrgRole::Owner {
        keep_an_owner(unit, org_id).await?;
    }
    let member = store::orgs::set_role(unit.txn(), member, role).await?;
    unit.raise(Event::RoleChanged {
        org_id,
        user_id,
        from: current,
        to: role,
    });
    Ok(member)
}

/// Takes a member out of the organisation and its teams; `caller` leaving
/// when it is their own id. Only an owner removes an owner, and the last
/// owner cannot leave.
pub async fn remove_member(
    unit: &mut Unit,
    org_id: Uuid,
    caller: (Uuid, OrgRole),
    user_id: Uuid,
) -> Result<(), Error> {
    let member = member(unit, org_id, user_id).await?;
    if member.role == OrgRole::Owner {
        let leaving = caller.0 == user_id;
        if !leaving && !may_touch_ownership(caller.1) {
            return Err(owners_only());
        }
        keep_an_owner(unit, org_id).await?;
    }
    let teams = store::teams::leave_all_of_org(unit.txn(), org_id, user_id).await?;
    store::orgs::remove_member(unit.txn(), &member).await?;
    for team_id in teams {
        unit.raise(Event::TeamMemberLeft { team_id, user_id });
    }
    unit.raise(Event::MemberLeft { org_id, user_id });
    Ok(())
}

/// What an invitation grants, and for how long.
pub struct InvitationTerms {
    pub role: OrgRole,
    pub team_id: Option<Uuid>,
    pub max_uses: i32,
    pub expires_in_days: i64,
}

/// A new invitation and its code, which is stored only as a hash and so
/// shown only now. Only an owner invites an owner; a team must be the
/// organisation's.
pub async fn invite(
    unit: &mut Unit,
    org_id: Uuid,
    caller: (Uuid, OrgRole),
    terms: InvitationTerms,
) -> Result<(Invitation, String), Error> {
    if terms.role == OrgRole::Owner && !may_touch_ownership(caller.1) {
        return Err(owners_only());
    }
    if let Some(invalid) = foreign_team(unit, org_id, terms.team_id).await? {
        return Err(Error::invalid(vec![invalid]));
    }
    let code = random_token();
    let invitation = NewInvitation {
        org_id,
        code_hash: hash_secret(&code),
        role: terms.role,
        team_id: terms.team_id,
        max_uses: terms.max_uses,
        expires_at: unit.now + Duration::days(terms.expires_in_days),
        created_by: caller.0,
    };
    let stored = store::orgs::insert_invitation(unit.txn(), invitation, unit.now).await?;
    Ok((stored, code))
}

/// The invitation this code opens, while it is unexpired and not used up.
pub async fn usable_invitation(
    reader: &impl sea_orm::ConnectionTrait,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Invitation, Error> {
    store::orgs::usable_invitation(reader, &hash_secret(code), now)
        .await?
        .ok_or(Error::NotFound("invitation"))
}

/// Joins the person to the invitation's organisation with its role, using
/// one of its uses, and to its team if it names one. Someone already a
/// member uses nothing and keeps their role (joining the team if named).
/// Runs under the organisation's lock.
pub async fn accept(
    unit: &mut Unit,
    invitation: &Invitation,
    user_id: Uuid,
) -> Result<(Org, OrgRole), Error> {
    let org_id = invitation.org_id;
    // Held before anything is written for them: an erasure of theirs that
    // committed meanwhile leaves nobody to join.
    store::users::hold(unit.txn(), &[user_id]).await?;
    if store::users::find(unit.txn(), user_id).await?.is_none() {
        return Err(Error::account_gone());
    }
    let role = match store::orgs::membership(unit.txn(), org_id, user_id).await? {
        Some(member) => member.role,
        None => {
            if !store::orgs::use_invitation(unit.txn(), invitation.id).await? {
                return Err(Error::NotFound("invitation"));
            }
            store::orgs::add_member(unit.txn(), org_id, user_id, invitation.role, unit.now).await?;
            unit.raise(Event::MemberJoined {
                org_id,
                user_id,
                role: invitation.role,
                team_id: invitation.team_id,
            });
            invitation.role
        }
    };
    if let Some(team_id) = invitation.team_id
        && store::teams::membership(unit.txn(), team_id, user_id)
            .await?
            .is_none()
    {
        store::teams::put_member(unit.txn(), team_id, user_id, TeamRole::Member, unit.now).await?;
        unit.raise(Event::TeamMemberJoined {
            team_id,
            user_id,
            role: TeamRole::Member,
        });
    }
    let org = store::orgs::find(unit.txn(), org_id)
        .await?
        .ok_or(Error::NotFound("invitation"))?;
    Ok((org, role))
}

/// The `team_id` field's refusal, when a request names a team that is not
/// the organisation's.
pub(super) async fn foreign_team(
    unit: &Unit,
    org_id: Uuid,
    team_id: Option<Uuid>,
) -> Result<Option<InvalidField>, Error> {
    let Some(team_id) = team_id else {
        return Ok(None);
    };
    let in_org = store::teams::find(unit.txn(), team_id)
        .await?
        .is_some_and(|team| team.org_id == org_id);
    Ok((!in_org).then(|| InvalidField::new("team_id", "no such team in this organisation")))
}

async fn member(unit: &Unit, org_id: Uuid, user_id: Uuid) -> Result<Membership, Error> {
    store::orgs::membership(unit.txn(), org_id, user_id)
        .await?
        .ok_or(Error::NotFound("member"))
}

/// A conflict unless the organisation has another owner besides the one
/// leaving the role.
async fn keep_an_owner(unit: &Unit, org_id: Uuid) -> Result<(), Error> {
    if store::orgs::owner_count(unit.txn(), org_id).await? <= 1 {
        return Err(Error::conflict(
            "last_owner",
            "An organisation always keeps an owner; make someone else owner first.",
        ));
    }
    Ok(())
}

fn owners_only() -> Error {
    Error::Forbidden("Only an owner grants, removes or invites the owner role.")
}
