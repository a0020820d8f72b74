//! Write transactions, the only way anything is written: every function of
//! `store` that writes takes a [`WriteTxn`], and the one way to get one is
//! [`Writer::begin`], which takes the row lock the use-case needs first.
//!
//! On PostgreSQL, writes take their locks in one order, so that two never
//! wait on each other in a cycle: the [`Lock`] row first (a person's or an
//! organisation's); then the XP balances the write moves, all at once in
//! user-id order when it moves several (`xp::lock_balances`); then the
//! advisory lock of
//! challenges being set (`challenges::wait_for_new`, `hold_for_new`); then
//! challenge rows, and streak checkpoints, in id order. A write holding an
//! organisation's lock moves nobody's balance, but for an erasure, which
//! holds the person's row, then the organisations they own in id order,
//! and deletes the person's balance last, with their account. A refresh or
//! a login, which learn whose they are as they go, take the person's row
//! before they write; a write that will refer to other people (kudos to
//! them, their membership) holds their rows (`users::hold`) before it reads
//! whether they are there.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    EntityTrait, ExecResult, QueryFilter, QueryResult, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

use crate::infra::db::{PoolStats, pool_stats};

/// The handle that writes (see [`crate::infra::db::Pools`]).
#[derive(Clone)]
pub struct Writer(DatabaseConnection);

/// The row a write locks before anything else, so that writes that must not
/// interleave run one at a time on PostgreSQL as they do on SQLite (where the
/// single writer connection serialises every write anyway), and each reads
/// what the one before it committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// No row: the write's own statements are atomic enough.
    Nothing,
    /// The person's row: their habits, check-ins, pauses, sync sequence and
    /// the acts they log (the daily limit counts them).
    Person(Uuid),
    /// The organisation's row: its memberships (it must always keep an
    /// owner, and nobody joins a team while leaving its organisation).
    Org(Uuid),
}

/// A transaction on the writer, holding its [`Lock`] until it commits or is
/// dropped (which rolls it back).
pub struct WriteTxn(DatabaseTransaction);

impl Writer {
    pub fn new(connection: DatabaseConnection) -> Self {
        Self(connection)
    }

    /// Begins a write transaction and takes `lock`; a [`Lock::Person`]
    /// whose account is gone is `DbErr::RecordNotFound`. On SQLite it is `BEGIN
    /// IMMEDIATE`: a deferred transaction that reads and then writes fails at
    /// once with SQLITE_BUSY when another connection wrote in between,
    /// whatever the busy timeout; an immediate one takes the write lock up
    /// front.
    pub async fn begin(&self, lock: Lock) -> Result<WriteTxn, DbErr> {
        let txn = self
            .0
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        match lock {
            Lock::Nothing => {}
            Lock::Person(user_id) => {
                use entity::users::{Column, Entity};
                if !lock_row::<Entity>(&txn, Column::Id, Column::SyncSeq, user_id).await? {
                    return Err(DbErr::RecordNotFound(format!("user {user_id}")));
                }
            }
            Lock::Org(org_id) => {
                use entity::organisations::{Column, Entity};
                lock_row::<Entity>(&txn, Column::Id, Column::UpdatedAt, org_id).await?;
            }
        }
        Ok(WriteTxn(txn))
    }

    pub fn stats(&self) -> PoolStats {
        pool_stats(&self.0)
    }

    pub async fn close(self) -> Result<(), DbErr> {
        self.0.close().await
    }
}

/// Takes the row's lock on PostgreSQL with an update that changes nothing
/// (`column` set to itself); on SQLite the transaction holds the write lock
/// already. Whether the row is there.
pub(super) async fn lock_row<E: EntityTrait>(
    txn: &impl ConnectionTrait,
    id: E::Column,
    column: E::Column,
    key: Uuid,
) -> Result<bool, DbErr> {
    let result = E::update_many()
        .col_expr(column, Expr::col(column))
        .filter(id.eq(key))
        .exec(txn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Takes a PostgreSQL advisory lock on `key` within `space` until the
/// transaction ends: shared holders run side by side, an exclusive one
/// waits for them and they for it (in the lock manager's fair queue, with
/// no row written), so that whichever runs second reads what the first
/// committed. Keys are folded to 32 bits: two keys that fold alike only
/// wait for each other. On SQLite the transaction holds the write lock
/// already.
pub(super) async fn advisory_lock(
    txn: &impl ConnectionTrait,
    space: i32,
    key: Uuid,
    shared: bool,
) -> Result<(), DbErr> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let bits = key.as_u128();
    let folded = (bits ^ (bits >> 32) ^ (bits >> 64) ^ (bits >> 96)) as u32 as i32;
    let function = if shared {
        "pg_advisory_xact_lock_shared"
    } else {
        "pg_advisory_xact_lock"
    };
    txn.query_one_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT {function}($1, $2)"),
        [space.into(), folded.into()],
    ))
    .await?;
    Ok(())
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.0.commit().await
    }
}

/// Reads and writes inside the transaction.
#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.0.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.0.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.0.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.0.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.0.query_all_raw(stmt).await
    }
}
