//! Who may do what, answered for the edge: the only place where a caller's
//! organisation and team roles are read and turned into 404 (hidden: there
//! is nothing for them to see, so ids can't be probed) or 403 (forbidden:
//! they may see it, not do this), by the tables of
//! [`crate::domain::access`] and, for one act, [`crate::domain::act::decide`].
//! Writes call these inside their transaction, so the decision reads the
//! rows the write will change; where it must hold until the commit (changes
//! of membership), the transaction holds the organisation's lock.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::{
    domain::{
        access::{Decision, OrgAction, OrgRole, TeamAction, decide, decide_team},
        act::{self, ActAction, Viewer},
    },
    http::problem::ApiError,
    store::{self, acts::Act, challenges::Challenge, teams::Team},
};

/// The caller's role, if the organisation table allows them `action`.
pub async fn org(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    user_id: Uuid,
    action: OrgAction,
) -> Result<OrgRole, ApiError> {
    let role = org_role(db, org_id, user_id).await?;
    match (decide(role, action), role) {
        (Decision::Allow, Some(role)) => Ok(role),
        (Decision::Forbid, _) => Err(ApiError::forbidden(
            "Your role in this organisation does not allow this.",
        )),
        _ => Err(org_not_found()),
    }
}

/// Whether the team table allows the caller `action` on the organisation's
/// teams as a whole (creating one, listing them).
pub async fn org_teams(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    user_id: Uuid,
    action: TeamAction,
) -> Result<(), ApiError> {
    let role = org_role(db, org_id, user_id).await?;
    answer(decide_team(role, None, action), org_not_found)
}

/// The team, if the team table allows the caller `action` on it.
pub async fn team(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    user_id: Uuid,
    action: TeamAction,
) -> Result<Team, ApiError> {
    let team = store::teams::find(db, team_id)
        .await?
        .ok_or_else(team_not_found)?;
    answer(
        team_decision(db, &team, user_id, action).await?,
        team_not_found,
    )?;
    Ok(team)
}

/// The act (not withdrawn), if the caller may see it and do `action` to
/// it: its author, its recipients and, for `team` acts, the team's members
/// see it.
pub async fn act(
    db: &impl ConnectionTrait,
    act_id: Uuid,
    user_id: Uuid,
    action: ActAction,
) -> Result<Act, ApiError> {
    let act = store::acts::find(db, act_id)
        .await?
        .filter(|act| act.withdrawn_at.is_none())
        .ok_or_else(act_not_found)?;
    let is_recipient = store::acts::recipients(db, [act.id])
        .await?
        .remove(&act.id)
        .unwrap_or_default()
        .iter()
        .any(|row| row.user_id == user_id);
    let in_team = match store::teams::find(db, act.team_id).await? {
        Some(team) => {
            team_decision(db, &team, user_id, TeamAction::ReadFeed).await? == Decision::Allow
        }
        None => false,
    };
    let viewer = Viewer {
        is_author: act.author_id == Some(user_id),
        is_recipient,
        in_team,
    };
    match act::decide(act.visibility, viewer, action) {
        Decision::Allow => Ok(act),
        Decision::Forbid => Err(ApiError::forbidden(match action {
            ActAction::Withdraw => "Only its author may withdraw an act.",
            ActAction::Thank => "Only a recipient may thank the author.",
            ActAction::Read => "You may not read this act.",
        })),
        Decision::Hide => Err(act_not_found()),
    }
}

/// The challenge, if it is in the caller's scope: an organisation's to its
/// members, a team's to the team's members (as its progress is). Anyone
/// else gets 404.
pub async fn challenge(
    db: &impl ConnectionTrait,
    challenge_id: Uuid,
    user_id: Uuid,
) -> Result<Challenge, ApiError> {
    let challenge = store::challenges::find(db, challenge_id)
        .await?
        .ok_or_else(challenge_not_found)?;
    let decision = match challenge.team_id {
        Some(team_id) => match store::teams::find(db, team_id).await? {
            Some(team) => team_decision(db, &team, user_id, TeamAction::ReadProgress).await?,
            None => Decision::Hide,
        },
        None => decide(
            org_role(db, challenge.org_id, user_id).await?,
            OrgAction::ReadChallenges,
        ),
    };
    match decision {
        Decision::Allow => Ok(challenge),
        Decision::Forbid | Decision::Hide => Err(challenge_not_found()),
    }
}

async fn org_role(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Option<OrgRole>, ApiError> {
    Ok(store::orgs::membership(db, org_id, user_id)
        .await?
        .map(|member| member.role))
}

async fn team_decision(
    db: &impl ConnectionTrait,
    team: &Team,
    user_id: Uuid,
    action: TeamAction,
) -> Result<Decision, ApiError> {
    let org_role = org_role(db, team.org_id, user_id).await?;
    let team_role = store::teams::membership(db, team.id, user_id)
        .await?
        .map(|member| member.role);
    Ok(decide_team(org_role, team_role, action))
}

/// The table's decision as an answer; `hidden` is the 404 an outsider gets.
fn answer(decision: Decision, hidden: fn() -> ApiError) -> Result<(), ApiError> {
    match decision {
        Decision::Allow => Ok(()),
        Decision::Forbid => Err(ApiError::forbidden("Your role does not allow this.")),
        Decision::Hide => Err(hidden()),
    }
}

fn org_not_found() -> ApiError {
    ApiError::not_found("organisation")
}

fn team_not_found() -> ApiError {
    ApiError::not_found("team")
}

fn challenge_not_found() -> ApiError {
    ApiError::not_found("challenge")
}

fn act_not_found() -> ApiError {
    ApiError::not_found("act")
}
