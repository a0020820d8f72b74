//! `/v1/orgs/{org_id}/leaderboard`: teams, never people, ranked by their
//! `team`-visible acts per member this week or month, where the
//! organisation switched it on. Teams smaller than `min_group_size` are
//! left out and only counted.

use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi, param::Path, param::Query, payload::Json, types::Example,
};
use uuid::Uuid;

use super::{
    ApiTag, access,
    support::{choice::Choice, day::Day, examples},
};
use crate::{
    domain::{
        access::OrgAction,
        leaderboard::{self, Entry, Period},
    },
    http::{
        bearer::BearerAuth,
        problem::{ApiError, FieldError, Problem, status::*},
        state::AppState,
    },
    store,
};

#[derive(Default)]
pub struct LeaderboardApi;

/// The organisation's teams ranked over the period so far.
#[derive(Debug, Object)]
#[oai(example)]
pub struct LeaderboardView {
    pub period: Choice<Period>,
    /// The period's first day, in the organisation's timezone; it runs to
    /// today.
    pub period_start: Day,
    /// The teams of at least `min_group_size` members, best first.
    pub teams: Vec<LeaderboardTeam>,
    /// How many teams were left out for having fewer than `min_group_size`
    /// members.
    pub teams_not_shown: i64,
}

/// Monday morning: Customer Care ahead, one small team left out.
impl Example for LeaderboardView {
    fn example() -> Self {
        let today = examples::today().0;
        Self {
            period: Choice::of(Period::Week),
            period_start: Day(Period::Week.start(today)),
            teams: vec![LeaderboardTeam::example()],
            teams_not_shown: 1,
        }
    }
}

/// A team's place.
#[derive(Debug, Object)]
#[oai(example)]
pub struct LeaderboardTeam {
    /// 1 for the best; teams with equal acts per member share a rank, and
    /// the next rank skips as many places (1, 1, 3).
    pub rank: i64,
    /// The team's id.
    pub team_id: Uuid,
    /// Its name.
    pub name: String,
    /// Its members now.
    pub member_count: i64,
    /// Its `team`-visible acts and kudos in the period, not withdrawn.
    pub acts: i64,
    /// `acts` divided by `member_count`.
    pub acts_per_member: f64,
}

impl Example for LeaderboardTeam {
    fn example() -> Self {
        Self {
            rank: 1,
            team_id: examples::TEAM,
            name: examples::TEAM_NAME.to_owned(),
            member_count: 6,
            acts: 9,
            acts_per_member: 1.5,
        }
    }
}

#[derive(ApiResponse)]
pub enum LeaderboardResponse {
    /// The leaderboard.
    #[oai(status = 200)]
    Ok(Json<LeaderboardView>),
}

#[OpenApi(tag = "ApiTag::Game")]
impl LeaderboardApi {
    /// Read the team leaderboard
    ///
    /// For the organisation's members, where it switched
    /// `team_leaderboard_enabled` on (404 otherwise): its teams ranked by
    /// `team`-visible acts and kudos per member this `week` (the default)
    /// or `month`, in its timezone. People are never ranked, and teams
    /// smaller than `min_group_size` are left out and counted in
    /// `teams_not_shown`.
    #[oai(
        path = "/v1/orgs/:org_id/leaderboard",
        method = "get",
        operation_id = "get_leaderboard"
    )]
    async fn get(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
        /// The organisation's id.
        org_id: Path<Uuid>,
        /// `week` (the default) or `month`.
        period: Query<Option<Choice<Period>>>,
    ) -> Result<LeaderboardResponse, Problem<{ UNAUTHORIZED | NOT_FOUND | UNPROCESSABLE }>> {
        let period = match &period.0 {
            None => Period::Week,
            Some(choice) => choice.parse().map_err(|message| {
                ApiError::validation(vec![FieldError::new("period", message)])
            })?,
        };
        access::org(
            &state.reader,
            org_id.0,
            auth.0.id,
            OrgAction::ReadLeaderboard,
        )
        .await?;
        let org = store::orgs::find(&state.reader, org_id.0)
            .await?
            .filter(|org| org.team_leaderboard_enabled)
            .ok_or_else(|| ApiError::not_found("leaderboard"))?;
        let today = org.date_at(state.clock.now());
        let period_start = period.start(today);
        let acts = store::acts::per_team(&state.reader, org.id, period_start, today).await?;
        let teams = store::teams::member_counts(&state.reader, org.id)
            .await?
            .into_iter()
            .map(|(team_id, name, members)| Entry {
                acts: acts.get(&team_id).copied().unwrap_or(0),
                team_id,
                name,
                member_count: u64::try_from(members).unwrap_or(0),
            })
            .collect();
        let board = leaderboard::rank(teams, org.min_group_size);
        Ok(LeaderboardResponse::Ok(Json(LeaderboardView {
            period: Choice::of(period),
            period_start: Day(period_start),
            teams: board
                .ranked
                .into_iter()
                .map(|(rank, team)| LeaderboardTeam {
                    rank: rank.into(),
                    acts_per_member: team.acts_per_member(),
                    team_id: team.team_id,
                    name: team.name,
                    member_count: i64::try_from(team.member_count).unwrap_or(i64::MAX),
                    acts: i64::try_from(team.acts).unwrap_or(i64::MAX),
                })
                .collect(),
            teams_not_shown: i64::try_from(board.not_shown).unwrap_or(i64::MAX),
        })))
    }
}
