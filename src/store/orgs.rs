//! Organisations, memberships and invitations.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use entity::{invitations, org_members, organisations};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{WriteTxn, named, weekdays_column, weekdays_from_column};
use crate::domain::{
    access::OrgRole, account::parse_timezone, calendar::local_today, names::Named,
    org::DEFAULT_MIN_GROUP_SIZE, streak::WeekdaySet,
};

/// An organisation's settings.
#[derive(Debug, Clone)]
pub struct Org {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    /// When a setting last changed.
    pub updated_at: DateTime<Utc>,
    pub name: String,
    pub timezone: Tz,
    pub working_days: WeekdaySet,
    pub min_group_size: i32,
    pub team_leaderboard_enabled: bool,
}

impl Org {
    /// The organisation's local date at `instant`: its days turn at its
    /// own midnight.
    pub fn date_at(&self, instant: DateTime<Utc>) -> NaiveDate {
        local_today(instant, self.timezone, 0)
    }
}

impl TryFrom<organisations::Model> for Org {
    type Error = DbErr;

    fn try_from(row: organisations::Model) -> Result<Self, DbErr> {
        Ok(Self {
            timezone: parse_timezone(&row.timezone).map_err(|_| {
                DbErr::Type(format!("organisations.timezone holds {:?}", row.timezone))
            })?,
            working_days: weekdays_from_column("organisations.working_days", &row.working_days)?,
            id: row.id,
            name: row.name,
            min_group_size: row.min_group_size,
            team_leaderboard_enabled: row.team_leaderboard_enabled,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// A person's membership of an organisation.
#[derive(Debug, Clone)]
pub struct Membership {
    pub org_id: Uuid,
    pub user_id: Uuid,
    pub role: OrgRole,
    pub joined_at: DateTime<Utc>,
}

impl TryFrom<org_members::Model> for Membership {
    type Error = DbErr;

    fn try_from(row: org_members::Model) -> Result<Self, DbErr> {
        Ok(Self {
            role: named("org_members.role", &row.role)?,
            org_id: row.org_id,
            user_id: row.user_id,
            joined_at: row.joined_at,
        })
    }
}

/// An invitation code's terms (the code itself is stored only as a hash).
#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: Uuid,
    pub org_id: Uuid,
    pub role: OrgRole,
    pub team_id: Option<Uuid>,
    pub max_uses: i32,
    pub expires_at: DateTime<Utc>,
}

impl TryFrom<invitations::Model> for Invitation {
    type Error = DbErr;

    fn try_from(row: invitations::Model) -> Result<Self, DbErr> {
        Ok(Self {
            role: named("invitations.role", &row.role)?,
            id: row.id,
            org_id: row.org_id,
            team_id: row.team_id,
            max_uses: row.max_uses,
            expires_at: row.expires_at,
        })
    }
}

pub struct NewOrg {
    pub name: String,
    pub timezone: Tz,
    pub working_days: WeekdaySet,
}

/// Creates the organisation with `owner` as its first member and owner.
pub async fn create(
    txn: &WriteTxn,
    org: NewOrg,
    owner: Uuid,
    now: DateTime<Utc>,
) -> Result<Org, DbErr> {
    let org: Org = organisations::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(org.name),
        timezone: Set(org.timezone.name().to_owned()),
        working_days: Set(weekdays_column(org.working_days)),
        min_group_size: Set(DEFAULT_MIN_GROUP_SIZE),
        team_leaderboard_enabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?
    .try_into()?;
    add_member(txn, org.id, owner, OrgRole::Owner, now).await?;
    Ok(org)
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Org>, DbErr> {
    super::one(db, organisations::Entity::find_by_id(id)).await
}

/// The person's organisations with their role in each, oldest membership
/// first.
/// A page of the person's organisations with their role in each, in id
/// (creation) order, after `after`.
pub async fn of_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<(Org, OrgRole)>, DbErr> {
    let mut memberships =
        org_members::Entity::find().filter(org_members::Column::UserId.eq(user_id));
    if let Some(after) = after {
        memberships = memberships.filter(org_members::Column::OrgId.gt(after));
    }
    let memberships = memberships
        .order_by_asc(org_members::Column::OrgId)
        .limit(limit)
        .all(db)
        .await?;
    let mut orgs: HashMap<Uuid, organisations::Model> = organisations::Entity::find()
        .filter(organisations::Column::Id.is_in(memberships.iter().map(|m| m.org_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|org| (org.id, org))
        .collect();
    memberships
        .into_iter()
        .filter_map(|m| orgs.remove(&m.org_id).map(|org| (org, m)))
        .map(|(org, m)| Ok((org.try_into()?, Membership::try_from(m)?.role)))
        .collect()
}

pub async fn membership(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Membership>, DbErr> {
    super::one(db, org_members::Entity::find_by_id((org_id, user_id))).await
}

/// Which of these people are members of the organisation.
pub async fn members_among(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    user_ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<Uuid>, DbErr> {
    let user_ids: Vec<Uuid> = user_ids.into_iter().collect();
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    org_members::Entity::find()
        .select_only()
        .column(org_members::Column::UserId)
        .filter(org_members::Column::OrgId.eq(org_id))
        .filter(org_members::Column::UserId.is_in(user_ids))
        .into_tuple()
        .all(db)
        .await
}

pub async fn add_member(
    txn: &WriteTxn,
    org_id: Uuid,
    user_id: Uuid,
    role: OrgRole,
    now: DateTime<Utc>,
) -> Result<Membership, DbErr> {
    org_members::ActiveModel {
        org_id: Set(org_id),
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        joined_at: Set(now),
    }
    .insert(txn)
    .await?
    .try_into()
}

/// A page of members with their display names, in user-id order, after
/// `after` when paging on.
pub async fn members(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<(Membership, String)>, DbErr> {
    let mut query = org_members::Entity::find().filter(org_members::Column::OrgId.eq(org_id));
    if let Some(after) = after {
        query = query.filter(org_members::Column::UserId.gt(after));
    }
    let rows = super::all(
        db,
        query.order_by_asc(org_members::Column::UserId).limit(limit),
    )
    .await?;
    super::users::with_names(db, rows, |member: &Membership| member.user_id).await
}

pub async fn owner_count(db: &impl ConnectionTrait, org_id: Uuid) -> Result<u64, DbErr> {
    org_members::Entity::find()
        .filter(org_members::Column::OrgId.eq(org_id))
        .filter(org_members::Column::Role.eq(OrgRole::Owner.as_str()))
        .count(db)
        .await
}

pub async fn set_role(
    txn: &WriteTxn,
    member: Membership,
    role: OrgRole,
) -> Result<Membership, DbErr> {
    org_members::Entity::update_many()
        .col_expr(org_members::Column::Role, Expr::value(role.as_str()))
        .filter(org_members::Column::OrgId.eq(member.org_id))
        .filter(org_members::Column::UserId.eq(member.user_id))
        .exec(txn)
        .await?;
    Ok(Membership { role, ..member })
}

pub async fn remove_member(txn: &WriteTxn, member: &Membership) -> Result<(), DbErr> {
    org_members::Entity::delete_by_id((member.org_id, member.user_id))
        .exec(txn)
        .await?;
    Ok(())
}

pub struct NewInvitation {
    pub org_id: Uuid,
    pub code_hash: String,
    pub role: OrgRole,
    pub team_id: Option<Uuid>,
    pub max_uses: i32,
    pub expires_at: DateTime<Utc>,
    pub created_by: Uuid,
}

pub async fn insert_invitation(
    txn: &WriteTxn,
    invitation: NewInvitation,
    now: DateTime<Utc>,
) -> Result<Invitation, DbErr> {
    invitations::ActiveModel {
        id: Set(Uuid::now_v7()),
        org_id: Set(invitation.org_id),
        code_hash: Set(invitation.code_hash),
        role: Set(invitation.role.as_str().to_owned()),
        team_id: Set(invitation.team_id),
        max_uses: Set(invitation.max_uses),
        uses: Set(0),
        expires_at: Set(invitation.expires_at),
        created_by: Set(invitation.created_by),
        created_at: Set(now),
    }
    .insert(txn)
    .await?
    .try_into()
}

/// The invitation with this code hash, while it is unexpired and not used up.
pub async fn usable_invitation(
    db: &impl ConnectionTrait,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Invitation>, DbErr> {
    invitations::Entity::find()
        .filter(invitations::Column::CodeHash.eq(code_hash))
        .one(db)
        .await?
        .filter(|invitation| invitation.expires_at > now && invitation.uses < invitation.max_uses)
        .map(Invitation::try_from)
        .transpose()
}

/// Takes one use of the invitation; false when it was used up meanwhile.
pub async fn use_invitation(txn: &WriteTxn, id: Uuid) -> Result<bool, DbErr> {
    let result = invitations::Entity::update_many()
        .col_expr(
            invitations::Column::Uses,
            Expr::col(invitations::Column::Uses).add(1),
        )
        .filter(invitations::Column::Id.eq(id))
        .filter(Expr::col(invitations::Column::Uses).lt(Expr::col(invitations::Column::MaxUses)))
        .exec(txn)
        .await?;
    Ok(result.rows_affected == 1)
}

#[derive(Default)]
pub struct OrgChanges {
    pub name: Option<String>,
    pub timezone: Option<Tz>,
    pub working_days: Option<WeekdaySet>,
    pub min_group_size: Option<i32>,
    pub team_leaderboard_enabled: Option<bool>,
}

/// Applies the changes; the organisation as it then is, or `None` when it
/// is gone.
pub async fn update(
    txn: &WriteTxn,
    org_id: Uuid,
    changes: OrgChanges,
    now: DateTime<Utc>,
) -> Result<Option<Org>, DbErr> {
    let Some(row) = organisations::Entity::find_by_id(org_id).one(txn).await? else {
        return Ok(None);
    };
    let mut org: organisations::ActiveModel = row.into();
    if let Some(name) = changes.name {
        org.name = Set(name);
    }
    if let Some(timezone) = changes.timezone {
        org.timezone = Set(timezone.name().to_owned());
    }
    if let Some(days) = changes.working_days {
        org.working_days = Set(weekdays_column(days));
    }
    if let Some(size) = changes.min_group_size {
        org.min_group_size = Set(size);
    }
    if let Some(enabled) = changes.team_leaderboard_enabled {
        org.team_leaderboard_enabled = Set(enabled);
    }
    org.updated_at = Set(now);
    org.update(txn).await?.try_into().map(Some)
}

/// The organisations the person owns, in id order.
pub async fn owned_by(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<Org>, DbErr> {
    let owned = org_members::Entity::find()
        .select_only()
        .column(org_members::Column::OrgId)
        .filter(org_members::Column::UserId.eq(user_id))
        .filter(org_members::Column::Role.eq(OrgRole::Owner.as_str()))
        .into_query();
    super::all(
        db,
        organisations::Entity::find()
            .filter(organisations::Column::Id.in_subquery(owned))
            .order_by_asc(organisations::Column::Id),
    )
    .await
}

/// Takes the organisation's row lock, as [`super::Lock::Org`] does, inside
/// a write that holds another lock first.
pub async fn lock(txn: &WriteTxn, org_id: Uuid) -> Result<(), DbErr> {
    use organisations::{Column, Entity};
    super::write::lock_row::<Entity>(txn, Column::Id, Column::UpdatedAt, org_id).await?;
    Ok(())
}

/// How many members, and how many owners, the organisation has besides
/// the person.
pub async fn others(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<(u64, u64), DbErr> {
    let others = || {
        org_members::Entity::find()
            .filter(org_members::Column::OrgId.eq(org_id))
            .filter(org_members::Column::UserId.ne(user_id))
    };
    let members = others().count(db).await?;
    let owners = others()
        .filter(org_members::Column::Role.eq(OrgRole::Owner.as_str()))
        .count(db)
        .await?;
    Ok((members, owners))
}

/// Deletes the organisation and, by their foreign keys, everything in it:
/// teams, acts, challenges, memberships and invitations.
pub async fn delete(txn: &WriteTxn, org_id: Uuid) -> Result<(), DbErr> {
    organisations::Entity::delete_by_id(org_id)
        .exec(txn)
        .await?;
    Ok(())
}

/// Withdraws the invitations the person created, which would otherwise
/// keep their id.
pub async fn delete_invitations_by(txn: &WriteTxn, user_id: Uuid) -> Result<(), DbErr> {
    invitations::Entity::delete_many()
        .filter(invitations::Column::CreatedBy.eq(user_id))
        .exec(txn)
        .await?;
    Ok(())
}
