//! The team leaderboard (API.md, "Gamification"): teams, never people,
//! ranked by `team`-visible acts per member over the current week or month.
//! A team smaller than the organisation's `min_group_size` is left out (its
//! figure would tell on its few people) and only counted.

use std::cmp::Ordering;

use chrono::{Datelike, NaiveDate};
use strum::{EnumString, IntoStaticStr, VariantArray, VariantNames};
use uuid::Uuid;

use super::calendar::week_start;

/// The stretch of time a leaderboard counts, up to today.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum Period {
    /// From this week's Monday.
    Week,
    /// From the first of this month.
    Month,
}

impl Period {
    /// The first day of the period `today` lies in.
    pub fn start(self, today: NaiveDate) -> NaiveDate {
        match self {
            Self::Week => week_start(today),
            Self::Month => today.with_day(1).unwrap_or(today),
        }
    }
}

/// A team's figures for the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub team_id: Uuid,
    pub name: String,
    pub member_count: u64,
    pub acts: u64,
}

impl Entry {
    pub fn acts_per_member(&self) -> f64 {
        self.acts as f64 / self.member_count as f64
    }

    /// Higher acts per member first, compared exactly (acts × the other's
    /// members), not as rounded fractions.
    fn by_rate(&self, other: &Self) -> Ordering {
        (u128::from(other.acts) * u128::from(self.member_count))
            .cmp(&(u128::from(self.acts) * u128::from(other.member_count)))
    }
}

/// The leaderboard as shown: the teams of at least `min_group_size` members,
/// ranked, and how many were left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    /// `(rank, team)`, best first; teams with the same acts per member share
    /// a rank, and the next rank skips as many places (1, 1, 3).
    pub ranked: Vec<(u32, Entry)>,
    pub not_shown: u64,
}

pub fn rank(teams: Vec<Entry>, min_group_size: i32) -> Board {
    let min = u64::try_from(min_group_size).unwrap_or(u64::MAX).max(1);
    let (mut shown, hidden): (Vec<Entry>, Vec<Entry>) =
        teams.into_iter().partition(|team| team.member_count >= min);
    shown.sort_by(|a, b| {
        a.by_rate(b)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.team_id.cmp(&b.team_id))
    });
    let mut ranked: Vec<(u32, Entry)> = Vec::with_capacity(shown.len());
    for (place, team) in (1u32..).zip(shown) {
        let rank = match ranked.last() {
            Some((rank, before)) if before.by_rate(&team) == Ordering::Equal => *rank,
            _ => place,
        };
        ranked.push((rank, team));
    }
    Board {
        ranked,
        not_shown: hidden.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::names::Named;

    fn team(n: u128, members: u64, acts: u64) -> Entry {
        Entry {
            team_id: Uuid::from_u128(n),
            name: format!("Team {n}"),
            member_count: members,
            acts,
        }
    }

    #[test]
    fn periods_start_on_monday_and_on_the_first() {
        let thursday: NaiveDate = "2026-12-03".parse().unwrap();
        assert_eq!(Period::Week.start(thursday), "2026-11-30".parse().unwrap());
        assert_eq!(Period::Month.start(thursday), "2026-12-01".parse().unwrap());
        assert_eq!(Period::names(), ["week", "month"]);
    }

    #[test]
    fn small_teams_are_left_out_and_counted() {
        let board = rank(vec![team(1, 4, 40), team(2, 5, 5), team(3, 0, 0)], 5);
        assert_eq!(board.not_shown, 2);
        assert_eq!(board.ranked, vec![(1, team(2, 5, 5))]);
    }

    #[test]
    fn equal_rates_share_a_rank_and_the_next_skips() {
        // 2/4 and 3/6 are the same rate, however they round.
        let board = rank(
            vec![team(1, 4, 2), team(2, 6, 3), team(3, 5, 10), team(4, 5, 0)],
            3,
        );
        let ranks: Vec<(u32, u128)> = board
            .ranked
            .iter()
            .map(|(rank, team)| (*rank, team.team_id.as_u128()))
            .collect();
        assert_eq!(ranks, vec![(1, 3), (2, 1), (2, 2), (4, 4)]);
    }

    proptest! {
        /// Against a reference that ranks each team by counting the shown
        /// teams with a strictly higher rate.
        #[test]
        fn a_rank_is_one_more_than_the_teams_strictly_ahead(
            teams in prop::collection::vec((0u64..12, 0u64..60), 0..12),
            min in 3i32..8,
        ) {
            let entries: Vec<Entry> = (0u128..)
                .zip(&teams)
                .map(|(n, (members, acts))| team(n, *members, *acts))
                .collect();
            let board = rank(entries.clone(), min);
            let shown: Vec<&Entry> = entries
                .iter()
                .filter(|team| team.member_count >= min as u64)
                .collect();
            prop_assert_eq!(board.ranked.len(), shown.len());
            prop_assert_eq!(board.not_shown as usize, entries.len() - shown.len());
            for (rank, team) in &board.ranked {
                let ahead = shown
                    .iter()
                    .filter(|other| {
                        (other.acts * team.member_count) > (team.acts * other.member_count)
                    })
                    .count();
                prop_assert_eq!(*rank as usize, ahead + 1);
            }
        }
    }
}
