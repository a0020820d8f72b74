//! Organisations, memberships and invitations.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{invitations, org_members, organisations};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, ModelTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::domain::access::OrgRole;

pub struct NewOrg {
    pub name: String,
    pub timezone: String,
    pub working_days: String,
}

/// Creates the organisation with `owner` as its first member and owner.
pub async fn create(
    db: &impl ConnectionTrait,
    org: NewOrg,
    owner: Uuid,
    now: DateTime<Utc>,
) -> Result<organisations::Model, DbErr> {
    let org = organisations::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(org.name),
        timezone: Set(org.timezone),
        working_days: Set(org.working_days),
        min_group_size: Set(crate::domain::org::DEFAULT_MIN_GROUP_SIZE),
        team_leaderboard_enabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    add_member(db, org.id, owner, OrgRole::Owner, now).await?;
    Ok(org)
}

pub async fn find(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<organisations::Model>, DbErr> {
    organisations::Entity::find_by_id(id).one(db).await
}

/// The person's organisations with their role in each, oldest membership
/// first.
pub async fn of_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<(organisations::Model, String)>, DbErr> {
    let memberships = org_members::Entity::find()
        .filter(org_members::Column::UserId.eq(user_id))
        .order_by_asc(org_members::Column::JoinedAt)
        .all(db)
        .await?;
    let mut orgs: HashMap<Uuid, organisations::Model> = organisations::Entity::find()
        .filter(organisations::Column::Id.is_in(memberships.iter().map(|m| m.org_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|org| (org.id, org))
        .collect();
    Ok(memberships
        .into_iter()
        .filter_map(|m| orgs.remove(&m.org_id).map(|org| (org, m.role)))
        .collect())
}

pub async fn membership(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Option<org_members::Model>, DbErr> {
    org_members::Entity::find_by_id((org_id, user_id))
        .one(db)
        .await
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
    db: &impl ConnectionTrait,
    org_id: Uuid,
    user_id: Uuid,
    role: OrgRole,
    now: DateTime<Utc>,
) -> Result<org_members::Model, DbErr> {
    org_members::ActiveModel {
        org_id: Set(org_id),
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        joined_at: Set(now),
    }
    .insert(db)
    .await
}

/// A page of members with their display names, in user-id order, after
/// `after` when paging on.
pub async fn members(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<(org_members::Model, String)>, DbErr> {
    let mut query = org_members::Entity::find().filter(org_members::Column::OrgId.eq(org_id));
    if let Some(after) = after {
        query = query.filter(org_members::Column::UserId.gt(after));
    }
    let rows = query
        .order_by_asc(org_members::Column::UserId)
        .limit(limit)
        .all(db)
        .await?;
    let names = super::users::display_names(db, rows.iter().map(|row| row.user_id)).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let name = names.get(&row.user_id).cloned().unwrap_or_default();
            (row, name)
        })
        .collect())
}

pub async fn owner_count(db: &impl ConnectionTrait, org_id: Uuid) -> Result<u64, DbErr> {
    org_members::Entity::find()
        .filter(org_members::Column::OrgId.eq(org_id))
        .filter(org_members::Column::Role.eq(OrgRole::Owner.as_str()))
        .count(db)
        .await
}

pub async fn set_role(
    db: &impl ConnectionTrait,
    member: org_members::Model,
    role: OrgRole,
) -> Result<org_members::Model, DbErr> {
    let mut member: org_members::ActiveModel = member.into();
    member.role = Set(role.as_str().to_owned());
    member.update(db).await
}

pub async fn remove_member(
    db: &impl ConnectionTrait,
    member: org_members::Model,
) -> Result<(), DbErr> {
    member.delete(db).await?;
    Ok(())
}

/// Begins a write that holds the organisation's row lock, so that changes to
/// its members run one at a time (it must always keep an owner).
pub async fn begin_org_write(
    db: &DatabaseConnection,
    org_id: Uuid,
) -> Result<DatabaseTransaction, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    organisations::Entity::update_many()
        .col_expr(
            organisations::Column::UpdatedAt,
            Expr::col(organisations::Column::UpdatedAt),
        )
        .filter(organisations::Column::Id.eq(org_id))
        .exec(&txn)
        .await?;
    Ok(txn)
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
    db: &impl ConnectionTrait,
    invitation: NewInvitation,
    now: DateTime<Utc>,
) -> Result<invitations::Model, DbErr> {
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
    .insert(db)
    .await
}

/// The invitation with this code hash, while it is unexpired and not used up.
pub async fn usable_invitation(
    db: &impl ConnectionTrait,
    code_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<invitations::Model>, DbErr> {
    Ok(invitations::Entity::find()
        .filter(invitations::Column::CodeHash.eq(code_hash))
        .one(db)
        .await?
        .filter(|invitation| invitation.expires_at > now && invitation.uses < invitation.max_uses))
}

/// Takes one use of the invitation; false when it was used up meanwhile.
pub async fn use_invitation(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, DbErr> {
    let result = invitations::Entity::update_many()
        .col_expr(
            invitations::Column::Uses,
            Expr::col(invitations::Column::Uses).add(1),
        )
        .filter(invitations::Column::Id.eq(id))
        .filter(Expr::col(invitations::Column::Uses).lt(Expr::col(invitations::Column::MaxUses)))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub struct OrgChanges {
    pub name: Option<String>,
    pub timezone: Option<String>,
    pub working_days: Option<String>,
    pub min_group_size: Option<i32>,
    pub team_leaderboard_enabled: Option<bool>,
}

pub async fn update(
    db: &impl ConnectionTrait,
    org: organisations::Model,
    changes: OrgChanges,
    now: DateTime<Utc>,
) -> Result<organisations::Model, DbErr> {
    let mut org: organisations::ActiveModel = org.into();
    if let Some(name) = changes.name {
        org.name = Set(name);
    }
    if let Some(timezone) = changes.timezone {
        org.timezone = Set(timezone);
    }
    if let Some(days) = changes.working_days {
        org.working_days = Set(days);
    }
    if let Some(size) = changes.min_group_size {
        org.min_group_size = Set(size);
    }
    if let Some(enabled) = changes.team_leaderboard_enabled {
        org.team_leaderboard_enabled = Set(enabled);
    }
    org.updated_at = Set(now);
    org.update(db).await
}
