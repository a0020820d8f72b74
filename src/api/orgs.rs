//! `/v1/orgs` and `/v1/invitations`: organisations, their members and roles,
//! and invitation codes. Who may do what is decided by one table,
//! [`crate::domain::access::ORG_TABLE`].

use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Path, Query},
    payload::Json,
    types::Example,
};
use uuid::Uuid;

use super::{
    ApiTag, access,
    support::{
        Deleted, begin,
        bounded::{Int, Text, Visible, Weekdays},
        choice::Choice,
        examples,
        fields::Fields,
        paging::{Limit, PageRequest},
        timestamp::Timestamp,
    },
};
use crate::{
    domain::{
        access::{OrgAction, OrgRole},
        account::parse_timezone,
        org,
        streak::WeekdaySet,
    },
    http::{
        bearer::BearerAuth,
        problem::{ApiError, Problem, status::*},
        state::AppState,
    },
    service::{self, orgs::InvitationTerms},
    store::{
        self, Lock,
        orgs::{Membership, NewOrg, Org, OrgChanges},
    },
};

#[derive(Default)]
pub struct OrgsApi;

/// A new organisation.
#[derive(Debug, Object)]
#[oai(example)]
pub struct CreateOrgRequest {
    /// 1 to 100 characters.
    pub name: Text<1, { org::NAME_MAX_CHARS }, Visible>,
    /// IANA timezone that decides the organisation's days, e.g. `Europe/London`.
    pub timezone: String,
    /// ISO weekdays that are working days (Monday = 1); Monday to Friday when
    /// left out.
    pub working_days: Option<Weekdays>,
}

/// What makes [`OrgView::example`].
impl Example for CreateOrgRequest {
    fn example() -> Self {
        let org = OrgView::example();
        Self {
            name: Text::new(org.name),
            timezone: org.timezone,
            working_days: Some(org.working_days),
        }
    }
}

/// Changes to an organisation's settings; fields left out stay as they are.
#[derive(Debug, Object)]
#[oai(example, skip_serializing_if_is_none)]
pub struct UpdateOrgRequest {
    /// 1 to 100 characters.
    pub name: Option<Text<1, { org::NAME_MAX_CHARS }, Visible>>,
    /// IANA timezone.
    pub timezone: Option<String>,
    /// ISO weekdays that are working days.
    pub working_days: Option<Weekdays>,
    /// Fewest people a report cell may stand for, 3 to 50.
    pub min_group_size: Option<Int<{ org::MIN_GROUP_SIZE_MIN }, { org::MIN_GROUP_SIZE_MAX }>>,
    /// Whether the team (never individual) leaderboard is on.
    pub team_leaderboard_enabled: Option<bool>,
}

/// Larger report cells, and the team leaderboard on.
impl Example for UpdateOrgRequest {
    fn example() -> Self {
        Self {
            name: None,
            timezone: None,
            working_days: None,
            min_group_size: Some(Int(8)),
            team_leaderboard_enabled: Some(true),
        }
    }
}

/// An organisation, as one of its members sees it: `role` is the caller's.
#[derive(Debug, Object)]
#[oai(example)]
pub struct OrgView {
    /// The organisation's id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// IANA timezone that decides its days.
    pub timezone: String,
    /// ISO weekdays that are working days.
    pub working_days: Weekdays,
    /// Fewest people a report cell may stand for (3 to 50).
    #[oai(validator(minimum(value = "3"), maximum(value = "50")))]
    pub min_group_size: i32,
    /// Whether the team leaderboard is on.
    pub team_leaderboard_enabled: bool,
    pub role: Choice<OrgRole>,
    /// When it was created.
    pub created_at: Timestamp,
}

/// The organisation Ana created, with its default settings.
impl Example for OrgView {
    fn example() -> Self {
        Self {
            id: examples::ORG,
            name: examples::ORG_NAME.to_owned(),
            timezone: examples::TIMEZONE.to_owned(),
            working_days: Weekdays::of(org::DEFAULT_WORKING_DAYS),
            min_group_size: org::DEFAULT_MIN_GROUP_SIZE,
            team_leaderboard_enabled: false,
            role: Choice::of(OrgRole::Owner),
            created_at: examples::at("2026-09-14T08:21:07Z"),
        }
    }
}

/// The caller's organisations.
#[derive(Debug, Object)]
#[oai(example)]
pub struct OrgList {
    /// Each organisation with the caller's role, oldest first (in id order).
    pub items: Vec<OrgView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

impl Example for OrgList {
    fn example() -> Self {
        Self {
            items: vec![OrgView::example()],
            next_cursor: None,
        }
    }
}

/// A member of an organisation.
#[derive(Debug, Object)]
#[oai(example)]
pub struct MemberView {
    /// The person's id.
    pub user_id: Uuid,
    /// The name colleagues see.
    pub display_name: String,
    pub role: Choice<OrgRole>,
    /// When they joined.
    pub joined_at: Timestamp,
}

/// Ben, made an admin ([`ChangeRoleRequest::example`]).
impl Example for MemberView {
    fn example() -> Self {
        Self {
            user_id: examples::BEN,
            display_name: examples::BEN_NAME.to_owned(),
            role: ChangeRoleRequest::example().role,
            joined_at: examples::at(examples::BEN_JOINED),
        }
    }
}

/// A page of members.
#[derive(Debug, Object)]
#[oai(example)]
pub struct MemberList {
    /// Members, in user-id order.
    pub items: Vec<MemberView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

/// Ana, who created the organisation, and Ben.
impl Example for MemberList {
    fn example() -> Self {
        let ana = MemberView {
            user_id: examples::ANA,
            display_name: examples::ANA_NAME.to_owned(),
            role: Choice::of(OrgRole::Owner),
            joined_at: OrgView::example().created_at,
        };
        Self {
            items: vec![ana, MemberView::example()],
            next_cursor: None,
        }
    }
}

/// A new role. Only an owner grants or removes the owner role.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ChangeRoleRequest {
    pub role: Choice<OrgRole>,
}

impl Example for ChangeRoleRequest {
    fn example() -> Self {
        Self {
            role: Choice::of(OrgRole::Admin),
        }
    }
}

/// An invitation to create: `role` is the role the invited join with, and
/// only an owner may invite an owner.
#[derive(Debug, Object)]
#[oai(example)]
pub struct CreateInvitationRequest {
    pub role: Choice<OrgRole>,
    /// Days the code works, 1 to 90 (default 7).
    pub expires_in_days: Option<Int<1, { org::INVITATION_MAX_DAYS }>>,
    /// How many people may join with it, 1 to 1000 (default 1).
    pub max_uses: Option<Int<1, { org::INVITATION_MAX_USES }>>,
    /// A team of this organisation the invited join too, as members.
    pub team_id: Option<Uuid>,
}

/// A week-long code for up to ten new members of the team.
impl Example for CreateInvitationRequest {
    fn example() -> Self {
        Self {
            role: Choice::of(OrgRole::Member),
            expires_in_days: Some(Int(org::INVITATION_DEFAULT_DAYS)),
            max_uses: Some(Int(10)),
            team_id: Some(examples::TEAM),
        }
    }
}

/// The invitation of the examples: [`CreateInvitationRequest::example`],
/// made on 2026-11-30 at 10:30.
const INVITATION_CODE: &str = "hpDDrwFeYpT_Z_z9M08YGkcEtXnpsrznnslxasYtotY";
const INVITATION_EXPIRES_AT: &str = "2026-12-07T10:30:00Z";

/// An invitation code, shown this once (only its hash is kept), and the
/// role it grants.
#[derive(Debug, Object)]
#[oai(example)]
pub struct InvitationView {
    /// The code to pass to `POST /v1/invitations/{code}/accept`: 256 random
    /// bits, base64url.
    pub code: String,
    /// When the code stops working.
    pub expires_at: Timestamp,
    pub role: Choice<OrgRole>,
    /// How many people may join with it.
    pub max_uses: i32,
}

impl Example for InvitationView {
    fn example() -> Self {
        Self {
            code: INVITATION_CODE.to_owned(),
            expires_at: examples::at(INVITATION_EXPIRES_AT),
            role: Choice::of(OrgRole::Member),
            max_uses: 10,
        }
    }
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
    Created(
        Json<InvitationView>,
        /// Where the invited can read what they are invited to.
        #[oai(header = "Location")]
        String,
    ),
}

/// What an invitation code invites to, for the person who holds it.
#[derive(Debug, Object)]
#[oai(example)]
pub struct InvitationPreview {
    /// The organisation it joins.
    pub org_id: Uuid,
    /// The organisation's name.
    pub org_name: String,
    pub role: Choice<OrgRole>,
    /// The team it joins too, if it names one.
    #[oai(nullable)]
    pub team_id: Option<Uuid>,
    /// When the code stops working.
    pub expires_at: Timestamp,
}

impl Example for InvitationPreview {
    fn example() -> Self {
        Self {
            org_id: examples::ORG,
            org_name: examples::ORG_NAME.to_owned(),
            role: Choice::of(OrgRole::Member),
            team_id: Some(examples::TEAM),
            expires_at: examples::at(INVITATION_EXPIRES_AT),
        }
    }
}

#[derive(ApiResponse)]
pub enum InvitationPreviewResponse {
    /// What the code invites to.
    #[oai(status = 200)]
    Ok(Json<InvitationPreview>),
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
        let days = body.working_days.as_ref().map(Weekdays::numbers);
        let working_days = fields.check(
            "working_days",
            WeekdaySet::parse(days.as_deref().unwrap_or(&org::DEFAULT_WORKING_DAYS)),
        );
        let (Some(name), Some(timezone), Some(working_days)) = (name, timezone, working_days)
        else {
            return Err(fields.into_error().into());
        };
        let new_org = NewOrg {
            name,
            timezone,
            working_days,
        };
        let mut unit = begin(&state, Lock::Person(auth.0.id)).await?;
        let created = service::orgs::create(&mut unit, auth.0.id, new_org).await?;
        unit.commit().await?;
        let location = format!("/v1/orgs/{}", created.id);
        Ok(CreateOrgResponse::Created(
            Json(org_view(created, OrgRole::Owner)),
            location,
        ))
    }

    /// List my organisations
    ///
    /// The organisations the caller belongs to, with the caller's role in
    /// each, paged with `limit` (default 50, at most 200) and `cursor`.
    #[oai(path = "/v1/orgs", method = "get", operation_id = "list_orgs")]
    async fn list(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// Page size, 1 to 200 (default 50).
        limit: Query<Option<Limit>>,
        /// The `next_cursor` of the previous page; the first page when empty
        /// or left out.
        cursor: Query<Option<String>>,
    ) -> Result<OrgListResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | UNPROCESSABLE }>> {
        let page = PageRequest::<Uuid>::parse(ORG_CURSOR, limit.0, cursor.0.as_deref())?;
        let rows = store::orgs::of_user(&state.reader, auth.0.id, page.after, page.rows()).await?;
        let (rows, next_cursor) = page.page(rows, |(org, _)| org.id);
        let items = rows
            .into_iter()
            .map(|(org, role)| org_view(org, role))
            .collect();
        Ok(OrgListResponse::Ok(Json(OrgList { items, next_cursor })))
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
    ) -> Result<OrgResponse, Problem<{ UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>> {
        let role = access::org(&state.reader, org_id.0, auth.0.id, OrgAction::Read).await?;
        let found = store::orgs::find(&state.reader, org_id.0)
            .await?
            .ok_or_else(|| ApiError::not_found("organisation"))?;
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
        let timezone = fields.check_optional("timezone", body.timezone.as_deref(), parse_timezone);
        let working_days = fields.check_optional(
            "working_days",
            body.working_days.as_ref().map(Weekdays::numbers).as_deref(),
            WeekdaySet::parse,
        );
        let min_group_size = fields.check_optional(
            "min_group_size",
            body.min_group_size.map(Int::get),
            org::parse_min_group_size,
        );
        let (Some(name), Some(timezone), Some(working_days), Some(min_group_size)) =
            (name, timezone, working_days, min_group_size)
        else {
            return Err(fields.into_error().into());
        };
        let changes = OrgChanges {
            name,
            timezone,
            working_days,
            min_group_size,
            team_leaderboard_enabled: body.team_leaderboard_enabled,
        };
        let mut unit = begin(&state, Lock::Org(org_id.0)).await?;
        let role = access::org(unit.txn(), org_id.0, auth.0.id, OrgAction::Update).await?;
        let updated = service::orgs::update(&mut unit, org_id.0, changes).await?;
        unit.commit().await?;
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
        limit: Query<Option<Limit>>,
        /// The `next_cursor` of the previous page; the first page when empty
        /// or left out.
        cursor: Query<Option<String>>,
    ) -> Result<
        MemberListResponse,
        Problem<{ BAD_REQUEST | UNAUTHORIZED | FORBIDDEN | NOT_FOUND | UNPROCESSABLE }>,
    > {
        let page = PageRequest::<Uuid>::parse(MEMBER_CURSOR, limit.0, cursor.0.as_deref())?;
        access::org(&state.reader, org_id.0, auth.0.id, OrgAction::ListMembers).await?;
        let rows = store::orgs::members(&state.reader, org_id.0, page.after, page.rows()).await?;
        let (rows, next_cursor) = page.page(rows, |(member, _)| member.user_id);
        let items = rows
            .into_iter()
            .map(|(member, name)| member_view(member, name))
            .collect();
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
        let Some(role) = fields.check("role", body.role.parse()) else {
            return Err(fields.into_error().into());
        };
        let mut unit = begin(&state, Lock::Org(org_id.0)).await?;
        let caller = access::org(unit.txn(), org_id.0, auth.0.id, OrgAction::ChangeRole).await?;
        let member =
            service::orgs::change_role(&mut unit, org_id.0, caller, user_id.0, role).await?;
        let name = store::users::display_name(unit.txn(), member.user_id).await?;
        unit.commit().await?;
        Ok(MemberResponse::Ok(Json(member_view(member, name))))
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
    ) -> Result<Deleted, Problem<{ UNAUTHORIZED | FORBIDDEN | NOT_FOUND | CONFLICT | UNPROCESSABLE }>>
    {
        let action = if user_id.0 == auth.0.id {
            OrgAction::Read
        } else {
            OrgAction::RemoveMember
        };
        let mut unit = begin(&state, Lock::Org(org_id.0)).await?;
        let caller = access::org(unit.txn(), org_id.0, auth.0.id, action).await?;
        service::orgs::remove_member(&mut unit, org_id.0, (auth.0.id, caller), user_id.0).await?;
        unit.commit().await?;
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
        let role = fields.check("role", body.role.parse());
        let days = fields.check(
            "expires_in_days",
            org::parse_expires_in_days(
                body.expires_in_days
                    .map_or(org::INVITATION_DEFAULT_DAYS, Int::get),
            ),
        );
        let max_uses = fields.check(
            "max_uses",
            org::parse_max_uses(body.max_uses.map_or(1, Int::get)),
        );
        let (Some(role), Some(expires_in_days), Some(max_uses)) = (role, days, max_uses) else {
            return Err(fields.into_error().into());
        };
        let terms = InvitationTerms {
            role,
            team_id: body.team_id,
            max_uses,
            expires_in_days,
        };
        let mut unit = begin(&state, Lock::Person(auth.0.id)).await?;
        let caller = access::org(unit.txn(), org_id.0, auth.0.id, OrgAction::Invite).await?;
        let (invitation, code) =
            service::orgs::invite(&mut unit, org_id.0, (auth.0.id, caller), terms).await?;
        unit.commit().await?;
        let location = format!("/v1/invitations/{code}");
        Ok(InvitationResponse::Created(
            Json(InvitationView {
                code,
                expires_at: invitation.expires_at.into(),
                role: Choice::of(invitation.role),
                max_uses: invitation.max_uses,
            }),
            location,
        ))
    }

    /// Read an invitation
    ///
    /// What a code invites to (the organisation, the role, the team), for
    /// any signed-in person who holds it, before they accept it. A code
    /// that is unknown, expired or used up is 404, as for accepting.
    #[oai(
        path = "/v1/invitations/:code",
        method = "get",
        operation_id = "get_invitation"
    )]
    async fn preview(
        &self,
        _auth: BearerAuth,
        state: Data<&AppState>,
        /// The invitation code.
        code: Path<String>,
    ) -> Result<InvitationPreviewResponse, Problem<{ UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>>
    {
        let invitation =
            service::orgs::usable_invitation(&state.reader, &code.0, state.clock.now()).await?;
        let org = store::orgs::find(&state.reader, invitation.org_id)
            .await?
            .ok_or_else(|| ApiError::not_found("invitation"))?;
        Ok(InvitationPreviewResponse::Ok(Json(InvitationPreview {
            org_id: org.id,
            org_name: org.name,
            role: Choice::of(invitation.role),
            team_id: invitation.team_id,
            expires_at: invitation.expires_at.into(),
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
    ) -> Result<AcceptResponse, Problem<{ UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>> {
        let now = state.clock.now();
        let invitation = service::orgs::usable_invitation(&state.reader, &code.0, now).await?;
        let mut unit = begin(&state, Lock::Org(invitation.org_id)).await?;
        let (joined, role) = service::orgs::accept(&mut unit, &invitation, auth.0.id).await?;
        unit.commit().await?;
        Ok(AcceptResponse::Ok(Json(org_view(joined, role))))
    }
}

const MEMBER_CURSOR: &str = "member";
const ORG_CURSOR: &str = "org";

fn org_view(org: Org, role: OrgRole) -> OrgView {
    OrgView {
        id: org.id,
        name: org.name,
        timezone: org.timezone.name().to_owned(),
        working_days: org.working_days.into(),
        min_group_size: org.min_group_size,
        team_leaderboard_enabled: org.team_leaderboard_enabled,
        role: Choice::of(role),
        created_at: org.created_at.into(),
    }
}

fn member_view(member: Membership, name: String) -> MemberView {
    MemberView {
        user_id: member.user_id,
        display_name: name,
        role: Choice::of(member.role),
        joined_at: member.joined_at.into(),
    }
}
