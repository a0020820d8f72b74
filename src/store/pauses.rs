//! Pauses. Changing them changes history, so the person's streak checkpoints
//! are dropped with every change.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    habits,
    pauses::{ActiveModel, Column, Entity, Model},
    streak_checkpoints,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ModelTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use uuid::Uuid;

use super::WriteTxn;
use crate::domain::streak::Pauses;

/// A pause, as stored.
pub type Pause = Model;

pub async fn insert(
    txn: &WriteTxn,
    user_id: Uuid,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Model, DbErr> {
    let pause = ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        starts_on: Set(starts_on),
        ends_on: Set(ends_on),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    forget_checkpoints(txn, user_id).await?;
    Ok(pause)
}

pub async fn list(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::UserId.eq(user_id))
        .order_by_asc(Column::StartsOn)
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

/// How many pauses the person keeps.
pub async fn count(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, DbErr> {
    Entity::find()
        .filter(Column::UserId.eq(user_id))
        .count(db)
        .await
}

/// The person's pauses as the streak rules take them.
pub async fn of_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Pauses, DbErr> {
    Ok(Pauses::new(
        list(db, user_id)
            .await?
            .into_iter()
            .map(|pause| (pause.starts_on, pause.ends_on)),
    ))
}

pub async fn find_owned(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<Model>, DbErr> {
    super::row(
        db,
        Entity::find_by_id(id).filter(Column::UserId.eq(user_id)),
    )
    .await
}

pub async fn delete(txn: &WriteTxn, pause: Model) -> Result<(), DbErr> {
    let user_id = pause.user_id;
    pause.delete(txn).await?;
    forget_checkpoints(txn, user_id).await
}

async fn forget_checkpoints(txn: &WriteTxn, user_id: Uuid) -> Result<(), DbErr> {
    streak_checkpoints::Entity::delete_many()
        .filter(
            streak_checkpoints::Column::HabitId.in_subquery(
                habits::Entity::find()
                    .select_only()
                    .column(habits::Column::Id)
                    .filter(habits::Column::UserId.eq(user_id))
                    .into_query(),
            ),
        )
        .exec(txn)
        .await?;
    Ok(())
}
