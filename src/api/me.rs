//! `/v1/me`: the signed-in person's own account.

use poem::web::Data;
use poem_openapi::{ApiResponse, Object, OpenApi, payload::Json, types::Example};

use super::{
    ApiTag,
    support::{
        begin,
        bounded::{Int, Text, Visible},
        fields::Fields,
    },
    views::UserView,
};
use crate::{
    domain::account::{DayStartHour, DisplayName, parse_timezone},
    http::{
        bearer::BearerAuth,
        problem::{Problem, status::*},
        state::AppState,
    },
    service,
    store::{Lock, users::ProfileChanges},
};

#[derive(Default)]
pub struct MeApi;

/// Changes to the account; fields left out stay as they are.
#[derive(Debug, Object)]
#[oai(example, skip_serializing_if_is_none)]
pub struct UpdateMeRequest {
    /// The name colleagues see, 1 to 80 characters, NFKC-normalised;
    /// invisible and direction characters are refused.
    pub display_name: Option<Text<1, { DisplayName::MAX_CHARS }, Visible>>,
    /// IANA timezone, e.g. `America/New_York`.
    pub timezone: Option<String>,
    /// Hour (0–6) at which the day begins: with 2, a check-in at 01:30 counts
    /// for the day before.
    pub day_starts_at_hour: Option<Int<0, { DayStartHour::LATEST }>>,
}

/// A night owl's day: it begins at 02:00.
impl Example for UpdateMeRequest {
    fn example() -> Self {
        Self {
            display_name: None,
            timezone: None,
            day_starts_at_hour: Some(Int(2)),
        }
    }
}

#[derive(ApiResponse)]
pub enum MeResponse {
    /// The account.
    #[oai(status = 200)]
    Ok(Json<UserView>),
}

#[OpenApi(prefix_path = "/v1/me", tag = "ApiTag::Me")]
impl MeApi {
    /// Read my account
    ///
    /// The signed-in person's account.
    #[oai(path = "/", method = "get", operation_id = "get_me")]
    async fn get(&self, auth: BearerAuth) -> Result<MeResponse, Problem<UNAUTHORIZED>> {
        Ok(MeResponse::Ok(Json(auth.0.user.into())))
    }

    /// Change my account
    ///
    /// Changes the display name, timezone or day start. Every invalid field is
    /// reported in one 422; nothing changes unless all are valid.
    #[oai(path = "/", method = "patch", operation_id = "update_me")]
    async fn update(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        body: Json<UpdateMeRequest>,
    ) -> Result<MeResponse, Problem<{ JSON_BODY | UNAUTHORIZED }>> {
        let body = body.0;
        let mut fields = Fields::default();
        let display_name = fields.check_optional("display_name", body.display_name, |v| {
            DisplayName::parse(&v)
        });
        let timezone = fields.check_optional("timezone", body.timezone, |v| parse_timezone(&v));
        let day_starts_at_hour = fields.check_optional(
            "day_starts_at_hour",
            body.day_starts_at_hour.map(Int::get),
            DayStartHour::parse,
        );
        let (Some(display_name), Some(timezone), Some(day_starts_at_hour)) =
            (display_name, timezone, day_starts_at_hour)
        else {
            return Err(fields.into_error().into());
        };

        let changes = ProfileChanges {
            display_name,
            timezone,
            day_starts_at_hour,
        };
        let mut unit = begin(&state, Lock::Person(auth.0.id)).await?;
        let user = service::account::update_profile(&mut unit, auth.0.id, changes).await?;
        unit.commit().await?;
        Ok(MeResponse::Ok(Json(user.into())))
    }
}
