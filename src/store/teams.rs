//! Teams and their members.

use chrono::{DateTime, Utc};
use entity::{team_members, teams};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ModelTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set,
};
use uuid::Uuid;

use crate::domain::access::TeamRole;

pub struct TeamFields {
    pub name: String,
    pub daily_act_threshold: i32,
    pub weekly_goal: Option<i32>,
}

pub async fn create(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    fields: TeamFields,
    now: DateTime<Utc>,
) -> Result<teams::Model, DbErr> {
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
    .insert(db)
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<teams::Model>, DbErr> {
    teams::Entity::find_by_id(id).one(db).await
}

/// The organisation's teams, oldest first.
pub async fn of_org(db: &impl ConnectionTrait, org_id: Uuid) -> Result<Vec<teams::Model>, DbErr> {
    teams::Entity::find()
        .filter(teams::Column::OrgId.eq(org_id))
        .order_by_asc(teams::Column::CreatedAt)
        .order_by_asc(teams::Column::Id)
        .all(db)
        .await
}

pub async fn update(
    db: &impl ConnectionTrait,
    team: teams::Model,
    fields: TeamFields,
    now: DateTime<Utc>,
) -> Result<teams::Model, DbErr> {
    let mut team: teams::ActiveModel = team.into();
    team.name = Set(fields.name);
    team.daily_act_threshold = Set(fields.daily_act_threshold);
    team.weekly_goal = Set(fields.weekly_goal);
    team.updated_at = Set(now);
    team.update(db).await
}

pub async fn delete(db: &impl ConnectionTrait, team: teams::Model) -> Result<(), DbErr> {
    team.delete(db).await?;
    Ok(())
}

pub async fn membership(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    user_id: Uuid,
) -> Result<Option<team_members::Model>, DbErr> {
    team_members::Entity::find_by_id((team_id, user_id))
        .one(db)
        .await
}

/// The members with their display names, earliest first.
pub async fn members(
    db: &impl ConnectionTrait,
    team_id: Uuid,
) -> Result<Vec<(team_members::Model, String)>, DbErr> {
    let rows = team_members::Entity::find()
        .filter(team_members::Column::TeamId.eq(team_id))
        .order_by_asc(team_members::Column::JoinedAt)
        .order_by_asc(team_members::Column::UserId)
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

/// Adds the person to the team with `role`, or changes their team role.
pub async fn put_member(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    user_id: Uuid,
    role: TeamRole,
    now: DateTime<Utc>,
) -> Result<team_members::Model, DbErr> {
    match membership(db, team_id, user_id).await? {
        Some(existing) if existing.role == role.as_str() => Ok(existing),
        Some(existing) => {
            let mut member: team_members::ActiveModel = existing.into();
            member.role = Set(role.as_str().to_owned());
            member.update(db).await
        }
        None => {
            team_members::ActiveModel {
                team_id: Set(team_id),
                user_id: Set(user_id),
                role: Set(role.as_str().to_owned()),
                joined_at: Set(now),
            }
            .insert(db)
            .await
        }
    }
}

pub async fn remove_member(
    db: &impl ConnectionTrait,
    member: team_members::Model,
) -> Result<(), DbErr> {
    member.delete(db).await?;
    Ok(())
}

/// Takes the person out of every team of the organisation (when they leave
/// it or are removed).
pub async fn leave_all_of_org(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<(), DbErr> {
    team_members::Entity::delete_many()
        .filter(team_members::Column::UserId.eq(user_id))
        .filter(
            team_members::Column::TeamId.in_subquery(
                teams::Entity::find()
                    .select_only()
                    .column(teams::Column::Id)
                    .filter(teams::Column::OrgId.eq(org_id))
                    .into_query(),
            ),
        )
        .exec(db)
        .await?;
    Ok(())
}
