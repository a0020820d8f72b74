//! Acts of kindness and kudos, their recipients and thanks. Withdrawing an
//! act erases its message and recipients but keeps the row as a tombstone.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use entity::{act_recipients, acts, teams};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationDef, Set,
    sea_query::{Expr, ExprTrait, Func},
};
use uuid::Uuid;

use super::{WriteTxn, named};
use crate::domain::{
    act::{ActFields, Category, Kind, Visibility},
    names::Named,
};

/// An act of kindness or kudos, as stored. A withdrawn one is a tombstone:
/// its message is empty and its recipients are gone.
#[derive(Debug, Clone)]
pub struct Act {
    pub id: Uuid,
    pub team_id: Uuid,
    /// `None` once the author deleted their account.
    pub author_id: Option<Uuid>,
    pub kind: Kind,
    pub category: Category,
    pub message: String,
    pub visibility: Visibility,
    /// The organisation's local date it was logged on.
    pub local_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl TryFrom<acts::Model> for Act {
    type Error = DbErr;

    fn try_from(row: acts::Model) -> Result<Self, DbErr> {
        Ok(Self {
            kind: named("acts.kind", &row.kind)?,
            category: named("acts.category", &row.category)?,
            visibility: named("acts.visibility", &row.visibility)?,
            id: row.id,
            team_id: row.team_id,
            author_id: row.author_id,
            message: row.message,
            local_date: row.local_date,
            created_at: row.created_at,
            withdrawn_at: row.withdrawn_at,
        })
    }
}

/// A position in a newest-first list: after the row created at `created_at`
/// with id `id`. Timestamps are stored to the microsecond (the clock
/// truncates), so the position names a row's `created_at` exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}_{}", self.created_at.timestamp_micros(), self.id)
    }
}

impl std::str::FromStr for Position {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        let (micros, id) = text.split_once('_').ok_or(())?;
        let micros: i64 = micros.parse().map_err(|_| ())?;
        Ok(Self {
            created_at: DateTime::from_timestamp_micros(micros).ok_or(())?,
            id: id.parse().map_err(|_| ())?,
        })
    }
}

/// Rows older than `after`, in (created_at, id) order.
fn older_than(created_at: impl ColumnTrait, id: impl ColumnTrait, after: Position) -> Condition {
    Condition::any().add(created_at.lt(after.created_at)).add(
        Condition::all()
            .add(created_at.eq(after.created_at))
            .add(id.lt(after.id)),
    )
}

pub struct NewAct {
    pub id: Uuid,
    pub team_id: Uuid,
    pub author_id: Uuid,
    pub fields: ActFields,
    pub local_date: NaiveDate,
}

pub async fn insert(txn: &WriteTxn, act: NewAct, now: DateTime<Utc>) -> Result<Act, DbErr> {
    let fields = act.fields;
    let row = acts::ActiveModel {
        id: Set(act.id),
        team_id: Set(act.team_id),
        author_id: Set(Some(act.author_id)),
        kind: Set(fields.kind.as_str().to_owned()),
        category: Set(fields.category.as_str().to_owned()),
        message: Set(fields.message),
        visibility: Set(fields.visibility.as_str().to_owned()),
        local_date: Set(act.local_date),
        created_at: Set(now),
        withdrawn_at: Set(None),
    }
    .insert(txn)
    .await?;
    if !fields.recipients.is_empty() {
        act_recipients::Entity::insert_many(fields.recipients.into_iter().map(|user_id| {
            act_recipients::ActiveModel {
                act_id: Set(row.id),
                user_id: Set(user_id),
                created_at: Set(now),
                thanked_at: Set(None),
            }
        }))
        .exec(txn)
        .await?;
    }
    row.try_into()
}

/// Any act with this id, withdrawn or not.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Act>, DbErr> {
    super::one(db, acts::Entity::find_by_id(id)).await
}

/// The recipients of each of these acts, in user-id order.
pub async fn recipients(
    db: &impl ConnectionTrait,
    act_ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, Vec<act_recipients::Model>>, DbErr> {
    let ids: Vec<Uuid> = act_ids.into_iter().collect();
    let mut by_act: HashMap<Uuid, Vec<act_recipients::Model>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_act);
    }
    let rows = act_recipients::Entity::find()
        .filter(act_recipients::Column::ActId.is_in(ids))
        .order_by_asc(act_recipients::Column::UserId)
        .all(db)
        .await?;
    for row in rows {
        by_act.entry(row.act_id).or_default().push(row);
    }
    Ok(by_act)
}

/// The act's organisation and the organisation's date it was logged on.
pub async fn org_day(
    db: &impl ConnectionTrait,
    act_id: Uuid,
) -> Result<Option<(Uuid, NaiveDate)>, DbErr> {
    acts::Entity::find_by_id(act_id)
        .select_only()
        .column(teams::Column::OrgId)
        .column(acts::Column::LocalDate)
        .join(JoinType::InnerJoin, to_team())
        .into_tuple()
        .one(db)
        .await
}

/// Acts the person logged in the team on the organisation's `date`,
/// withdrawn ones included.
pub async fn logged_on(
    db: &impl ConnectionTrait,
    author_id: Uuid,
    team_id: Uuid,
    date: NaiveDate,
) -> Result<u64, DbErr> {
    acts::Entity::find()
        .filter(acts::Column::AuthorId.eq(author_id))
        .filter(acts::Column::TeamId.eq(team_id))
        .filter(acts::Column::LocalDate.eq(date))
        .count(db)
        .await
}

/// A page of the team's feed as `viewer` sees it, newest first: acts not
/// withdrawn, `recipients` ones only for their author and recipients.
pub async fn feed(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    viewer: Uuid,
    after: Option<Position>,
    limit: u64,
) -> Result<Vec<Act>, DbErr> {
    let named = act_recipients::Entity::find()
        .select_only()
        .column(act_recipients::Column::ActId)
        .filter(act_recipients::Column::UserId.eq(viewer))
        .into_query();
    let visible = Condition::any()
        .add(acts::Column::Visibility.eq(Visibility::Team.as_str()))
        .add(acts::Column::AuthorId.eq(viewer))
        .add(acts::Column::Id.in_subquery(named));
    let mut query = acts::Entity::find()
        .filter(acts::Column::TeamId.eq(team_id))
        .filter(acts::Column::WithdrawnAt.is_null())
        .filter(visible);
    if let Some(after) = after {
        query = query.filter(older_than(acts::Column::CreatedAt, acts::Column::Id, after));
    }
    let page = query
        .order_by_desc(acts::Column::CreatedAt)
        .order_by_desc(acts::Column::Id)
        .limit(limit);
    super::all(db, page).await
}

/// A page of the kudos the person received, newest first.
pub async fn kudos_for(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Position>,
    limit: u64,
) -> Result<Vec<Act>, DbErr> {
    let to_act = RelationDef::from(
        acts::Entity::belongs_to(act_recipients::Entity)
            .from(acts::Column::Id)
            .to(act_recipients::Column::ActId),
    );
    let mut query = acts::Entity::find()
        .join(JoinType::InnerJoin, to_act)
        .filter(act_recipients::Column::UserId.eq(user_id))
        .filter(acts::Column::WithdrawnAt.is_null());
    if let Some(after) = after {
        query = query.filter(older_than(
            act_recipients::Column::CreatedAt,
            act_recipients::Column::ActId,
            after,
        ));
    }
    let page = query
        .order_by_desc(act_recipients::Column::CreatedAt)
        .order_by_desc(act_recipients::Column::ActId)
        .limit(limit);
    super::all(db, page).await
}

/// Withdraws the act, unless a concurrent request did first (then `None`):
/// erases its message and recipients, keeps the tombstone, and moves the
/// team's acts revision on so that no streak checkpoint counts it any more.
/// The recipients as they were deleted, thanks included (a thanks that
/// commits meanwhile is in them or never happened).
pub async fn withdraw(
    txn: &WriteTxn,
    act: &Act,
    now: DateTime<Utc>,
) -> Result<Option<Vec<act_recipients::Model>>, DbErr> {
    let withdrawn = acts::Entity::update_many()
        .col_expr(acts::Column::Message, Expr::value(""))
        .col_expr(acts::Column::WithdrawnAt, Expr::value(now))
        .filter(acts::Column::Id.eq(act.id))
        .filter(acts::Column::WithdrawnAt.is_null())
        .exec(txn)
        .await?;
    if withdrawn.rows_affected == 0 {
        return Ok(None);
    }
    let recipients = act_recipients::Entity::delete_many()
        .filter(act_recipients::Column::ActId.eq(act.id))
        .exec_with_returning(txn)
        .await?;
    teams::Entity::update_many()
        .col_expr(
            teams::Column::ActsRevision,
            Expr::col(teams::Column::ActsRevision).add(1),
        )
        .filter(teams::Column::Id.eq(act.team_id))
        .exec(txn)
        .await?;
    Ok(Some(recipients))
}

/// Records the recipient's thanks, once: a second thanks keeps the first
/// one's time (and answers `false`).
pub async fn thank(
    txn: &WriteTxn,
    act_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let thanked = act_recipients::Entity::update_many()
        .col_expr(act_recipients::Column::ThankedAt, Expr::value(now))
        .filter(act_recipients::Column::ActId.eq(act_id))
        .filter(act_recipients::Column::UserId.eq(user_id))
        .filter(act_recipients::Column::ThankedAt.is_null())
        .exec(txn)
        .await?;
    Ok(thanked.rows_affected == 1)
}

/// The team's acts per local date from `from` to `to`, as every member may
/// count them: not withdrawn, and shared with the team (kudos shared only
/// with their recipients stay private, so they count for nothing).
pub async fn per_day(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<NaiveDate, u32>, DbErr> {
    let rows: Vec<(NaiveDate, i64)> = acts::Entity::find()
        .select_only()
        .column(acts::Column::LocalDate)
        .column_as(
            Expr::from(Func::count(Expr::col(acts::Column::LocalDate))),
            "n",
        )
        .filter(acts::Column::TeamId.eq(team_id))
        .filter(shared_between(from, to))
        .group_by(acts::Column::LocalDate)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(date, n)| (date, u32::try_from(n).unwrap_or(u32::MAX)))
        .collect())
}

/// Each team's acts of the organisation from `from` to `to`, as every member
/// may count them (as [`per_day`]); teams with none are left out.
pub async fn per_team(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<Uuid, u64>, DbErr> {
    let rows: Vec<(Uuid, i64)> = acts::Entity::find()
        .select_only()
        .column(acts::Column::TeamId)
        .column_as(acts::Column::Id.count(), "n")
        .filter(acts::Column::TeamId.in_subquery(super::teams::teams_of(org_id)))
        .filter(shared_between(from, to))
        .group_by(acts::Column::TeamId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(team_id, n)| (team_id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Acts every member of their team may count, logged on a local date from
/// `from` to `to`: not withdrawn, and shared with the team (kudos shared
/// only with their recipients count for nothing).
pub(super) fn shared_between(from: NaiveDate, to: NaiveDate) -> Condition {
    Condition::all()
        .add(acts::Column::LocalDate.between(from, to))
        .add(acts::Column::WithdrawnAt.is_null())
        .add(acts::Column::Visibility.eq(Visibility::Team.as_str()))
}

/// From an act to its team.
pub(super) fn to_team() -> RelationDef {
    acts::Entity::belongs_to(teams::Entity)
        .from(acts::Column::TeamId)
        .to(teams::Column::Id)
        .into()
}
