//! Values generated once and shared by every instance.

use super::WriteTxn;
use chrono::{DateTime, Utc};
use entity::service_settings::{ActiveModel, Column, Entity};
use sea_orm::{DbErr, EntityTrait, Set};

/// The value stored under `key`; when there is none, `make()` is stored first.
/// Instances starting together agree: the first insert wins, the others read it.
pub async fn get_or_insert(
    txn: &WriteTxn,
    key: &str,
    make: impl FnOnce() -> String,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    Entity::insert(ActiveModel {
        key: Set(key.to_owned()),
        value: Set(make()),
        created_at: Set(now),
    })
    .on_conflict_do_nothing_on([Column::Key])
    .exec(txn)
    .await?;
    Entity::find_by_id(key.to_owned())
        .one(txn)
        .await?
        .map(|row| row.value)
        .ok_or_else(|| DbErr::RecordNotFound(format!("service setting {key}")))
}
