//! The XP ledger, each person's balance beside it, and their badges.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use entity::{act_recipients, acts, teams, user_badges, xp_balances, xp_entries};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationDef, Set,
    sea_query::{Expr, ExprTrait, Func, OnConflict},
};
use uuid::Uuid;

use super::{WriteTxn, named};
use crate::domain::{
    act::{Category, Kind, Visibility},
    names::Named,
    xp::{Award, Badge, Reason, SourceType},
};

/// A ledger entry, as `/v1/me/progress` shows it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub reason: Reason,
    pub xp: i32,
    pub source_type: SourceType,
    pub source_id: Uuid,
    pub date: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<xp_entries::Model> for Entry {
    type Error = DbErr;

    fn try_from(row: xp_entries::Model) -> Result<Self, DbErr> {
        Ok(Self {
            reason: named("xp_entries.reason", &row.reason)?,
            xp: row.xp,
            source_type: named("xp_entries.source_type", &row.source_type)?,
            source_id: row.source_id,
            date: row.source_date,
            created_at: row.created_at,
        })
    }
}

/// The occurrence of the latest entry of each of the person's awards by
/// these keys that has one, in one query.
pub async fn latest_occurrences(
    txn: &WriteTxn,
    user_id: Uuid,
    keys: Vec<String>,
) -> Result<HashMap<String, i32>, DbErr> {
    let rows = xp_entries::Entity::find()
        .select_only()
        .column(xp_entries::Column::AwardKey)
        .column_as(xp_entries::Column::Occurrence.max(), "occurrence")
        .filter(xp_entries::Column::UserId.eq(user_id))
        .filter(xp_entries::Column::AwardKey.is_in(keys))
        .group_by(xp_entries::Column::AwardKey)
        .into_tuple::<(String, i32)>()
        .all(txn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Locks these people's balances (creating those not there yet) in the
/// order of their ids, before a write's awards move any of them: two writes
/// that pay each other's authors, such as kudos sent both ways at once,
/// would otherwise each lock one balance and wait for the other's. A write
/// that moves one balance only (a check-in, most acts) can close no such
/// cycle and takes nothing here. On SQLite the write holds the database's
/// one write lock already.
pub async fn lock_balances(txn: &WriteTxn, users: BTreeSet<Uuid>) -> Result<(), DbErr> {
    if users.len() < 2 || txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let fresh = users.iter().map(|&user_id| xp_balances::ActiveModel {
        user_id: Set(user_id),
        xp: Set(0),
    });
    xp_balances::Entity::insert_many(fresh)
        .on_conflict(
            OnConflict::column(xp_balances::Column::UserId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    xp_balances::Entity::find()
        .select_only()
        .column(xp_balances::Column::UserId)
        .filter(xp_balances::Column::UserId.is_in(users))
        .order_by_asc(xp_balances::Column::UserId)
        .lock_exclusive()
        .into_tuple::<Uuid>()
        .all(txn)
        .await?;
    Ok(())
}

/// Appends the award's entry `occurrence`, paying (`pays`) or reversing,
/// and moves the person's balance by it. An entry already written (by a
/// request racing this one) is left as it is, and the balance with it.
pub async fn append(
    txn: &WriteTxn,
    award: &Award,
    occurrence: i32,
    pays: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let xp = if pays { award.xp } else { -award.xp };
    let written = xp_entries::Entity::insert(xp_entries::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(award.user_id),
        reason: Set(award.reason.as_str().to_owned()),
        source_type: Set(award.source_type.as_str().to_owned()),
        source_id: Set(award.source_id),
        source_date: Set(award.date),
        award_key: Set(award.key()),
        occurrence: Set(occurrence),
        xp: Set(xp),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            xp_entries::Column::UserId,
            xp_entries::Column::AwardKey,
            xp_entries::Column::Occurrence,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    if written == 0 {
        return Ok(());
    }
    xp_balances::Entity::insert(xp_balances::ActiveModel {
        user_id: Set(award.user_id),
        xp: Set(i64::from(xp)),
    })
    .on_conflict(
        OnConflict::column(xp_balances::Column::UserId)
            .value(
                xp_balances::Column::Xp,
                Expr::col((xp_balances::Entity, xp_balances::Column::Xp)).add(i64::from(xp)),
            )
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// The person's XP: their balance, which is the sum of their entries.
pub async fn balance(db: &impl ConnectionTrait, user_id: Uuid) -> Result<i64, DbErr> {
    Ok(super::row(db, xp_balances::Entity::find_by_id(user_id))
        .await?
        .map_or(0, |row| row.xp))
}

/// The person's latest `limit` entries, newest first.
pub async fn recent(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    limit: u64,
) -> Result<Vec<Entry>, DbErr> {
    let query = xp_entries::Entity::find()
        .filter(xp_entries::Column::UserId.eq(user_id))
        .order_by_desc(xp_entries::Column::CreatedAt)
        .order_by_desc(xp_entries::Column::Id)
        .limit(limit);
    super::all(db, query).await
}

/// The days of the habit whose `check_in_day` award is paid: what deleting
/// the habit takes back.
pub async fn paid_days(
    txn: &WriteTxn,
    user_id: Uuid,
    habit_id: Uuid,
) -> Result<Vec<(NaiveDate, i32)>, DbErr> {
    let rows: Vec<(Option<NaiveDate>, i32)> = xp_entries::Entity::find()
        .select_only()
        .column(xp_entries::Column::SourceDate)
        .column_as(xp_entries::Column::Occurrence.max(), "occurrence")
        .filter(xp_entries::Column::UserId.eq(user_id))
        .filter(xp_entries::Column::Reason.eq(Reason::CheckInDay.as_str()))
        .filter(xp_entries::Column::SourceId.eq(habit_id))
        .group_by(xp_entries::Column::SourceDate)
        .into_tuple()
        .all(txn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(date, occurrence)| Some((date?, occurrence)))
        .filter(|(_, occurrence)| occurrence % 2 == 0)
        .collect())
}

/// The badges the person earned, in the order they earned them.
pub async fn badges(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<(Badge, DateTime<Utc>)>, DbErr> {
    user_badges::Entity::find()
        .filter(user_badges::Column::UserId.eq(user_id))
        .order_by_asc(user_badges::Column::EarnedAt)
        .order_by_asc(user_badges::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|row| Ok((named("user_badges.code", &row.code)?, row.earned_at)))
        .collect()
}

/// Whether the person has the badge.
pub async fn has_badge(txn: &WriteTxn, user_id: Uuid, badge: Badge) -> Result<bool, DbErr> {
    Ok(
        user_badges::Entity::find_by_id((user_id, badge.as_str().to_owned()))
            .one(txn)
            .await?
            .is_some(),
    )
}

/// Gives each of the people the badge, unless they have it: one statement
/// however many they are.
pub async fn grant(
    txn: &WriteTxn,
    user_ids: &[Uuid],
    badge: Badge,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if user_ids.is_empty() {
        return Ok(());
    }
    let rows = user_ids.iter().map(|&user_id| user_badges::ActiveModel {
        user_id: Set(user_id),
        code: Set(badge.as_str().to_owned()),
        earned_at: Set(now),
    });
    user_badges::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([user_badges::Column::UserId, user_badges::Column::Code])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// The kudos `author_id` gave `recipient_id` in the organisation on its
/// local day `date`, still standing, in the order they were posted.
pub async fn kudos_between_on(
    txn: &WriteTxn,
    org_id: Uuid,
    author_id: Uuid,
    recipient_id: Uuid,
    date: NaiveDate,
) -> Result<Vec<Uuid>, DbErr> {
    acts::Entity::find()
        .select_only()
        .column(acts::Column::Id)
        .join(JoinType::InnerJoin, to_recipients())
        .join(JoinType::InnerJoin, super::acts::to_team())
        .filter(teams::Column::OrgId.eq(org_id))
        .filter(acts::Column::AuthorId.eq(author_id))
        .filter(act_recipients::Column::UserId.eq(recipient_id))
        .filter(acts::Column::Kind.eq(Kind::Kudos.as_str()))
        .filter(acts::Column::LocalDate.eq(date))
        .filter(acts::Column::WithdrawnAt.is_null())
        .order_by_asc(acts::Column::CreatedAt)
        .order_by_asc(acts::Column::Id)
        .into_tuple()
        .all(txn)
        .await
}

/// How many different colleagues the person gave standing `team`-visible
/// kudos.
pub async fn colleagues_given_kudos(txn: &WriteTxn, author_id: Uuid) -> Result<u64, DbErr> {
    let recipients: Vec<Uuid> = acts::Entity::find()
        .select_only()
        .column(act_recipients::Column::UserId)
        .distinct()
        .join(JoinType::InnerJoin, to_recipients())
        .filter(acts::Column::AuthorId.eq(author_id))
        .filter(acts::Column::Kind.eq(Kind::Kudos.as_str()))
        .filter(acts::Column::Visibility.eq(Visibility::Team.as_str()))
        .filter(acts::Column::WithdrawnAt.is_null())
        .into_tuple()
        .all(txn)
        .await?;
    Ok(recipients.len() as u64)
}

/// The authors of standing `team`-visible kudos to `recipient_id` posted
/// from `since` on.
pub async fn kudos_authors_to_since(
    txn: &WriteTxn,
    recipient_id: Uuid,
    since: DateTime<Utc>,
) -> Result<Vec<Uuid>, DbErr> {
    let authors: Vec<Option<Uuid>> = acts::Entity::find()
        .select_only()
        .column(acts::Column::AuthorId)
        .distinct()
        .join(JoinType::InnerJoin, to_recipients())
        .filter(act_recipients::Column::UserId.eq(recipient_id))
        .filter(acts::Column::Kind.eq(Kind::Kudos.as_str()))
        .filter(acts::Column::Visibility.eq(Visibility::Team.as_str()))
        .filter(acts::Column::WithdrawnAt.is_null())
        .filter(acts::Column::CreatedAt.gte(since))
        .into_tuple()
        .all(txn)
        .await?;
    Ok(authors.into_iter().flatten().collect())
}

/// How many standing acts of `category` the person posted.
pub async fn acts_in_category(
    txn: &WriteTxn,
    author_id: Uuid,
    category: Category,
) -> Result<u64, DbErr> {
    acts::Entity::find()
        .filter(acts::Column::AuthorId.eq(author_id))
        .filter(acts::Column::Category.eq(category.as_str()))
        .filter(acts::Column::WithdrawnAt.is_null())
        .count(txn)
        .await
}

fn to_recipients() -> RelationDef {
    acts::Entity::belongs_to(act_recipients::Entity)
        .from(acts::Column::Id)
        .to(act_recipients::Column::ActId)
        .into()
}

/// The acts the person thanked, each with its author while it has one.
pub async fn thanked_by(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<(Uuid, Uuid)>, DbErr> {
    let thanked = act_recipients::Entity::find()
        .select_only()
        .column(act_recipients::Column::ActId)
        .filter(act_recipients::Column::UserId.eq(user_id))
        .filter(act_recipients::Column::ThankedAt.is_not_null())
        .into_query();
    let rows: Vec<(Uuid, Option<Uuid>)> = acts::Entity::find()
        .select_only()
        .column(acts::Column::Id)
        .column(acts::Column::AuthorId)
        .filter(acts::Column::Id.in_subquery(thanked))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(act_id, author)| Some((act_id, author?)))
        .collect())
}

/// In `user_id`'s ledger, the entries under each of `keys` (at most a few
/// hundred) take the same key with the id `from` in it replaced by `to`:
/// one statement, through the ledger's `(user_id, award_key)` index.
pub async fn rename_in_keys(
    txn: &WriteTxn,
    user_id: Uuid,
    keys: &[String],
    from: Uuid,
    to: Uuid,
) -> Result<(), DbErr> {
    let renamed = Func::cust("REPLACE")
        .arg(Expr::col(xp_entries::Column::AwardKey))
        .arg(from.to_string())
        .arg(to.to_string());
    xp_entries::Entity::update_many()
        .col_expr(xp_entries::Column::AwardKey, renamed.into())
        .filter(xp_entries::Column::UserId.eq(user_id))
        .filter(xp_entries::Column::AwardKey.is_in(keys.iter().cloned()))
        .exec(txn)
        .await?;
    Ok(())
}
