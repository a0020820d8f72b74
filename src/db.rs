//! Connecting to SQLite or PostgreSQL, applying migrations, and starting write
//! transactions that never fail with "database is locked".

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

use crate::config::{DatabaseSettings, SqliteSync};

/// How long a SQLite connection waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The service's connections: `read` for queries, `write` for everything
/// that writes. On SQLite the writer is one connection, so writers queue
/// fairly for it instead of sleeping in SQLite's busy handler, and readers
/// (which WAL never blocks) keep the other connections. On PostgreSQL both
/// are the same pool.
#[derive(Clone)]
pub struct Pools {
    pub read: DatabaseConnection,
    pub write: DatabaseConnection,
}

impl Pools {
    pub async fn close(self) -> Result<(), DbErr> {
        let shared = self.read.get_database_backend() == DbBackend::Postgres;
        self.read.close().await?;
        if !shared {
            self.write.close().await?;
        }
        Ok(())
    }
}

pub async fn connect(settings: &DatabaseSettings) -> Result<Pools, DbErr> {
    let read = connect_pool(settings, settings.max_connections).await?;
    let write = match read.get_database_backend() {
        DbBackend::Sqlite => connect_pool(settings, 1).await?,
        _ => read.clone(),
    };
    Ok(Pools { read, write })
}

async fn connect_pool(
    settings: &DatabaseSettings,
    max_connections: u32,
) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(settings.url.clone());
    let synchronous = match settings.sqlite_synchronous {
        SqliteSync::Full => SqliteSynchronous::Full,
        SqliteSync::Normal => SqliteSynchronous::Normal,
    };
    options
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |sqlite| {
            sqlite
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(synchronous)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
        });
    Database::connect(options).await
}

/// Applies pending migrations. On PostgreSQL an advisory lock held for the
/// migration's transaction keeps instances starting together from racing.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin().await?;
            txn.execute_unprepared("SELECT pg_advisory_xact_lock(4242177001)")
                .await?;
            Migrator::up(&txn, None).await?;
            txn.commit().await
        }
        _ => Migrator::up(db, None).await,
    }
}

/// Begins a transaction that will write, on the writer. On SQLite it is
/// `BEGIN IMMEDIATE`: a deferred transaction that reads and then writes fails
/// at once with SQLITE_BUSY when another connection wrote in between,
/// whatever the busy timeout; an immediate one takes the write lock up front.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
