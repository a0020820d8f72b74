//! The database schema, as an ordered list of sea-orm migrations. The service
//! applies them at start-up (and `kindling migrate` applies them alone); tests
//! build every database through them, so the migrations are what is tested.

pub use sea_orm_migration::prelude::*;

mod schema_helpers;

mod m20261127_000001_create_accounts;
mod m20261127_000002_create_habits;
mod m20261127_000003_create_organisations;
mod m20261127_000004_create_acts;
mod m20261202_000005_create_game;
mod m20261203_000006_create_challenges;
mod m20261203_000007_remember_ended_streaks;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_create_accounts::Migration),
            Box::new(m20261127_000002_create_habits::Migration),
            Box::new(m20261127_000003_create_organisations::Migration),
            Box::new(m20261127_000004_create_acts::Migration),
            Box::new(m20261202_000005_create_game::Migration),
            Box::new(m20261203_000006_create_challenges::Migration),
            Box::new(m20261203_000007_remember_ended_streaks::Migration),
        ]
    }
}
