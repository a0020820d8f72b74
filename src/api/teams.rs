//! Teams within an organisation, and their members. Who may do what is
//! decided by [`crate::domain::access::TEAM_TABLE`]: owners and admins run
//! teams, a team's leads run its membership and settings, and every member of
//! the organisation may see its teams. Outsiders get 404.

use poem::{http::StatusCode, web::Data};
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
        fields::Fields,
        org,
    },
    error::{ApiError, Problem, status::*},
    store::{self, teams::TeamFields},
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
        let txn = crate::db::begin_write(&state.writer).await?;
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
async fn authorize(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    user_id: Uuid,
    action: TeamAction,
) -> Result<entity::teams::Model, ApiError> {
    let team = store::teams::find(db, team_id)
        .await?
        .ok_or_else(team_not_found)?;
    let org_role = org_role(db, team.org_id, user_id).await?;
    let team_role = match store::teams::membership(db, team.id, user_id).await? {
        Some(member) => Some(TeamRole::parse(&member.role).map_err(ApiError::internal)?),
        None => None,
    };
    allow(decide_team(org_role, team_role, action), team_not_found)?;
    Ok(team)
}

/// The table's decision as an answer; `hidden` is the 404 an outsider gets.
fn allow(decision: Decision, hidden: fn() -> ApiError) -> Result<(), ApiError> {
    match decision {
        Decision::Allow => Ok(()),
        Decision::Forbid => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Your role does not allow this.",
        )),
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
