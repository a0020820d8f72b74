//! `/v1/me`: the signed-in person's own account, its export and its
//! erasure.

use poem::web::Data;
use poem_openapi::{ApiResponse, Object, OpenApi, payload::Json, types::Example};

use super::{
    ApiTag,
    auth::{EXAMPLE_PASSWORD, gate},
    export::{self, ExportDocument},
    support::{
        Deleted, Person, begin,
        bounded::{Int, Text, Visible},
        fields::Fields,
        streamed::StreamedJson,
    },
    views::UserView,
};
use crate::{
    domain::account::{DayStartHour, DisplayName, parse_timezone},
    http::{
        bearer::{BearerAuth, account_gone},
        edge::ClientAddr,
        problem::{Problem, status::*},
        state::AppState,
    },
    service,
    store::{self, Lock, users::ProfileChanges},
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

/// The password that confirms an erasure.
#[derive(Debug, Object)]
#[oai(example)]
pub struct EraseMeRequest {
    /// The account's password.
    pub password: String,
}

impl Example for EraseMeRequest {
    fn example() -> Self {
        Self {
            password: EXAMPLE_PASSWORD.to_owned(),
        }
    }
}

#[derive(ApiResponse)]
pub enum ExportResponse {
    /// Everything the service holds about the caller, written as it is
    /// read; a failure half-way breaks the transfer off rather than end the
    /// document short.
    #[oai(status = 200)]
    Ok(
        StreamedJson<ExportDocument>,
        /// `attachment; filename="kindling-export-<local date>.json"`.
        #[oai(header = "Content-Disposition")]
        String,
        /// `no-store`: the export is for the caller alone.
        #[oai(header = "Cache-Control")]
        String,
    ),
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

    /// Export my data
    ///
    /// Everything the service holds about the caller, as one JSON document
    /// to keep or take elsewhere (`Content-Disposition: attachment`): the
    /// account, every habit (archived ones too) with every check-in, note
    /// and mood, pauses, memberships, the acts and kudos they wrote and
    /// received, the XP ledger, badges and logins. It is read from one
    /// snapshot of the database and written a page at a time, however
    /// long the history.
    #[oai(path = "/export", method = "get", operation_id = "export_me")]
    async fn export(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
    ) -> Result<ExportResponse, Problem<UNAUTHORIZED>> {
        let snapshot = store::export::snapshot(&state.reader).await?;
        let user = store::users::find(&snapshot, auth.0.id)
            .await?
            .ok_or_else(account_gone)?;
        let today = Person::of(&state, &auth.0).today;
        let body = export::body(snapshot, user, state.clock.now());
        Ok(ExportResponse::Ok(
            StreamedJson::new(body),
            format!("attachment; filename=\"kindling-export-{today}.json\""),
            "no-store".to_owned(),
        ))
    }

    /// Erase my account
    ///
    /// Erases the account and all the person's data in one transaction,
    /// once the password confirms it: habits, check-ins, notes, moods,
    /// pauses, memberships, XP, badges and logins. Every token of the
    /// account stops working at once. Acts and kudos the person wrote stay
    /// in their teams' feeds, signed "a former colleague", and kudos they
    /// received stay without them. An organisation they own with nobody
    /// else in it is erased with them; the sole owner of one with other
    /// members gets 409 `last_owner` until they make another member owner.
    /// A wrong password is a 403 `wrong_password`, counted and limited with
    /// the account's logins (429 `too_many_login_attempts`). The email
    /// address may register again.
    #[oai(path = "/", method = "delete", operation_id = "erase_me")]
    async fn erase(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        client: Data<&ClientAddr>,
        body: Json<EraseMeRequest>,
    ) -> Result<Deleted, Problem<{ JSON_BODY | UNAUTHORIZED | FORBIDDEN | CONFLICT }>> {
        service::account::erase(&gate(&state, &client), &auth.0.user, body.0.password).await?;
        Ok(Deleted::Deleted)
    }
}
