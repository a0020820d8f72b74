//! Acts of kindness and kudos: logging them in a team, the team feed,
//! withdrawing, thanks, and the kudos a person received. Acts are visible to
//! the team they were shared with and to nobody outside it; `recipients`
//! kudos only to their author and recipients ([`crate::domain::act::may_see`]).

use std::collections::{BTreeSet, HashSet};

use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{
    ApiTag,
    choice::{Choice, Choices},
    cursor,
    habits::parse_limit,
    teams::{OrgCalendar, authorize, team_decision},
    timestamp::Timestamp,
};
use crate::{
    app::AppState,
    auth::scheme::BearerAuth,
    domain::{
        access::{Decision, TeamAction},
        act::{
            self, ActFields, Kind, MAX_ACTS_PER_DAY, MAX_RECIPIENTS, Viewer, Visibility,
            check_visibility, parse_category, parse_message, parse_recipients,
        },
        calendar::next_day_starts,
        fields::Fields,
    },
    error::{ACTS_PKEY, ApiError, Problem, status::*, violates},
    store::{
        self,
        acts::{NewAct, Position},
    },
};

pub struct ActsApi;

pub struct ActKinds;

impl Choices for ActKinds {
    const NAME: &'static str = "ActKind";
    const VALUES: &'static [&'static str] = act::KINDS;
}

pub struct ActCategories;

impl Choices for ActCategories {
    const NAME: &'static str = "ActCategory";
    const VALUES: &'static [&'static str] = act::CATEGORIES;
}

pub struct ActVisibilities;

impl Choices for ActVisibilities {
    const NAME: &'static str = "ActVisibility";
    const VALUES: &'static [&'static str] = act::VISIBILITIES;
}

/// An act of kindness or kudos to log.
#[derive(Debug, Object)]
pub struct CreateActRequest {
    /// A client-chosen id (a UUID), so that an offline client can replay the
    /// create safely: the same id with the same fields returns the stored
    /// act (200); with other fields, or for a withdrawn act, it is 409
    /// `id_conflict`.
    pub id: Option<Uuid>,
    /// `act`: something you did or noticed; `kudos`: appreciation of named
    /// colleagues.
    pub kind: Choice<ActKinds>,
    /// What kind of kindness it was.
    pub category: Choice<ActCategories>,
    /// 1 to 500 characters, trimmed; line breaks are kept.
    pub message: String,
    /// Kudos only: 1 to 10 members of the team's organisation, never the
    /// author. Plain acts name nobody.
    pub recipient_ids: Option<Vec<Uuid>>,
    /// `team` (the default): every member of the team sees it;
    /// `recipients` (kudos only): only the author and the recipients do, and
    /// it counts for nothing in the team's streak and progress, which every
    /// member sees.
    pub visibility: Option<Choice<ActVisibilities>>,
}

/// Who logged an act.
#[derive(Debug, Object)]
pub struct ActAuthor {
    /// Their user id; `null` once they deleted their account.
    pub user_id: Option<Uuid>,
    /// The name colleagues see, or "a former colleague".
    pub display_name: String,
}

/// How an act by a deleted account is signed.
const FORMER_COLLEAGUE: &str = "a former colleague";

/// A person kudos named.
#[derive(Debug, Object)]
pub struct ActRecipient {
    /// Their user id.
    pub user_id: Uuid,
    /// The name colleagues see.
    pub display_name: String,
    /// When they thanked the author, if they did.
    pub thanked_at: Option<Timestamp>,
}

/// An act of kindness or kudos.
#[derive(Debug, Object)]
pub struct ActView {
    /// The act's id.
    pub id: Uuid,
    /// The team it was shared with.
    pub team_id: Uuid,
    /// `act` or `kudos`.
    pub kind: Choice<ActKinds>,
    /// What kind of kindness it was.
    pub category: Choice<ActCategories>,
    /// What the author wrote.
    pub message: String,
    /// Who logged it.
    pub author: ActAuthor,
    /// Who the kudos name, in user-id order; empty for a plain act.
    pub recipients: Vec<ActRecipient>,
    /// `team` or `recipients`.
    pub visibility: Choice<ActVisibilities>,
    /// The organisation's local date it counts for in the team streak.
    pub local_date: chrono::NaiveDate,
    /// When it was logged.
    pub created_at: Timestamp,
}

/// A page of acts, newest first.
#[derive(Debug, Object)]
pub struct ActPage {
    /// The acts on this page.
    pub items: Vec<ActView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(ApiResponse)]
pub enum CreateActResponse {
    /// The act was logged.
    #[oai(status = 201)]
    Created(
        Json<ActView>,
        /// Where the act lives.
        #[oai(header = "Location")]
        String,
    ),
    /// A replay of an earlier create with the same id and fields: the stored
    /// act.
    #[oai(status = 200)]
    Replayed(Json<ActView>),
}

#[derive(ApiResponse)]
pub enum Withdrawn {
    /// The act is withdrawn; withdrawing it again is a 404.
    #[oai(status = 204)]
    Withdrawn,
}

#[derive(ApiResponse)]
pub enum ActResponse {
    /// The act.
    #[oai(status = 200)]
    Ok(Json<ActView>),
}

#[derive(ApiResponse)]
pub enum ActPageResponse {
    /// A page of acts.
    #[oai(status = 200)]
    Ok(Json<ActPage>),
}

#[OpenApi(tag = "ApiTag::Acts")]
impl ActsApi {
    /// Log an act of kindness or kudos
    ///
    /// Members of the team log acts in it (a member of the organisation
    /// outside the team gets 403). Kudos name 1 to 10 members of the
    /// organisation, never the author (422). A person logs at most 20 acts a
    /// day in a team, on the organisation's calendar; withdrawn acts count
    /// too (429 `act_limit`, with `Retry-After` until the organisation's next
    /// day).
    #[oai(
        path = "/v1/teams/:team_id/acts",
        method = "post",
        operation_id = "create_act"
    )]
    async fn create(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The team's id.
        team_id: Path<Uuid>,
        body: Json<CreateActRequest>,
    ) -> Result<
        CreateActResponse,
        Problem<{ JSON_BODY | UNAUTHORIZED | FORBIDDEN | NOT_FOUND | CONFLICT }>,
    > {
        let author = auth.0.id;
        let mut invalid = Fields::default();
        let parsed = parse_act(&mut invalid, &body, author);
        let now = state.clock.now();

        let txn = store::users::begin_personal_write(&state.writer, author).await?;
        let team = authorize(&txn, team_id.0, author, TeamAction::PostAct).await?;
        if let (Some(id), Some(parsed)) = (body.id, &parsed)
            && let Some(existing) = store::acts::find(&txn, id).await?
        {
            let same = existing.author_id == Some(author)
                && existing.team_id == team.id
                && existing.withdrawn_at.is_none()
                && stored_fields(&txn, &existing).await? == *parsed;
            if !same {
                return Err(id_conflict().into());
            }
            txn.commit().await?;
            let view = act_views(&state.db, vec![existing]).await?.remove(0);
            return Ok(CreateActResponse::Replayed(Json(view)));
        }
        // Checked here, with the other fields, once the team's organisation
        // is known (a list too long is refused already).
        let recipient_ids = body.recipient_ids.as_deref().unwrap_or_default();
        let strangers = recipient_ids.len() <= MAX_RECIPIENTS && {
            let members =
                store::orgs::members_among(&txn, team.org_id, recipient_ids.iter().copied())
                    .await?;
            recipient_ids.iter().any(|id| !members.contains(id))
        };
        if strangers {
            invalid.check::<()>(
                "recipient_ids",
                Err("must all be members of the team's organisation".to_owned()),
            );
        }
        let (Some(fields), false) = (parsed, strangers) else {
            return Err(invalid.into_error().into());
        };
        let calendar = OrgCalendar::of(&txn, &team).await?;
        let today = calendar.today(now);
        if store::acts::logged_on(&txn, author, team.id, today).await?
            >= u64::from(MAX_ACTS_PER_DAY)
        {
            let retry_after = (next_day_starts(now, calendar.timezone) - now).num_seconds();
            return Err(ApiError::rate_limited(
                "act_limit",
                MAX_ACTS_PER_DAY,
                u64::try_from(retry_after).unwrap_or(1),
            )
            .into());
        }
        let new_act = NewAct {
            id: body.id.unwrap_or_else(Uuid::now_v7),
            team_id: team.id,
            author_id: author,
            fields,
            local_date: today,
        };
        let act = match store::acts::insert(&txn, new_act, now).await {
            Err(error) if violates(&error, &ACTS_PKEY) => return Err(id_conflict().into()),
            result => result?,
        };
        txn.commit().await?;
        let location = format!("/v1/acts/{}", act.id);
        let view = act_views(&state.db, vec![act]).await?.remove(0);
        Ok(CreateActResponse::Created(Json(view), location))
    }

    /// Read a team's feed
    ///
    /// The team's acts, newest first, for the team's members only (anyone
    /// else gets 404). Kudos shared with `recipients` show only to their
    /// author and recipients; withdrawn acts never show.
    #[oai(
        path = "/v1/teams/:team_id/acts",
        method = "get",
        operation_id = "list_team_acts"
    )]
    async fn feed(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The team's id.
        team_id: Path<Uuid>,
        /// Page size, 1 to 200 (default 50).
        limit: Query<Option<i64>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<ActPageResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>>
    {
        let limit = parse_limit(limit.0)?;
        let after = cursor::decode_after(FEED_CURSOR, cursor.0.as_deref())?;
        let team = authorize(&state.db, team_id.0, auth.0.id, TeamAction::ReadFeed).await?;
        let rows = store::acts::feed(&state.db, team.id, auth.0.id, after, limit + 1).await?;
        Ok(ActPageResponse::Ok(Json(
            act_page(&state.db, rows, limit, FEED_CURSOR).await?,
        )))
    }

    /// Read an act
    ///
    /// An act the caller may see: as its author, a recipient, or a member of
    /// its team when it is shared with the team. Anything else is 404.
    #[oai(path = "/v1/acts/:act_id", method = "get", operation_id = "get_act")]
    async fn get(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The act's id.
        act_id: Path<Uuid>,
    ) -> Result<ActResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND }>> {
        let (act, _) = visible_act(&state.db, act_id.0, auth.0.id).await?;
        let view = act_views(&state.db, vec![act]).await?.remove(0);
        Ok(ActResponse::Ok(Json(view)))
    }

    /// Withdraw an act
    ///
    /// The author withdraws their act: it leaves the feed, the recipients'
    /// kudos and the team's counts, and its message is erased. Whoever else
    /// can see it gets 403; anyone else, or a second withdrawal, 404. It
    /// still counts toward its author's daily limit.
    #[oai(
        path = "/v1/acts/:act_id",
        method = "delete",
        operation_id = "withdraw_act"
    )]
    async fn withdraw(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The act's id.
        act_id: Path<Uuid>,
    ) -> Result<Withdrawn, Problem<{ BAD_REQUEST | UNAUTHORIZED | FORBIDDEN | NOT_FOUND }>> {
        let txn = crate::db::begin_write(&state.writer).await?;
        let (act, viewer) = visible_act(&txn, act_id.0, auth.0.id).await?;
        if !viewer.is_author {
            return Err(ApiError::forbidden("Only its author may withdraw an act.").into());
        }
        if !store::acts::withdraw(&txn, &act, state.clock.now()).await? {
            return Err(act_not_found().into());
        }
        txn.commit().await?;
        Ok(Withdrawn::Withdrawn)
    }

    /// Thank the author
    ///
    /// A recipient of kudos thanks its author. Thanking again changes
    /// nothing and answers the same. Whoever else can see the act gets 403;
    /// anyone else 404.
    #[oai(
        path = "/v1/acts/:act_id/thanks",
        method = "put",
        operation_id = "thank_act"
    )]
    async fn thank(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The act's id.
        act_id: Path<Uuid>,
    ) -> Result<ActResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | FORBIDDEN | NOT_FOUND }>> {
        let txn = crate::db::begin_write(&state.writer).await?;
        let (act, viewer) = visible_act(&txn, act_id.0, auth.0.id).await?;
        if !viewer.is_recipient {
            return Err(ApiError::forbidden("Only a recipient may thank the author.").into());
        }
        store::acts::thank(&txn, act.id, auth.0.id, state.clock.now()).await?;
        let view = act_views(&txn, vec![act]).await?.remove(0);
        txn.commit().await?;
        Ok(ActResponse::Ok(Json(view)))
    }

    /// List my kudos
    ///
    /// Kudos that named the caller, newest first, from every team of every
    /// organisation; withdrawn ones never show. Kudos are the recipient's to
    /// keep: they stay here, and readable, after the recipient leaves the
    /// organisation.
    #[oai(path = "/v1/me/kudos", method = "get", operation_id = "list_my_kudos")]
    async fn my_kudos(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// Page size, 1 to 200 (default 50).
        limit: Query<Option<i64>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<ActPageResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | UNPROCESSABLE }>> {
        let limit = parse_limit(limit.0)?;
        let after = cursor::decode_after(KUDOS_CURSOR, cursor.0.as_deref())?;
        let rows = store::acts::kudos_for(&state.db, auth.0.id, after, limit + 1).await?;
        Ok(ActPageResponse::Ok(Json(
            act_page(&state.db, rows, limit, KUDOS_CURSOR).await?,
        )))
    }
}

const FEED_CURSOR: &str = "acts";
const KUDOS_CURSOR: &str = "kudos";

/// The request's fields, or `None` with every invalid one recorded.
fn parse_act(fields: &mut Fields, body: &CreateActRequest, author: Uuid) -> Option<ActFields> {
    let kind = fields.check("kind", Kind::parse(body.kind.as_str()));
    let category = fields.check("category", parse_category(body.category.as_str()));
    let message = fields.check("message", parse_message(&body.message));
    let visibility = body
        .visibility
        .as_ref()
        .map_or(Ok(Visibility::Team), |v| Visibility::parse(v.as_str()));
    let visibility = fields.check("visibility", visibility);
    let (recipients, visibility) = match kind {
        Some(kind) => {
            let ids = body.recipient_ids.as_deref().unwrap_or_default();
            (
                fields.check("recipient_ids", parse_recipients(kind, author, ids)),
                visibility.and_then(|v| fields.check("visibility", check_visibility(kind, v))),
            )
        }
        None => (None, None),
    };
    Some(ActFields {
        kind: kind?,
        category: category?,
        message: message?,
        recipients: recipients?,
        visibility: visibility?,
    })
}

/// A stored act's fields, to tell a replayed create from a conflicting one.
async fn stored_fields(
    db: &impl ConnectionTrait,
    act: &entity::acts::Model,
) -> Result<ActFields, ApiError> {
    let recipients: BTreeSet<Uuid> = store::acts::recipients(db, [act.id])
        .await?
        .remove(&act.id)
        .unwrap_or_default()
        .into_iter()
        .map(|row| row.user_id)
        .collect();
    Ok(ActFields {
        kind: Kind::parse(&act.kind).map_err(ApiError::internal)?,
        category: act.category.clone(),
        message: act.message.clone(),
        recipients,
        visibility: Visibility::parse(&act.visibility).map_err(ApiError::internal)?,
    })
}

/// The act (not withdrawn) if the caller may see it, and how they stand to
/// it; otherwise 404.
async fn visible_act(
    db: &impl ConnectionTrait,
    act_id: Uuid,
    user_id: Uuid,
) -> Result<(entity::acts::Model, Viewer), ApiError> {
    let act = store::acts::find(db, act_id)
        .await?
        .filter(|act| act.withdrawn_at.is_none())
        .ok_or_else(act_not_found)?;
    let is_recipient = store::acts::recipients(db, [act.id])
        .await?
        .remove(&act.id)
        .unwrap_or_default()
        .iter()
        .any(|row| row.user_id == user_id);
    let viewer = Viewer {
        is_author: act.author_id == Some(user_id),
        is_recipient,
        in_team: team_decision(db, act.team_id, user_id, TeamAction::ReadFeed).await?
            == Decision::Allow,
    };
    let visibility = Visibility::parse(&act.visibility).map_err(ApiError::internal)?;
    if !act::may_see(visibility, viewer) {
        return Err(act_not_found());
    }
    Ok((act, viewer))
}

/// A page from rows read with `limit + 1`.
async fn act_page(
    db: &impl ConnectionTrait,
    rows: Vec<entity::acts::Model>,
    limit: u64,
    kind: &str,
) -> Result<ActPage, ApiError> {
    let (rows, next_cursor) = cursor::page(rows, limit, kind, |act| {
        Position {
            created_at: act.created_at,
            id: act.id,
        }
        .to_string()
    });
    Ok(ActPage {
        items: act_views(db, rows).await?,
        next_cursor,
    })
}

/// Views of these acts, with their authors' and recipients' names.
async fn act_views(
    db: &impl ConnectionTrait,
    acts: Vec<entity::acts::Model>,
) -> Result<Vec<ActView>, ApiError> {
    let mut recipients = store::acts::recipients(db, acts.iter().map(|act| act.id)).await?;
    let people: HashSet<Uuid> = acts
        .iter()
        .filter_map(|act| act.author_id)
        .chain(recipients.values().flatten().map(|row| row.user_id))
        .collect();
    let names = store::users::display_names(db, people).await?;
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    acts.into_iter()
        .map(|act| {
            let recipients = recipients
                .remove(&act.id)
                .unwrap_or_default()
                .into_iter()
                .map(|row| ActRecipient {
                    display_name: name(&row.user_id),
                    user_id: row.user_id,
                    thanked_at: row.thanked_at.map(Timestamp::from),
                })
                .collect();
            Ok(ActView {
                id: act.id,
                team_id: act.team_id,
                kind: Choice::new(act.kind),
                category: Choice::new(act.category),
                message: act.message,
                author: ActAuthor {
                    display_name: act
                        .author_id
                        .map_or_else(|| FORMER_COLLEAGUE.to_owned(), |id| name(&id)),
                    user_id: act.author_id,
                },
                recipients,
                visibility: Choice::new(act.visibility),
                local_date: act.local_date,
                created_at: act.created_at.into(),
            })
        })
        .collect()
}

fn act_not_found() -> ApiError {
    ApiError::not_found("act")
}

fn id_conflict() -> ApiError {
    ApiError::conflict(
        "id_conflict",
        "This id is already used by a different or withdrawn act; choose a new id.",
    )
}
