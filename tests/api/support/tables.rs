//! Where a person is in the database: every table, read behind the app's
//! back, searched for the values that identify them, and the one list of
//! tables that can hold a person, with where each shows in their export or
//! why it holds nothing of theirs to export. The export and erasure tests
//! share the list, so that a new table that holds people fails both until
//! it is placed in it.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use uuid::Uuid;

use super::{Session, TestApp};

/// A value that identifies a person wherever it is stored.
#[derive(Debug, Clone)]
pub enum Needle {
    /// An id (theirs, or one of their habits'), stored as a UUID.
    Id(Uuid),
    /// Text: their email, or the hash the login limits count it under.
    Text(String),
}

/// What identifies `person` in storage: their id, their email, its hash
/// (the failed-login counters' key), and the ids of their habits.
pub fn needles_of(person: &Session, habit_ids: &[String]) -> Vec<Needle> {
    let mut needles = vec![
        Needle::Id(person.user_id.parse().unwrap()),
        Needle::Text(person.email.clone()),
        Needle::Text(kindling::auth::tokens::hash_secret(&person.email)),
    ];
    needles.extend(habit_ids.iter().map(|id| Needle::Id(id.parse().unwrap())));
    needles
}

/// Where rows of a table that hold a person show in their export.
#[derive(Debug, Clone, Copy)]
pub enum Exported {
    /// One item of these lists of the export per row whose column `owner`
    /// is the person (other rows may name them too: a thanks they gave is
    /// in the ledger of the person thanked).
    Each {
        lists: &'static [&'static str],
        owner: &'static str,
    },
    /// In this field of the export, summed up (an object, or fewer items
    /// than rows).
    Summed(&'static str),
    /// Not exported: the rows hold nothing to give the person (the list
    /// says why).
    Not,
}

/// Every table that can hold a person, and where it shows in their export.
pub const PERSONAL_TABLES: &[(&str, Exported)] = &[
    ("users", Exported::Summed("account")),
    ("refresh_tokens", Exported::Summed("logins")),
    (
        "habits",
        Exported::Each {
            lists: &["habits"],
            owner: "user_id",
        },
    ),
    (
        "check_ins",
        Exported::Each {
            lists: &["check_ins"],
            owner: "user_id",
        },
    ),
    (
        "sync_tombstones",
        Exported::Each {
            lists: &["deleted_habits", "undone_check_ins"],
            owner: "user_id",
        },
    ),
    (
        "pauses",
        Exported::Each {
            lists: &["pauses"],
            owner: "user_id",
        },
    ),
    // A cache of each habit's streak, computed from its check-ins.
    ("streak_checkpoints", Exported::Not),
    (
        "org_members",
        Exported::Each {
            lists: &["organisations"],
            owner: "user_id",
        },
    ),
    (
        "team_members",
        Exported::Each {
            lists: &["teams"],
            owner: "user_id",
        },
    ),
    (
        "invitations",
        Exported::Each {
            lists: &["invitations"],
            owner: "created_by",
        },
    ),
    (
        "acts",
        Exported::Each {
            lists: &["acts"],
            owner: "author_id",
        },
    ),
    (
        "act_recipients",
        Exported::Each {
            lists: &["received"],
            owner: "user_id",
        },
    ),
    (
        "xp_entries",
        Exported::Each {
            lists: &["xp_entries"],
            owner: "user_id",
        },
    ),
    ("xp_balances", Exported::Summed("xp_total")),
    (
        "user_badges",
        Exported::Each {
            lists: &["badges"],
            owner: "user_id",
        },
    ),
    // Counts of failed password attempts for 15 minutes, under a hash of
    // the email.
    ("rate_limit_windows", Exported::Not),
];

/// How many rows of `table` have the person `id` in `column`.
pub async fn rows_of(app: &TestApp, table: &str, column: &str, id: &str) -> i64 {
    let backend = app.db.get_database_backend();
    let condition = holds(backend, column, &Needle::Id(id.parse().unwrap()));
    app.number(&format!(
        "SELECT COUNT(*) AS n FROM \"{table}\" WHERE {condition}"
    ))
    .await
}

/// Every table of the app's database with how many of its rows hold one
/// of `needles` in some column; tables with none are left out.
pub async fn tables_holding(app: &TestApp, needles: &[Needle]) -> BTreeMap<String, i64> {
    let backend = app.db.get_database_backend();
    let mut found = BTreeMap::new();
    for table in strings(app, backend, &tables_sql(backend)).await {
        let columns = strings(app, backend, &columns_sql(backend, &table)).await;
        let any: Vec<String> = columns
            .iter()
            .flat_map(|column| {
                needles
                    .iter()
                    .map(move |needle| holds(backend, column, needle))
            })
            .collect();
        let rows = app
            .number(&format!(
                "SELECT COUNT(*) AS n FROM \"{table}\" WHERE {}",
                any.join(" OR ")
            ))
            .await;
        if rows > 0 {
            found.insert(table, rows);
        }
    }
    found
}

fn tables_sql(backend: DbBackend) -> String {
    match backend {
        DbBackend::Sqlite => "SELECT name AS s FROM sqlite_master WHERE type = 'table' \
                              AND name NOT LIKE 'sqlite_%'"
            .to_owned(),
        _ => "SELECT table_name::text AS s FROM information_schema.tables \
              WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            .to_owned(),
    }
}

fn columns_sql(backend: DbBackend, table: &str) -> String {
    match backend {
        DbBackend::Sqlite => format!("SELECT name AS s FROM pragma_table_info('{table}')"),
        _ => format!(
            "SELECT column_name::text AS s FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = '{table}'"
        ),
    }
}

/// The SQL condition that `column` holds `needle`, as that backend stores
/// it (SQLite keeps a UUID as 16 bytes).
fn holds(backend: DbBackend, column: &str, needle: &Needle) -> String {
    let text = match needle {
        Needle::Id(id) => id.to_string(),
        Needle::Text(text) => text.clone(),
    };
    match (backend, needle) {
        (DbBackend::Sqlite, Needle::Id(id)) => format!(
            "(hex(\"{column}\") = '{}' OR CAST(\"{column}\" AS TEXT) LIKE '%{text}%')",
            id.simple().to_string().to_uppercase()
        ),
        (DbBackend::Sqlite, Needle::Text(_)) => {
            format!("CAST(\"{column}\" AS TEXT) LIKE '%{text}%'")
        }
        _ => format!("CAST(\"{column}\" AS TEXT) ILIKE '%{text}%'"),
    }
}

async fn strings(app: &TestApp, backend: DbBackend, sql: &str) -> Vec<String> {
    app.db
        .query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .expect("running SQL")
        .iter()
        .map(|row| row.try_get::<String>("", "s").expect("a name"))
        .collect()
}
