//! Black-box tests through HTTP, compiled into one binary. Each test that
//! touches storage runs on SQLite and, with `KINDLING_TEST_DATABASE_URL`, on
//! PostgreSQL (see `support::harness::db_test!`).

mod support;

mod acts;
mod auth;
mod challenges;
mod check_ins;
mod edge;
mod game;
mod game_props;
mod habits;
mod leaderboard;
mod me;
mod my_data;
mod operations;
mod orgs;
mod privacy;
mod sync;
mod team_streaks;
mod teams;
mod tokens;
