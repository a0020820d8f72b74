//! Fixed-window counters in the database, for limits that must hold however
//! many instances share it. One row per (key, window); incrementing is a
//! single upsert, so concurrent requests on any instance count exactly.

use super::WriteTxn;
use chrono::{DateTime, Duration, DurationRound, Utc};
use entity::rate_limit_windows::{ActiveModel, Column, Entity};
use sea_orm::{
    ColumnTrait, DbErr, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, ExprTrait, OnConflict},
};

/// The window of length `length` that holds `now`, and the seconds it has left.
pub fn window(now: DateTime<Utc>, length: Duration) -> (DateTime<Utc>, u64) {
    let start = now
        .duration_trunc(length)
        .expect("window lengths divide a day");
    let left = (start + length - now).num_seconds();
    (start, Ord::max(left, 1) as u64)
}

/// Adds one hit to `key` in the window starting at `window_start` and returns
/// the window's hits so far, this one included.
pub async fn hit(txn: &WriteTxn, key: &str, window_start: DateTime<Utc>) -> Result<u32, DbErr> {
    let row = Entity::insert(ActiveModel {
        key: Set(key.to_owned()),
        window_start: Set(window_start),
        hits: Set(1),
    })
    .on_conflict(
        OnConflict::columns([Column::Key, Column::WindowStart])
            .value(Column::Hits, Expr::col((Entity, Column::Hits)).add(1))
            .to_owned(),
    )
    .exec_with_returning(txn)
    .await?;
    Ok(u32::try_from(row.hits).unwrap_or(u32::MAX))
}

/// Takes back one hit, for an attempt that turned out not to count.
pub async fn unhit(txn: &WriteTxn, key: &str, window_start: DateTime<Utc>) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::Hits, Expr::col(Column::Hits).sub(1))
        .filter(Column::Key.eq(key))
        .filter(Column::WindowStart.eq(window_start))
        .filter(Column::Hits.gt(0))
        .exec(txn)
        .await?;
    Ok(())
}

/// Forgets every window of `key`.
pub async fn clear(txn: &WriteTxn, key: &str) -> Result<(), DbErr> {
    Entity::delete_many()
        .filter(Column::Key.eq(key))
        .exec(txn)
        .await?;
    Ok(())
}

/// Forgets every window whose key starts with `prefix` (which holds no
/// `%` or `_`).
pub async fn clear_prefixed(txn: &WriteTxn, prefix: &str) -> Result<(), DbErr> {
    Entity::delete_many()
        .filter(Column::Key.like(format!("{prefix}%")))
        .exec(txn)
        .await?;
    Ok(())
}

/// Deletes windows that started before `cutoff`.
pub async fn purge_before(txn: &WriteTxn, cutoff: DateTime<Utc>) -> Result<u64, DbErr> {
    let result = Entity::delete_many()
        .filter(Column::WindowStart.lt(cutoff))
        .exec(txn)
        .await?;
    Ok(result.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn windows_are_aligned_and_report_the_time_left() {
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 7, 30).unwrap();
        let (start, left) = window(now, Duration::minutes(15));
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap());
        assert_eq!(left, 7 * 60 + 30);
    }
}
