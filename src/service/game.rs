//! The game's reactions to a write's events, in its transaction: each award
//! the change touches is settled against the facts as they now stand
//! ([`xp::settle`]), and badges whose criterion became true are granted.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::Error;
use crate::{
    domain::{
        Event,
        act::{Category, Kind, Visibility},
        calendar::local_today,
        habit::Category as HabitCategory,
        xp::{
            self, Award, Badge, CHAIN_REACTION_WINDOW, KIND_WEEK_STREAK, LISTENING_ACTS,
            REST_DAYS_FOR_BADGE, RIPPLE_COLLEAGUES, TEAM_SPARK_STREAK,
        },
    },
    store::{self, WriteTxn, team_streaks::OrgDays},
};

/// Reacts to every event of one write, in its transaction.
pub async fn react(txn: &WriteTxn, now: DateTime<Utc>, events: &[Event]) -> Result<(), Error> {
    store::xp::lock_balances(txn, events.iter().flat_map(earners).collect()).await?;
    let game = Game { txn, now };
    let mut completed: BTreeMap<(Uuid, Uuid), Vec<NaiveDate>> = BTreeMap::new();
    for event in events {
        if let Event::DayCompleted {
            user_id,
            habit_id,
            date,
        } = event
        {
            completed
                .entry((*user_id, *habit_id))
                .or_default()
                .push(*date);
        }
        game.react(event).await?;
    }
    // A batch may complete many days of one habit: its streak is read once.
    for ((user_id, habit_id), dates) in completed {
        game.habit_progress(user_id, habit_id, &dates).await?;
    }
    Ok(())
}

/// The people whose XP the event may move.
fn earners(event: &Event) -> Vec<Uuid> {
    match event {
        Event::DayCompleted { user_id, .. }
        | Event::DayUndone { user_id, .. }
        | Event::HabitDeleted { user_id, .. } => vec![*user_id],
        Event::ActPosted {
            author_id,
            recipients,
            ..
        }
        | Event::ActWithdrawn {
            author_id,
            recipients,
            ..
        } => std::iter::once(*author_id)
            .chain(recipients.iter().copied())
            .collect(),
        Event::Thanked {
            author_id: Some(author_id),
            ..
        } => vec![*author_id],
        _ => Vec::new(),
    }
}

/// A write's transaction and its instant, for the reactions to its events.
struct Game<'a> {
    txn: &'a WriteTxn,
    now: DateTime<Utc>,
}

impl Game<'_> {
    /// The awards and badges one event touches.
    async fn react(&self, event: &Event) -> Result<(), Error> {
        match event {
            Event::DayCompleted {
                user_id,
                habit_id,
                date,
            } => {
                self.settle(&Award::check_in_day(*user_id, *habit_id, *date), true)
                    .await?;
                self.grant(*user_id, Badge::FirstStep).await?;
            }
            Event::DayUndone {
                user_id,
                habit_id,
                date,
            } => {
                self.settle(&Award::check_in_day(*user_id, *habit_id, *date), false)
                    .await?;
            }
            Event::HabitDeleted { user_id, habit_id } => {
                for (date, latest) in store::xp::paid_days(self.txn, *user_id, *habit_id).await? {
                    let award = Award::check_in_day(*user_id, *habit_id, date);
                    self.append(&award, xp::settle(Some(latest), false)).await?;
                }
            }
            Event::ActPosted {
                act_id,
                team_id,
                author_id,
                kind,
                category,
                visibility,
                recipients,
            } => {
                self.settle(&Award::act(*author_id, *act_id), true).await?;
                if !recipients.is_empty() {
                    let day = self.kudos_day(*act_id).await?;
                    for recipient in recipients {
                        self.settle_kudos(day, *author_id, *recipient).await?;
                    }
                }
                self.acts_badges(*author_id, *kind, *category, *visibility, recipients)
                    .await?;
                if *visibility == Visibility::Team {
                    self.team_spark(*team_id).await?;
                }
            }
            Event::ActWithdrawn {
                act_id,
                author_id,
                recipients,
                thanked_by,
                ..
            } => {
                self.settle(&Award::act(*author_id, *act_id), false).await?;
                if !recipients.is_empty() {
                    let day = self.kudos_day(*act_id).await?;
                    for recipient in recipients {
                        self.settle(&Award::kudos_received(*recipient, *act_id), false)
                            .await?;
                        self.settle_kudos(day, *author_id, *recipient).await?;
                    }
                }
                for by in thanked_by {
                    self.settle(&Award::thanks_received(*author_id, *act_id, *by), false)
                        .await?;
                }
            }
            Event::Thanked {
                act_id,
                author_id: Some(author_id),
                by,
                ..
            } => {
                self.settle(&Award::thanks_received(*author_id, *act_id, *by), true)
                    .await?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Brings the award's entries in line with whether it is `earned`.
    async fn settle(&self, award: &Award, earned: bool) -> Result<(), Error> {
        self.settle_each(award.user_id, vec![(award.clone(), earned)])
            .await
    }

    /// Settles each of `user_id`'s awards against whether it is earned,
    /// reading their ledger entries in one query.
    async fn settle_each(&self, user_id: Uuid, awards: Vec<(Award, bool)>) -> Result<(), Error> {
        if awards.is_empty() {
            return Ok(());
        }
        let keys = awards.iter().map(|(award, _)| award.key()).collect();
        let latest = store::xp::latest_occurrences(self.txn, user_id, keys).await?;
        for (award, earned) in &awards {
            debug_assert_eq!(award.user_id, user_id);
            let due = xp::settle(latest.get(&award.key()).copied(), *earned);
            self.append(award, due).await?;
        }
        Ok(())
    }

    /// Writes the entry [`xp::settle`] said is due, if any.
    async fn append(&self, award: &Award, due: Option<(i32, bool)>) -> Result<(), Error> {
        if let Some((occurrence, pays)) = due {
            store::xp::append(self.txn, award, occurrence, pays, self.now).await?;
        }
        Ok(())
    }

    /// The organisation and its local day an act was posted on: where the
    /// kudos cap counts.
    async fn kudos_day(&self, act_id: Uuid) -> Result<(Uuid, NaiveDate), Error> {
        store::acts::org_day(self.txn, act_id)
            .await?
            .ok_or(Error::NotFound("act"))
    }

    /// Settles the kudos `author_id` gave `recipient_id` in the organisation
    /// on its local day `date`: the first three standing pay. (Only standing
    /// kudos are found: a withdrawn one loses its recipients, and the
    /// withdrawal settles its award itself.)
    async fn settle_kudos(
        &self,
        (org_id, date): (Uuid, NaiveDate),
        author_id: Uuid,
        recipient_id: Uuid,
    ) -> Result<(), Error> {
        let standing =
            store::xp::kudos_between_on(self.txn, org_id, author_id, recipient_id, date).await?;
        let awards = standing
            .into_iter()
            .enumerate()
            .map(|(place, kudos)| {
                let award = Award::kudos_received(recipient_id, kudos);
                (award, xp::kudos_pays(place))
            })
            .collect();
        self.settle_each(recipient_id, awards).await
    }

    /// The badges a new act may complete: for its author, and for whoever
    /// gave the author the kudos they now pass on.
    async fn acts_badges(
        &self,
        author_id: Uuid,
        kind: Kind,
        category: Category,
        visibility: Visibility,
        recipients: &[Uuid],
    ) -> Result<(), Error> {
        // Counted only until earned: a prolific author's history is not
        // counted again on every act.
        if category == Category::Listening
            && !store::xp::has_badge(self.txn, author_id, Badge::GoodListener).await?
            && store::xp::acts_in_category(self.txn, author_id, category).await? >= LISTENING_ACTS
        {
            self.grant(author_id, Badge::GoodListener).await?;
        }
        if kind != Kind::Kudos || visibility != Visibility::Team {
            return Ok(());
        }
        if !store::xp::has_badge(self.txn, author_id, Badge::Ripple).await?
            && store::xp::colleagues_given_kudos(self.txn, author_id).await? >= RIPPLE_COLLEAGUES
        {
            self.grant(author_id, Badge::Ripple).await?;
        }
        // Whoever gave the author kudos in the last day, and sees them passed
        // on to a third person, set off a chain reaction.
        let since = self.now - CHAIN_REACTION_WINDOW;
        for giver in store::xp::kudos_authors_to_since(self.txn, author_id, since).await? {
            if recipients.iter().any(|&recipient| recipient != giver) {
                self.grant(giver, Badge::ChainReaction).await?;
            }
        }
        Ok(())
    }

    /// The milestones the habit's streak has reached pay, once each; a day
    /// completed now that comes back after a streak ended pays
    /// `welcome_back`, once per ended streak, and earns the badge; a streak
    /// of 7 earns `kind_week`, and 10 complete days of a `rest` habit
    /// `rest_is_productive`. None is ever taken back.
    ///
    /// Only the write that completes the comeback's own period pays it: a
    /// backfill that fills an older gap makes a later day look like a
    /// comeback for a moment, which nobody came back on.
    async fn habit_progress(
        &self,
        user_id: Uuid,
        habit_id: Uuid,
        completed: &[NaiveDate],
    ) -> Result<(), Error> {
        let (Some(habit), Some(user)) = (
            store::habits::find(self.txn, habit_id).await?,
            store::users::find(self.txn, user_id).await?,
        ) else {
            return Ok(());
        };
        let today = local_today(self.now, user.timezone, user.day_starts_at_hour);
        let pauses = store::pauses::of_user(self.txn, user_id).await?;
        let (streaks, refreshed) =
            store::streaks::computed(self.txn, std::slice::from_ref(&habit), today, &pauses)
                .await?;
        store::streaks::save(self.txn, refreshed).await?;
        let Some(streak) = streaks.get(&habit_id).map(|s| s.streak) else {
            return Ok(());
        };
        let longest = streak.longest;
        let milestones = xp::milestones_reached(longest)
            .map(|milestone| (Award::streak_milestone(user_id, habit_id, milestone), true))
            .collect();
        self.settle_each(user_id, milestones).await?;
        if longest >= KIND_WEEK_STREAK {
            self.grant(user_id, Badge::KindWeek).await?;
        }
        if let Some(comeback) = streak.comeback
            && completed
                .iter()
                .any(|date| (comeback.first_day..=comeback.last_day).contains(date))
        {
            let award = Award::welcome_back(user_id, habit_id, comeback.ended_on);
            self.settle(&award, true).await?;
            self.grant(user_id, Badge::WelcomeBack).await?;
        }
        if habit.fields.category == HabitCategory::Rest
            && !store::xp::has_badge(self.txn, user_id, Badge::RestIsProductive).await?
        {
            let target = habit.fields.target_per_day;
            let complete = store::check_ins::dates_with_count(self.txn, habit_id, target..i32::MAX)
                .await?
                .len();
            if complete as u64 >= REST_DAYS_FOR_BADGE {
                self.grant(user_id, Badge::RestIsProductive).await?;
            }
        }
        Ok(())
    }

    /// A team-visible act may carry the team's streak to 10: then every
    /// member earns `team_spark`.
    async fn team_spark(&self, team_id: Uuid) -> Result<(), Error> {
        let Some(team) = store::teams::find(self.txn, team_id).await? else {
            return Ok(());
        };
        let Some(org) = store::orgs::find(self.txn, team.org_id).await? else {
            return Ok(());
        };
        let days = OrgDays {
            working_days: org.working_days,
            settings_changed_at: org.updated_at,
            today: org.date_at(self.now),
            team_starts_on: org.date_at(team.created_at),
        };
        let (streak, _) = store::team_streaks::computed(self.txn, &team, &days).await?;
        if streak.current >= TEAM_SPARK_STREAK {
            let members = store::teams::member_ids(self.txn, team_id).await?;
            store::xp::grant(self.txn, &members, Badge::TeamSpark, self.now).await?;
        }
        Ok(())
    }

    async fn grant(&self, user_id: Uuid, badge: Badge) -> Result<(), Error> {
        store::xp::grant(self.txn, &[user_id], badge, self.now).await?;
        Ok(())
    }
}
