//! The paths of the organisation, team and act routes, built from ids, so
//! that every test spells a route the same way.

pub fn org_path(org: &str) -> String {
    format!("/v1/orgs/{org}")
}

pub fn members_path(org: &str) -> String {
    format!("/v1/orgs/{org}/members")
}

pub fn member_path(org: &str, user: &str) -> String {
    format!("/v1/orgs/{org}/members/{user}")
}

pub fn invitations_path(org: &str) -> String {
    format!("/v1/orgs/{org}/invitations")
}

pub fn accept_path(code: &str) -> String {
    format!("/v1/invitations/{code}/accept")
}

pub fn org_teams_path(org: &str) -> String {
    format!("/v1/orgs/{org}/teams")
}

pub fn team_path(team: &str) -> String {
    format!("/v1/teams/{team}")
}

pub fn team_members_path(team: &str) -> String {
    format!("/v1/teams/{team}/members")
}

pub fn team_member_path(team: &str, user: &str) -> String {
    format!("/v1/teams/{team}/members/{user}")
}

/// The team's feed, where acts are also logged.
pub fn team_acts_path(team: &str) -> String {
    format!("/v1/teams/{team}/acts")
}

pub fn team_streak_path(team: &str) -> String {
    format!("/v1/teams/{team}/streak")
}

pub fn team_progress_path(team: &str) -> String {
    format!("/v1/teams/{team}/progress")
}

pub fn act_path(act: &str) -> String {
    format!("/v1/acts/{act}")
}

pub fn thanks_path(act: &str) -> String {
    format!("/v1/acts/{act}/thanks")
}
