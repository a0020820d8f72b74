//! Teams and their members.

use chrono::{DateTime, Utc};
use entity::{team_members, teams};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, ModelTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set, sea_query::Expr,
};
use uuid::Uuid;

use super::{WriteTxn, named};
use crate::domain::{access::TeamRole, names::Named};

/// A team, as stored (its columns need no reading back).
pub type Team = teams::Model;

/// A person's membership of a team.
#[derive(Debug, Clone)]
pub struct TeamMembership {
    pub team_id: Uuid,
    pub user_id: Uuid,
    pub role: TeamRole,
    pub joined_at: DateTime<Utc>,
}

impl TryFrom<team_members::Model> for TeamMembership {
    type Error = DbErr;

    fn try_from(row: team_members::Model) -> Result<Self, DbErr> {
        Ok(Self {
            role: named("team_members.role", &row.role)?,
            team_id: row.team_id,
            user_id: row.user_id,
            joined_at: row.joined_at,
        })
    }
}

pub struct TeamFields {
    pub name: String,
    pub daily_act_threshold: i32,
    pub weekly_goal: Option<i32>,
}

pub async fn create(
    txn: &WriteTxn,
    org_id: Uuid,
    fields: TeamFields,
    now: DateTime<Utc>,
) -> Result<Team, DbErr> {
    teams::ActiveModel {
        id: Set(Uuid::now_v7()),
        org_id: Set(org_id),
        name: Set(fields.name),
        daily_act_threshold: Set(fields.daily_act_threshold),
        weekly_goal: Set(fields.weekly_goal),
        acts_revision: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Team>, DbErr> {
    super::row(db, teams::Entity::find_by_id(id)).await
}

/// The organisation's teams, oldest first.
/// A page of the organisation's teams in id (creation) order, after
/// `after`.
pub async fn of_org(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Team>, DbErr> {
    let mut query = teams::Entity::find().filter(teams::Column::OrgId.eq(org_id));
    if let Some(after) = after {
        query = query.filter(teams::Column::Id.gt(after));
    }
    query
        .order_by_asc(teams::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

pub async fn update(
    txn: &WriteTxn,
    team: Team,
    fields: TeamFields,
    now: DateTime<Utc>,
) -> Result<Team, DbErr> {
    let mut team: teams::ActiveModel = team.into();
    team.name = Set(fields.name);
    team.daily_act_threshold = Set(fields.daily_act_threshold);
    team.weekly_goal = Set(fields.weekly_goal);
    team.updated_at = Set(now);
    team.update(txn).await
}

/// Deletes the team, its memberships, acts and kudos with it; the people
/// who were its members, or `None` when it was gone already.
pub async fn delete(txn: &WriteTxn, team: Team) -> Result<Option<Vec<Uuid>>, DbErr> {
    let members = team_members::Entity::delete_many()
        .filter(team_members::Column::TeamId.eq(team.id))
        .exec_with_returning(txn)
        .await?;
    if team.delete(txn).await?.rows_affected == 0 {
        return Ok(None);
    }
    Ok(Some(
        members.into_iter().map(|member| member.user_id).collect(),
    ))
}

pub async fn membership(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    user_id: Uuid,
) -> Result<Option<TeamMembership>, DbErr> {
    super::one(db, team_members::Entity::find_by_id((team_id, user_id))).await
}

/// The ids of the team's members.
pub async fn member_ids(db: &impl ConnectionTrait, team_id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    team_members::Entity::find()
        .select_only()
        .column(team_members::Column::UserId)
        .filter(team_members::Column::TeamId.eq(team_id))
        .into_tuple()
        .all(db)
        .await
}

/// A page of the members with their display names, in user-id order,
/// after `after`.
pub async fn members(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<(TeamMembership, String)>, DbErr> {
    let mut members = team_members::Entity::find().filter(team_members::Column::TeamId.eq(team_id));
    if let Some(after) = after {
        members = members.filter(team_members::Column::UserId.gt(after));
    }
    let members = members
        .order_by_asc(team_members::Column::UserId)
        .limit(limit);
    let rows = super::all(db, members).await?;
    super::users::with_names(db, rows, |member: &TeamMembership| member.user_id).await
}

/// What putting a person into a team with a role did.
pub enum Put {
    /// They joined the team.
    Joined(TeamMembership),
    /// They were in it with another role, now changed.
    RoleChanged {
        member: TeamMembership,
        from: TeamRole,
    },
    /// They were in it with this role already.
    Unchanged(TeamMembership),
}

/// Adds the person to the team with `role`, or changes their team role.
pub async fn put_member(
    txn: &WriteTxn,
    team_id: Uuid,
    user_id: Uuid,
    role: TeamRole,
    now: DateTime<Utc>,
) -> Result<Put, DbErr> {
    match membership(txn, team_id, user_id).await? {
        Some(existing) if existing.role == role => Ok(Put::Unchanged(existing)),
        Some(existing) => {
            team_members::Entity::update_many()
                .col_expr(team_members::Column::Role, Expr::value(role.as_str()))
                .filter(team_members::Column::TeamId.eq(team_id))
                .filter(team_members::Column::UserId.eq(user_id))
                .exec(txn)
                .await?;
            Ok(Put::RoleChanged {
                from: existing.role,
                member: TeamMembership { role, ..existing },
            })
        }
        None => {
            let row = team_members::ActiveModel {
                team_id: Set(team_id),
                user_id: Set(user_id),
                role: Set(role.as_str().to_owned()),
                joined_at: Set(now),
            }
            .insert(txn)
            .await?;
            Ok(Put::Joined(row.try_into()?))
        }
    }
}

/// Takes the person out of the team; `false` when they were not in it.
pub async fn remove_member(txn: &WriteTxn, team_id: Uuid, user_id: Uuid) -> Result<bool, DbErr> {
    let removed = team_members::Entity::delete_by_id((team_id, user_id))
        .exec(txn)
        .await?;
    Ok(removed.rows_affected == 1)
}

/// Takes the person out of every team of the organisation (when they leave
/// it or are removed); the teams they left.
pub async fn leave_all_of_org(
    txn: &WriteTxn,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<Uuid>, DbErr> {
    Ok(team_members::Entity::delete_many()
        .filter(team_members::Column::UserId.eq(user_id))
        .filter(team_members::Column::TeamId.in_subquery(teams_of(org_id)))
        .exec_with_returning(txn)
        .await?
        .into_iter()
        .map(|member| member.team_id)
        .collect())
}

/// Every team of the organisation with its name and how many members it
/// has now.
pub async fn member_counts(
    db: &impl ConnectionTrait,
    org_id: Uuid,
) -> Result<Vec<(Uuid, String, i64)>, DbErr> {
    teams::Entity::find()
        .select_only()
        .column(teams::Column::Id)
        .column(teams::Column::Name)
        .column_as(team_members::Column::UserId.count(), "members")
        .join(
            JoinType::LeftJoin,
            teams::Entity::belongs_to(team_members::Entity)
                .from(teams::Column::Id)
                .to(team_members::Column::TeamId)
                .into(),
        )
        .filter(teams::Column::OrgId.eq(org_id))
        .group_by(teams::Column::Id)
        .group_by(teams::Column::Name)
        .into_tuple()
        .all(db)
        .await
}

/// The ids of the organisation's teams, as a subquery.
pub(super) fn teams_of(org_id: Uuid) -> sea_orm::sea_query::SelectStatement {
    teams::Entity::find()
        .select_only()
        .column(teams::Column::Id)
        .filter(teams::Column::OrgId.eq(org_id))
        .into_query()
}
