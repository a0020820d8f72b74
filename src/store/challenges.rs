//! Challenges, and the counts their progress is made of.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{acts, challenges, check_ins, habits, org_members, team_members};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationTrait, Set,
    sea_query::{Expr, ExprTrait, SelectStatement},
};
use uuid::Uuid;

use super::{WriteTxn, named};
use crate::domain::{challenge::Metric, names::Named};

/// A challenge, as stored.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub id: Uuid,
    pub org_id: Uuid,
    /// `None`: the whole organisation's.
    pub team_id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    pub metric: Metric,
    pub target: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// When an `acts` challenge first reached its target.
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<challenges::Model> for Challenge {
    type Error = DbErr;

    fn try_from(row: challenges::Model) -> Result<Self, DbErr> {
        Ok(Self {
            metric: named("challenges.metric", &row.metric)?,
            id: row.id,
            org_id: row.org_id,
            team_id: row.team_id,
            title: row.title,
            description: row.description,
            target: row.target,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            completed_at: row.completed_at,
            created_at: row.created_at,
        })
    }
}

/// A challenge to set.
#[derive(Debug, Clone)]
pub struct NewChallenge {
    pub org_id: Uuid,
    pub team_id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    pub metric: Metric,
    pub target: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

pub async fn insert(
    txn: &WriteTxn,
    challenge: NewChallenge,
    now: DateTime<Utc>,
) -> Result<Challenge, DbErr> {
    challenges::ActiveModel {
        id: Set(Uuid::now_v7()),
        org_id: Set(challenge.org_id),
        team_id: Set(challenge.team_id),
        title: Set(challenge.title),
        description: Set(challenge.description),
        metric: Set(challenge.metric.as_str().to_owned()),
        target: Set(challenge.target),
        starts_on: Set(challenge.starts_on),
        ends_on: Set(challenge.ends_on),
        completed_at: Set(None),
        created_at: Set(now),
    }
    .insert(txn)
    .await?
    .try_into()
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Challenge>, DbErr> {
    super::one(db, challenges::Entity::find_by_id(id)).await
}

/// The organisation's challenges in the person's scope (the organisation's
/// own, and those of the teams they are in), newest first, after the
/// challenge `after`.
pub async fn in_scope(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Challenge>, DbErr> {
    let mut query = challenges::Entity::find()
        .filter(challenges::Column::OrgId.eq(org_id))
        .filter(
            Condition::any()
                .add(challenges::Column::TeamId.is_null())
                .add(challenges::Column::TeamId.in_subquery(teams_of_person(user_id))),
        );
    if let Some(after) = after {
        query = query.filter(challenges::Column::Id.lt(after));
    }
    super::all(db, query.order_by_desc(challenges::Column::Id).limit(limit)).await
}

/// The team's own challenges running on `today`, the earliest ending first.
pub async fn active_of_team(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    today: NaiveDate,
) -> Result<Vec<Challenge>, DbErr> {
    let query = challenges::Entity::find()
        .filter(challenges::Column::TeamId.eq(team_id))
        .filter(challenges::Column::EndsOn.gte(today))
        .filter(challenges::Column::StartsOn.lte(today))
        .order_by_asc(challenges::Column::EndsOn)
        .order_by_asc(challenges::Column::Id);
    super::all(db, query).await
}

/// The `acts` challenges not yet completed that an act of the team on
/// `date` counts toward, in id order (the order their rows are locked in).
pub async fn awaiting_acts(
    txn: &WriteTxn,
    org_id: Uuid,
    team_id: Uuid,
    date: NaiveDate,
) -> Result<Vec<Challenge>, DbErr> {
    let query = challenges::Entity::find()
        .filter(challenges::Column::OrgId.eq(org_id))
        .filter(
            Condition::any()
                .add(challenges::Column::TeamId.is_null())
                .add(challenges::Column::TeamId.eq(team_id)),
        )
        .filter(challenges::Column::Metric.eq(Metric::Acts.as_str()))
        .filter(challenges::Column::CompletedAt.is_null())
        .filter(challenges::Column::StartsOn.lte(date))
        .filter(challenges::Column::EndsOn.gte(date))
        .order_by_asc(challenges::Column::Id);
    super::all(txn, query).await
}

/// Takes the challenge's row lock ([`super::write::lock_row`]), so that
/// what is counted after it includes every act committed by a write that
/// held it before: of two acts at once, the later to count sees the other.
pub async fn lock(txn: &WriteTxn, id: Uuid) -> Result<(), DbErr> {
    use challenges::Column;
    super::write::lock_row::<challenges::Entity>(txn, Column::Id, Column::CompletedAt, id).await?;
    Ok(())
}

/// The advisory lock space of challenges being set, by organisation.
const NEW_CHALLENGES: i32 = 1;

/// Held while a challenge is set in the organisation, until it commits.
pub async fn hold_for_new(txn: &WriteTxn, org_id: Uuid) -> Result<(), DbErr> {
    super::write::advisory_lock(txn, NEW_CHALLENGES, org_id, false).await
}

/// Waits for any challenge being set in the organisation to commit (see
/// [`hold_for_new`]), so that an act posted meanwhile finds it, or the
/// challenge's own count finds the act; acts take this side by side.
pub async fn wait_for_new(txn: &WriteTxn, org_id: Uuid) -> Result<(), DbErr> {
    super::write::advisory_lock(txn, NEW_CHALLENGES, org_id, true).await
}

/// Records the challenge's completion at `now`, unless it has one.
pub async fn complete(txn: &WriteTxn, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let done = challenges::Entity::update_many()
        .col_expr(challenges::Column::CompletedAt, Expr::value(now))
        .filter(challenges::Column::Id.eq(id))
        .filter(challenges::Column::CompletedAt.is_null())
        .exec(txn)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The `team`-visible acts and kudos, not withdrawn, of the challenge's
/// scope between its dates.
pub async fn acts_count(db: &impl ConnectionTrait, challenge: &Challenge) -> Result<u64, DbErr> {
    let scope = match challenge.team_id {
        Some(team_id) => acts::Column::TeamId.eq(team_id),
        None => acts::Column::TeamId.in_subquery(super::teams::teams_of(challenge.org_id)),
    };
    acts::Entity::find()
        .filter(scope)
        .filter(super::acts::shared_between(
            challenge.starts_on,
            challenge.ends_on,
        ))
        .count(db)
        .await
}

/// When each of the person's complete habit days between the challenge's
/// dates was last recorded.
pub async fn complete_days_of(
    db: &impl ConnectionTrait,
    challenge: &Challenge,
    user_id: Uuid,
) -> Result<Vec<DateTime<Utc>>, DbErr> {
    complete_days(challenge)
        .select_only()
        .column(check_ins::Column::UpdatedAt)
        .filter(habits::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await
}

/// How many people in the challenge's scope (now) have at least `target`
/// complete habit days between its dates.
pub async fn completers(db: &impl ConnectionTrait, challenge: &Challenge) -> Result<u64, DbErr> {
    let people = match challenge.team_id {
        Some(team_id) => team_members::Entity::find()
            .select_only()
            .column(team_members::Column::UserId)
            .filter(team_members::Column::TeamId.eq(team_id))
            .into_query(),
        None => org_members::Entity::find()
            .select_only()
            .column(org_members::Column::UserId)
            .filter(org_members::Column::OrgId.eq(challenge.org_id))
            .into_query(),
    };
    let completed: Vec<Uuid> = complete_days(challenge)
        .select_only()
        .column(habits::Column::UserId)
        .filter(habits::Column::UserId.in_subquery(people))
        .group_by(habits::Column::UserId)
        .having(
            Expr::col((check_ins::Entity, check_ins::Column::Id))
                .count()
                .gte(challenge.target),
        )
        .into_tuple()
        .all(db)
        .await?;
    Ok(completed.len() as u64)
}

/// Check-ins that complete their habit's day, between the challenge's dates.
/// Callers choose whose through `habits.user_id`, so that the query walks
/// the people's habits (by `habits_user_id_sync_seq_idx`) and each habit's
/// range of `check_ins_habit_id_local_date_key`, rather than every
/// check-in of a person or of the range.
fn complete_days(challenge: &Challenge) -> sea_orm::Select<check_ins::Entity> {
    check_ins::Entity::find()
        .join(JoinType::InnerJoin, check_ins::Relation::Habit.def())
        .filter(check_ins::Column::LocalDate.between(challenge.starts_on, challenge.ends_on))
        .filter(
            Expr::col((check_ins::Entity, check_ins::Column::Count))
                .gte(Expr::col((habits::Entity, habits::Column::TargetPerDay))),
        )
}

/// The teams the person is a member of.
fn teams_of_person(user_id: Uuid) -> SelectStatement {
    team_members::Entity::find()
        .select_only()
        .column(team_members::Column::TeamId)
        .filter(team_members::Column::UserId.eq(user_id))
        .into_query()
}
