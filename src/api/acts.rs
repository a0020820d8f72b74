//! Acts of kindness and kudos: logging them in a team, the team feed,
//! withdrawing, thanks, and the kudos a person received. Acts are visible to
//! the team they were shared with and to nobody outside it; `recipients`
//! kudos only to their author and recipients ([`crate::domain::act::may_see`]).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Path, Query},
    payload::Json,
    types::Example,
};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{
    ApiTag, access,
    support::{
        begin,
        bounded::{List, Message, Text},
        choice::Choice,
        day::Day,
        examples,
        fields::Fields,
        paging::{self, Limit, PageRequest},
        timestamp::Timestamp,
    },
};
use crate::{
    domain::{
        access::TeamAction,
        act::{
            self, ActAction, ActFields, Kind, Visibility, check_visibility, parse_message,
            parse_recipients,
        },
    },
    http::{
        bearer::BearerAuth,
        problem::{ApiError, Problem, status::*},
        state::AppState,
    },
    service::{self, Created, InvalidField},
    store::{
        self, Lock,
        acts::{Act, Position},
    },
};

#[derive(Default)]
pub struct ActsApi;

/// An act of kindness or kudos to log. `visibility` is `team` by default
/// (every member of the team sees it); `recipients` (kudos only) shows it to
/// the author and the recipients alone, and then it counts for nothing in
/// the team's streak and progress, which every member sees.
#[derive(Debug, Object)]
#[oai(example)]
pub struct CreateActRequest {
    /// A client-chosen id (a UUID), so that an offline client can replay the
    /// create safely: the same id with the same fields returns the stored
    /// act (200); with other fields, or for a withdrawn act, it is 409
    /// `id_conflict`.
    pub id: Option<Uuid>,
    pub kind: Choice<Kind>,
    pub category: Choice<act::Category>,
    /// 1 to 500 characters, trimmed; line breaks are kept.
    pub message: Text<1, { act::MESSAGE_MAX_CHARS }, Message>,
    /// Kudos only: 1 to 10 members of the team's organisation, never the
    /// author. Plain acts name nobody.
    pub recipient_ids: Option<List<Uuid, 0, { act::MAX_RECIPIENTS }>>,
    pub visibility: Option<Choice<Visibility>>,
}

/// What makes [`ActView::example`].
impl Example for CreateActRequest {
    fn example() -> Self {
        let act = ActView::example();
        Self {
            id: Some(act.id),
            kind: act.kind,
            category: act.category,
            message: Text::new(act.message),
            recipient_ids: Some(List(act.recipients.iter().map(|r| r.user_id).collect())),
            visibility: Some(act.visibility),
        }
    }
}

/// Who logged an act.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ActAuthor {
    /// Their user id; `null` once they deleted their account.
    #[oai(nullable)]
    pub user_id: Option<Uuid>,
    /// The name colleagues see, or "a former colleague".
    pub display_name: String,
}

impl Example for ActAuthor {
    fn example() -> Self {
        Self {
            user_id: Some(examples::ANA),
            display_name: examples::ANA_NAME.to_owned(),
        }
    }
}

/// How an act by a deleted account is signed.
pub const FORMER_COLLEAGUE: &str = "a former colleague";

/// A person kudos named.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ActRecipient {
    /// Their user id.
    pub user_id: Uuid,
    /// The name colleagues see.
    pub display_name: String,
    /// When they thanked the author, if they did.
    #[oai(nullable)]
    pub thanked_at: Option<Timestamp>,
}

/// Ben, who thanked Ana for her kudos.
impl Example for ActRecipient {
    fn example() -> Self {
        Self {
            user_id: examples::BEN,
            display_name: examples::BEN_NAME.to_owned(),
            thanked_at: Some(examples::at("2026-11-30T10:41:19Z")),
        }
    }
}

/// An act of kindness or kudos.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ActView {
    /// The act's id.
    pub id: Uuid,
    /// The team it was shared with.
    pub team_id: Uuid,
    pub kind: Choice<Kind>,
    pub category: Choice<act::Category>,
    /// What the author wrote.
    pub message: String,
    pub author: ActAuthor,
    /// Who the kudos name, in user-id order; empty for a plain act.
    pub recipients: Vec<ActRecipient>,
    pub visibility: Choice<Visibility>,
    /// The organisation's local date it counts for in the team streak.
    pub local_date: Day,
    /// When it was logged.
    pub created_at: Timestamp,
}

/// Ana's kudos to Ben, shared with their team this morning.
impl Example for ActView {
    fn example() -> Self {
        Self {
            id: examples::ACT,
            team_id: examples::TEAM,
            kind: Choice::of(Kind::Kudos),
            category: Choice::of(act::Category::Help),
            message: "Thank you for staying on to help me clear the refund queue on \
                      Friday. You turned a long afternoon into a good one."
                .to_owned(),
            author: ActAuthor::example(),
            recipients: vec![ActRecipient::example()],
            visibility: Choice::of(Visibility::Team),
            local_date: examples::today(),
            created_at: examples::at("2026-11-30T10:12:03Z"),
        }
    }
}

/// A page of acts, newest first.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ActPage {
    /// The acts on this page.
    pub items: Vec<ActView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

/// A page of the team feed, with older acts after it.
impl Example for ActPage {
    fn example() -> Self {
        let act = ActView::example();
        let after = Position {
            created_at: act.created_at.0,
            id: act.id,
        };
        Self {
            next_cursor: Some(paging::encode(FEED_CURSOR, &after.to_string())),
            items: vec![act],
        }
    }
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
        let fields = parse_act(&body, author);
        let mut unit = begin(&state, Lock::Person(author)).await?;
        let team = access::team(unit.txn(), team_id.0, author, TeamAction::PostAct).await?;
        let recipient_ids = body.recipient_ids.as_deref().unwrap_or_default();
        let created =
            service::acts::create(&mut unit, author, &team, body.id, fields, recipient_ids).await?;
        unit.commit().await?;
        Ok(match created {
            Created::New(act) => {
                let location = format!("/v1/acts/{}", act.id);
                CreateActResponse::Created(Json(act_view(&state.reader, act).await?), location)
            }
            Created::Replayed(act) => {
                CreateActResponse::Replayed(Json(act_view(&state.reader, act).await?))
            }
        })
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
        limit: Query<Option<Limit>>,
        /// `next_cursor` of the previous page; the first page when empty or
        /// left out.
        cursor: Query<Option<String>>,
    ) -> Result<ActPageResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>>
    {
        let page = PageRequest::parse(FEED_CURSOR, limit.0, cursor.0.as_deref())?;
        let team = access::team(&state.reader, team_id.0, auth.0.id, TeamAction::ReadFeed).await?;
        let rows =
            store::acts::feed(&state.reader, team.id, auth.0.id, page.after, page.rows()).await?;
        let (rows, next_cursor) = page.page(rows, |act| position(act.created_at, act.id));
        Ok(ActPageResponse::Ok(Json(ActPage {
            items: act_views(&state.reader, rows).await?,
            next_cursor,
        })))
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
    ) -> Result<ActResponse, Problem<{ UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>> {
        let act = access::act(&state.reader, act_id.0, auth.0.id, ActAction::Read).await?;
        Ok(ActResponse::Ok(Json(act_view(&state.reader, act).await?)))
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
    ) -> Result<Withdrawn, Problem<{ UNAUTHORIZED | FORBIDDEN | NOT_FOUND | UNPROCESSABLE }>> {
        let mut unit = begin(&state, Lock::Person(auth.0.id)).await?;
        let act = access::act(unit.txn(), act_id.0, auth.0.id, ActAction::Withdraw).await?;
        service::acts::withdraw(&mut unit, &act).await?;
        unit.commit().await?;
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
    ) -> Result<ActResponse, Problem<{ UNAUTHORIZED | FORBIDDEN | NOT_FOUND | UNPROCESSABLE }>>
    {
        let mut unit = begin(&state, Lock::Person(auth.0.id)).await?;
        let act = access::act(unit.txn(), act_id.0, auth.0.id, ActAction::Thank).await?;
        service::acts::thank(&mut unit, &act, auth.0.id).await?;
        let view = act_view(unit.txn(), act).await?;
        unit.commit().await?;
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
        limit: Query<Option<Limit>>,
        /// `next_cursor` of the previous page; the first page when empty or
        /// left out.
        cursor: Query<Option<String>>,
    ) -> Result<ActPageResponse, Problem<{ BAD_REQUEST | UNAUTHORIZED | UNPROCESSABLE }>> {
        let page = PageRequest::parse(KUDOS_CURSOR, limit.0, cursor.0.as_deref())?;
        let rows =
            store::acts::kudos_for(&state.reader, auth.0.id, page.after, page.rows()).await?;
        // Kudos are paged by when the recipient was named, which is when the
        // act was logged.
        let (rows, next_cursor) = page.page(rows, |act| position(act.created_at, act.id));
        Ok(ActPageResponse::Ok(Json(ActPage {
            items: act_views(&state.reader, rows).await?,
            next_cursor,
        })))
    }
}

const FEED_CURSOR: &str = "acts";
const KUDOS_CURSOR: &str = "kudos";

fn position(created_at: DateTime<Utc>, id: Uuid) -> Position {
    Position { created_at, id }
}

/// The request's fields, or every invalid one.
fn parse_act(body: &CreateActRequest, author: Uuid) -> Result<ActFields, Vec<InvalidField>> {
    let mut fields = Fields::default();
    let kind = fields.check("kind", body.kind.parse());
    let category = fields.check("category", body.category.parse());
    let message = fields.check("message", parse_message(&body.message));
    let visibility = body
        .visibility
        .as_ref()
        .map_or(Ok(Visibility::Team), Choice::parse);
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
    match (kind, category, message, recipients, visibility) {
        (Some(kind), Some(category), Some(message), Some(recipients), Some(visibility)) => {
            Ok(ActFields {
                kind,
                category,
                message,
                recipients,
                visibility,
            })
        }
        _ => Err(fields.into_invalid()),
    }
}

async fn act_view(db: &impl ConnectionTrait, act: Act) -> Result<ActView, ApiError> {
    Ok(act_views(db, vec![act]).await?.remove(0))
}

/// Views of these acts, with their authors' and recipients' names.
async fn act_views(db: &impl ConnectionTrait, acts: Vec<Act>) -> Result<Vec<ActView>, ApiError> {
    let mut recipients = store::acts::recipients(db, acts.iter().map(|act| act.id)).await?;
    let people: HashSet<Uuid> = acts
        .iter()
        .filter_map(|act| act.author_id)
        .chain(recipients.values().flatten().map(|row| row.user_id))
        .collect();
    let names = store::users::display_names(db, people).await?;
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    Ok(acts
        .into_iter()
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
            ActView {
                id: act.id,
                team_id: act.team_id,
                kind: Choice::of(act.kind),
                category: Choice::of(act.category),
                message: act.message,
                author: ActAuthor {
                    display_name: act
                        .author_id
                        .map_or_else(|| FORMER_COLLEAGUE.to_owned(), |id| name(&id)),
                    user_id: act.author_id,
                },
                recipients,
                visibility: Choice::of(act.visibility),
                local_date: Day(act.local_date),
                created_at: act.created_at.into(),
            }
        })
        .collect())
}
