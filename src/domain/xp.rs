//! The game's rules (API.md, "Gamification"): what each fact pays, the
//! ledger's settling of an award against the facts, the kudos cap, levels,
//! and the badge catalogue with the criteria that need no history.
//!
//! The ledger is append-only. Each award (a reason, a source, and what else
//! tells it apart) has a sequence of entries: even ones pay, odd ones reverse
//! the one before. To *settle* an award is to bring its entries in line with
//! whether the facts earn it now: pay it if they do and it is not paid,
//! reverse it if they do not and it is. So a replayed write settles to what is
//! already there and pays nothing, and undoing then redoing a day pays once,
//! net.

use chrono::{Duration, NaiveDate};
use strum::{EnumString, IntoStaticStr, VariantArray, VariantNames};
use uuid::Uuid;

use super::names::Named;

/// Why XP was awarded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum Reason {
    /// A habit's day became complete.
    CheckInDay,
    /// The person posted an act or kudos.
    Act,
    /// The person was named in someone's kudos.
    KudosReceived,
    /// A recipient thanked the person for an act.
    ThanksReceived,
    /// A habit streak reached a milestone.
    StreakMilestone,
    /// The first complete day after a habit streak ended.
    WelcomeBack,
}

impl Reason {
    /// What one award pays (a milestone: per day of it).
    pub fn xp(self) -> i32 {
        match self {
            Self::CheckInDay => 10,
            Self::Act => 15,
            Self::KudosReceived => 5,
            Self::ThanksReceived => 2,
            Self::StreakMilestone => 5,
            Self::WelcomeBack => 20,
        }
    }
}

/// What an award is for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum SourceType {
    /// One day of a habit (`source_id` the habit).
    HabitDay,
    Act,
    Habit,
    Team,
}

/// The habit streaks that pay a milestone, once per habit: 5 XP per day (or
/// week) of it.
pub const MILESTONES: [u16; 7] = [3, 7, 14, 30, 60, 100, 365];

/// The milestones a habit whose longest streak is `longest` has reached.
pub fn milestones_reached(longest: u32) -> impl Iterator<Item = u16> {
    MILESTONES
        .into_iter()
        .filter(move |&milestone| u32::from(milestone) <= longest)
}

/// The streak that earns [`Badge::KindWeek`].
pub const KIND_WEEK_STREAK: u32 = 7;

/// Kudos from one colleague that pay their recipient on one of the
/// organisation's days.
pub const KUDOS_PAID_PER_DAY_FROM_ONE: usize = 3;

/// One award: who earns it, why, for what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub user_id: Uuid,
    pub reason: Reason,
    pub source_type: SourceType,
    pub source_id: Uuid,
    /// The day, for a [`SourceType::HabitDay`].
    pub date: Option<NaiveDate>,
    /// What tells two awards of one reason and source apart (who thanked),
    /// empty if nothing does.
    pub detail: String,
    pub xp: i32,
}

impl Award {
    /// A habit's day completed.
    pub fn check_in_day(user_id: Uuid, habit_id: Uuid, date: NaiveDate) -> Self {
        Self {
            date: Some(date),
            ..Self::of(user_id, Reason::CheckInDay, SourceType::HabitDay, habit_id)
        }
    }

    /// An act or kudos, to its author.
    pub fn act(author_id: Uuid, act_id: Uuid) -> Self {
        Self::of(author_id, Reason::Act, SourceType::Act, act_id)
    }

    /// Kudos, to one of its recipients.
    pub fn kudos_received(recipient_id: Uuid, act_id: Uuid) -> Self {
        Self::of(recipient_id, Reason::KudosReceived, SourceType::Act, act_id)
    }

    /// An act's author, thanked by one of its recipients.
    pub fn thanks_received(author_id: Uuid, act_id: Uuid, by: Uuid) -> Self {
        Self {
            detail: by.to_string(),
            ..Self::of(author_id, Reason::ThanksReceived, SourceType::Act, act_id)
        }
    }

    /// A habit's streak reached `milestone`.
    pub fn streak_milestone(user_id: Uuid, habit_id: Uuid, milestone: u16) -> Self {
        let reason = Reason::StreakMilestone;
        Self {
            detail: milestone.to_string(),
            xp: reason.xp() * i32::from(milestone),
            ..Self::of(user_id, reason, SourceType::Habit, habit_id)
        }
    }

    /// The person came back to a habit after its streak that ended on
    /// `ended_on`: once per ended streak. Earned is kept: never reversed.
    pub fn welcome_back(user_id: Uuid, habit_id: Uuid, ended_on: NaiveDate) -> Self {
        Self {
            detail: ended_on.to_string(),
            ..Self::of(user_id, Reason::WelcomeBack, SourceType::Habit, habit_id)
        }
    }

    fn of(user_id: Uuid, reason: Reason, source_type: SourceType, source_id: Uuid) -> Self {
        Self {
            user_id,
            reason,
            source_type,
            source_id,
            date: None,
            detail: String::new(),
            xp: reason.xp(),
        }
    }

    /// The award's identity in the ledger, unique per person.
    pub fn key(&self) -> String {
        let date = self.date.map(|date| date.to_string()).unwrap_or_default();
        format!(
            "{}:{}:{}:{date}:{}",
            self.reason.as_str(),
            self.source_type.as_str(),
            self.source_id,
            self.detail
        )
    }
}

/// The entry that settles an award whose latest entry is `latest` (its
/// occurrence; `None`: no entry yet) against whether the facts earn it now:
/// its occurrence and whether it pays (`true`) or reverses (`false`), or
/// `None` when the ledger already agrees.
pub fn settle(latest: Option<i32>, earned: bool) -> Option<(i32, bool)> {
    let paid = latest.is_some_and(|occurrence| occurrence % 2 == 0);
    let next = latest.map_or(0, |occurrence| occurrence + 1);
    (paid != earned).then_some((next, earned))
}

/// Whether a kudos pays its recipient, by its place (from 0) among the
/// kudos still standing that the same colleague gave them on the same
/// organisation day, in the order they were posted: the first three pay.
pub fn kudos_pays(place: usize) -> bool {
    place < KUDOS_PAID_PER_DAY_FROM_ONE
}

/// The XP at which level `level` (from 1) is reached: 50·n·(n−1).
pub fn level_starts_at(level: u32) -> i64 {
    let n = i64::from(level);
    50 * n * (n - 1)
}

/// The level reached with `xp`.
pub fn level(xp: i64) -> u32 {
    let mut level = 1;
    while level_starts_at(level + 1) <= xp {
        level += 1;
    }
    level
}

/// The XP still needed to reach the level after the one `xp` reached.
pub fn xp_for_next_level(xp: i64) -> i64 {
    level_starts_at(level(xp) + 1) - xp
}

/// A badge: earned once, never taken away.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray, VariantNames,
)]
#[strum(serialize_all = "snake_case")]
pub enum Badge {
    FirstStep,
    KindWeek,
    RestIsProductive,
    WelcomeBack,
    Ripple,
    GoodListener,
    ChainReaction,
    TeamSpark,
}

/// Complete days of a `rest` habit for [`Badge::RestIsProductive`].
pub const REST_DAYS_FOR_BADGE: u64 = 10;
/// Different colleagues given `team`-visible kudos for [`Badge::Ripple`].
pub const RIPPLE_COLLEAGUES: u64 = 5;
/// How long after being given kudos passing it on earns the giver
/// [`Badge::ChainReaction`].
pub const CHAIN_REACTION_WINDOW: Duration = Duration::hours(24);
/// The team streak that earns its members [`Badge::TeamSpark`].
pub const TEAM_SPARK_STREAK: u32 = 10;
/// `listening` acts for [`Badge::GoodListener`].
pub const LISTENING_ACTS: u64 = 5;

impl Badge {
    /// Its name, as the catalogue shows it.
    pub fn name(self) -> &'static str {
        match self {
            Self::FirstStep => "First step",
            Self::KindWeek => "A kind week",
            Self::RestIsProductive => "Rest is productive",
            Self::WelcomeBack => "Welcome back",
            Self::Ripple => "Ripple",
            Self::GoodListener => "Good listener",
            Self::ChainReaction => "Chain reaction",
            Self::TeamSpark => "Team spark",
        }
    }

    /// What it celebrates.
    pub fn description(self) -> &'static str {
        match self {
            Self::FirstStep => "The first day you completed a habit.",
            Self::KindWeek => "Seven days of kindness to yourself in a row.",
            Self::RestIsProductive => "Resting counts: ten days of a rest habit.",
            Self::WelcomeBack => "You came back after a break. Coming back is the habit.",
            Self::Ripple => "Your appreciation reached five colleagues.",
            Self::GoodListener => "Five times you listened.",
            Self::ChainReaction => "Someone you appreciated passed it on.",
            Self::TeamSpark => "Your team kept its kindness going for ten working days.",
        }
    }

    /// How it is earned.
    pub fn criteria(self) -> &'static str {
        match self {
            Self::FirstStep => "Complete a habit's day for the first time.",
            Self::KindWeek => "Reach a habit streak of 7.",
            Self::RestIsProductive => "Complete 10 days of a habit in the `rest` category.",
            Self::WelcomeBack => {
                "Complete a habit's day after a streak of at least 2 of that habit ended."
            }
            Self::Ripple => "Give team-visible kudos to 5 different colleagues.",
            Self::GoodListener => "Post 5 acts in the `listening` category.",
            Self::ChainReaction => {
                "Someone you gave team-visible kudos gives team-visible kudos to a third person within the 24 hours after."
            }
            Self::TeamSpark => "Be a member of a team whose team streak reaches 10.",
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn levels_start_at_fifty_n_times_n_minus_one() {
        for (xp, level_reached, to_next) in [
            (0, 1, 100),
            (99, 1, 1),
            (100, 2, 200),
            (299, 2, 1),
            (300, 3, 300),
            (600, 4, 400),
        ] {
            assert_eq!(
                (level(xp), xp_for_next_level(xp)),
                (level_reached, to_next),
                "{xp} XP"
            );
        }
    }

    #[test]
    fn settling_pays_what_is_earned_and_not_paid_and_reverses_what_is_paid_and_not_earned() {
        assert_eq!(settle(None, true), Some((0, true)));
        assert_eq!(settle(None, false), None);
        assert_eq!(settle(Some(0), true), None);
        assert_eq!(settle(Some(0), false), Some((1, false)));
        assert_eq!(settle(Some(1), false), None);
        assert_eq!(settle(Some(1), true), Some((2, true)));
    }

    #[test]
    fn the_first_three_standing_kudos_of_a_day_pay() {
        let paying: Vec<bool> = (0..5).map(kudos_pays).collect();
        assert_eq!(paying, [true, true, true, false, false]);
    }

    #[test]
    fn awards_of_one_source_are_told_apart_by_day_and_by_who_thanked() {
        let (user, habit, act) = (Uuid::nil(), Uuid::from_u128(1), Uuid::from_u128(2));
        let day =
            |d| Award::check_in_day(user, habit, NaiveDate::from_ymd_opt(2026, 12, d).unwrap());
        assert_ne!(day(1).key(), day(2).key());
        let thanks = |by| Award::thanks_received(user, act, Uuid::from_u128(by));
        assert_ne!(thanks(3).key(), thanks(4).key());
        assert_ne!(
            Award::act(user, act).key(),
            Award::kudos_received(user, act).key()
        );
    }

    #[test]
    fn milestones_pay_five_per_day_of_the_streak_once_reached() {
        assert_eq!(milestones_reached(2).count(), 0);
        assert_eq!(milestones_reached(7).collect::<Vec<_>>(), [3, 7]);
        assert_eq!(milestones_reached(400).count(), MILESTONES.len());
        let award = Award::streak_milestone(Uuid::nil(), Uuid::nil(), 30);
        assert_eq!((award.xp, award.source_type), (150, SourceType::Habit));
        assert_ne!(
            award.key(),
            Award::streak_milestone(Uuid::nil(), Uuid::nil(), 60).key()
        );
    }

    #[test]
    fn every_badge_is_described() {
        for badge in Badge::all() {
            assert!(!badge.name().is_empty() && badge.description().ends_with('.'));
            assert!(badge.criteria().ends_with('.'), "{badge:?}");
        }
    }

    /// A change to the facts the reversible awards stand on.
    #[derive(Debug, Clone)]
    enum Change {
        /// A habit's day reaches (`true`) or falls below (`false`) its target.
        Day(u8, bool),
        /// Someone posts kudos to the person on a day.
        Kudos { from: u8, day: u8 },
        /// The n-th kudos posted (modulo how many there are) is withdrawn.
        Withdraw(usize),
    }

    fn change() -> impl Strategy<Value = Change> {
        prop_oneof![
            (0u8..6, any::<bool>()).prop_map(|(day, complete)| Change::Day(day, complete)),
            (0u8..3, 0u8..2).prop_map(|(from, day)| Change::Kudos { from, day }),
            (0usize..20).prop_map(Change::Withdraw),
        ]
    }

    /// The ledger as the service keeps it: each award's entries.
    #[derive(Default)]
    struct Ledger(BTreeMap<String, Vec<i32>>);

    impl Ledger {
        fn settle(&mut self, key: String, xp: i32, earned: bool) {
            let entries = self.0.entry(key).or_default();
            let latest = entries.len().checked_sub(1).map(|n| n as i32);
            if let Some((occurrence, pays)) = settle(latest, earned) {
                assert_eq!(occurrence as usize, entries.len());
                entries.push(if pays { xp } else { -xp });
            }
        }

        fn sum(&self) -> i32 {
            self.0.values().flatten().sum()
        }
    }

    proptest! {
        /// Whatever the order of completions, undos, kudos and withdrawals,
        /// and however often each is replayed, settling the awards a change
        /// touches leaves the ledger's sum equal to what the final facts
        /// alone earn, counted another way: 10 per complete day, and 5 for
        /// each colleague's first three standing kudos of each day.
        #[test]
        fn the_ledger_sums_to_what_the_final_facts_earn(
            changes in proptest::collection::vec(change(), 0..60),
        ) {
            let (user, habit) = (Uuid::nil(), Uuid::from_u128(1));
            let mut ledger = Ledger::default();
            let mut complete = BTreeSet::new();
            // Kudos in the order posted: (from, day, standing).
            let mut kudos: Vec<(u8, u8, bool)> = Vec::new();
            for change in changes {
                let mut touched = Vec::new();
                match change {
                    Change::Day(day, now_complete) => {
                        if now_complete { complete.insert(day); } else { complete.remove(&day); }
                        let date = NaiveDate::from_ymd_opt(2026, 12, 1 + u32::from(day)).unwrap();
                        let award = Award::check_in_day(user, habit, date);
                        ledger.settle(award.key(), award.xp, now_complete);
                    }
                    Change::Kudos { from, day } => {
                        kudos.push((from, day, true));
                        touched.push((from, day));
                    }
                    Change::Withdraw(n) if !kudos.is_empty() => {
                        let n = n % kudos.len();
                        kudos[n].2 = false;
                        touched.push((kudos[n].0, kudos[n].1));
                    }
                    Change::Withdraw(_) => {}
                }
                // The service settles every kudos of the touched colleague
                // and day, as it does after a post or a withdrawal.
                for (from, day) in touched {
                    let same: Vec<usize> = (0..kudos.len())
                        .filter(|&i| (kudos[i].0, kudos[i].1) == (from, day))
                        .collect();
                    let mut place = 0;
                    for i in same {
                        let award = Award::kudos_received(user, Uuid::from_u128(100 + i as u128));
                        let standing = kudos[i].2;
                        ledger.settle(award.key(), award.xp, standing && kudos_pays(place));
                        place += usize::from(standing);
                    }
                }
            }
            let mut per_colleague_day: BTreeMap<(u8, u8), usize> = BTreeMap::new();
            for (from, day, standing) in &kudos {
                if *standing {
                    *per_colleague_day.entry((*from, *day)).or_default() += 1;
                }
            }
            let kudos_xp: usize = per_colleague_day.values().map(|&n| n.min(3) * 5).sum();
            prop_assert_eq!(ledger.sum(), complete.len() as i32 * 10 + kudos_xp as i32);
            for entries in ledger.0.values() {
                // Entries alternate, starting with a payment.
                for (i, xp) in entries.iter().enumerate() {
                    prop_assert_eq!(*xp > 0, i % 2 == 0);
                }
            }
        }

        /// A level is reached exactly at its threshold, and the XP to the
        /// next is always positive and reaches it.
        #[test]
        fn levels_agree_with_their_thresholds(xp in 0i64..10_000_000) {
            let reached = level(xp);
            prop_assert!(level_starts_at(reached) <= xp && xp < level_starts_at(reached + 1));
            let to_next = xp_for_next_level(xp);
            prop_assert!(to_next > 0);
            prop_assert_eq!(level(xp + to_next), reached + 1);
        }
    }
}
