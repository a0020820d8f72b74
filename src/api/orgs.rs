//! `/v1/orgs` and `/v1/invitations`: organisations, their members and roles,
//! and invitation codes. Who may do what is decided by one table,
//! [`crate::domain::access::ORG_TABLE`].

use chrono::Duration;
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{
    ApiTag,
    choice::{Choice, Choices},
    habits::{Deleted, parse_limit},
    timestamp::Timestamp,
};
use crate::{
    app::AppState,
    auth::{
        scheme::BearerAuth,
        tokens::{hash_secret, new_refresh_token},
    },
    domain::{
        access::{Decision, OrgAction, OrgRole, TeamRole, decide, may_touch_ownership},
        account::parse_timezone,
        fields::Fields,
        org,
    },
    error::{ApiError, FieldError, Problem, status::*},
    store::{
        self,
        orgs::{NewInvitation, NewOrg, OrgChanges},
    },
};

pub struct OrgsApi;

/// Organisation roles.
pub struct OrgRoles;

impl Choices for OrgRoles {
    const NAME: &'static str = "OrgRole";
    const VALUES: &'static [&'static str] = &["owner", "admin", "hr", "member"];
}

/// A new organisation.
#[derive(Debug, Object)]
pub struct CreateOrgRequest {
    /// 1 to 100 characters.
    pub name: String,
    /// IANA timezone that decides the organisation's days, e.g. `Europe/London`.
    pub timezone: String,
    /// ISO weekdays that are working days (Monday = 1); Monday to Friday when
    /// left out.
    pub working_days: Option<Vec<i64>>,
}

/// Changes to an organisation's settings; fields left out stay as they are.
#[derive(Debug, Object)]
pub struct UpdateOrgRequest {
    /// 1 to 100 characters.
    pub name: Option<String>,
    /// IANA timezone.
    pub timezone: Option<String>,
    /// ISO weekdays that are working days.
    pub working_days: Option<Vec<i64>>,
    /// Fewest people a report cell may stand for, 3 to 50.
    pub min_group_size: Option<i64>,
    /// Whether the team (never individual) leaderboard is on.
    pub team_leaderboard_enabled: Option<bool>,
}

/// An organisation, as one of its members sees it.
#[derive(Debug, Object)]
pub struct OrgView {
    /// The organisation's id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// IANA timezone that decides its days.
    pub timezone: String,
    /// ISO weekdays that are working days.
    pub working_days: Vec<i64>,
    /// Fewest people a report cell may stand for (3 to 50).
    pub min_group_size: i32,
    /// Whether the team leaderboard is on.
    pub team_leaderboard_enabled: bool,
    /// The caller's role in it.
    pub role: Choice<OrgRoles>,
    /// When it was created.
    pub created_at: Timestamp,
}

/// The caller's organisations.
#[derive(Debug, Object)]
pub struct OrgList {
    /// Each organisation with the caller's role, earliest joined first.
    pub items: Vec<OrgView>,
}

/// A member of an organisation.
#[derive(Debug, Object)]
pub struct MemberView {
    /// The person's id.
    pub user_id: Uuid,
    /// The name colleagues see.
    pub display_name: String,
    /// Their role.
    pub role: Choice<OrgRoles>,
    /// When they joined.
    pub joined_at: Timestamp,
}

/// A page of members.
#[derive(Debug, Object)]
pub struct MemberList {
    /// Members, in user-id order.
    pub items: Vec<MemberView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// A new role.
#[derive(Debug, Object)]
pub struct ChangeRoleRequest {
    /// `owner`, `admin`, `hr` or `member`. Only an owner grants or removes
    /// the owner role.
    pub role: Choice<OrgRoles>,
}

/// An invitation to create.
#[derive(Debug, Object)]
pub struct CreateInvitationRequest {
    /// The role the invited join with. Only an owner may invite an owner.
    pub role: Choice<OrgRoles>,
    /// Days the code works, 1 to 90 (default 7).
    pub expires_in_days: Option<i64>,
    /// How many people may join with it, 1 to 1000 (default 1).
    pub max_uses: Option<i64>,
    /// A team of this organisation the invited join too, as members.
    pub team_id: Option<Uuid>,
}

/// An invitation code, shown this once: only its hash is kept.
#[derive(Debug, Object)]
pub struct InvitationView {
    /// The code to pass to `POST /v1/invitations/{code}/accept`: 256 random
    /// bits, base64url.
    pub code: String,
    /// When the code stops working.
    pub expires_at: Timestamp,
    /// The role it grants.
    pub role: Choice<OrgRoles>,
    /// How many people may join with it.
    pub max_uses: i32,
}

#[derive(ApiResponse)]
pub enum CreateOrgResponse {
    /// The organisation was created; the caller is its owner.
    #[oai(status = 201)]
    Created(
        Json<OrgView>,
        /// Where the organisation lives.
        #[oai(header = "Location")]
        String,
    ),
}

#[derive(ApiResponse)]
pub enum OrgResponse {
    /// The organisation.
    #[oai(status = 200)]
    Ok(Json<OrgView>),
}

#[derive(ApiResponse)]
pub enum OrgListResponse {
    /// The caller's organisations.
    #[oai(status = 200)]
    Ok(Json<OrgList>),
}

#[derive(ApiResponse)]
pub enum MemberListResponse {
    /// The members.
    #[oai(status = 200)]
    Ok(Json<MemberList>),
}

#[derive(ApiResponse)]
pub enum MemberResponse {
    /// The member with their new role.
    #[oai(status = 200)]
    Ok(Json<MemberView>),
}

#[derive(ApiResponse)]
pub enum InvitationResponse {
    /// The invitation; its code is shown only now.
    #[oai(status = 201)]
    Created(Json<InvitationView>),
}

#[derive(ApiResponse)]
pub enum AcceptResponse {
    /// The caller is a member (already, or from now on).
    #[oai(status = 200)]
    Ok(Json<OrgView>),
}

#[OpenApi(tag = "ApiTag::Organisations")]
impl OrgsApi {
    /// Create an organisation
    ///
    /// Creates an organisation with the caller as its owner.
    #[oai(path = "/v1/orgs", method = "post", operation_id = "create_org")]
    async fn create(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        body: Json<CreateOrgRequest>,
    ) -> Result<CreateOrgResponse, Problem<{ JSON_BODY | UNAUTHORIZED }>> {
        let mut fields = Fields::default();
        let name = fields.check("name", org::parse_name(&body.name));
        let timezone = fields.check("timezone", parse_timezone(&body.timezone));
        let days = body
            .working_days
            .as_deref()
            .unwrap_or(&org::DEFAULT_WORKING_DAYS);
        let working_days = fields.check("working_days", org::parse_working_days(days));
        let (Some(name), Some(timezone), Some(working_days)) = (name, timezone, working_days)
        else {
            return Err(fields.into_error().into());
        };
        let txn = crate::db::begin_write(&state.writer).await?;
        let new_org = NewOrg {
            name,
            timezone: timezone.name().to_owned(),
            working_days,
        };
        let created = store::orgs::create(&txn, new_org, auth.0.id, state.clock.now()).await?;
        txn.commit().await?;
        let location = format!("/v1/orgs/{}", created.id);
        Ok(CreateOrgResponse::Created(
            Json(org_view(created, OrgRole::Owner)),
            location,
        ))
    }

    /// List my organisations
    ///
    /// The organisations the caller belongs to, with the caller's role in each.
    #[oai(path = "/v1/orgs", method = "get", operation_id = "list_orgs")]
    async fn list(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
    ) -> Result<OrgListResponse, Problem<UNAUTHORIZED>> {
        let items = store::orgs::of_user(&state.db, auth.0.id)
            .await?
            .into_iter()
            .map(|(org, role)| Ok(org_view(org, stored_org_role(&role)?)))
            .collect::<Result<_, ApiError>>()?;
        Ok(OrgListResponse::Ok(Json(OrgList { items })))
    }

    /// Read an organisation
    ///
    /// Its settings, for any member. Anybody else gets 404.
    #[oai(path = "/v1/orgs/:org_id", method = "get", operation_id = "get_org")]
    async fn get(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The organisation's id.
        org_id: Path<Uuid>,
    ) -> Result<OrgResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND }>> {
        let role = authorize(&state.db, org_id.0, auth.0.id, OrgAction::Read).await?;
        let found = store::orgs::find(&state.db, org_id.0)
            .await?
            .ok_or_else(org_not_found)?;
        Ok(OrgResponse::Ok(Json(org_view(found, role))))
    }

    /// Change an organisation's settings
    ///
    /// Owners and admins change the name, timezone, working days, report
    /// threshold (`min_group_size`, never below 3) and whether the team
    /// leaderboard is on. Other members get 403.
    #[oai(
        path = "/v1/orgs/:org_id",
        method = "patch",
        operation_id = "update_org"
    )]
    async fn update(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The organisation's id.
        org_id: Path<Uuid>,
        body: Json<UpdateOrgRequest>,
    ) -> Result<OrgResponse, Problem<{ JSON_BODY | UNAUTHORIZED | FORBIDDEN | NOT_FOUND }>> {
        let body = body.0;
        let mut fields = Fields::default();
        let name = fields.check_optional("name", body.name.as_deref(), org::parse_name);
        let timezone = fields.check_optional("timezone", body.timezone.as_deref(), |tz| {
            parse_timezone(tz).map(|tz| tz.name().to_owned())
        });
        let working_days = fields.check_optional(
            "working_days",
            body.working_days.as_deref(),
            org::parse_working_days,
        );
        let min_group_size = fields.check_optional(
            "min_group_size",
            body.min_group_size,
            org::parse_min_group_size,
        );
        let (Some(name), Some(timezone), Some(working_days), Some(min_group_size)) =
            (name, timezone, working_days, min_group_size)
        else {
            return Err(fields.into_error().into());
        };
        let txn = store::orgs::begin_org_write(&state.writer, org_id.0).await?;
        let role = authorize(&txn, org_id.0, auth.0.id, OrgAction::Update).await?;
        let found = store::orgs::find(&txn, org_id.0)
            .await?
            .ok_or_else(org_not_found)?;
        let changes = OrgChanges {
            name,
            timezone,
            working_days,
            min_group_size,
            team_leaderboard_enabled: body.team_leaderboard_enabled,
        };
        let updated = store::orgs::update(&txn, found, changes, state.clock.now()).await?;
        txn.commit().await?;
        Ok(OrgResponse::Ok(Json(org_view(updated, role))))
    }

    /// List members
    ///
    /// The members with their roles, for owners and admins (403 for others),
    /// paged with `limit` (default 50, at most 200) and `cursor`.
    #[oai(
        path = "/v1/orgs/:org_id/members",
        method = "get",
        operation_id = "list_org_members"
    )]
    async fn members(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The organisation's id.
        org_id: Path<Uuid>,
        /// Page size, 1 to 200 (default 50).
        limit: Query<Option<i64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<
        MemberListResponse,
        Problem<{ BAD_REQUEST | UNAUTHORIZED | FORBIDDEN | NOT_FOUND | UNPROCESSABLE }>,
    > {
        let limit = parse_limit(limit.0)?;
        let after: Option<Uuid> = super::cursor::decode_after("member", cursor.0.as_deref())?;
        authorize(&state.db, org_id.0, auth.0.id, OrgAction::ListMembers).await?;
        let rows = store::orgs::members(&state.db, org_id.0, after, limit + 1).await?;
        let (rows, next_cursor) = super::cursor::page(rows, limit, "member", |(member, _)| {
            member.user_id.to_string()
        });
        let items = rows
            .into_iter()
            .map(|(member, name)| member_view(member, name))
            .collect::<Result<_, ApiError>>()?;
        Ok(MemberListResponse::Ok(Json(MemberList {
            items,
            next_cursor,
        })))
    }

    /// Change a member's role
    ///
    /// Owners and admins change roles; only an owner grants or removes the
    /// owner role (403). The last owner cannot be demoted (409 `last_owner`).
    #[oai(
        path = "/v1/orgs/:org_id/members/:user_id",
        method = "patch",
        operation_id = "update_org_member"
    )]
    async fn change_role(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The organisation's id.
        org_id: Path<Uuid>,
        /// The member's user id.
        user_id: Path<Uuid>,
        body: Json<ChangeRoleRequest>,
    ) -> Result<
        MemberResponse,
        Problem<{ JSON_BODY | UNAUTHORIZED | FORBIDDEN | NOT_FOUND | CONFLICT }>,
    > {
        let mut fields = Fields::default();
        let Some(new_role) = fields.check("role", OrgRole::parse(body.role.as_str())) else {
            return Err(fields.into_error().into());
        };
        let txn = store::orgs::begin_org_write(&state.writer, org_id.0).await?;
        let caller = authorize(&txn, org_id.0, auth.0.id, OrgAction::ChangeRole).await?;
        let member = store::orgs::membership(&txn, org_id.0, user_id.0)
            .await?
            .ok_or_else(|| ApiError::not_found("member"))?;
        let current = stored_org_role(&member.role)?;
        let touches_owner = current == OrgRole::Owner || new_role == OrgRole::Owner;
        if touches_owner && current != new_role && !may_touch_ownership(caller) {
            return Err(owners_only().into());
        }
        if current == OrgRole::Owner && new_role != OrgRole::Owner {
            keep_an_owner(&txn, org_id.0).await?;
        }
        let name = store::users::find(&txn, member.user_id)
            .await?
            .map_or_else(String::new, |user| user.display_name);
        let member = store::orgs::set_role(&txn, member, new_role).await?;
        txn.commit().await?;
        Ok(MemberResponse::Ok(Json(member_view(member, name)?)))
    }

    /// Remove a member, or leave
    ///
    /// Owners and admins remove members (only an owner removes an owner); any
    /// member may remove themselves, leaving the organisation and its teams.
    /// The last owner cannot leave (409 `last_owner`): hand the role on first.
    #[oai(
        path = "/v1/orgs/:org_id/members/:user_id",
        method = "delete",
        operation_id = "remove_org_member"
    )]
    async fn remove(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The organisation's id.
        org_id: Path<Uuid>,
        /// The member's user id; the caller's own to leave.
        user_id: Path<Uuid>,
    ) -> Result<Deleted, Problem<{ BAD_REQUEST | UNAUTHORIZED | FORBIDDEN | NOT_FOUND | CONFLICT }>>
    {
        let txn = store::orgs::begin_org_write(&state.writer, org_id.0).await?;
        let leaving = user_id.0 == auth.0.id;
        let action = if leaving {
            OrgAction::Read
        } else {
            OrgAction::RemoveMember
        };
        let caller = authorize(&txn, org_id.0, auth.0.id, action).await?;
        let member = store::orgs::membership(&txn, org_id.0, user_id.0)
            .await?
            .ok_or_else(|| ApiError::not_found("member"))?;
        let role = stored_org_role(&member.role)?;
        if role == OrgRole::Owner {
            if !leaving && !may_touch_ownership(caller) {
                return Err(owners_only().into());
            }
            keep_an_owner(&txn, org_id.0).await?;
        }
        store::teams::leave_all_of_org(&txn, org_id.0, member.user_id).await?;
        store::orgs::remove_member(&txn, member).await?;
        txn.commit().await?;
        Ok(Deleted::Deleted)
    }

    /// Invite people
    ///
    /// Creates an invitation code (owners and admins), valid for
    /// `expires_in_days` and `max_uses` people. The code is shown only in
    /// this answer. Only an owner may invite an owner.
    #[oai(
        path = "/v1/orgs/:org_id/invitations",
        method = "post",
        operation_id = "create_invitation"
    )]
    async fn invite(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The organisation's id.
        org_id: Path<Uuid>,
        body: Json<CreateInvitationRequest>,
    ) -> Result<InvitationResponse, Problem<{ JSON_BODY | UNAUTHORIZED | FORBIDDEN | NOT_FOUND }>>
    {
        let mut fields = Fields::default();
        let role = fields.check("role", OrgRole::parse(body.role.as_str()));
        let days = fields.check(
            "expires_in_days",
            org::parse_expires_in_days(
                body.expires_in_days.unwrap_or(org::INVITATION_DEFAULT_DAYS),
            ),
        );
        let max_uses = fields.check("max_uses", org::parse_max_uses(body.max_uses.unwrap_or(1)));
        let (Some(role), Some(days), Some(max_uses)) = (role, days, max_uses) else {
            return Err(fields.into_error().into());
        };
        let caller = authorize(&state.db, org_id.0, auth.0.id, OrgAction::Invite).await?;
        if role == OrgRole::Owner && !may_touch_ownership(caller) {
            return Err(owners_only().into());
        }
        if let Some(team_id) = body.team_id {
            let in_org = store::teams::find(&state.db, team_id)
                .await?
                .is_some_and(|team| team.org_id == org_id.0);
            if !in_org {
                return Err(ApiError::validation(vec![FieldError::new(
                    "team_id",
                    "no such team in this organisation",
                )])
                .into());
            }
        }
        let now = state.clock.now();
        let code = new_refresh_token();
        let invitation = NewInvitation {
            org_id: org_id.0,
            code_hash: hash_secret(&code),
            role,
            team_id: body.team_id,
            max_uses,
            expires_at: now + Duration::days(days),
            created_by: auth.0.id,
        };
        let stored = store::orgs::insert_invitation(&state.writer, invitation, now).await?;
        Ok(InvitationResponse::Created(Json(InvitationView {
            code,
            expires_at: stored.expires_at.into(),
            role: Choice::new(role.as_str()),
            max_uses: stored.max_uses,
        })))
    }

    /// Accept an invitation
    ///
    /// Joins the caller to the invitation's organisation with its role, and
    /// to its team, if it names one. A code that is unknown, expired or used
    /// up is 404. Accepting when already a member of the organisation uses
    /// nothing and keeps the caller's role (joining the team if named).
    #[oai(
        path = "/v1/invitations/:code/accept",
        method = "post",
        operation_id = "accept_invitation"
    )]
    async fn accept(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The invitation code.
        code: Path<String>,
    ) -> Result<AcceptResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND }>> {
        let now = state.clock.now();
        let unusable = || ApiError::not_found("invitation");
        let invitation = store::orgs::usable_invitation(&state.db, &hash_secret(&code.0), now)
            .await?
            .ok_or_else(unusable)?;
        let txn = store::orgs::begin_org_write(&state.writer, invitation.org_id).await?;
        let role = match store::orgs::membership(&txn, invitation.org_id, auth.0.id).await? {
            Some(member) => stored_org_role(&member.role)?,
            None => {
                if !store::orgs::use_invitation(&txn, invitation.id).await? {
                    return Err(unusable().into());
                }
                let role = stored_org_role(&invitation.role)?;
                store::orgs::add_member(&txn, invitation.org_id, auth.0.id, role, now).await?;
                role
            }
        };
        if let Some(team_id) = invitation.team_id
            && store::teams::membership(&txn, team_id, auth.0.id)
                .await?
                .is_none()
        {
            store::teams::put_member(&txn, team_id, auth.0.id, TeamRole::Member, now).await?;
        }
        let joined = store::orgs::find(&txn, invitation.org_id)
            .await?
            .ok_or_else(unusable)?;
        txn.commit().await?;
        Ok(AcceptResponse::Ok(Json(org_view(joined, role))))
    }
}

/// The caller's role if the table allows `action`; 404 for outsiders and
/// 403 for members whose role lacks it.
async fn authorize(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    user_id: Uuid,
    action: OrgAction,
) -> Result<OrgRole, ApiError> {
    let role = match store::orgs::membership(db, org_id, user_id).await? {
        Some(member) => Some(stored_org_role(&member.role)?),
        None => None,
    };
    match (decide(role, action), role) {
        (Decision::Allow, Some(role)) => Ok(role),
        (Decision::Forbid, _) => Err(ApiError::forbidden(
            "Your role in this organisation does not allow this.",
        )),
        _ => Err(org_not_found()),
    }
}

/// 409 unless the organisation has another owner besides the one leaving.
async fn keep_an_owner(db: &impl ConnectionTrait, org_id: Uuid) -> Result<(), ApiError> {
    if store::orgs::owner_count(db, org_id).await? <= 1 {
        return Err(ApiError::conflict(
            "last_owner",
            "An organisation always keeps an owner; make someone else owner first.",
        ));
    }
    Ok(())
}

fn owners_only() -> ApiError {
    ApiError::forbidden("Only an owner grants, removes or invites the owner role.")
}

fn org_not_found() -> ApiError {
    ApiError::not_found("organisation")
}

pub(super) fn stored_org_role(stored: &str) -> Result<OrgRole, ApiError> {
    OrgRole::parse(stored).map_err(ApiError::internal)
}

fn org_view(org: entity::organisations::Model, role: OrgRole) -> OrgView {
    let working_days = org::stored_working_days(&org.working_days)
        .map(|days| days.days().into_iter().map(i64::from).collect())
        .unwrap_or_default();
    OrgView {
        id: org.id,
        name: org.name,
        timezone: org.timezone,
        working_days,
        min_group_size: org.min_group_size,
        team_leaderboard_enabled: org.team_leaderboard_enabled,
        role: Choice::new(role.as_str()),
        created_at: org.created_at.into(),
    }
}

fn member_view(member: entity::org_members::Model, name: String) -> Result<MemberView, ApiError> {
    Ok(MemberView {
        user_id: member.user_id,
        display_name: name,
        role: Choice::new(stored_org_role(&member.role)?.as_str()),
        joined_at: member.joined_at.into(),
    })
}
