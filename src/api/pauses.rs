//! `/v1/me/pauses`: days on which no habit is due and no streak counts or
//! breaks. No reason is asked.

use poem::web::Data;
use poem_openapi::{ApiResponse, Object, OpenApi, param::Path, payload::Json, types::Example};
use uuid::Uuid;

use super::{
    ApiTag,
    support::{Deleted, Person, begin, day::Day, examples, timestamp::Timestamp},
};
use crate::{
    http::{
        bearer::BearerAuth,
        problem::{Problem, status::*},
        state::AppState,
    },
    service,
    store::{self, Lock},
};

#[derive(Default)]
pub struct PausesApi;

/// A pause to declare.
#[derive(Debug, Object)]
#[oai(example)]
pub struct CreatePauseRequest {
    /// First paused local date; at most 30 days before today and 366 after.
    pub starts_on: Day,
    /// Last paused local date; a pause lasts at most 90 days.
    pub ends_on: Day,
}

/// The winter holidays.
impl Example for CreatePauseRequest {
    fn example() -> Self {
        let pause = PauseView::example();
        Self {
            starts_on: pause.starts_on,
            ends_on: pause.ends_on,
        }
    }
}

/// A pause.
#[derive(Debug, Object)]
#[oai(example)]
pub struct PauseView {
    /// The pause's id.
    pub id: Uuid,
    /// First paused local date.
    pub starts_on: Day,
    /// Last paused local date.
    pub ends_on: Day,
    /// When it was declared.
    pub created_at: Timestamp,
}

impl Example for PauseView {
    fn example() -> Self {
        Self {
            id: examples::PAUSE,
            starts_on: examples::day("2026-12-21"),
            ends_on: examples::day("2027-01-03"),
            created_at: examples::at("2026-11-20T19:04:26Z"),
        }
    }
}

impl From<entity::pauses::Model> for PauseView {
    fn from(pause: entity::pauses::Model) -> Self {
        Self {
            id: pause.id,
            starts_on: Day(pause.starts_on),
            ends_on: Day(pause.ends_on),
            created_at: pause.created_at.into(),
        }
    }
}

/// The caller's pauses.
#[derive(Debug, Object)]
#[oai(example)]
pub struct PauseList {
    /// Every pause, earliest first.
    pub items: Vec<PauseView>,
}

impl Example for PauseList {
    fn example() -> Self {
        Self {
            items: vec![PauseView::example()],
        }
    }
}

#[derive(ApiResponse)]
pub enum CreatePauseResponse {
    /// The pause was declared.
    #[oai(status = 201)]
    Created(Json<PauseView>),
}

#[derive(ApiResponse)]
pub enum PauseListResponse {
    /// The pauses.
    #[oai(status = 200)]
    Ok(Json<PauseList>),
}

#[OpenApi(prefix_path = "/v1/me/pauses", tag = "ApiTag::Pauses")]
impl PausesApi {
    /// Declare a pause
    ///
    /// Pauses every habit from `starts_on` to `ends_on` (local dates,
    /// inclusive): those days are not due and neither count nor break any
    /// streak. At most 90 days, starting at most 30 days back and at most
    /// 366 days ahead.
    #[oai(path = "/", method = "post", operation_id = "create_pause")]
    async fn create(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        body: Json<CreatePauseRequest>,
    ) -> Result<CreatePauseResponse, Problem<{ JSON_BODY | UNAUTHORIZED | CONFLICT }>> {
        let person = Person::of(&state, &auth.0);
        let mut unit = begin(&state, Lock::Person(auth.0.id)).await?;
        let pause = service::pauses::create(
            &mut unit,
            auth.0.id,
            person.today,
            body.starts_on.0,
            body.ends_on.0,
        )
        .await?;
        unit.commit().await?;
        Ok(CreatePauseResponse::Created(Json(pause.into())))
    }

    /// List my pauses
    ///
    /// Every pause the caller declared, earliest first.
    #[oai(path = "/", method = "get", operation_id = "list_pauses")]
    async fn list(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
    ) -> Result<PauseListResponse, Problem<UNAUTHORIZED>> {
        let items = store::pauses::list(&state.reader, auth.0.id)
            .await?
            .into_iter()
            .map(PauseView::from)
            .collect();
        Ok(PauseListResponse::Ok(Json(PauseList { items })))
    }

    /// End a pause
    ///
    /// Deletes the pause: its days count as ordinary days again.
    #[oai(path = "/:id", method = "delete", operation_id = "delete_pause")]
    async fn delete(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The pause's id.
        id: Path<Uuid>,
    ) -> Result<Deleted, Problem<{ UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>> {
        let mut unit = begin(&state, Lock::Person(auth.0.id)).await?;
        service::pauses::delete(&mut unit, auth.0.id, id.0).await?;
        unit.commit().await?;
        Ok(Deleted::Deleted)
    }
}
