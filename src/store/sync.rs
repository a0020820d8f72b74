//! Tombstones and the change feed a syncing client reads: every habit,
//! check-in and tombstone of a person carries a distinct number of the
//! person's sync sequence, so "changed since N" is exact.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{check_ins, habits, sync_tombstones, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::{WriteTxn, habits::Habit, named};
use crate::domain::{habit::TombstoneKind, names::Named};

/// Something deleted, as sync reports it: the row, and what it stands for.
#[derive(Debug, Clone)]
pub struct Tombstone {
    pub kind: TombstoneKind,
    pub row: sync_tombstones::Model,
}

pub async fn insert_tombstone(
    txn: &WriteTxn,
    user_id: Uuid,
    kind: TombstoneKind,
    habit_id: Uuid,
    local_date: Option<NaiveDate>,
    seq: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    sync_tombstones::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        kind: Set(kind.as_str().to_owned()),
        habit_id: Set(habit_id),
        local_date: Set(local_date),
        sync_seq: Set(seq),
        deleted_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// One page of changes after `since`.
pub struct Changes {
    pub habits: Vec<Habit>,
    pub check_ins: Vec<check_ins::Model>,
    pub tombstones: Vec<Tombstone>,
    /// Everything up to this number is in this page or earlier ones.
    pub through: i64,
    pub has_more: bool,
}

/// The changes numbered after `since`, at most `limit` of each kind.
///
/// The person's sequence is read first: every change numbered up to it has
/// committed (numbers are taken under the user row's lock), so nothing below
/// the returned `through` can still appear later. When a kind fills its
/// limit, the page stops at that kind's last number.
pub async fn changes_since(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    since: i64,
    limit: u64,
) -> Result<Changes, DbErr> {
    let ceiling = super::row(db, users::Entity::find_by_id(user_id))
        .await?
        .map_or(since, |user| user.sync_seq.max(since));
    let habits = habits::Entity::find()
        .filter(habits::Column::UserId.eq(user_id))
        .filter(habits::Column::SyncSeq.gt(since))
        .filter(habits::Column::SyncSeq.lte(ceiling))
        .order_by_asc(habits::Column::SyncSeq)
        .limit(limit)
        .all(db)
        .await?;
    let check_ins = check_ins::Entity::find()
        .filter(check_ins::Column::UserId.eq(user_id))
        .filter(check_ins::Column::SyncSeq.gt(since))
        .filter(check_ins::Column::SyncSeq.lte(ceiling))
        .order_by_asc(check_ins::Column::SyncSeq)
        .limit(limit)
        .all(db)
        .await?;
    let tombstones = sync_tombstones::Entity::find()
        .filter(sync_tombstones::Column::UserId.eq(user_id))
        .filter(sync_tombstones::Column::SyncSeq.gt(since))
        .filter(sync_tombstones::Column::SyncSeq.lte(ceiling))
        .order_by_asc(sync_tombstones::Column::SyncSeq)
        .limit(limit)
        .all(db)
        .await?;

    let full = |len: usize, last: Option<i64>| (len as u64 >= limit).then_some(last).flatten();
    let cut = [
        full(habits.len(), habits.last().map(|h| h.sync_seq)),
        full(check_ins.len(), check_ins.last().map(|c| c.sync_seq)),
        full(tombstones.len(), tombstones.last().map(|t| t.sync_seq)),
    ]
    .into_iter()
    .flatten()
    .min();
    let through = cut.unwrap_or(ceiling);
    Ok(Changes {
        habits: habits
            .into_iter()
            .filter(|h| h.sync_seq <= through)
            .map(Habit::try_from)
            .collect::<Result<_, _>>()?,
        check_ins: check_ins
            .into_iter()
            .filter(|c| c.sync_seq <= through)
            .collect(),
        tombstones: tombstones
            .into_iter()
            .filter(|t| t.sync_seq <= through)
            .map(|row| {
                Ok(Tombstone {
                    kind: named("sync_tombstones.kind", &row.kind)?,
                    row,
                })
            })
            .collect::<Result<_, DbErr>>()?,
        through,
        has_more: cut.is_some_and(|cut| cut < ceiling),
    })
}
