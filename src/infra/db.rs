//! Connecting to SQLite or PostgreSQL and applying migrations. The two
//! handles it returns are wrapped by `store`, the only module that queries or
//! writes: `reader` for queries, `writer` for write transactions.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr,
    TransactionTrait,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

use super::config::{DatabaseSettings, SqliteSync};

/// How long a SQLite connection waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The service's connections: `reader` for queries, `writer` for everything
/// that writes. On SQLite the writer is one connection, so writers queue
/// fairly for it instead of sleeping in SQLite's busy handler, and readers
/// (which WAL never blocks) keep the other connections. On PostgreSQL both
/// are the same pool.
#[derive(Clone)]
pub struct Pools {
    pub reader: DatabaseConnection,
    pub writer: DatabaseConnection,
}

/// How many connections a pool holds, and how many of them are idle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
}

impl Pools {
    /// Whether reader and writer are one pool (PostgreSQL).
    pub fn shared(&self) -> bool {
        self.reader.get_database_backend() == DbBackend::Postgres
    }

    pub async fn close(self) -> Result<(), DbErr> {
        let shared = self.shared();
        self.reader.close().await?;
        if !shared {
            self.writer.close().await?;
        }
        Ok(())
    }
}

/// The pool's connections now.
pub fn pool_stats(db: &DatabaseConnection) -> PoolStats {
    let (size, idle) = match db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
    };
    PoolStats {
        size,
        idle: u32::try_from(idle).unwrap_or(u32::MAX),
    }
}

pub async fn connect(settings: &DatabaseSettings) -> Result<Pools, DbErr> {
    let reader = connect_pool(settings, settings.max_connections).await?;
    let writer = match reader.get_database_backend() {
        DbBackend::Sqlite => connect_pool(settings, 1).await?,
        _ => reader.clone(),
    };
    Ok(Pools { reader, writer })
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

/// Applies pending migrations through the writer. On PostgreSQL an advisory
/// lock held for the migration's transaction keeps instances starting
/// together from racing.
pub async fn migrate(writer: &DatabaseConnection) -> Result<(), DbErr> {
    match writer.get_database_backend() {
        DbBackend::Postgres => {
            let txn = writer.begin().await?;
            txn.execute_unprepared("SELECT pg_advisory_xact_lock(4242177001)")
                .await?;
            Migrator::up(&txn, None).await?;
            txn.commit().await
        }
        _ => Migrator::up(writer, None).await,
    }
}
