//! Refresh tokens and their families. A login starts a family; each refresh
//! spends one token and issues the next in the same family; spending a token
//! twice (a sign it was stolen) or logging out revokes the whole family.

use chrono::{DateTime, Utc};
use entity::refresh_tokens::{ActiveModel, Column, Entity, Model};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, sea_query::Expr,
};
use uuid::Uuid;

use super::WriteTxn;

/// Stores a new token of `family_id` by its hash (the token itself is never
/// stored), working until `expires_at`.
pub async fn insert(
    txn: &WriteTxn,
    user_id: Uuid,
    family_id: Uuid,
    token_hash: String,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id),
        user_id: Set(user_id),
        token_hash: Set(token_hash),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// When the login `family_id` began: the issue of its first token.
pub async fn family_began(
    db: &impl ConnectionTrait,
    family_id: Uuid,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let first = Entity::find()
        .filter(Column::FamilyId.eq(family_id))
        .order_by_asc(Column::CreatedAt);
    Ok(first.one(db).await?.map(|token| token.created_at))
}

pub async fn find_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<Model>, DbErr> {
    Entity::find()
        .filter(Column::TokenHash.eq(token_hash))
        .one(db)
        .await
}

/// Marks the token spent. False when it was already spent or revoked, which a
/// concurrent refresh with the same token would also see.
pub async fn spend(txn: &WriteTxn, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::UsedAt.is_null())
        .filter(Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn revoke_family(
    txn: &WriteTxn,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(now))
        .filter(Column::FamilyId.eq(family_id))
        .filter(Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}
