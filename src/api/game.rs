//! The game: `/v1/me/progress` (the signed-in person's XP, level, badges and
//! latest awards: theirs alone, like their habits) and `/v1/badges`, the
//! public catalogue.

use poem::web::Data;
use poem_openapi::{ApiResponse, Object, OpenApi, payload::Json, types::Example};
use uuid::Uuid;

use super::{
    ApiTag,
    support::{choice::Choice, day::Day, examples, timestamp::Timestamp},
};
use crate::{
    domain::{
        names::Named,
        xp::{self, Badge, Reason, SourceType},
    },
    http::{
        bearer::BearerAuth,
        problem::{Problem, status::*},
        state::AppState,
    },
    store::{self, xp::Entry},
};

/// The latest entries `/v1/me/progress` shows.
const RECENT_AWARDS: u64 = 20;

#[derive(Default)]
pub struct GameApi;

/// The signed-in person's progress in the game.
#[derive(Debug, Object)]
#[oai(example)]
pub struct ProgressView {
    /// The sum of the person's XP ledger.
    pub xp: i64,
    /// The level reached: level n at 50·n·(n−1) XP (level 2 at 100, level 3
    /// at 300).
    pub level: i64,
    /// The XP still needed to reach the next level.
    pub xp_for_next_level: i64,
    /// The badges earned, in the order they were earned.
    pub badges: Vec<EarnedBadge>,
    /// The latest 20 ledger entries, newest first, reversals included.
    pub recent_awards: Vec<AwardView>,
}

/// Ana's first three weeks: 12 days of her water habit, a kudos to Ben, and
/// his thanks.
impl Example for ProgressView {
    fn example() -> Self {
        let xp = 137;
        Self {
            xp,
            level: xp::level(xp).into(),
            xp_for_next_level: xp::xp_for_next_level(xp),
            badges: vec![EarnedBadge::example()],
            recent_awards: vec![AwardView::example()],
        }
    }
}

/// A badge the person earned.
#[derive(Debug, Object)]
#[oai(example)]
pub struct EarnedBadge {
    pub code: Choice<Badge>,
    /// When it was earned.
    pub earned_at: Timestamp,
}

impl Example for EarnedBadge {
    fn example() -> Self {
        Self {
            code: Choice::of(Badge::FirstStep),
            earned_at: examples::at("2026-11-09T07:41:12Z"),
        }
    }
}

/// One entry of the XP ledger: an award, or (with negative `xp`) the
/// reversal of one.
#[derive(Debug, Object)]
#[oai(example)]
pub struct AwardView {
    pub reason: Choice<Reason>,
    /// The XP it added, or took back when negative.
    pub xp: i32,
    pub source_type: Choice<SourceType>,
    /// The habit, act or team it is for.
    pub source_id: Uuid,
    /// For a `habit_day`, the day.
    #[oai(nullable)]
    pub date: Option<Day>,
    /// When it was written.
    pub created_at: Timestamp,
}

impl Example for AwardView {
    fn example() -> Self {
        Self {
            reason: Choice::of(Reason::CheckInDay),
            xp: Reason::CheckInDay.xp(),
            source_type: Choice::of(SourceType::HabitDay),
            source_id: examples::HABIT,
            date: Some(examples::today()),
            created_at: examples::at("2026-11-30T07:32:05Z"),
        }
    }
}

impl From<Entry> for AwardView {
    fn from(entry: Entry) -> Self {
        Self {
            reason: Choice::of(entry.reason),
            xp: entry.xp,
            source_type: Choice::of(entry.source_type),
            source_id: entry.source_id,
            date: entry.date.map(Day),
            created_at: entry.created_at.into(),
        }
    }
}

/// A badge of the catalogue.
#[derive(Debug, Object)]
#[oai(example)]
pub struct BadgeView {
    pub code: Choice<Badge>,
    /// Its name.
    pub name: String,
    /// What it celebrates.
    pub description: String,
    /// How it is earned.
    pub criteria: String,
}

impl Example for BadgeView {
    fn example() -> Self {
        Badge::FirstStep.into()
    }
}

impl From<Badge> for BadgeView {
    fn from(badge: Badge) -> Self {
        Self {
            code: Choice::of(badge),
            name: badge.name().to_owned(),
            description: badge.description().to_owned(),
            criteria: badge.criteria().to_owned(),
        }
    }
}

#[derive(ApiResponse)]
pub enum ProgressResponse {
    /// The person's progress.
    #[oai(status = 200)]
    Ok(Json<ProgressView>),
}

#[derive(ApiResponse)]
pub enum BadgesResponse {
    /// Every badge.
    #[oai(status = 200)]
    Ok(Json<Vec<BadgeView>>),
}

#[OpenApi(tag = "ApiTag::Game")]
impl GameApi {
    /// Read my progress
    ///
    /// The signed-in person's XP (the sum of their ledger), level, badges and
    /// latest 20 ledger entries. Nobody else, whatever their role, can read
    /// them.
    #[oai(
        path = "/v1/me/progress",
        method = "get",
        operation_id = "get_progress"
    )]
    async fn progress(
        &self,
        auth: BearerAuth,
        state: Data<&AppState>,
    ) -> Result<ProgressResponse, Problem<UNAUTHORIZED>> {
        let user_id = auth.0.user.id;
        let xp = store::xp::balance(&state.reader, user_id).await?;
        let badges = store::xp::badges(&state.reader, user_id).await?;
        let recent = store::xp::recent(&state.reader, user_id, RECENT_AWARDS).await?;
        Ok(ProgressResponse::Ok(Json(ProgressView {
            xp,
            level: xp::level(xp).into(),
            xp_for_next_level: xp::xp_for_next_level(xp),
            badges: badges
                .into_iter()
                .map(|(badge, earned_at)| EarnedBadge {
                    code: Choice::of(badge),
                    earned_at: earned_at.into(),
                })
                .collect(),
            recent_awards: recent.into_iter().map(AwardView::from).collect(),
        })))
    }

    /// List the badges
    ///
    /// The catalogue of badges: each one's code, name, what it celebrates and
    /// how it is earned. Public: no token needed.
    #[oai(path = "/v1/badges", method = "get", operation_id = "list_badges")]
    async fn badges(&self) -> Result<BadgesResponse, Problem<0>> {
        Ok(BadgesResponse::Ok(Json(
            Badge::all().iter().copied().map(BadgeView::from).collect(),
        )))
    }
}
