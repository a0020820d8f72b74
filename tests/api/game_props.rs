//! The ledger against the facts through the whole API: random sequences of
//! check-ins (backfilled, raised, lowered below the target, undone), acts,
//! kudos of both visibilities, thanks, withdrawals and new days, with every
//! person's XP compared after each step with what an independent reference
//! computes from the facts alone, and no badge ever taken away.
//!
//! Check-in days lie two days apart, so no streak reaches a milestone or
//! ends for `welcome_back`: those awards are kept rather than reversible,
//! and their own tests (`game.rs`, and the streak engine's property test)
//! cover them.

use std::collections::{BTreeMap, BTreeSet};

use poem::http::Method;
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, RngAlgorithm, TestRng, TestRunner},
};
use serde_json::{Value, json};

use crate::{db_test, support::*};

/// Random sequences per test run.
const CASES: usize = 8;
/// People in the team; each may act, be named, and thank.
const PEOPLE: usize = 3;
/// A habit's day is complete at this count.
const TARGET: u8 = 2;

#[derive(Debug, Clone)]
enum Step {
    /// A person sets (count > 0) or undoes (0) one of their habit's days.
    Day { person: usize, day: u8, count: u8 },
    /// An act, in `listening` or `help`.
    Act { author: usize, listening: bool },
    /// Kudos to the other people picked by `to` (a non-zero bit mask).
    Kudos { author: usize, to: u8, team: bool },
    /// The n-th act posted (modulo how many) is withdrawn by its author.
    Withdraw(usize),
    /// The n-th act posted is thanked by its `by`-th recipient or, if it
    /// has fewer, by person `by`: only a recipient's thanks count.
    Thank { act: usize, by: usize },
    /// The clock moves on a day: a new day for the kudos cap.
    NextDay,
}

fn step() -> impl Strategy<Value = Step> {
    let person = 0..PEOPLE;
    prop_oneof![
        4 => (person.clone(), 0u8..5, 0..=TARGET + 1)
            .prop_map(|(person, day, count)| Step::Day { person, day, count }),
        2 => (person.clone(), any::<bool>())
            .prop_map(|(author, listening)| Step::Act { author, listening }),
        4 => (person.clone(), 1u8..4, prop::bool::weighted(0.7))
            .prop_map(|(author, to, team)| Step::Kudos { author, to, team }),
        2 => (0usize..30).prop_map(Step::Withdraw),
        2 => (0usize..30, person).prop_map(|(act, by)| Step::Thank { act, by }),
        1 => Just(Step::NextDay),
    ]
}

/// A posted act as the reference keeps it.
struct Posted {
    id: String,
    author: usize,
    recipients: Vec<usize>,
    /// The organisation's day (from 0) it was posted on.
    day: u32,
    standing: bool,
    thanked_by: BTreeSet<usize>,
}

/// The facts, and what they earn by API.md's table, counted from them alone.
#[derive(Default)]
struct Facts {
    /// Each person's count per day (days from the test's first).
    counts: BTreeMap<(usize, i64), u8>,
    acts: Vec<Posted>,
}

impl Facts {
    fn xp(&self, person: usize) -> i64 {
        let days = self
            .counts
            .iter()
            .filter(|((who, _), count)| *who == person && **count >= TARGET)
            .count() as i64;
        let standing = || self.acts.iter().filter(|act| act.standing);
        let acts = standing().filter(|act| act.author == person).count() as i64;
        let thanks: i64 = standing()
            .filter(|act| act.author == person)
            .map(|act| act.thanked_by.len() as i64)
            .sum();
        let mut kudos_per_colleague_day: BTreeMap<(usize, u32), i64> = BTreeMap::new();
        for act in standing().filter(|act| act.recipients.contains(&person)) {
            *kudos_per_colleague_day
                .entry((act.author, act.day))
                .or_default() += 1;
        }
        let kudos: i64 = kudos_per_colleague_day.values().map(|n| n.min(&3)).sum();
        10 * days + 15 * acts + 5 * kudos + 2 * thanks
    }
}

/// An organisation with one team of `PEOPLE` people, each with a habit
/// whose day needs `TARGET` check-ins.
async fn set_up(app: &TestApp, case: usize, days_passed: i64) -> Run {
    let (owner, org) = owned_org(app, &format!("owner{case}@example.com"), "Acme").await;
    let team = create_team(app, &owner.access, &org, "Support").await;
    let mut people = Vec::new();
    let mut habits = Vec::new();
    for n in 0..PEOPLE {
        let email = format!("p{n}-{case}@example.com");
        let person = join_team(app, &owner.access, &org, &team, &email).await;
        let body = json!({"title": "Walk", "category": "movement", "schedule": {"kind": "daily"}, "target_per_day": TARGET});
        habits.push(new_habit(app, &person.access, &body).await);
        people.push(person);
    }
    Run {
        people,
        habits,
        team,
        days_passed,
        org_day: 0,
    }
}

/// Where a sequence stands: its people, their habits, their team, and the
/// days that have passed.
struct Run {
    people: Vec<Session>,
    habits: Vec<String>,
    team: String,
    /// Days since the test's first day (for check-in dates), and since the
    /// sequence began (for the kudos cap's days).
    days_passed: i64,
    org_day: u32,
}

/// Takes the step through the API, checks its answer against what the
/// facts say it must be, and brings the facts up to date.
async fn take(app: &TestApp, step: &Step, facts: &mut Facts, run: &mut Run) {
    match *step {
        Step::Day { person, day, count } => {
            // Even days from the test's first, backfilled up to 8 days.
            let offset = run.days_passed - run.days_passed % 2 - 2 * i64::from(day);
            let date = crate::support::day(offset);
            let (token, habit) = (&run.people[person].access, &run.habits[person]);
            if count == 0 {
                assert_status(&undo_check_in(app, token, habit, &date).await, 204);
                facts.counts.remove(&(person, offset));
            } else {
                let reply = check_in(app, token, habit, &date, &json!({"count": count})).await;
                assert_status(&reply, 200);
                facts.counts.insert((person, offset), count);
            }
        }
        Step::Act { author, listening } => {
            let category = if listening { "listening" } else { "help" };
            let body =
                json!({"kind": "act", "category": category, "message": "Covered the phones"});
            post_act(app, run, author, &body, vec![], facts).await;
        }
        Step::Kudos { author, to, team } => {
            let recipients: Vec<usize> = (0..PEOPLE)
                .filter(|&n| n != author)
                .enumerate()
                .filter(|(bit, _)| to & (1 << bit) != 0)
                .map(|(_, n)| n)
                .collect();
            if recipients.is_empty() {
                return;
            }
            let ids: Vec<&str> = recipients
                .iter()
                .map(|&n| run.people[n].user_id.as_str())
                .collect();
            let visibility = if team { "team" } else { "recipients" };
            let body = json!({"kind": "kudos", "category": "appreciation", "message": "Thank you", "recipient_ids": ids, "visibility": visibility});
            post_act(app, run, author, &body, recipients, facts).await;
        }
        Step::Withdraw(n) => {
            let Some(act) = nth(&mut facts.acts, n) else {
                return;
            };
            let token = &run.people[act.author].access;
            let reply = app
                .call(Method::DELETE, &act_path(&act.id), Some(token), None)
                .await;
            if act.standing {
                assert_status(&reply, 204);
                act.standing = false;
            } else {
                reply.assert_problem(404, "not_found");
            }
        }
        Step::Thank { act, by } => {
            let Some(act) = nth(&mut facts.acts, act) else {
                return;
            };
            let by = act.recipients.get(by).copied().unwrap_or(by);
            let token = &run.people[by].access;
            let reply = app
                .call(Method::PUT, &thanks_path(&act.id), Some(token), None)
                .await;
            if act.standing && act.recipients.contains(&by) {
                assert_status(&reply, 200);
                act.thanked_by.insert(by);
            } else {
                assert!(
                    reply.status.is_client_error(),
                    "thanks answered {}",
                    reply.status
                );
            }
        }
        Step::NextDay => {
            app.clock.advance(chrono::Duration::days(1));
            run.days_passed += 1;
            run.org_day += 1;
            for person in run.people.iter_mut() {
                *person = relogin(app, person).await;
            }
        }
    }
}

fn nth(acts: &mut [Posted], n: usize) -> Option<&mut Posted> {
    let len = acts.len();
    (len > 0).then(|| &mut acts[n % len])
}

async fn post_act(
    app: &TestApp,
    run: &Run,
    author: usize,
    body: &Value,
    recipients: Vec<usize>,
    facts: &mut Facts,
) {
    let token = &run.people[author].access;
    let reply = app
        .post(&team_acts_path(&run.team), Some(token), body)
        .await;
    if reply.status.as_u16() == 429 {
        // The day's 20 acts in this team: nothing was posted.
        reply.assert_problem(429, "act_limit");
        return;
    }
    assert_status(&reply, 201);
    facts.acts.push(Posted {
        id: id_of(&reply.json()),
        author,
        recipients,
        day: run.org_day,
        standing: true,
        thanked_by: BTreeSet::new(),
    });
}

db_test! {
    async fn every_persons_xp_is_what_the_facts_earn_and_no_badge_is_taken_away(app: TestApp) {
        // A fresh seed each run, printed with any failure; set
        // KINDLING_GAME_SEED to replay one.
        let seed: u64 = std::env::var("KINDLING_GAME_SEED")
            .ok()
            .and_then(|seed| seed.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |since| since.as_nanos() as u64)
            });
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
        let mut runner = TestRunner::new_with_rng(Config::default(), rng);
        let sequences = proptest::collection::vec(step(), 1..50);
        let mut days_passed = 0;
        for case in 0..CASES {
            let steps = sequences.new_tree(&mut runner).expect("a sequence").current();
            let mut run = set_up(&app, case, days_passed).await;
            let mut facts = Facts::default();
            let mut badges: Vec<BTreeSet<String>> = vec![BTreeSet::new(); PEOPLE];
            for (n, step) in steps.iter().enumerate() {
                take(&app, step, &mut facts, &mut run).await;
                for (person, session) in run.people.iter().enumerate() {
                    let progress = get_ok(&app, &session.access, "/v1/me/progress").await;
                    assert_eq!(
                        progress["xp"].as_i64(),
                        Some(facts.xp(person)),
                        "person {person} after step {n} (KINDLING_GAME_SEED={seed}, case {case}) of {steps:#?}"
                    );
                    let earned: BTreeSet<String> = strings_in(&progress["badges"], "code").into_iter().collect();
                    assert!(earned.is_superset(&badges[person]), "a badge was taken away at step {n} (KINDLING_GAME_SEED={seed}, case {case}) of {steps:#?}");
                    badges[person] = earned;
                }
            }
            // The next sequence's acts count toward a day of their own.
            app.clock.advance(chrono::Duration::days(1));
            days_passed = run.days_passed + 1;
        }
        assert_balances_match_the_ledger(&app).await;
    }
}
