//! Domain events: the facts a write established, raised by the `service`
//! use-case that made the change and reacted to in the same transaction
//! (XP and badges, a report's membership history, webhook events). Where a
//! rule decides whether anything happened at all (a day becoming complete),
//! the rule is a function here.

use std::{cmp::Ordering, ops::Range};

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    access::{OrgRole, TeamRole},
    act::{Category, Kind, Visibility},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A person signed up.
    AccountCreated { user_id: Uuid },
    /// A habit's day became complete: its count reached the target.
    DayCompleted {
        user_id: Uuid,
        habit_id: Uuid,
        date: NaiveDate,
    },
    /// A complete day stopped being complete: undone, or its count lowered
    /// below the target.
    DayUndone {
        user_id: Uuid,
        habit_id: Uuid,
        date: NaiveDate,
    },
    /// A habit was deleted, with all its check-ins.
    HabitDeleted { user_id: Uuid, habit_id: Uuid },
    /// An act or kudos was logged.
    ActPosted {
        act_id: Uuid,
        team_id: Uuid,
        author_id: Uuid,
        kind: Kind,
        category: Category,
        visibility: Visibility,
        recipients: Vec<Uuid>,
    },
    /// The author withdrew an act; its recipients and their thanks went
    /// with it.
    ActWithdrawn {
        act_id: Uuid,
        team_id: Uuid,
        author_id: Uuid,
        kind: Kind,
        visibility: Visibility,
        recipients: Vec<Uuid>,
        thanked_by: Vec<Uuid>,
    },
    /// A recipient thanked the author, for the first time.
    Thanked {
        act_id: Uuid,
        team_id: Uuid,
        /// `None` when the author's account is gone.
        author_id: Option<Uuid>,
        by: Uuid,
    },
    /// A person joined an organisation (its creator, as owner, included).
    MemberJoined {
        org_id: Uuid,
        user_id: Uuid,
        role: OrgRole,
        /// The team the invitation named, which they joined too.
        team_id: Option<Uuid>,
    },
    /// A member's role changed.
    RoleChanged {
        org_id: Uuid,
        user_id: Uuid,
        from: OrgRole,
        to: OrgRole,
    },
    /// A person left an organisation, or was removed (and so left its
    /// teams, each with its own event).
    MemberLeft { org_id: Uuid, user_id: Uuid },
    /// A team was created.
    TeamCreated { org_id: Uuid, team_id: Uuid },
    /// A team was deleted, with its acts and kudos (its members left it
    /// first, each with its own event).
    TeamDeleted { org_id: Uuid, team_id: Uuid },
    /// A person joined a team.
    TeamMemberJoined {
        team_id: Uuid,
        user_id: Uuid,
        role: TeamRole,
    },
    /// A team member's team role changed.
    TeamRoleChanged {
        team_id: Uuid,
        user_id: Uuid,
        from: TeamRole,
        to: TeamRole,
    },
    /// A person left a team, or was taken out of it.
    TeamMemberLeft { team_id: Uuid, user_id: Uuid },
}

/// One habit's day, on which a check-in changes.
#[derive(Debug, Clone, Copy)]
pub struct HabitDay {
    pub user_id: Uuid,
    pub habit_id: Uuid,
    pub date: NaiveDate,
}

impl HabitDay {
    /// What changing the day's count from `before` to `after` (`None`: no
    /// check-in) did, for a habit whose day is complete at `target`:
    /// `DayCompleted` when the count reached the target, `DayUndone` when a
    /// complete day fell below it, and nothing when the day stayed as
    /// complete (or as incomplete) as it was.
    pub fn change(self, target: i32, before: Option<i32>, after: Option<i32>) -> Option<Event> {
        let complete = |count: Option<i32>| count.is_some_and(|count| count >= target);
        match (complete(before), complete(after)) {
            (false, true) => Some(self.event(true)),
            (true, false) => Some(self.event(false)),
            _ => None,
        }
    }

    /// `DayCompleted`, or `DayUndone`.
    pub fn event(self, completed: bool) -> Event {
        let Self {
            user_id,
            habit_id,
            date,
        } = self;
        if completed {
            Event::DayCompleted {
                user_id,
                habit_id,
                date,
            }
        } else {
            Event::DayUndone {
                user_id,
                habit_id,
                date,
            }
        }
    }
}

/// The days a change of a habit's target from `old` to `new` completes
/// (`true`) or un-completes (`false`): those whose count lies from the lower
/// target up to below the higher one.
pub fn retargeted(old: i32, new: i32) -> Option<(Range<i32>, bool)> {
    match new.cmp(&old) {
        Ordering::Less => Some((new..old, true)),
        Ordering::Greater => Some((old..new, false)),
        Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn change(target: i32, before: Option<i32>, after: Option<i32>) -> Option<Event> {
        let day = HabitDay {
            user_id: Uuid::nil(),
            habit_id: Uuid::nil(),
            date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        };
        day.change(target, before, after)
    }

    fn is_completed(event: Option<Event>) -> Option<bool> {
        match event {
            Some(Event::DayCompleted { .. }) => Some(true),
            Some(Event::DayUndone { .. }) => Some(false),
            None => None,
            Some(other) => panic!("a day change raised {other:?}"),
        }
    }

    #[test]
    fn a_day_completes_when_its_count_reaches_the_target_and_is_undone_below_it() {
        for (target, before, after, completed) in [
            (1, None, Some(1), Some(true)),
            (3, Some(2), Some(3), Some(true)),
            (3, Some(3), Some(2), Some(false)),
            (3, Some(4), None, Some(false)),
            (3, None, Some(2), None),
            (3, Some(2), None, None),
            (3, Some(3), Some(5), None),
            (1, Some(1), Some(1), None),
        ] {
            assert_eq!(
                is_completed(change(target, before, after)),
                completed,
                "{before:?} → {after:?} at {target}"
            );
        }
    }

    #[test]
    fn a_new_target_completes_or_undoes_exactly_the_days_between_the_two() {
        assert_eq!(retargeted(3, 3), None);
        assert_eq!(retargeted(3, 1), Some((1..3, true)));
        assert_eq!(retargeted(1, 4), Some((1..4, false)));
    }

    proptest! {
        /// For any count, a day's completeness under the new target is its
        /// completeness under the old one, changed exactly when
        /// `retargeted` says so.
        #[test]
        fn retargeting_agrees_with_recounting(old in 1i32..10, new in 1i32..10, count in 1i32..12) {
            let changed = retargeted(old, new)
                .filter(|(counts, _)| counts.contains(&count))
                .map(|(_, completes)| completes);
            let (was, is) = (count >= old, count >= new);
            prop_assert_eq!(changed, (was != is).then_some(is));
        }

        /// Over any sequence of counts (and undos) for one day, the events
        /// alternate, start with a completion, and leave the day complete
        /// exactly when the last of them is a completion: so a reaction that
        /// pays on completion and takes back on undo pays once, net, for a
        /// complete day and nothing for an incomplete one.
        #[test]
        fn day_events_alternate_and_match_the_final_state(
            target in 1i32..5,
            counts in proptest::collection::vec(proptest::option::of(1i32..8), 0..20),
        ) {
            let mut before = None;
            let mut net = 0;
            let mut last = None;
            for after in counts {
                if let Some(completed) = is_completed(change(target, before, after)) {
                    prop_assert_ne!(Some(completed), last);
                    prop_assert!(last.is_some() || completed);
                    net += if completed { 1 } else { -1 };
                    last = Some(completed);
                }
                before = after;
            }
            let complete = before.is_some_and(|count| count >= target);
            prop_assert_eq!(net, i32::from(complete));
        }
    }
}
