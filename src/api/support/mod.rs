//! What several tags share: the signed-in person, field checks, refusals as
//! problems, keyset paging and cursors, entity tags, fixed lists, a habit's
//! schedule, timestamps, the values the document's examples share, and the
//! one empty answer.

pub mod bounded;
pub mod choice;
pub mod day;
pub mod etag;
pub mod examples;
pub mod fields;
pub mod nullable;
pub mod paging;
pub mod refusal;
pub mod schedule;
pub mod streamed;
pub mod timestamp;

use chrono::NaiveDate;
use poem_openapi::ApiResponse;

use crate::{
    domain::calendar::local_today,
    http::{bearer::AuthUser, state::AppState},
    service::{self, Unit},
    store::{Lock, users::User},
};

/// Begins a use-case's unit on the writer, taking `lock`, at the clock's now.
pub async fn begin(state: &AppState, lock: Lock) -> Result<Unit, service::Error> {
    Unit::begin(&state.writer, lock, state.clock.now()).await
}

#[derive(ApiResponse)]
pub enum Deleted {
    /// Done.
    #[oai(status = 204)]
    Deleted,
}

/// The signed-in person and their local today.
pub struct Person {
    pub user: User,
    pub today: NaiveDate,
}

impl Person {
    pub fn of(state: &AppState, auth: &AuthUser) -> Self {
        let user = auth.user.clone();
        let today = local_today(state.clock.now(), user.timezone, user.day_starts_at_hour);
        Self { user, today }
    }
}
