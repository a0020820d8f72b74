//! Who may do what inside an organisation: one table, role × action.
//!
//! A person outside the organisation may see nothing of it, so every action
//! is *hidden* from them (404, so ids can't be probed). A member whose role
//! lacks an action is *forbidden* it (403): they may see the organisation,
//! just not do this. In a team, a read the member may not make (its feed, say)
//! is hidden too: there is nothing for them to see.

/// A person's role in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgRole {
    Owner,
    Admin,
    Hr,
    Member,
}

impl OrgRole {
    pub const ALL: [OrgRole; 4] = [Self::Owner, Self::Admin, Self::Hr, Self::Member];

    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "owner" => Ok(Self::Owner),
            "admin" => Ok(Self::Admin),
            "hr" => Ok(Self::Hr),
            "member" => Ok(Self::Member),
            _ => Err("must be one of owner, admin, hr, member".to_owned()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Hr => "hr",
            Self::Member => "member",
        }
    }
}

/// Something a person may try to do in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgAction {
    /// Read the organisation's settings.
    Read,
    /// Change the settings.
    Update,
    /// List the members with their roles.
    ListMembers,
    /// Change a member's role (the owner role needs an owner, below).
    ChangeRole,
    /// Remove another member (anyone may remove themselves).
    RemoveMember,
    /// Create invitation codes.
    Invite,
}

/// What the table says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// 403: the caller may see the organisation but not do this.
    Forbid,
    /// 404: the caller is not in the organisation.
    Hide,
}

use OrgRole::{Admin, Hr, Member, Owner};

/// The roles allowed each action. Everything else a member tries is
/// forbidden; everything an outsider tries is hidden.
pub const ORG_TABLE: &[(OrgAction, &[OrgRole])] = &[
    (OrgAction::Read, &[Owner, Admin, Hr, Member]),
    (OrgAction::Update, &[Owner, Admin]),
    (OrgAction::ListMembers, &[Owner, Admin]),
    (OrgAction::ChangeRole, &[Owner, Admin]),
    (OrgAction::RemoveMember, &[Owner, Admin]),
    (OrgAction::Invite, &[Owner, Admin]),
];

/// The decision for a caller with `role` in the organisation (`None`: not a
/// member).
pub fn decide(role: Option<OrgRole>, action: OrgAction) -> Decision {
    let Some(role) = role else {
        return Decision::Hide;
    };
    let allowed = ORG_TABLE
        .iter()
        .find(|(entry, _)| *entry == action)
        .is_some_and(|(_, roles)| roles.contains(&role));
    if allowed {
        Decision::Allow
    } else {
        Decision::Forbid
    }
}

/// A person's role in a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamRole {
    Lead,
    Member,
}

impl TeamRole {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "lead" => Ok(Self::Lead),
            "member" => Ok(Self::Member),
            _ => Err("must be lead or member".to_owned()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lead => "lead",
            Self::Member => "member",
        }
    }
}

/// Something a person may try to do with a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamAction {
    Create,
    List,
    Read,
    Update,
    Delete,
    ListMembers,
    /// Add members, change their team role, remove them (anyone may leave).
    ManageMembers,
    /// Log an act or kudos in the team.
    PostAct,
    /// Read the team's feed of acts.
    ReadFeed,
    /// Read the team streak and this week's progress (counts, no messages).
    ReadProgress,
}

impl TeamAction {
    pub const ALL: [TeamAction; 10] = [
        Self::Create,
        Self::List,
        Self::Read,
        Self::Update,
        Self::Delete,
        Self::ListMembers,
        Self::ManageMembers,
        Self::PostAct,
        Self::ReadFeed,
        Self::ReadProgress,
    ];

    /// A read refused to a member of the organisation is hidden (404), as
    /// if there were nothing to see; a refused change is forbidden (403).
    fn is_read(self) -> bool {
        matches!(
            self,
            Self::List | Self::Read | Self::ListMembers | Self::ReadFeed | Self::ReadProgress
        )
    }
}

/// Which of the team's own people an action is open to, whatever their
/// organisation role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    /// Nobody for being in the team: only the organisation roles listed.
    Nobody,
    /// The team's leads.
    Leads,
    /// Every member of the team, leads included.
    Members,
}

use Seat::{Leads, Members, Nobody};

/// The organisation roles allowed each team action, and the team's own
/// people allowed it too. Acts, and the streak and progress counted from
/// them, are visible to the team and to nobody outside it, whatever their
/// organisation role: a small team's counts would tell on its people, so the
/// organisation sees acts only through reports, which suppress small groups.
pub const TEAM_TABLE: &[(TeamAction, &[OrgRole], Seat)] = &[
    (TeamAction::Create, &[Owner, Admin], Nobody),
    (TeamAction::List, &[Owner, Admin, Hr, Member], Nobody),
    (TeamAction::Read, &[Owner, Admin, Hr, Member], Nobody),
    (TeamAction::Update, &[Owner, Admin], Leads),
    (TeamAction::Delete, &[Owner, Admin], Nobody),
    (TeamAction::ListMembers, &[Owner, Admin, Hr, Member], Nobody),
    (TeamAction::ManageMembers, &[Owner, Admin], Leads),
    (TeamAction::PostAct, &[], Members),
    (TeamAction::ReadFeed, &[], Members),
    (TeamAction::ReadProgress, &[], Members),
];

/// The decision for a caller with `org_role` in the team's organisation and
/// `team_role` in the team.
pub fn decide_team(
    org_role: Option<OrgRole>,
    team_role: Option<TeamRole>,
    action: TeamAction,
) -> Decision {
    let Some(org_role) = org_role else {
        return Decision::Hide;
    };
    let allowed = TEAM_TABLE
        .iter()
        .find(|(entry, _, _)| *entry == action)
        .is_some_and(|(_, roles, seat)| {
            roles.contains(&org_role)
                || match seat {
                    Nobody => false,
                    Leads => team_role == Some(TeamRole::Lead),
                    Members => team_role.is_some(),
                }
        });
    if allowed {
        Decision::Allow
    } else if action.is_read() {
        Decision::Hide
    } else {
        Decision::Forbid
    }
}

/// Granting or taking away the owner role, or inviting an owner, needs an
/// owner: an admin may not make themselves (or anyone) an owner, nor demote
/// one.
pub fn may_touch_ownership(caller: OrgRole) -> bool {
    caller == Owner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_in_the_table_once() {
        for action in [
            OrgAction::Read,
            OrgAction::Update,
            OrgAction::ListMembers,
            OrgAction::ChangeRole,
            OrgAction::RemoveMember,
            OrgAction::Invite,
        ] {
            let entries = ORG_TABLE.iter().filter(|(a, _)| *a == action).count();
            assert_eq!(entries, 1, "{action:?}");
        }
    }

    #[test]
    fn outsiders_see_nothing_and_members_only_what_their_role_allows() {
        for (action, allowed) in ORG_TABLE {
            assert_eq!(decide(None, *action), Decision::Hide);
            for role in OrgRole::ALL {
                let expected = if allowed.contains(&role) {
                    Decision::Allow
                } else {
                    Decision::Forbid
                };
                assert_eq!(decide(Some(role), *action), expected, "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn hr_reads_reports_but_nothing_individual() {
        assert_eq!(decide(Some(Hr), OrgAction::ListMembers), Decision::Forbid);
        assert_eq!(decide(Some(Hr), OrgAction::Read), Decision::Allow);
    }

    #[test]
    fn every_team_action_is_in_the_table_once() {
        for action in TeamAction::ALL {
            let entries = TEAM_TABLE.iter().filter(|(a, _, _)| *a == action).count();
            assert_eq!(entries, 1, "{action:?}");
        }
    }

    #[test]
    fn team_decisions_follow_the_table_for_every_role_and_seat() {
        let refused = |action: TeamAction| {
            if action.is_read() {
                Decision::Hide
            } else {
                Decision::Forbid
            }
        };
        for (action, roles, seat) in TEAM_TABLE {
            for team_role in [None, Some(TeamRole::Member), Some(TeamRole::Lead)] {
                assert_eq!(decide_team(None, team_role, *action), Decision::Hide);
                let seated = match seat {
                    Nobody => false,
                    Leads => team_role == Some(TeamRole::Lead),
                    Members => team_role.is_some(),
                };
                for role in OrgRole::ALL {
                    let expected = if roles.contains(&role) || seated {
                        Decision::Allow
                    } else {
                        refused(*action)
                    };
                    assert_eq!(
                        decide_team(Some(role), team_role, *action),
                        expected,
                        "{role:?} {team_role:?} {action:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn team_leads_manage_their_team_but_do_not_create_or_delete_teams() {
        let lead = Some(TeamRole::Lead);
        assert_eq!(
            decide_team(Some(Member), lead, TeamAction::Delete),
            Decision::Forbid
        );
        assert_eq!(
            decide_team(Some(Member), lead, TeamAction::ManageMembers),
            Decision::Allow
        );
    }

    #[test]
    fn acts_stay_inside_the_team_whatever_the_organisation_role() {
        for role in OrgRole::ALL {
            assert_eq!(
                decide_team(Some(role), None, TeamAction::ReadFeed),
                Decision::Hide,
                "{role:?}"
            );
            assert_eq!(
                decide_team(Some(role), None, TeamAction::PostAct),
                Decision::Forbid,
                "{role:?}"
            );
            assert_eq!(
                decide_team(Some(role), Some(TeamRole::Member), TeamAction::ReadFeed),
                Decision::Allow,
                "{role:?}"
            );
        }
        for role in OrgRole::ALL {
            assert_eq!(
                decide_team(Some(role), None, TeamAction::ReadProgress),
                Decision::Hide,
                "{role:?}"
            );
        }
    }

    #[test]
    fn roles_round_trip() {
        for role in OrgRole::ALL {
            assert_eq!(OrgRole::parse(role.as_str()), Ok(role));
        }
        assert!(OrgRole::parse("boss").is_err());
        for role in [TeamRole::Lead, TeamRole::Member] {
            assert_eq!(TeamRole::parse(role.as_str()), Ok(role));
        }
    }
}
