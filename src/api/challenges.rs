//! Challenges: set by an organisation's owners and admins, for the whole
//! organisation or one team; listed and read, with progress, by those in
//! scope (a team's challenges by the team's members, like its progress).
//! An `acts` challenge is collective; a `check_ins` challenge is personal:
//! each person sees their own count, and how many people completed it only
//! once at least `min_group_size` have.

use chrono::NaiveDate;
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
        bounded::{Int, Note, Text, Visible},
        choice::Choice,
        day::Day,
        examples,
        fields::Fields,
        paging::{Limit, PageRequest},
        timestamp::Timestamp,
    },
};
use crate::{
    domain::{
        access::OrgAction,
        challenge::{self, Metric},
    },
    http::{
        bearer::BearerAuth,
        problem::{ApiError, Problem, status::*},
        state::AppState,
    },
    service,
    store::{
        self, Lock,
        challenges::{Challenge, NewChallenge},
        orgs::Org,
    },
};

#[derive(Default)]
pub struct ChallengesApi;

/// A challenge to set.
#[derive(Debug, Object)]
#[oai(example, skip_serializing_if_is_none)]
pub struct CreateChallengeRequest {
    /// 1 to 120 characters.
    pub title: Text<1, { challenge::TITLE_MAX_CHARS }, Visible>,
    /// Up to 1000 characters; line breaks are kept.
    pub description: Option<Text<0, { challenge::DESCRIPTION_MAX_CHARS }, Note>>,
    pub metric: Choice<Metric>,
    /// What the count must reach, 1 to 100000.
    pub target: Int<1, { challenge::TARGET_MAX }>,
    /// Its first day, in the organisation's timezone. It may lie in the
    /// past: a challenge for this month can be set during it.
    pub starts_on: Day,
    /// Its last day: not before `starts_on`, at most 92 days after it, and
    /// not before the organisation's today.
    pub ends_on: Day,
    /// The team it is for; the whole organisation when left out.
    pub team_id: Option<Uuid>,
}

/// What makes [`ChallengeView::example`].
impl Example for CreateChallengeRequest {
    fn example() -> Self {
        let challenge = ChallengeView::example();
        Self {
            title: Text::new(challenge.title),
            description: challenge.description.map(Text::new),
            metric: challenge.metric,
            target: Int(challenge.target),
            starts_on: challenge.starts_on,
            ends_on: challenge.ends_on,
            team_id: challenge.team_id,
        }
    }
}

/// A challenge, with its progress as the caller sees it.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ChallengeView {
    /// The challenge's id.
    pub id: Uuid,
    /// What it is called.
    pub title: String,
    /// What it is about, if it says.
    #[oai(nullable)]
    pub description: Option<String>,
    pub metric: Choice<Metric>,
    /// What the count must reach.
    pub target: i64,
    /// Its first day, in the organisation's timezone.
    pub starts_on: Day,
    /// Its last day.
    pub ends_on: Day,
    /// The team it is for; `null` for the whole organisation.
    #[oai(nullable)]
    pub team_id: Option<Uuid>,
    /// Whether the organisation's today lies between `starts_on` and
    /// `ends_on`.
    pub active: bool,
    pub progress: ChallengeProgress,
    /// For a `check_ins` challenge, how many people in its scope completed
    /// it, shown once at least the organisation's `min_group_size` have
    /// (`null` before, and always for `acts`).
    #[oai(nullable)]
    pub completed_by: Option<i64>,
    /// When it was set.
    pub created_at: Timestamp,
}

/// Customer Care's December: 18 of 40 acts so far.
impl Example for ChallengeView {
    fn example() -> Self {
        Self {
            id: EXAMPLE_CHALLENGE,
            title: "Forty kind acts before the holidays".to_owned(),
            description: Some("Every act and kudos shared with the team counts.".to_owned()),
            metric: Choice::of(Metric::Acts),
            target: 40,
            starts_on: examples::day("2026-11-23"),
            ends_on: examples::day("2026-12-18"),
            team_id: Some(examples::TEAM),
            active: true,
            progress: ChallengeProgress::example(),
            completed_by: None,
            created_at: examples::at("2026-11-23T09:00:00Z"),
        }
    }
}

/// A challenge's count against its target. For `acts`, the scope's
/// `team`-visible acts and kudos between its dates, and when they first
/// reached the target; for `check_ins`, the caller's own complete habit
/// days between its dates (each habit's day counts one), and when the last
/// of those that reached the target was recorded.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ChallengeProgress {
    /// What has been counted so far.
    pub count: i64,
    /// What the count must reach.
    pub target: i64,
    /// `null` until the count reached the target. An `acts` challenge's
    /// completion is recorded once and kept, even if acts are withdrawn.
    #[oai(nullable)]
    pub completed_at: Option<Timestamp>,
}

impl Example for ChallengeProgress {
    fn example() -> Self {
        Self {
            count: 18,
            target: 40,
            completed_at: None,
        }
    }
}

/// A challenge of December's example, set on its first day.
const EXAMPLE_CHALLENGE: Uuid = uuid::uuid!("01a207a2-3280-7b1e-9c4d-5a2f7e18c630");

/// A page of challenges, newest first.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ChallengePage {
    /// The challenges on this page.
    pub items: Vec<ChallengeView>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

impl Example for ChallengePage {
    fn example() -> Self {
        Self {
            items: vec![ChallengeView::example()],
            next_cursor: None,
        }
    }
}

#[derive(ApiResponse)]
pub enum CreateChallengeResponse {
    /// The challenge is set.
    #[oai(status = 201)]
    Created(
        Json<ChallengeView>,
        /// Where the challenge lives.
        #[oai(header = "Location")]
        String,
    ),
}

#[derive(ApiResponse)]
pub enum ChallengeResponse {
    /// The challenge.
    #[oai(status = 200)]
    Ok(Json<ChallengeView>),
}

#[derive(ApiResponse)]
pub enum ChallengePageResponse {
    /// A page of challenges.
    #[oai(status = 200)]
    Ok(Json<ChallengePage>),
}

#[OpenApi(tag = "ApiTag::Game")]
impl ChallengesApi {
    /// Set a challenge
    ///
    /// Owners and admins set a challenge for the organisation, or for one of
    /// its teams (`team_id`). An `acts` challenge counts the scope's
    /// `team`-visible acts and kudos together; a `check_ins` challenge is
    /// personal, each person counting their own complete habit days.
    #[oai(
        path = "/v1/orgs/:org_id/challenges",
        method = "post",
        operation_id = "create_challenge"
    )]
    async fn create(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The organisation's id.
        org_id: Path<Uuid>,
        body: Json<CreateChallengeRequest>,
    ) -> Result<
        CreateChallengeResponse,
        Problem<{ JSON_BODY | UNAUTHORIZED | FORBIDDEN | NOT_FOUND }>,
    > {
        let mut fields = Fields::default();
        let title = fields.check("title", challenge::parse_title(&body.title));
        let description = fields.check(
            "description",
            body.description
                .as_deref()
                .map_or(Ok(None), challenge::parse_description),
        );
        let metric = fields.check("metric", body.metric.parse());
        let target = fields.check("target", challenge::parse_target(body.target.get()));
        let (Some(title), Some(description), Some(metric), Some(target)) =
            (title, description, metric, target)
        else {
            return Err(fields.into_error().into());
        };
        let mut unit = begin(&state, Lock::Nothing).await?;
        access::org(unit.txn(), org_id.0, auth.0.id, OrgAction::SetChallenge).await?;
        let org = find_org(unit.txn(), org_id.0).await?;
        let new = NewChallenge {
            org_id: org.id,
            team_id: body.team_id,
            title,
            description,
            metric,
            target,
            starts_on: body.starts_on.0,
            ends_on: body.ends_on.0,
        };
        let created = service::challenges::create(&mut unit, &org, new).await?;
        let view =
            challenge_view(unit.txn(), &org, created, auth.0.id, org.date_at(unit.now)).await?;
        unit.commit().await?;
        let location = format!("/v1/challenges/{}", view.id);
        Ok(CreateChallengeResponse::Created(Json(view), location))
    }

    /// List challenges
    ///
    /// The organisation's challenges in the caller's scope, newest first:
    /// the organisation's own, and those of the teams the caller is in,
    /// each with its progress as the caller sees it.
    #[oai(
        path = "/v1/orgs/:org_id/challenges",
        method = "get",
        operation_id = "list_challenges"
    )]
    async fn list(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The organisation's id.
        org_id: Path<Uuid>,
        /// Page size, 1 to 200 (default 50).
        limit: Query<Option<Limit>>,
        /// `next_cursor` of the previous page; the first page when empty or
        /// left out.
        cursor: Query<Option<String>>,
    ) -> Result<
        ChallengePageResponse,
        Problem<{ BAD_REQUEST | UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>,
    > {
        let page = PageRequest::parse(CHALLENGE_CURSOR, limit.0, cursor.0.as_deref())?;
        access::org(
            &state.reader,
            org_id.0,
            auth.0.id,
            OrgAction::ReadChallenges,
        )
        .await?;
        let org = find_org(&state.reader, org_id.0).await?;
        let rows =
            store::challenges::in_scope(&state.reader, org.id, auth.0.id, page.after, page.rows())
                .await?;
        let (rows, next_cursor) = page.page(rows, |challenge| challenge.id);
        let today = org.date_at(state.clock.now());
        let mut items = Vec::with_capacity(rows.len());
        for challenge in rows {
            items.push(challenge_view(&state.reader, &org, challenge, auth.0.id, today).await?);
        }
        Ok(ChallengePageResponse::Ok(Json(ChallengePage {
            items,
            next_cursor,
        })))
    }

    /// Read a challenge
    ///
    /// One challenge with its progress, for those in its scope (an
    /// organisation's for its members, a team's for the team's members);
    /// anyone else gets 404.
    #[oai(
        path = "/v1/challenges/:challenge_id",
        method = "get",
        operation_id = "get_challenge"
    )]
    async fn get(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The challenge's id.
        challenge_id: Path<Uuid>,
    ) -> Result<ChallengeResponse, Problem<{ UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>> {
        let challenge = access::challenge(&state.reader, challenge_id.0, auth.0.id).await?;
        let org = find_org(&state.reader, challenge.org_id).await?;
        Ok(ChallengeResponse::Ok(Json(
            challenge_view(
                &state.reader,
                &org,
                challenge,
                auth.0.id,
                org.date_at(state.clock.now()),
            )
            .await?,
        )))
    }
}

const CHALLENGE_CURSOR: &str = "challenge";

async fn find_org(db: &impl ConnectionTrait, org_id: Uuid) -> Result<Org, ApiError> {
    store::orgs::find(db, org_id)
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))
}

/// The challenge with its progress as `viewer` sees it.
pub async fn challenge_view(
    db: &impl ConnectionTrait,
    org: &Org,
    challenge: Challenge,
    viewer: Uuid,
    today: NaiveDate,
) -> Result<ChallengeView, ApiError> {
    let target = i64::from(challenge.target);
    let (count, completed_at, completed_by) = match challenge.metric {
        Metric::Acts => {
            let count = store::challenges::acts_count(db, &challenge).await?;
            (count, challenge.completed_at, None)
        }
        Metric::CheckIns => {
            let days = store::challenges::complete_days_of(db, &challenge, viewer).await?;
            let completers = store::challenges::completers(db, &challenge).await?;
            (
                days.len() as u64,
                challenge::reached_at(days, challenge.target),
                challenge::completed_by_shown(completers, org.min_group_size),
            )
        }
    };
    Ok(ChallengeView {
        id: challenge.id,
        active: challenge::is_active(challenge.starts_on, challenge.ends_on, today),
        title: challenge.title,
        description: challenge.description,
        metric: Choice::of(challenge.metric),
        target,
        starts_on: Day(challenge.starts_on),
        ends_on: Day(challenge.ends_on),
        team_id: challenge.team_id,
        progress: ChallengeProgress {
            count: i64::try_from(count).unwrap_or(i64::MAX),
            target,
            completed_at: completed_at.map(Timestamp),
        },
        completed_by: completed_by.map(|n| i64::try_from(n).unwrap_or(i64::MAX)),
        created_at: challenge.created_at.into(),
    })
}
