//! `/v1/me/pauses`: days on which no habit is due and no streak counts or
//! breaks. No reason is asked.

use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::{ApiResponse, Object, OpenApi, param::Path, payload::Json};
use uuid::Uuid;

use super::{ApiTag, habits::Deleted, person, timestamp::Timestamp};
use crate::{
    app::AppState,
    auth::scheme::BearerAuth,
    domain::habit::check_pause,
    error::{ApiError, FieldError, Problem, status::*},
    store,
};

pub struct PausesApi;

/// A pause to declare.
#[derive(Debug, Object)]
pub struct CreatePauseRequest {
    /// First paused local date; at most 30 days before today.
    pub starts_on: NaiveDate,
    /// Last paused local date; a pause lasts at most 90 days.
    pub ends_on: NaiveDate,
}

/// A pause.
#[derive(Debug, Object)]
pub struct PauseView {
    /// The pause's id.
    pub id: Uuid,
    /// First paused local date.
    pub starts_on: NaiveDate,
    /// Last paused local date.
    pub ends_on: NaiveDate,
    /// When it was declared.
    pub created_at: Timestamp,
}

impl From<entity::pauses::Model> for PauseView {
    fn from(pause: entity::pauses::Model) -> Self {
        Self {
            id: pause.id,
            starts_on: pause.starts_on,
            ends_on: pause.ends_on,
            created_at: pause.created_at.into(),
        }
    }
}

/// The caller's pauses.
#[derive(Debug, Object)]
pub struct PauseList {
    /// Every pause, earliest first.
    pub items: Vec<PauseView>,
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

/// Most pauses one person may keep.
const MAX_PAUSES: u64 = 100;

#[OpenApi(prefix_path = "/v1/me/pauses", tag = "ApiTag::Pauses")]
impl PausesApi {
    /// Declare a pause
    ///
    /// Pauses every habit from `starts_on` to `ends_on` (local dates,
    /// inclusive): those days are not due and neither count nor break any
    /// streak. At most 90 days, starting at most 30 days back.
    #[oai(path = "/", method = "post", operation_id = "create_pause")]
    async fn create(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        body: Json<CreatePauseRequest>,
    ) -> Result<CreatePauseResponse, Problem<{ JSON_BODY | UNAUTHORIZED | CONFLICT }>> {
        let person = person(&state, &auth.0).await?;
        check_pause(body.starts_on, body.ends_on, person.today).map_err(|(field, message)| {
            ApiError::validation(vec![FieldError::new(field, message)])
        })?;
        let txn = store::users::begin_personal_write(&state.writer, auth.0.id).await?;
        if store::pauses::count(&txn, person.user.id).await? >= MAX_PAUSES {
            return Err(ApiError::conflict(
                "pause_limit",
                format!("A person keeps at most {MAX_PAUSES} pauses; delete an old one first."),
            )
            .into());
        }
        let pause = store::pauses::insert(
            &txn,
            person.user.id,
            body.starts_on,
            body.ends_on,
            state.clock.now(),
        )
        .await?;
        txn.commit().await?;
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
        let items = store::pauses::list(&state.db, auth.0.id)
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
    ) -> Result<Deleted, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND }>> {
        let txn = store::users::begin_personal_write(&state.writer, auth.0.id).await?;
        let pause = store::pauses::find_owned(&txn, auth.0.id, id.0)
            .await?
            .ok_or_else(|| ApiError::not_found("pause"))?;
        store::pauses::delete(&txn, pause).await?;
        txn.commit().await?;
        Ok(Deleted::Deleted)
    }
}
