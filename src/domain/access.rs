//! Who may do what inside an organisation: one table, role × action.
//!
//! A person outside the organisation may see nothing of it, so every action
//! is *hidden* from them (404, so ids can't be probed). A member whose role
//! lacks an action is *forbidden* it (403): they may see the organisation,
//! just not do this. In a team, a read the member may not make (its feed, say)
//! is hidden too: there is nothing for them to see.

use strum::{EnumString, IntoStaticStr, VariantArray, VariantNames};

/// A person's role in an organisation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum OrgRole {
    Owner,
    Admin,
    Hr,
    Member,
}

/// Something a person may try to do in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, VariantArray)]
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
    /// Set a challenge for the organisation or one of its teams.
    SetChallenge,
    /// List and read the challenges in one's scope: the organisation's, and
    /// those of one's teams (a team's are its members', like its progress).
    ReadChallenges,
    /// Read the team leaderboard, where the organisation switched it on.
    ReadLeaderboard,
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
    (OrgAction::SetChallenge, &[Owner, Admin]),
    (OrgAction::ReadChallenges, &[Owner, Admin, Hr, Member]),
    (OrgAction::ReadLeaderboard, &[Owner, Admin, Hr, Member]),
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum TeamRole {
    Lead,
    Member,
}

/// Something a person may try to do with a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, VariantArray)]
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
    use crate::domain::names::Named;

    #[test]
    fn every_action_is_in_the_tables_once() {
        for action in OrgAction::VARIANTS {
            let entries = ORG_TABLE.iter().filter(|(a, _)| a == action).count();
            assert_eq!(entries, 1, "{action:?}");
        }
        for action in TeamAction::VARIANTS {
            let entries = TEAM_TABLE.iter().filter(|(a, _, _)| a == action).count();
            assert_eq!(entries, 1, "{action:?}");
        }
    }

    /// API.md's organisation rules, written out by hand rather than derived
    /// from [`ORG_TABLE`]: for each action, the decision for an owner, an
    /// admin, hr and a member, in that order (`A`llow, `F`orbid).
    const ORG_RULES: &[(OrgAction, &str)] = &[
        (OrgAction::Read, "AAAA"),
        (OrgAction::Update, "AAFF"),
        (OrgAction::ListMembers, "AAFF"),
        (OrgAction::ChangeRole, "AAFF"),
        (OrgAction::RemoveMember, "AAFF"),
        (OrgAction::Invite, "AAFF"),
        (OrgAction::SetChallenge, "AAFF"),
        (OrgAction::ReadChallenges, "AAAA"),
        (OrgAction::ReadLeaderboard, "AAAA"),
    ];

    /// The team rules, by hand: for each action, three groups of four
    /// (owner, admin, hr, member): outside the team, a member of it, a lead
    /// of it. `A`llow, `F`orbid (403), `H`ide (404).
    const TEAM_RULES: &[(TeamAction, &str)] = &[
        (TeamAction::Create, "AAFF AAFF AAFF"),
        (TeamAction::List, "AAAA AAAA AAAA"),
        (TeamAction::Read, "AAAA AAAA AAAA"),
        (TeamAction::Update, "AAFF AAFF AAAA"),
        (TeamAction::Delete, "AAFF AAFF AAFF"),
        (TeamAction::ListMembers, "AAAA AAAA AAAA"),
        (TeamAction::ManageMembers, "AAFF AAFF AAAA"),
        (TeamAction::PostAct, "FFFF AAAA AAAA"),
        (TeamAction::ReadFeed, "HHHH AAAA AAAA"),
        (TeamAction::ReadProgress, "HHHH AAAA AAAA"),
    ];

    fn decision(letter: char) -> Decision {
        match letter {
            'A' => Decision::Allow,
            'F' => Decision::Forbid,
            'H' => Decision::Hide,
            other => panic!("no decision {other}"),
        }
    }

    #[test]
    fn organisation_decisions_are_api_md_s_and_outsiders_see_nothing() {
        assert_eq!(ORG_RULES.len(), OrgAction::VARIANTS.len());
        for (action, row) in ORG_RULES {
            assert_eq!(decide(None, *action), Decision::Hide, "outsider {action:?}");
            for (role, letter) in [OrgRole::Owner, OrgRole::Admin, OrgRole::Hr, OrgRole::Member]
                .into_iter()
                .zip(row.chars())
            {
                assert_eq!(
                    decide(Some(role), *action),
                    decision(letter),
                    "{role:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn team_decisions_are_api_md_s_and_outsiders_see_nothing() {
        assert_eq!(TEAM_RULES.len(), TeamAction::VARIANTS.len());
        let roles = [OrgRole::Owner, OrgRole::Admin, OrgRole::Hr, OrgRole::Member];
        for (action, row) in TEAM_RULES {
            let groups: Vec<&str> = row.split(' ').collect();
            for (seat, group) in [None, Some(TeamRole::Member), Some(TeamRole::Lead)]
                .into_iter()
                .zip(groups)
            {
                assert_eq!(
                    decide_team(None, seat, *action),
                    Decision::Hide,
                    "outsider {action:?}"
                );
                for (role, letter) in roles.into_iter().zip(group.chars()) {
                    assert_eq!(
                        decide_team(Some(role), seat, *action),
                        decision(letter),
                        "{role:?} {seat:?} {action:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn only_an_owner_touches_ownership() {
        for role in OrgRole::all() {
            assert_eq!(
                may_touch_ownership(*role),
                *role == OrgRole::Owner,
                "{role:?}"
            );
        }
    }

    #[test]
    fn roles_round_trip_by_name() {
        for role in OrgRole::all() {
            assert_eq!(OrgRole::parse(role.as_str()), Ok(*role));
        }
        assert_eq!(OrgRole::names(), ["owner", "admin", "hr", "member"]);
        assert!(OrgRole::parse("boss").is_err());
        assert!(OrgRole::parse("Owner").is_err());
        for role in TeamRole::all() {
            assert_eq!(TeamRole::parse(role.as_str()), Ok(*role));
        }
        assert_eq!(TeamRole::names(), ["lead", "member"]);
    }
}
