//! Teams within an organisation, their members, streak and weekly progress.
//! Who may do what is decided by [`crate::domain::access::TEAM_TABLE`]:
//! owners and admins run teams, a team's leads run its membership and
//! settings, every member of the organisation may see its teams, and the
//! streak and progress are for the team's members. Outsiders get 404.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi, param::Path, payload::Json, types::MaybeUndefined,
};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{
    ApiTag,
    choice::{Choice, Choices},
    habits::Deleted,
    orgs::stored_org_role,
    timestamp::Timestamp,
};
use crate::{
    app::AppState,
    auth::scheme::BearerAuth,
    domain::{
        access::{Decision, OrgRole, TeamAction, TeamRole, decide_team},
        account::parse_timezone,
        calendar::{iso_weekday, local_today, week_start},
        fields::Fields,
        org,
        streak::WeekdaySet,
    },
    error::{ApiError, Problem, status::*},
    store::{self, team_streaks::OrgDays, teams::TeamFields},
};

pub struct TeamsApi;

/// Team roles.
pub struct TeamRoles;

impl Choices for TeamRoles {
    const NAME: &'static str = "TeamRole";
    const VALUES: &'static [&'static str] = &["lead", "member"];
}

/// A new team.
#[derive(Debug, Object)]
pub struct CreateTeamRequest {
    /// 1 to 100 characters.
    pub name: String,
    /// Acts a working day needs for the team streak, 1 to 100 (default 1).
    pub daily_act_threshold: Option<i64>,
    /// Acts a week the team aims for, 1 to 10000; none when left out.
    pub weekly_goal: Option<i64>,
}

/// Changes to a team; fields left out stay as they are, and `null` clears
/// `weekly_goal`.
#[derive(Debug, Object)]
pub struct UpdateTeamRequest {
    /// 1 to 100 characters.
    pub name: Option<String>,
    /// Acts a working day needs for the team streak, 1 to 100.
    pub daily_act_threshold: Option<i64>,
    /// Acts a week the team aims for, 1 to 10000, or `null` for none.
    pub weekly_goal: MaybeUndefined<i64>,
}

/// A team.
#[derive(Debug, Object)]
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
    pub weekly_goal: Option<i32>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl From<entity::teams::Model> for TeamView {
    fn from(team: entity::teams::Model) -> Self {
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
pub struct TeamList {
    /// Every team, oldest first.
    pub items: Vec<TeamView>,
}

/// A member of a team.
#[derive(Debug, Object)]
pub struct TeamMemberView {
    /// The person's id.
    pub user_id: Uuid,
    /// The name colleagues see.
    pub display_name: String,
    /// `lead` or `member`.
    pub role: Choice<TeamRoles>,
    /// When they joined the team.
    pub joined_at: Timestamp,
}

/// The team's members.
#[derive(Debug, Object)]
pub struct TeamMemberList {
    /// Every member, earliest joined first.
    pub items: Vec<TeamMemberView>,
}

/// A team role to give.
#[derive(Debug, Object)]
pub struct PutTeamMemberRequest {
    /// `lead` or `member`.
    pub role: Choice<TeamRoles>,
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
pub struct TeamStreakView {
    /// Consecutive working days, up to today, on which the team reached the
    /// threshold. Days that are not working days neither count nor break;
    /// today counts once reached and never breaks.
    pub current: u32,
    /// The longest such run since the team began.
    pub longest: u32,
    /// Acts logged today, shared with the team and not withdrawn.
    pub today_count: u32,
    /// Acts a working day needs (the team's `daily_act_threshold`).
    pub threshold: u32,
    /// The organisation's today.
    pub today: NaiveDate,
    /// Whether today is one of the organisation's working days.
    pub today_is_working_day: bool,
}

/// This week's acts against the team's weekly goal.
#[derive(Debug, Object)]
pub struct TeamProgressView {
    /// The Monday that starts this week, in the organisation's timezone.
    pub week_starts_on: NaiveDate,
    /// The Sunday that ends it.
    pub week_ends_on: NaiveDate,
    /// Acts logged in the team this week, shared with the team and not
    /// withdrawn.
    pub acts: u32,
    /// Acts a week the team aims for, if it set a goal.
    pub weekly_goal: Option<i32>,
    /// Whether this week's acts reached the goal; false without a goal.
    pub goal_reached: bool,
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
            org::parse_threshold(body.daily_act_threshold.unwrap_or(1)),
        );
        let goal = fields.check_optional("weekly_goal", body.weekly_goal, org::parse_weekly_goal);
        let (Some(name), Some(daily_act_threshold), Some(weekly_goal)) = (name, threshold, goal)
        else {
            return Err(fields.into_error().into());
        };
        let role = org_role(&state.db, org_id.0, auth.0.id).await?;
        allow(decide_team(role, None, TeamAction::Create), org_not_found)?;
        let team_fields = TeamFields {
            name,
            daily_act_threshold,
            weekly_goal,
        };
        let team =
            store::teams::create(&state.writer, org_id.0, team_fields, state.clock.now()).await?;
        let location = format!("/v1/teams/{}", team.id);
        Ok(CreateTeamResponse::Created(Json(team.into()), location))
    }

    /// List an organisation's teams
    ///
    /// Every team of the organisation, for any of its members.
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
    ) -> Result<TeamListResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND }>> {
        let role = org_role(&state.db, org_id.0, auth.0.id).await?;
        allow(decide_team(role, None, TeamAction::List), org_not_found)?;
        let items = store::teams::of_org(&state.db, org_id.0)
            .await?
            .into_iter()
            .map(TeamView::from)
            .collect();
        Ok(TeamListResponse::Ok(Json(TeamList { items })))
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
    ) -> Result<TeamResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND }>> {
        let team = authorize(&state.db, team_id.0, auth.0.id, TeamAction::Read).await?;
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
            body.daily_act_threshold,
            org::parse_threshold,
        );
        let goal = match body.weekly_goal {
            MaybeUndefined::Undefined => Some(None),
            MaybeUndefined::Null => Some(Some(None)),
            MaybeUndefined::Value(goal) => fields
                .check("weekly_goal", org::parse_weekly_goal(goal))
                .map(|goal| Some(Some(goal))),
        };
        let (Some(name), Some(threshold), Some(goal)) = (name, threshold, goal) else {
            return Err(fields.into_error().into());
        };
        let txn = crate::db::begin_write(&state.writer).await?;
        let team = authorize(&txn, team_id.0, auth.0.id, TeamAction::Update).await?;
        let team_fields = TeamFields {
            name: name.unwrap_or_else(|| team.name.clone()),
            daily_act_threshold: threshold.unwrap_or(team.daily_act_threshold),
            weekly_goal: goal.unwrap_or(team.weekly_goal),
        };
        let team = store::teams::update(&txn, team, team_fields, state.clock.now()).await?;
        txn.commit().await?;
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
    ) -> Result<Deleted, Problem<{ BAD_REQUEST | UNAUTHORIZED | FORBIDDEN | NOT_FOUND }>> {
        let txn = crate::db::begin_write(&state.writer).await?;
        let team = authorize(&txn, team_id.0, auth.0.id, TeamAction::Delete).await?;
        store::teams::delete(&txn, team).await?;
        txn.commit().await?;
        Ok(Deleted::Deleted)
    }

    /// List a team's members
    ///
    /// The team's members with their team roles, for any member of its
    /// organisation.
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
    ) -> Result<TeamMemberListResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND }>> {
        authorize(&state.db, team_id.0, auth.0.id, TeamAction::ListMembers).await?;
        let items = store::teams::members(&state.db, team_id.0)
            .await?
            .into_iter()
            .map(|(member, name)| team_member_view(member, name))
            .collect::<Result<_, ApiError>>()?;
        Ok(TeamMemberListResponse::Ok(Json(TeamMemberList { items })))
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
        let Some(role) = fields.check("role", TeamRole::parse(body.role.as_str())) else {
            return Err(fields.into_error().into());
        };
        // Under the organisation's lock, so that nobody joins a team while
        // leaving its organisation (which takes them out of its teams).
        let org_id = store::teams::find(&state.db, team_id.0)
            .await?
            .ok_or_else(team_not_found)?
            .org_id;
        let txn = store::orgs::begin_org_write(&state.writer, org_id).await?;
        let team = authorize(&txn, team_id.0, auth.0.id, TeamAction::ManageMembers).await?;
        if store::orgs::membership(&txn, team.org_id, user_id.0)
            .await?
            .is_none()
        {
            return Err(ApiError::not_found("member").into());
        }
        let member =
            store::teams::put_member(&txn, team.id, user_id.0, role, state.clock.now()).await?;
        let name = store::users::find(&txn, user_id.0)
            .await?
            .map_or_else(String::new, |user| user.display_name);
        txn.commit().await?;
        Ok(TeamMemberResponse::Ok(Json(team_member_view(
            member, name,
        )?)))
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
    ) -> Result<Deleted, Problem<{ BAD_REQUEST | UNAUTHORIZED | FORBIDDEN | NOT_FOUND }>> {
        let action = if user_id.0 == auth.0.id {
            TeamAction::Read
        } else {
            TeamAction::ManageMembers
        };
        let txn = crate::db::begin_write(&state.writer).await?;
        let team = authorize(&txn, team_id.0, auth.0.id, action).await?;
        let member = store::teams::membership(&txn, team.id, user_id.0)
            .await?
            .ok_or_else(|| ApiError::not_found("member"))?;
        store::teams::remove_member(&txn, member).await?;
        txn.commit().await?;
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
    ) -> Result<TeamStreakResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND }>> {
        let team = authorize(&state.db, team_id.0, auth.0.id, TeamAction::ReadProgress).await?;
        let calendar = OrgCalendar::of(&state.db, &team).await?;
        let today = calendar.today(state.clock.now());
        let days = OrgDays {
            working_days: calendar.working_days,
            settings_changed_at: calendar.changed_at,
            today,
            team_starts_on: calendar.today(team.created_at),
        };
        let streak = store::team_streaks::for_team(&state.db, &state.writer, &team, &days).await?;
        Ok(TeamStreakResponse::Ok(Json(TeamStreakView {
            current: streak.current,
            longest: streak.longest,
            today_count: streak.today_count,
            threshold: streak.threshold,
            today,
            today_is_working_day: calendar.working_days.contains(iso_weekday(today)),
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
    ) -> Result<TeamProgressResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND }>> {
        let team = authorize(&state.db, team_id.0, auth.0.id, TeamAction::ReadProgress).await?;
        let calendar = OrgCalendar::of(&state.db, &team).await?;
        let week_starts_on = week_start(calendar.today(state.clock.now()));
        let week_ends_on = week_starts_on + Duration::days(6);
        let acts: u32 = store::acts::per_day(&state.db, team.id, week_starts_on, week_ends_on)
            .await?
            .values()
            .sum();
        Ok(TeamProgressResponse::Ok(Json(TeamProgressView {
            week_starts_on,
            week_ends_on,
            acts,
            weekly_goal: team.weekly_goal,
            goal_reached: team
                .weekly_goal
                .is_some_and(|goal| i64::from(acts) >= i64::from(goal)),
        })))
    }
}

/// The calendar of a team's organisation: its timezone and working days.
pub(super) struct OrgCalendar {
    pub timezone: Tz,
    pub working_days: WeekdaySet,
    /// When the organisation's settings last changed.
    pub changed_at: DateTime<Utc>,
}

impl OrgCalendar {
    pub async fn of(
        db: &impl ConnectionTrait,
        team: &entity::teams::Model,
    ) -> Result<Self, ApiError> {
        let org = store::orgs::find(db, team.org_id)
            .await?
            .ok_or_else(team_not_found)?;
        Ok(Self {
            timezone: parse_timezone(&org.timezone).map_err(ApiError::internal)?,
            working_days: org::stored_working_days(&org.working_days)
                .ok_or_else(|| ApiError::internal("stored working days do not parse"))?,
            changed_at: org.updated_at,
        })
    }

    /// The organisation's local date at `instant`.
    pub fn today(&self, instant: DateTime<Utc>) -> NaiveDate {
        local_today(instant, self.timezone, 0)
    }
}

/// The caller's role in the organisation, if a member.
async fn org_role(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Option<OrgRole>, ApiError> {
    match store::orgs::membership(db, org_id, user_id).await? {
        Some(member) => Ok(Some(stored_org_role(&member.role)?)),
        None => Ok(None),
    }
}

/// The team, if the table allows the caller `action` on it.
pub(super) async fn authorize(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    user_id: Uuid,
    action: TeamAction,
) -> Result<entity::teams::Model, ApiError> {
    let team = store::teams::find(db, team_id)
        .await?
        .ok_or_else(team_not_found)?;
    allow(decide(db, &team, user_id, action).await?, team_not_found)?;
    Ok(team)
}

/// What the table decides for the caller and `action` on the team; `Hide`
/// when there is no such team.
pub(super) async fn team_decision(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    user_id: Uuid,
    action: TeamAction,
) -> Result<Decision, ApiError> {
    match store::teams::find(db, team_id).await? {
        Some(team) => decide(db, &team, user_id, action).await,
        None => Ok(Decision::Hide),
    }
}

async fn decide(
    db: &impl ConnectionTrait,
    team: &entity::teams::Model,
    user_id: Uuid,
    action: TeamAction,
) -> Result<Decision, ApiError> {
    let org_role = org_role(db, team.org_id, user_id).await?;
    let team_role = match store::teams::membership(db, team.id, user_id).await? {
        Some(member) => Some(TeamRole::parse(&member.role).map_err(ApiError::internal)?),
        None => None,
    };
    Ok(decide_team(org_role, team_role, action))
}

/// The table's decision as an answer; `hidden` is the 404 an outsider gets.
fn allow(decision: Decision, hidden: fn() -> ApiError) -> Result<(), ApiError> {
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

fn team_member_view(
    member: entity::team_members::Model,
    name: String,
) -> Result<TeamMemberView, ApiError> {
    let role = TeamRole::parse(&member.role).map_err(ApiError::internal)?;
    Ok(TeamMemberView {
        user_id: member.user_id,
        display_name: name,
        role: Choice::new(role.as_str()),
        joined_at: member.joined_at.into(),
    })
}
