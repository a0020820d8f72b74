//! What a person's export reads: every row the service holds about them,
//! a page at a time in key order, so that an export of years of history
//! never holds it all at once. Every reader pages after the last key of
//! the page before.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    act_recipients, acts, check_ins, habits, invitations, org_members, organisations, pauses,
    refresh_tokens, sync_tombstones, team_members, teams, xp_entries,
};
use sea_orm::{
    AccessMode, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, EntityTrait, FromQueryResult, IsolationLevel, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use uuid::Uuid;

use super::{
    acts::Act,
    habits::Habit,
    orgs::{Invitation, Membership},
    teams::{Team, TeamMembership},
    users::display_names,
    xp::Entry,
};
use crate::domain::{habit::TombstoneKind, names::Named};

/// Rows of `E` whose `owner` column is the person, in `key` order after
/// `after`, at most `limit`.
async fn page<E: EntityTrait>(
    db: &impl ConnectionTrait,
    owner: E::Column,
    key: E::Column,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<E::Model>, DbErr> {
    let mut query = E::find().filter(owner.eq(user_id));
    if let Some(after) = after {
        query = query.filter(key.gt(after));
    }
    query.order_by_asc(key).limit(limit).all(db).await
}

/// One login: the family of refresh tokens it spent, and no token.
#[derive(Debug, FromQueryResult)]
pub struct Login {
    pub family_id: Uuid,
    /// When it began: its first token.
    pub began_at: DateTime<Utc>,
    /// Its latest refresh: its newest token.
    pub last_used_at: DateTime<Utc>,
    /// When its newest token stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was ended (logout, or a reused token).
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn logins(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Login>, DbErr> {
    use refresh_tokens::{Column, Entity};
    let mut query = Entity::find()
        .select_only()
        .column(Column::FamilyId)
        .column_as(Column::CreatedAt.min(), "began_at")
        .column_as(Column::CreatedAt.max(), "last_used_at")
        .column_as(Column::ExpiresAt.max(), "expires_at")
        .column_as(Column::RevokedAt.max(), "revoked_at")
        .filter(Column::UserId.eq(user_id));
    if let Some(after) = after {
        query = query.filter(Column::FamilyId.gt(after));
    }
    query
        .group_by(Column::FamilyId)
        .order_by_asc(Column::FamilyId)
        .limit(limit)
        .into_model()
        .all(db)
        .await
}

/// The person's habits, archived ones too.
pub async fn habits(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Habit>, DbErr> {
    use habits::{Column, Entity};
    page::<Entity>(db, Column::UserId, Column::Id, user_id, after, limit)
        .await?
        .into_iter()
        .map(Habit::try_from)
        .collect()
}

/// What is left of the person's deleted habits, or of the check-ins they
/// took back: their sync tombstones.
async fn tombstones(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    kind: TombstoneKind,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<sync_tombstones::Model>, DbErr> {
    use sync_tombstones::{Column, Entity};
    let mut query = Entity::find()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::Kind.eq(kind.as_str()));
    if let Some(after) = after {
        query = query.filter(Column::Id.gt(after));
    }
    query.order_by_asc(Column::Id).limit(limit).all(db).await
}

/// What is left of the person's deleted habits.
pub async fn deleted_habits(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<sync_tombstones::Model>, DbErr> {
    tombstones(db, user_id, TombstoneKind::Habit, after, limit).await
}

/// A day the person undid: the tombstone's id, the habit, the day, when.
pub struct Undone {
    pub id: Uuid,
    pub habit_id: Uuid,
    pub date: NaiveDate,
    pub undone_at: DateTime<Utc>,
}

pub async fn undone_check_ins(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Undone>, DbErr> {
    tombstones(db, user_id, TombstoneKind::CheckIn, after, limit)
        .await?
        .into_iter()
        .map(|row| {
            Ok(Undone {
                date: row.local_date.ok_or_else(|| {
                    DbErr::Type(format!("check-in tombstone {} has no date", row.id))
                })?,
                id: row.id,
                habit_id: row.habit_id,
                undone_at: row.deleted_at,
            })
        })
        .collect()
}

pub async fn check_ins(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<check_ins::Model>, DbErr> {
    use check_ins::{Column, Entity};
    page::<Entity>(db, Column::UserId, Column::Id, user_id, after, limit).await
}

/// The person's organisation memberships, each with its organisation's
/// name.
pub async fn org_memberships(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<(Membership, String)>, DbErr> {
    use org_members::{Column, Entity};
    let rows = page::<Entity>(db, Column::UserId, Column::OrgId, user_id, after, limit).await?;
    let names: Vec<(Uuid, String)> = organisations::Entity::find()
        .select_only()
        .column(organisations::Column::Id)
        .column(organisations::Column::Name)
        .filter(organisations::Column::Id.is_in(rows.iter().map(|row| row.org_id)))
        .into_tuple()
        .all(db)
        .await?;
    with(rows, names, |row| row.org_id)
        .into_iter()
        .map(|(row, name)| Ok((Membership::try_from(row)?, name)))
        .collect()
}

/// The person's team memberships, each with its team.
pub async fn team_memberships(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<(TeamMembership, Team)>, DbErr> {
    use team_members::{Column, Entity};
    let rows = page::<Entity>(db, Column::UserId, Column::TeamId, user_id, after, limit).await?;
    let teams: Vec<(Uuid, Team)> = teams::Entity::find()
        .filter(teams::Column::Id.is_in(rows.iter().map(|row| row.team_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|team| (team.id, team))
        .collect();
    with(rows, teams, |row| row.team_id)
        .into_iter()
        .map(|(row, team)| Ok((TeamMembership::try_from(row)?, team)))
        .collect()
}

/// The acts and kudos the person wrote, withdrawn ones as the tombstones
/// they are, each with the ids of its recipients.
pub async fn acts(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<(Act, Vec<Uuid>)>, DbErr> {
    let rows = page::<acts::Entity>(
        db,
        acts::Column::AuthorId,
        acts::Column::Id,
        user_id,
        after,
        limit,
    )
    .await?;
    let recipients: Vec<(Uuid, Uuid)> = act_recipients::Entity::find()
        .select_only()
        .column(act_recipients::Column::ActId)
        .column(act_recipients::Column::UserId)
        .filter(act_recipients::Column::ActId.is_in(rows.iter().map(|row| row.id)))
        .order_by_asc(act_recipients::Column::UserId)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let to = recipients
                .iter()
                .filter(|(act_id, _)| *act_id == row.id)
                .map(|(_, user_id)| *user_id)
                .collect();
            Ok((Act::try_from(row)?, to))
        })
        .collect()
}

/// An act that names the person, with their thanks.
pub struct Received {
    pub act: Act,
    /// Its author's display name; `None` once their account is gone.
    pub author_name: Option<String>,
    pub thanked_at: Option<DateTime<Utc>>,
}

/// What the person received: each act that names them.
pub async fn received(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Received>, DbErr> {
    use act_recipients::{Column, Entity};
    let rows = page::<Entity>(db, Column::UserId, Column::ActId, user_id, after, limit).await?;
    let acts: Vec<(Uuid, acts::Model)> = acts::Entity::find()
        .filter(acts::Column::Id.is_in(rows.iter().map(|row| row.act_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|act| (act.id, act))
        .collect();
    let names = display_names(db, acts.iter().filter_map(|(_, act)| act.author_id)).await?;
    with(rows, acts, |row| row.act_id)
        .into_iter()
        .map(|(row, act)| {
            Ok(Received {
                author_name: act.author_id.and_then(|id| names.get(&id).cloned()),
                act: Act::try_from(act)?,
                thanked_at: row.thanked_at,
            })
        })
        .collect()
}

/// The person's XP ledger, each entry with its id.
pub async fn xp_entries(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<(Uuid, Entry)>, DbErr> {
    use xp_entries::{Column, Entity};
    page::<Entity>(db, Column::UserId, Column::Id, user_id, after, limit)
        .await?
        .into_iter()
        .map(|row| Ok((row.id, Entry::try_from(row)?)))
        .collect()
}

/// An invitation the person created.
pub struct CreatedInvitation {
    pub invitation: Invitation,
    pub uses: i32,
    pub created_at: DateTime<Utc>,
}

pub async fn invitations(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<CreatedInvitation>, DbErr> {
    use invitations::{Column, Entity};
    page::<Entity>(db, Column::CreatedBy, Column::Id, user_id, after, limit)
        .await?
        .into_iter()
        .map(|row| {
            Ok(CreatedInvitation {
                uses: row.uses,
                created_at: row.created_at,
                invitation: Invitation::try_from(row)?,
            })
        })
        .collect()
}

pub async fn pauses(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<pauses::Model>, DbErr> {
    use pauses::{Column, Entity};
    page::<Entity>(db, Column::UserId, Column::Id, user_id, after, limit).await
}

/// Each row with what `found` holds under its key. Every key is there: the
/// rows and what they refer to are read in one snapshot, and their foreign
/// keys hold.
fn with<R, T>(rows: Vec<R>, found: Vec<(Uuid, T)>, key: impl Fn(&R) -> Uuid) -> Vec<(R, T)> {
    let mut found: std::collections::HashMap<Uuid, T> = found.into_iter().collect();
    rows.into_iter()
        .filter_map(|row| {
            let value = found.remove(&key(&row))?;
            Some((row, value))
        })
        .collect()
}

/// A transaction that reads one snapshot of the database however long the
/// export takes: `REPEATABLE READ, READ ONLY` on PostgreSQL; on SQLite
/// (write-ahead log) every read transaction is one from its first read.
pub async fn snapshot(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await
        }
        _ => db.begin().await,
    }
}
