//! What a person's export reads: every row the service holds about them,
//! a page at a time, so that an export of years of history never holds it
//! all at once. Every reader pages after the key of the last row of the
//! page before, in the order of an index that starts with the person, so
//! that each page is a seek rather than a sort of all their rows.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    act_recipients, acts, check_ins, habits, invitations, org_members, organisations, pauses,
    refresh_tokens, sync_tombstones, team_members, teams, xp_entries,
};
use sea_orm::{
    AccessMode, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, EntityTrait, FromQueryResult, IsolationLevel, QueryFilter, QueryOrder, QuerySelect,
    Select, TransactionTrait, Value,
    sea_query::{Expr, ExprTrait},
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

/// The rows `query` selects (the person's), in the order of `keys` after
/// the row whose keys were `after`, at most `limit`: `(keys) > (after)`,
/// which both databases seek in an index on the person's column and
/// `keys`.
async fn page<E: EntityTrait>(
    db: &impl ConnectionTrait,
    mut query: Select<E>,
    keys: &[E::Column],
    after: Option<Vec<Value>>,
    limit: u64,
) -> Result<Vec<E::Model>, DbErr> {
    if let Some(after) = after {
        let columns = keys.iter().map(|key| Expr::col((E::default(), *key)));
        query =
            query.filter(Expr::tuple(columns).gt(Expr::tuple(after.into_iter().map(Expr::val))));
    }
    for key in keys {
        query = query.order_by_asc(*key);
    }
    query.limit(limit).all(db).await
}

/// A row's key of one UUID.
fn id(key: Option<Uuid>) -> Option<Vec<Value>> {
    key.map(|id| vec![id.into()])
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
    let theirs = Entity::find().filter(Column::UserId.eq(user_id));
    page(db, theirs, &[Column::Id], id(after), limit)
        .await?
        .into_iter()
        .map(Habit::try_from)
        .collect()
}

/// What is left of the person's deleted habits, or of the check-ins they
/// took back: their sync tombstones.
/// In sync order (the index of the person's sync), then id.
async fn tombstones(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    kind: TombstoneKind,
    after: Option<(i64, Uuid)>,
    limit: u64,
) -> Result<Vec<sync_tombstones::Model>, DbErr> {
    use sync_tombstones::{Column, Entity};
    let theirs = Entity::find()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::Kind.eq(kind.as_str()));
    let after = after.map(|(seq, id)| vec![seq.into(), id.into()]);
    page(db, theirs, &[Column::SyncSeq, Column::Id], after, limit).await
}

/// What is left of the person's deleted habits.
pub async fn deleted_habits(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<(i64, Uuid)>,
    limit: u64,
) -> Result<Vec<sync_tombstones::Model>, DbErr> {
    tombstones(db, user_id, TombstoneKind::Habit, after, limit).await
}

/// A day the person undid: the tombstone's place in the person's sync,
/// the habit, the day, when.
pub struct Undone {
    pub position: (i64, Uuid),
    pub habit_id: Uuid,
    pub date: NaiveDate,
    pub undone_at: DateTime<Utc>,
}

pub async fn undone_check_ins(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<(i64, Uuid)>,
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
                position: (row.sync_seq, row.id),
                habit_id: row.habit_id,
                undone_at: row.deleted_at,
            })
        })
        .collect()
}

/// The person's check-ins, habit by habit (in id order) and day by day,
/// after the `(habit, day)` of the page before: each page a seek in the
/// index of a habit's days.
pub async fn check_ins(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<(Uuid, NaiveDate)>,
    limit: u64,
) -> Result<Vec<check_ins::Model>, DbErr> {
    use check_ins::{Column, Entity};
    let mut habits = habits::Entity::find()
        .select_only()
        .column(habits::Column::Id)
        .filter(habits::Column::UserId.eq(user_id));
    if let Some((habit, _)) = after {
        habits = habits.filter(habits::Column::Id.gte(habit));
    }
    let habits: Vec<Uuid> = habits
        .order_by_asc(habits::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut rows = Vec::new();
    for habit in habits {
        let left = limit - rows.len() as u64;
        if left == 0 {
            break;
        }
        let mut days = Entity::find()
            .filter(Column::HabitId.eq(habit))
            .filter(Column::UserId.eq(user_id));
        if let Some((after_habit, after_day)) = after
            && after_habit == habit
        {
            days = days.filter(Column::LocalDate.gt(after_day));
        }
        rows.extend(
            days.order_by_asc(Column::LocalDate)
                .limit(left)
                .all(db)
                .await?,
        );
    }
    Ok(rows)
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
    let theirs = Entity::find().filter(Column::UserId.eq(user_id));
    let rows = page(db, theirs, &[Column::OrgId], id(after), limit).await?;
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
    let theirs = Entity::find().filter(Column::UserId.eq(user_id));
    let rows = page(db, theirs, &[Column::TeamId], id(after), limit).await?;
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
/// they are, each with the ids of its recipients: team by team, day by
/// day (the index of the daily limit), after the `(team, day, id)` of the
/// page before.
pub async fn acts(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<(Uuid, NaiveDate, Uuid)>,
    limit: u64,
) -> Result<Vec<(Act, Vec<Uuid>)>, DbErr> {
    use acts::Column;
    let theirs = acts::Entity::find().filter(Column::AuthorId.eq(user_id));
    let after = after.map(|(team, day, id)| vec![team.into(), day.into(), id.into()]);
    let keys = [Column::TeamId, Column::LocalDate, Column::Id];
    let rows = page(db, theirs, &keys, after, limit).await?;
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
    /// Where it is in the person's list of kudos: when the act was logged,
    /// and its id.
    pub position: (DateTime<Utc>, Uuid),
    pub act: Act,
    /// Its author's display name; `None` once their account is gone.
    pub author_name: Option<String>,
    pub thanked_at: Option<DateTime<Utc>>,
}

/// What the person received: each act that names them, oldest first (the
/// index of their kudos), after the position of the page before.
pub async fn received(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> Result<Vec<Received>, DbErr> {
    use act_recipients::{Column, Entity};
    let theirs = Entity::find().filter(Column::UserId.eq(user_id));
    let after = after.map(|(at, id)| vec![at.into(), id.into()]);
    let rows = page(
        db,
        theirs,
        &[Column::CreatedAt, Column::ActId],
        after,
        limit,
    )
    .await?;
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
                position: (row.created_at, row.act_id),
                author_name: act.author_id.and_then(|id| names.get(&id).cloned()),
                act: Act::try_from(act)?,
                thanked_at: row.thanked_at,
            })
        })
        .collect()
}

/// The person's XP ledger, oldest first (its index), each entry with its
/// id, after the `(written, id)` of the page before.
pub async fn xp_entries(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> Result<Vec<(Uuid, Entry)>, DbErr> {
    use xp_entries::{Column, Entity};
    let theirs = Entity::find().filter(Column::UserId.eq(user_id));
    let after = after.map(|(at, id)| vec![at.into(), id.into()]);
    page(db, theirs, &[Column::CreatedAt, Column::Id], after, limit)
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
    let theirs = Entity::find().filter(Column::CreatedBy.eq(user_id));
    page(db, theirs, &[Column::Id], id(after), limit)
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
    let theirs = Entity::find().filter(Column::UserId.eq(user_id));
    page(db, theirs, &[Column::Id], id(after), limit).await
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
