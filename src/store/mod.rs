//! Queries and transactions over sea-orm, one module per aggregate. Called by
//! `service` for every write and by `api` for reads; calls `domain` for the
//! types it stores. Reads take `&impl ConnectionTrait` (the reader, or a
//! write transaction); writes take a [`WriteTxn`], the only way to write.

pub mod acts;
pub mod challenges;
pub mod check_ins;
pub mod constraints;
pub mod export;
pub mod habits;
pub mod orgs;
pub mod pauses;
pub mod rate_limits;
pub mod refresh_tokens;
pub mod service_settings;
pub mod streaks;
pub mod sync;
pub mod team_streaks;
pub mod teams;
pub mod users;
mod write;
pub mod xp;

pub use write::{Lock, WriteTxn, Writer};

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Select};

use crate::domain::{names::Named, streak::WeekdaySet};

/// The row `select` finds by a unique key (a primary key, an email), if
/// any. Read with no `LIMIT`: sea-orm's `.one()` binds its `LIMIT 1` as a
/// parameter, which SQLite takes as part of the plan and so prepares the
/// statement again on every call (12% of the CPU of `GET /v1/me`, on the
/// person lookup of every authenticated request); a unique key finds one
/// row at most anyway.
async fn row<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
) -> Result<Option<E::Model>, DbErr> {
    Ok(select.all(db).await?.into_iter().next())
}

/// The row `select` finds by a unique key ([`row`]), read back as its
/// typed record.
async fn one<E, T>(db: &impl ConnectionTrait, select: Select<E>) -> Result<Option<T>, DbErr>
where
    E: EntityTrait,
    T: TryFrom<E::Model, Error = DbErr>,
{
    row(db, select).await?.map(T::try_from).transpose()
}

/// Every row `select` finds, read back as typed records.
async fn all<E, T>(db: &impl ConnectionTrait, select: Select<E>) -> Result<Vec<T>, DbErr>
where
    E: EntityTrait,
    T: TryFrom<E::Model, Error = DbErr>,
{
    select.all(db).await?.into_iter().map(T::try_from).collect()
}

/// A stored name read back as its enum. The column only ever holds names
/// the enum wrote, so anything else is a corrupt row.
fn named<T: Named>(column: &str, raw: &str) -> Result<T, DbErr> {
    T::parse(raw)
        .map_err(|_| DbErr::Type(format!("{column} holds {raw:?}, which is no known name")))
}

/// ISO weekdays as a column holds them: comma separated, Monday first
/// (`1,3,5`).
fn weekdays_column(days: WeekdaySet) -> String {
    days.days()
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A weekdays column read back (it only ever holds sets it was given).
fn weekdays_from_column(column: &str, raw: &str) -> Result<WeekdaySet, DbErr> {
    let corrupt = || {
        DbErr::Type(format!(
            "{column} holds {raw:?}, which is no set of weekdays"
        ))
    };
    let days: Vec<i64> = raw
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| corrupt())?;
    WeekdaySet::parse(&days).map_err(|_| corrupt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::OrgRole;

    #[test]
    fn weekdays_are_stored_in_order_and_read_back() {
        let days = WeekdaySet::parse(&[5, 1, 3]).unwrap();
        assert_eq!(weekdays_column(days), "1,3,5");
        assert_eq!(weekdays_from_column("c", "1,3,5").unwrap(), days);
        for corrupt in ["", "1,,3", "0", "1,8", "mon"] {
            assert!(weekdays_from_column("c", corrupt).is_err(), "{corrupt:?}");
        }
    }

    #[test]
    fn a_stored_name_that_is_no_value_is_a_corrupt_row() {
        assert_eq!(named::<OrgRole>("r", "hr").unwrap(), OrgRole::Hr);
        assert!(named::<OrgRole>("r", "boss").is_err());
    }
}
