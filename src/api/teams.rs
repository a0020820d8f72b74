//! Teams within an organisation, their members, streak and weekly progress
//! (with the team's active challenges).
//! Who may do what is decided by [`crate::domain::access::TEAM_TABLE`]:
//! owners and admins run teams, a team's leads run its membership and
//! settings, every member of the organisation may see its teams, and the
//! streak and progress are for the team's members. Outsiders get 404.

use chrono::Duration;
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Path, Query},
    payload::Json,
    types::{Example, MaybeUndefined},
};
use uuid::Uuid;

use super::{
    ApiTag, access,
    challenges::{ChallengeView, challenge_view},
    support::{
        Deleted, begin,
        bounded::{Int, Text, Visible},
        choice::Choice,
        day::Day,
        examples,
        fields::Fields,
        paging::{Limit, PageRequest},
        timestamp::Timestamp,
    },
};
use crate::{
    domain::{
        access::{TeamAction, TeamRole},
        calendar::{iso_weekday, week_start},
        org,
    },
    http::{
        bearer::BearerAuth,
        problem::{ApiError, Problem, status::*},
        state::AppState,
    },
    service,
    store::{
        self, Lock,
        team_streaks::OrgDays,
        teams::{Team, TeamFields, TeamMembership},
    },
};

#[derive(Default)]
pub struct TeamsApi;

/// A new team.
#[derive(Debug, Object)]
#[oai(example)]
pub struct CreateTeamRequest {
    /// 1 to 100 characters.
    pub name: Text<1, { org::NAME_MAX_CHARS }, Visible>,
    /// Acts a working day needs for the team streak, 1 to 100 (default 1).
    pub daily_act_threshold: Option<Int<1, { org::THRESHOLD_MAX }>>,
    /// Acts a week the team aims for, 1 to 10000; none when left out.
    pub weekly_goal: Option<Int<1, { org::WEEKLY_GOAL_MAX }>>,
}

impl Example for CreateTeamRequest {
    fn example() -> Self {
        let team = TeamView::example();
        Self {
            name: Text::new(team.name),
            daily_act_threshold: Some(Int(team.daily_act_threshold.into())),
            weekly_goal: team.weekly_goal.map(|goal| Int(goal.into())),
        }
    }
}

/// Changes to a team; fields left out stay as they are, and `null` clears
/// `weekly_goal`.
#[derive(Debug, Object)]
#[oai(example, skip_serializing_if_is_none)]
pub struct UpdateTeamRequest {
    /// 1 to 100 characters.
    pub name: Option<Text<1, { org::NAME_MAX_CHARS }, Visible>>,
    /// Acts a working day needs for the team streak, 1 to 100.
    pub daily_act_threshold: Option<Int<1, { org::THRESHOLD_MAX }>>,
    /// Acts a week the team aims for, 1 to 10000, or `null` for none.
    #[oai(nullable)]
    pub weekly_goal: MaybeUndefined<Int<1, { org::WEEKLY_GOAL_MAX }>>,
}

/// A higher weekly goal.
impl Example for UpdateTeamRequest {
    fn example() -> Self {
        Self {
            name: None,
            daily_act_threshold: None,
            weekly_goal: MaybeUndefined::Value(Int(20)),
        }
    }
}

/// A team.
#[derive(Debug, Object)]
#[oai(example)]
pub struct TeamView {
    /// The team's id.
    pub id: Uuid,
    /// Its organisation.
    pub org_id: Uuid,
    /// Its name.
    pub name: String,
    /// Acts a working day needs for the team streak.
    pub daily_act_threshold: i32,
    /// Acts a week the team aims for, if it set a goal.
    #[oai(nullable)]
    pub weekly_goal: Option<i32>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl Example for TeamView {
    fn example() -> Self {
        Self {
            id: examples::TEAM,
            org_id: examples::ORG,
            name: examples::TEAM_NAME.to_owned(),
            daily_act_threshold: 2,
            weekly_goal: Some(15),
            created_at: examples::at("2026-09-14T08:24:55Z"),
            updated_at: examples::at("2026-09-14T08:24:55Z"),
        }
    }
}

impl From<Team> for TeamView {
    fn from(team: Team) -> Self {
        Self {
            id: team.id,
            org_id: team.org_id,
            name: team.name,
            daily_act_threshold: team.daily_act_threshold,
            weekly_goal: team.weekly_goal,
            created_at: team.created_at.into(),
            updated_at: team.updated_at.into(),
        }
    }
}

/// The organisation's teams.
#[derive(Debug, Object)]
#[oai(example)]
pub struct TeamList {
    /// The teams, oldest first (in id order).
    pub items: Vec<TeamView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

impl Example for TeamList {
    fn example() -> Self {
        Self {
            items: vec![TeamView::example()],
            next_cursor: None,
        }
    }
}

/// A member of a team.
#[derive(Debug, Object)]
#[oai(example)]
pub struct TeamMemberView {
    /// The person's id.
    pub user_id: Uuid,
    /// The name colleagues see.
    pub display_name: String,
    pub role: Choice<TeamRole>,
    /// When they joined the team.
    pub joined_at: Timestamp,
}

/// Ben, with the role [`PutTeamMemberRequest::example`] gives.
impl Example for TeamMemberView {
    fn example() -> Self {
        Self {
            user_id: examples::BEN,
            display_name: examples::BEN_NAME.to_owned(),
            role: PutTeamMemberRequest::example().role,
            joined_at: examples::at(examples::BEN_JOINED),
        }
    }
}

/// The team's members.
#[derive(Debug, Object)]
#[oai(example)]
pub struct TeamMemberList {
    /// The members, in user-id order.
    pub items: Vec<TeamMemberView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

/// Ana, who leads the team, and Ben.
impl Example for TeamMemberList {
    fn example() -> Self {
        let ana = TeamMemberView {
            user_id: examples::ANA,
            display_name: examples::ANA_NAME.to_owned(),
            role: Choice::of(TeamRole::Lead),
            joined_at: TeamView::example().created_at,
        };
        Self {
            items: vec![ana, TeamMemberView::example()],
            next_cursor: None,
        }
    }
}

/// A team role to give.
#[derive(Debug, Object)]
#[oai(example)]
pub struct PutTeamMemberRequest {
    pub role: Choice<TeamRole>,
}

impl Example for PutTeamMemberRequest {
    fn example() -> Self {
        Self {
            role: Choice::of(TeamRole::Member),
        }
    }
}

#[derive(ApiResponse)]
pub enum CreateTeamResponse {
    /// The team was created.
    #[oai(status = 201)]
    Created(
        Json<TeamView>,
        /// Where the team lives.
        #[oai(header = "Location")]
        String,
    ),
}

/// The team's kindness streak.
#[derive(Debug, Object)]
#[oai(example)]
pub struct TeamStreakView {
    /// Consecutive working days, up to today, on which the team reached the
    /// threshold. Days that are not working days neither count nor break;
    /// today counts once reached and never breaks.
    pub current: i64,
    /// The longest such run since the team began.
    pub longest: i64,
    /// Acts logged today, shared with the team and not withdrawn.
    pub today_count: i64,
    /// Acts a working day needs (the team's `daily_act_threshold`).
    pub threshold: i64,
    /// The organisation's today.
    pub today: Day,
    /// Whether today is one of the organisation's working days.
    pub today_is_working_day: bool,
}

/// On a Monday morning: one act so far of the two the day needs, which
/// does not break the run of six working days.
impl Example for TeamStreakView {
    fn example() -> Self {
        let team = TeamView::example();
        Self {
            current: 6,
            longest: 14,
            today_count: 1,
            threshold: team.daily_act_threshold.into(),
            today: examples::today(),
            today_is_working_day: true,
        }
    }
}

/// This week's acts against the team's weekly goal.
#[derive(Debug, Object)]
#[oai(example)]
pub struct TeamProgressView {
    /// The Monday that starts this week, in the organisation's timezone.
    pub week_starts_on: Day,
    /// The Sunday that ends it.
    pub week_ends_on: Day,
    /// Acts logged in the team this week, shared with the team and not
    /// withdrawn.
    pub acts: i64,
    /// Acts a week the team aims for, if it set a goal.
    #[oai(nullable)]
    pub weekly_goal: Option<i32>,
    /// Whether this week's acts reached the goal; false without a goal.
    pub goal_reached: bool,
    /// The team's own challenges running today, the earliest ending first.
    pub challenges: Vec<ChallengeView>,
}

/// The week's first act, on its first day.
impl Example for TeamProgressView {
    fn example() -> Self {
        let today = examples::today().0;
        let monday = week_start(today);
        Self {
            week_starts_on: Day(monday),
            week_ends_on: Day(monday + Duration::days(6)),
            acts: 1,
            weekly_goal: TeamView::example().weekly_goal,
            goal_reached: false,
            challenges: vec![ChallengeView::example()],
        }
    }
}

#[derive(ApiResponse)]
pub enum TeamStreakResponse {
    /// The streak.
    #[oai(status = 200)]
    Ok(Json<TeamStreakView>),
}

#[derive(ApiResponse)]
pub enum TeamProgressResponse {
    /// This week's progress.
    #[oai(status = 200)]
    Ok(Json<TeamProgressView>),
}

#[derive(ApiResponse)]
pub enum TeamResponse {
    /// The team.
    #[oai(status = 200)]
    Ok(Json<TeamView>),
}

#[derive(ApiResponse)]
pub enum TeamListResponse {
    /// The teams.
    #[oai(status = 200)]
    Ok(Json<TeamList>),
}

#[derive(ApiResponse)]
pub enum TeamMemberListResponse {
    /// The members.
    #[oai(status = 200)]
    Ok(Json<TeamMemberList>),
}

#[derive(ApiResponse)]
pub enum TeamMemberResponse {
    /// The person's membership as it now is.
    #[oai(status = 200)]
    Ok(Json<TeamMemberView>),
}

#[OpenApi(tag = "ApiTag::Teams")]
impl TeamsApi {
    /// Create a team
    ///
    /// Owners and admins create teams in their organisation.
    #[oai(
        path = "/v1/orgs/:org_id/teams",
        method = "post",
        operation_id = "create_team"
    )]
    async fn create(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The organisation's id.
        org_id: Path<Uuid>,
        body: Json<CreateTeamRequest>,
    ) -> Result<CreateTeamResponse, Problem<{ JSON_BODY | UNAUTHORIZED | FORBIDDEN | NOT_FOUND }>>
    {
        let mut fields = Fields::default();
        let name = fields.check("name", org::parse_name(&body.name));
        let threshold = fields.check(
            "daily_act_threshold",
            org::parse_threshold(body.daily_act_threshold.map_or(1, Int::get)),
        );
        let goal = fields.check_optional(
            "weekly_goal",
            body.weekly_goal.map(Int::get),
            org::parse_weekly_goal,
        );
        let (Some(name), Some(daily_act_threshold), Some(weekly_goal)) = (name, threshold, goal)
        else {
            return Err(fields.into_error().into());
        };
        let team_fields = TeamFields {
            name,
            daily_act_threshold,
            weekly_goal,
        };
        let mut unit = begin(&state, Lock::Nothing).await?;
        access::org_teams(unit.txn(), org_id.0, auth.0.id, TeamAction::Create).await?;
        let team = service::teams::create(&mut unit, org_id.0, team_fields).await?;
        unit.commit().await?;
        let location = format!("/v1/teams/{}", team.id);
        Ok(CreateTeamResponse::Created(Json(team.into()), location))
    }

    /// List an organisation's teams
    ///
    /// The organisation's teams, for any of its members, paged with `limit`
    /// (default 50, at most 200) and `cursor`.
    #[oai(
        path = "/v1/orgs/:org_id/teams",
        method = "get",
        operation_id = "list_teams"
    )]
    async fn list(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The organisation's id.
        org_id: Path<Uuid>,
        /// Page size, 1 to 200 (default 50).
        limit: Query<Option<Limit>>,
        /// The `next_cursor` of the previous page; the first page when empty
        /// or left out.
        cursor: Query<Option<String>>,
    ) -> Result<TeamListResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>>
    {
        let page = PageRequest::<Uuid>::parse(TEAM_CURSOR, limit.0, cursor.0.as_deref())?;
        access::org_teams(&state.reader, org_id.0, auth.0.id, TeamAction::List).await?;
        let rows = store::teams::of_org(&state.reader, org_id.0, page.after, page.rows()).await?;
        let (rows, next_cursor) = page.page(rows, |team| team.id);
        let items = rows.into_iter().map(TeamView::from).collect();
        Ok(TeamListResponse::Ok(Json(TeamList { items, next_cursor })))
    }

    /// Read a team
    ///
    /// The team's settings, for any member of its organisation.
    #[oai(path = "/v1/teams/:team_id", method = "get", operation_id = "get_team")]
    async fn get(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The team's id.
        team_id: Path<Uuid>,
    ) -> Result<TeamResponse, Problem<{ UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>> {
        let team = access::team(&state.reader, team_id.0, auth.0.id, TeamAction::Read).await?;
        Ok(TeamResponse::Ok(Json(team.into())))
    }

    /// Change a team
    ///
    /// Owners, admins and the team's leads change its name, daily act
    /// threshold and weekly goal.
    #[oai(
        path = "/v1/teams/:team_id",
        method = "patch",
        operation_id = "update_team"
    )]
    async fn update(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The team's id.
        team_id: Path<Uuid>,
        body: Json<UpdateTeamRequest>,
    ) -> Result<TeamResponse, Problem<{ JSON_BODY | UNAUTHORIZED | FORBIDDEN | NOT_FOUND }>> {
        let body = body.0;
        let mut fields = Fields::default();
        let name = fields.check_optional("name", body.name.as_deref(), org::parse_name);
        let threshold = fields.check_optional(
            "daily_act_threshold",
            body.daily_act_threshold.map(Int::get),
            org::parse_threshold,
        );
        let goal = fields.check_clearable(
            "weekly_goal",
            body.weekly_goal.map_value(Int::get),
            org::parse_weekly_goal,
        );
        let (Some(name), Some(threshold), Some(goal)) = (name, threshold, goal) else {
            return Err(fields.into_error().into());
        };
        let mut unit = begin(&state, Lock::Nothing).await?;
        let team = access::team(unit.txn(), team_id.0, auth.0.id, TeamAction::Update).await?;
        let team_fields = TeamFields {
            name: name.unwrap_or_else(|| team.name.clone()),
            daily_act_threshold: threshold.unwrap_or(team.daily_act_threshold),
            weekly_goal: goal.unwrap_or(team.weekly_goal),
        };
        let team = service::teams::update(&mut unit, team, team_fields).await?;
        unit.commit().await?;
        Ok(TeamResponse::Ok(Json(team.into())))
    }

    /// Delete a team
    ///
    /// Owners and admins delete a team; its memberships go with it.
    #[oai(
        path = "/v1/teams/:team_id",
        method = "delete",
        operation_id = "delete_team"
    )]
    async fn delete(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The team's id.
        team_id: Path<Uuid>,
    ) -> Result<Deleted, Problem<{ UNAUTHORIZED | FORBIDDEN | NOT_FOUND | UNPROCESSABLE }>> {
        let mut unit = begin(&state, Lock::Nothing).await?;
        let team = access::team(unit.txn(), team_id.0, auth.0.id, TeamAction::Delete).await?;
        service::teams::delete(&mut unit, team).await?;
        unit.commit().await?;
        Ok(Deleted::Deleted)
    }

    /// List a team's members
    ///
    /// The team's members with their team roles, for any member of its
    /// organisation, paged with `limit` (default 50, at most 200) and
    /// `cursor`.
    #[oai(
        path = "/v1/teams/:team_id/members",
        method = "get",
        operation_id = "list_team_members"
    )]
    async fn members(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The team's id.
        team_id: Path<Uuid>,
        /// Page size, 1 to 200 (default 50).
        limit: Query<Option<Limit>>,
        /// The `next_cursor` of the previous page; the first page when empty
        /// or left out.
        cursor: Query<Option<String>>,
    ) -> Result<
        TeamMemberListResponse,
        Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>,
    > {
        let page = PageRequest::<Uuid>::parse(TEAM_MEMBER_CURSOR, limit.0, cursor.0.as_deref())?;
        access::team(&state.reader, team_id.0, auth.0.id, TeamAction::ListMembers).await?;
        let rows = store::teams::members(&state.reader, team_id.0, page.after, page.rows()).await?;
        let (rows, next_cursor) = page.page(rows, |(member, _)| member.user_id);
        let items = rows
            .into_iter()
            .map(|(member, name)| team_member_view(member, name))
            .collect();
        Ok(TeamMemberListResponse::Ok(Json(TeamMemberList {
            items,
            next_cursor,
        })))
    }

    /// Add a team member or change their role
    ///
    /// Owners, admins and the team's leads add a member of the organisation
    /// to the team, or change their team role. Someone outside the
    /// organisation is 404.
    #[oai(
        path = "/v1/teams/:team_id/members/:user_id",
        method = "put",
        operation_id = "put_team_member"
    )]
    async fn put_member(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The team's id.
        team_id: Path<Uuid>,
        /// The person's user id.
        user_id: Path<Uuid>,
        body: Json<PutTeamMemberRequest>,
    ) -> Result<TeamMemberResponse, Problem<{ JSON_BODY | UNAUTHORIZED | FORBIDDEN | NOT_FOUND }>>
    {
        let mut fields = Fields::default();
        let Some(role) = fields.check("role", body.role.parse()) else {
            return Err(fields.into_error().into());
        };
        // Under the organisation's lock, so that nobody joins a team while
        // leaving its organisation (which takes them out of its teams).
        let org_id = store::teams::find(&state.reader, team_id.0)
            .await?
            .ok_or_else(|| ApiError::not_found("team"))?
            .org_id;
        let mut unit = begin(&state, Lock::Org(org_id)).await?;
        let team =
            access::team(unit.txn(), team_id.0, auth.0.id, TeamAction::ManageMembers).await?;
        let member = service::teams::put_member(&mut unit, &team, user_id.0, role).await?;
        let name = store::users::display_name(unit.txn(), user_id.0).await?;
        unit.commit().await?;
        Ok(TeamMemberResponse::Ok(Json(team_member_view(member, name))))
    }

    /// Remove a team member, or leave
    ///
    /// Owners, admins and the team's leads remove members; any member may
    /// remove themselves, leaving the team.
    #[oai(
        path = "/v1/teams/:team_id/members/:user_id",
        method = "delete",
        operation_id = "remove_team_member"
    )]
    async fn remove_member(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The team's id.
        team_id: Path<Uuid>,
        /// The member's user id; the caller's own to leave.
        user_id: Path<Uuid>,
    ) -> Result<Deleted, Problem<{ UNAUTHORIZED | FORBIDDEN | NOT_FOUND | UNPROCESSABLE }>> {
        let action = if user_id.0 == auth.0.id {
            TeamAction::Read
        } else {
            TeamAction::ManageMembers
        };
        let mut unit = begin(&state, Lock::Nothing).await?;
        let team = access::team(unit.txn(), team_id.0, auth.0.id, action).await?;
        service::teams::remove_member(&mut unit, &team, user_id.0).await?;
        unit.commit().await?;
        Ok(Deleted::Deleted)
    }

    /// Read a team's streak
    ///
    /// Consecutive working days of the organisation (in its timezone) on
    /// which the team logged at least `daily_act_threshold` acts. For the
    /// team's members only (like its acts); anyone else gets 404.
    #[oai(
        path = "/v1/teams/:team_id/streak",
        method = "get",
        operation_id = "get_team_streak"
    )]
    async fn streak(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The team's id.
        team_id: Path<Uuid>,
    ) -> Result<TeamStreakResponse, Problem<{ UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>> {
        let (team, org) = progress_of(&state, team_id.0, auth.0.id).await?;
        let today = org.date_at(state.clock.now());
        let days = OrgDays {
            working_days: org.working_days,
            settings_changed_at: org.updated_at,
            today,
            team_starts_on: org.date_at(team.created_at),
        };
        let streak =
            store::team_streaks::for_team(&state.reader, &state.writer, &team, &days).await?;
        Ok(TeamStreakResponse::Ok(Json(TeamStreakView {
            current: streak.current.into(),
            longest: streak.longest.into(),
            today_count: streak.today_count.into(),
            threshold: streak.threshold.into(),
            today: Day(today),
            today_is_working_day: org.working_days.contains(iso_weekday(today)),
        })))
    }

    /// Read a team's progress this week
    ///
    /// The acts the team logged this week (Monday to Sunday in the
    /// organisation's timezone) against its weekly goal. For the team's
    /// members only (like its acts); anyone else gets 404.
    #[oai(
        path = "/v1/teams/:team_id/progress",
        method = "get",
        operation_id = "get_team_progress"
    )]
    async fn progress(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The team's id.
        team_id: Path<Uuid>,
    ) -> Result<TeamProgressResponse, Problem<{ UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>> {
        let (team, org) = progress_of(&state, team_id.0, auth.0.id).await?;
        let today = org.date_at(state.clock.now());
        let week_starts_on = week_start(today);
        let week_ends_on = week_starts_on + Duration::days(6);
        let acts: u32 = store::acts::per_day(&state.reader, team.id, week_starts_on, week_ends_on)
            .await?
            .values()
            .sum();
        let mut challenges = Vec::new();
        for challenge in store::challenges::active_of_team(&state.reader, team.id, today).await? {
            challenges
                .push(challenge_view(&state.reader, &org, challenge, auth.0.id, today).await?);
        }
        Ok(TeamProgressResponse::Ok(Json(TeamProgressView {
            week_starts_on: Day(week_starts_on),
            week_ends_on: Day(week_ends_on),
            acts: acts.into(),
            weekly_goal: team.weekly_goal,
            goal_reached: team
                .weekly_goal
                .is_some_and(|goal| i64::from(acts) >= i64::from(goal)),
            challenges,
        })))
    }
}

/// The team, if the caller may read its streak and progress, and its
/// organisation, whose calendar they follow.
async fn progress_of(
    state: &AppState,
    team_id: Uuid,
    user_id: Uuid,
) -> Result<(Team, store::orgs::Org), ApiError> {
    let team = access::team(&state.reader, team_id, user_id, TeamAction::ReadProgress).await?;
    let org = store::orgs::find(&state.reader, team.org_id)
        .await?
        .ok_or_else(|| ApiError::not_found("team"))?;
    Ok((team, org))
}

fn team_member_view(member: TeamMembership, name: String) -> TeamMemberView {
    TeamMemberView {
        user_id: member.user_id,
        display_name: name,
        role: Choice::of(member.role),
        joined_at: member.joined_at.into(),
    }
}

const TEAM_CURSOR: &str = "team";
const TEAM_MEMBER_CURSOR: &str = "team_member";
