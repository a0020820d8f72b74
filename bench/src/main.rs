//! `kindling-load`: drives a running Kindling with many concurrent clients,
//! each a person with habits and a member of one organisation's teams, mixing
//! check-in writes (`PUT …/check-ins/{date}`), today reads
//! (`GET /v1/me/today`), progress reads (`GET /v1/me/progress`), act writes (`POST /v1/teams/{id}/acts`) and reads of
//! a team's feed, streak and progress. It reports requests per second,
//! p50/p99 latency per operation and the 5xx count, then reads every habit's
//! check-ins and every team's feed back and checks that every acknowledged
//! write is stored, and that each person's XP is what the game's rules give
//! for their acknowledged check-ins and acts.
//!
//! With `--seed-database-url` (the server's own database URL) it first writes
//! years of daily history for every habit, and a year of acts (20 a day) for
//! the team whose feed, streak and progress the load reads, straight into the
//! database. Before the load it times those three reads, one at a time, on
//! that team and on a team with no history: their ratio shows whether they
//! depend on the length of the history. It also times a person's game
//! progress (`GET /v1/me/progress`) and a check-in write with its awards,
//! for someone with years of history and thousands of ledger entries
//! against a newcomer with a week of both.
//!
//! The server must allow the registrations and request rate of a load test:
//! start it with `KINDLING_REGISTRATIONS_PER_ADDRESS=100000` and
//! `KINDLING_REQUESTS_PER_MINUTE=10000000`. See the README for the commands.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, bail, ensure};
use chrono::{NaiveDate, Utc};
use clap::Parser;
use rand::Rng;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Database, EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

#[derive(Debug, Parser)]
#[command(about = "Load-test a running Kindling and verify every acknowledged write")]
struct Args {
    /// Base URL of the running service.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Concurrent clients, each a person of its own.
    #[arg(long, default_value_t = 50)]
    clients: usize,
    /// Habits per person.
    #[arg(long, default_value_t = 20)]
    habits: usize,
    /// Seconds of load.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Of the requests that are neither acts nor team reads, the share that
    /// are check-in writes (the rest read today).
    #[arg(long, default_value_t = 0.5)]
    write_share: f64,
    /// Database URL of the service, to seed history directly before the load.
    #[arg(long)]
    seed_database_url: Option<String>,
    /// Days of daily history to seed per habit (with --seed-database-url).
    #[arg(long, default_value_t = 730)]
    history_days: i64,
    /// Share of requests that log an act in one of the writing teams.
    #[arg(long, default_value_t = 0.15)]
    act_share: f64,
    /// Share of requests that read the year-old team's feed, streak or
    /// progress.
    #[arg(long, default_value_t = 0.25)]
    team_read_share: f64,
    /// Teams the acts are written to (a person logs at most 20 a day in each).
    #[arg(long, default_value_t = 10)]
    act_teams: usize,
    /// Days of acts to seed for the read team (with --seed-database-url).
    #[arg(long, default_value_t = 365)]
    act_days: i64,
    /// Acts a day to seed for the read team.
    #[arg(long, default_value_t = 20)]
    acts_per_day: usize,
    /// Share of requests that read the person's own game progress.
    #[arg(long, default_value_t = 0.05)]
    progress_share: f64,
    /// XP ledger entries to seed for the person with years of history whose
    /// progress and check-in writes are timed against a newcomer's (with
    /// --seed-database-url).
    #[arg(long, default_value_t = 5000)]
    ledger_entries: usize,
}

struct Client {
    user_id: Uuid,
    token: String,
    habits: Vec<Uuid>,
}

/// The organisation's teams; every client is a member of each.
struct Teams {
    /// Seeded with a year of acts; the load reads it.
    year: Uuid,
    /// As many acts as a feed page, all today: the baseline for `year`.
    fresh: Uuid,
    /// The load logs its acts here.
    writes: Vec<Uuid>,
}

#[derive(Default)]
struct Tally {
    latencies: HashMap<&'static str, Vec<Duration>>,
    server_errors: u64,
    other_errors: u64,
    /// The last acknowledged count of each (habit, date).
    acknowledged: HashMap<(Uuid, NaiveDate), i64>,
    /// Every acknowledged check-in write, in the order it was answered.
    written: Vec<(Uuid, NaiveDate)>,
    /// Acts acknowledged with 201.
    acts: Vec<Uuid>,
    /// Whether a write got no answer at all: the person's XP can then not
    /// be told from their acknowledged writes.
    unanswered_writes: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients)
        .build()?;
    let run = Uuid::now_v7().simple().to_string();

    println!(
        "setting up {} people with {} habits each…",
        args.clients, args.habits
    );
    let mut clients = Vec::with_capacity(args.clients);
    for index in 0..args.clients {
        clients.push(set_up(&http, &args, &run, index).await?);
    }
    println!(
        "setting up an organisation with {} teams of {}…",
        args.act_teams + 2,
        args.clients
    );
    let teams = Arc::new(set_up_teams(&http, &args.url, &clients, args.act_teams).await?);
    let today = Utc::now().date_naive();
    let seeded = args.seed_database_url.as_ref().map(|_| {
        (
            today - chrono::Duration::days(args.history_days),
            today - chrono::Duration::days(31),
        )
    });
    if let (Some(url), Some((first, last))) = (&args.seed_database_url, seeded) {
        seed(url, &clients, first, last).await?;
        seed_acts(url, &clients, &teams, &args).await?;
        compare_team_reads(&http, &args.url, &clients[0].token, &teams).await?;
        compare_game(&http, &args, url, &run, today).await?;
    }
    for client in &clients {
        let reply = get(&http, &args.url, "/v1/me/today", &client.token).await?;
        ensure!(
            reply.status().is_success(),
            "warm-up read failed: {}",
            reply.status()
        );
    }

    // The same clients on a route that touches no database, for a figure of
    // what this machine serves at all: the load's rate is read against it.
    let baseline = baseline(&http, &args.url, args.clients, Duration::from_secs(5)).await;
    println!("baseline: GET /healthz at {baseline:.0} req/s");

    println!("load: {} clients for {} s…", args.clients, args.seconds);
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let args = Arc::new(args);
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|client| {
            let (http, args, teams) = (http.clone(), args.clone(), teams.clone());
            tokio::spawn(async move {
                let tally = drive(&http, &args, &client, &teams, today, deadline).await;
                (client, tally)
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await?);
    }
    let elapsed = started.elapsed();

    let mut all: HashMap<&'static str, Vec<Duration>> = HashMap::new();
    let (mut server_errors, mut other_errors) = (0, 0);
    for (_, tally) in &results {
        for (op, latencies) in &tally.latencies {
            all.entry(op).or_default().extend(latencies);
        }
        server_errors += tally.server_errors;
        other_errors += tally.other_errors;
    }
    let total: usize = all.values().map(Vec::len).sum();
    println!(
        "requests: {total} in {:.1} s = {:.0} req/s; 5xx: {server_errors}; other failures: {other_errors}",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    println!(
        "  = {:.2} of the baseline rate",
        total as f64 / elapsed.as_secs_f64() / baseline
    );
    let mut ops: Vec<_> = all.into_iter().collect();
    ops.sort_by_key(|(op, _)| *op);
    for (op, mut latencies) in ops {
        latencies.sort();
        println!(
            "  {op:<8} n={:<7} p50={:>7.2} ms  p99={:>7.2} ms  max={:>7.2} ms",
            latencies.len(),
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99),
            latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        );
    }

    println!("verifying acknowledged writes…");
    let mut checked = 0;
    let mut lost = 0;
    for (client, tally) in &results {
        let stored = stored_counts(&http, &args.url, client, today).await?;
        for (key, count) in &tally.acknowledged {
            checked += 1;
            if stored.get(key) != Some(count) {
                lost += 1;
                eprintln!(
                    "LOST: {key:?} acknowledged {count}, stored {:?}",
                    stored.get(key)
                );
            }
        }
    }
    println!("acknowledged days checked: {checked}; lost or wrong: {lost}");
    let stored_acts = feed_ids(&http, &args.url, &results[0].0.token, &teams.writes).await?;
    let acknowledged_acts: Vec<&Uuid> = results.iter().flat_map(|(_, tally)| &tally.acts).collect();
    let missing = acknowledged_acts
        .iter()
        .filter(|act| !stored_acts.contains(act))
        .inspect(|act| eprintln!("LOST: act {act} acknowledged, not in its team's feed"))
        .count();
    println!(
        "acknowledged acts checked: {}; missing: {missing}",
        acknowledged_acts.len()
    );
    lost += missing;
    let (mut wrong_xp, mut unknown_xp) = (0, 0);
    for (client, tally) in &results {
        if tally.unanswered_writes {
            unknown_xp += 1;
            continue;
        }
        let reply = get(&http, &args.url, "/v1/me/progress", &client.token).await?;
        ensure!(reply.status().is_success(), "progress: {}", reply.status());
        let xp = reply.json::<Value>().await?["xp"].as_i64().context("xp")?;
        let expected = expected_xp(&tally.written, tally.acts.len(), seeded, today);
        if xp != expected {
            wrong_xp += 1;
            eprintln!(
                "WRONG XP: {} has {xp}, the rules give {expected}",
                client.user_id
            );
        }
    }
    println!(
        "people's XP checked against the rules: {}; wrong: {wrong_xp}; not checked (a write went unanswered): {unknown_xp}",
        results.len() - unknown_xp
    );
    lost += wrong_xp;
    if lost > 0 || server_errors > 0 {
        bail!("{lost} writes lost, {server_errors} server errors");
    }
    Ok(())
}

/// The XP a load client earned, from the facts alone and by API.md's rules
/// ("Gamification", "Streaks that forgive") written out again here rather
/// than taken from the service: 15 per act; 10 per day a check-in completed
/// (every load check-in completes its day; seeded days were written
/// straight into the database and never paid); each milestone of 3, 7, 14,
/// 30, 60, 100 and 365 days the habit's longest streak reaches when a day
/// completes, 5 per day of it, once; and 20 for a day that completes the
/// first day after a streak of at least 2 ended, once per ended streak.
/// Days are written in any order, so a comeback pays only if the write that
/// completes a day makes that very day the latest comeback.
fn expected_xp(
    written: &[(Uuid, NaiveDate)],
    acts: usize,
    seeded: Option<(NaiveDate, NaiveDate)>,
    today: NaiveDate,
) -> i64 {
    const MILESTONES: [u32; 7] = [3, 7, 14, 30, 60, 100, 365];
    #[derive(Default)]
    struct Habit {
        complete: std::collections::BTreeSet<NaiveDate>,
        milestones: HashSet<u32>,
        comebacks: HashSet<NaiveDate>,
    }
    let mut habits: HashMap<Uuid, Habit> = HashMap::new();
    let mut xp = 15 * acts as i64;
    for &(habit_id, date) in written {
        let habit = habits.entry(habit_id).or_insert_with(|| Habit {
            complete: seeded
                .map(|(first, last)| first.iter_days().take_while(|day| *day <= last).collect())
                .unwrap_or_default(),
            ..Habit::default()
        });
        if !habit.complete.insert(date) {
            continue;
        }
        xp += 10;
        // A habit starts when it was created (today) or seeded from, or on
        // its first complete day if that is earlier.
        let starts_on = seeded.map_or(today, |(first, _)| first);
        let starts_on = habit
            .complete
            .first()
            .map_or(starts_on, |&day| day.min(starts_on));
        let (longest, comeback) = daily_streak(&habit.complete, starts_on, today);
        for milestone in MILESTONES {
            if milestone <= longest && habit.milestones.insert(milestone) {
                xp += 5 * i64::from(milestone);
            }
        }
        if let Some((ended_on, day)) = comeback
            && day == date
            && habit.comebacks.insert(ended_on)
        {
            xp += 20;
        }
    }
    xp
}

/// A daily habit's longest streak as of `today`, and its latest comeback
/// (the last day of the streak that ended, and the day that came back).
fn daily_streak(
    complete: &std::collections::BTreeSet<NaiveDate>,
    starts_on: NaiveDate,
    today: NaiveDate,
) -> (u32, Option<(NaiveDate, NaiveDate)>) {
    let (mut current, mut longest, mut banked, mut toward_rest) = (0u32, 0u32, 0u32, 0u32);
    let (mut last_complete, mut ended, mut comeback) = (None, None, None);
    for day in starts_on.iter_days().take_while(|day| *day <= today) {
        if complete.contains(&day) {
            if let Some(ended_on) = ended.take() {
                comeback = Some((ended_on, day));
            }
            current += 1;
            longest = longest.max(current);
            last_complete = Some(day);
            toward_rest += 1;
            if toward_rest == 7 {
                toward_rest = 0;
                banked = (banked + 1).min(2);
            }
        } else if day < today {
            toward_rest = 0;
            if banked > 0 {
                banked -= 1;
            } else {
                if current >= 2 {
                    ended = last_complete;
                }
                current = 0;
            }
        }
    }
    (longest, comeback)
}

async fn set_up(
    http: &reqwest::Client,
    args: &Args,
    run: &str,
    index: usize,
) -> anyhow::Result<Client> {
    let registered = http
        .post(format!("{}/v1/auth/register", args.url))
        .json(&json!({
            "email": format!("load-{run}-{index}@example.com"),
            "password": "a load-test password",
            "display_name": format!("Load {index}"),
            "timezone": "UTC",
        }))
        .send()
        .await?;
    ensure!(
        registered.status().is_success(),
        "registering: {} {}",
        registered.status(),
        registered.text().await.unwrap_or_default()
    );
    let body: Value = registered.json().await?;
    let token = body["access_token"].as_str().context("a token")?.to_owned();
    let user_id = body["user"]["id"].as_str().context("a user id")?.parse()?;
    let mut habits = Vec::with_capacity(args.habits);
    for n in 0..args.habits {
        let created = http
            .post(format!("{}/v1/habits", args.url))
            .bearer_auth(&token)
            .json(&json!({
                "title": format!("Habit {n}"),
                "category": "rest",
                "schedule": {"kind": "daily"},
            }))
            .send()
            .await?;
        ensure!(
            created.status().is_success(),
            "creating a habit: {}",
            created.status()
        );
        let body: Value = created.json().await?;
        habits.push(body["id"].as_str().context("an id")?.parse()?);
    }
    Ok(Client {
        user_id,
        token,
        habits,
    })
}

/// The first client creates an organisation (in UTC) and its teams, invites
/// everyone else, and puts every client into every team.
async fn set_up_teams(
    http: &reqwest::Client,
    url: &str,
    clients: &[Client],
    act_teams: usize,
) -> anyhow::Result<Teams> {
    let owner = &clients[0].token;
    let org = post(
        http,
        url,
        "/v1/orgs",
        owner,
        json!({"name": "Load", "timezone": "UTC"}),
    )
    .await?;
    let org = org["id"].as_str().context("an org id")?.to_owned();
    let invitation = post(
        http,
        url,
        &format!("/v1/orgs/{org}/invitations"),
        owner,
        json!({"role": "member", "max_uses": clients.len().max(2) - 1}),
    )
    .await?;
    let code = invitation["code"].as_str().context("a code")?;
    for client in &clients[1..] {
        post(
            http,
            url,
            &format!("/v1/invitations/{code}/accept"),
            &client.token,
            json!({}),
        )
        .await?;
    }
    let mut ids = Vec::with_capacity(act_teams + 2);
    for n in 0..act_teams + 2 {
        let team = post(
            http,
            url,
            &format!("/v1/orgs/{org}/teams"),
            owner,
            json!({"name": format!("Team {n}"), "weekly_goal": 100}),
        )
        .await?;
        let team: Uuid = team["id"].as_str().context("a team id")?.parse()?;
        for client in clients {
            let reply = http
                .put(format!("{url}/v1/teams/{team}/members/{}", client.user_id))
                .bearer_auth(owner)
                .json(&json!({"role": "member"}))
                .send()
                .await?;
            ensure!(
                reply.status().is_success(),
                "adding a team member: {}",
                reply.status()
            );
        }
        ids.push(team);
    }
    Ok(Teams {
        year: ids[0],
        fresh: ids[1],
        writes: ids[2..].to_vec(),
    })
}

async fn post(
    http: &reqwest::Client,
    url: &str,
    path: &str,
    token: &str,
    body: Value,
) -> anyhow::Result<Value> {
    let reply = http
        .post(format!("{url}{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await?;
    let status = reply.status();
    ensure!(
        status.is_success(),
        "POST {path}: {status} {}",
        reply.text().await.unwrap_or_default()
    );
    Ok(reply.json().await?)
}

/// `acts_per_day` acts a day for `act_days` days before today in the year
/// team (which is moved back to before them), by its members in turn; and a
/// feed page of acts today in the fresh team.
async fn seed_acts(
    url: &str,
    clients: &[Client],
    teams: &Teams,
    args: &Args,
) -> anyhow::Result<()> {
    println!(
        "seeding {} days × {} acts for the read team…",
        args.act_days, args.acts_per_day
    );
    let db = Database::connect(url).await?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let first = now - chrono::Duration::days(args.act_days);
    entity::teams::Entity::update_many()
        .col_expr(
            entity::teams::Column::CreatedAt,
            sea_orm::sea_query::Expr::value(first - chrono::Duration::days(1)),
        )
        .filter(entity::teams::Column::Id.eq(teams.year))
        .exec(&txn)
        .await?;
    let act = |team: Uuid, n: usize, at: chrono::DateTime<Utc>| entity::acts::ActiveModel {
        id: Set(Uuid::now_v7()),
        team_id: Set(team),
        author_id: Set(Some(clients[n % clients.len()].user_id)),
        kind: Set("act".to_owned()),
        category: Set("help".to_owned()),
        message: Set(format!("Seeded act {n}")),
        visibility: Set("team".to_owned()),
        local_date: Set(at.date_naive()),
        created_at: Set(at),
        withdrawn_at: Set(None),
    };
    let day_start = |days_ago: i64| {
        (now - chrono::Duration::days(days_ago))
            .date_naive()
            .and_hms_opt(8, 0, 0)
            .expect("08:00")
            .and_utc()
    };
    let rows: Vec<entity::acts::ActiveModel> = (1..=args.act_days)
        .flat_map(|days_ago| (0..args.acts_per_day).map(move |k| (days_ago, k)))
        .map(|(days_ago, k)| {
            let at = day_start(days_ago) + chrono::Duration::minutes(20 * k as i64);
            act(teams.year, days_ago as usize * args.acts_per_day + k, at)
        })
        .chain((0..60).map(|k| {
            act(
                teams.fresh,
                k,
                now - chrono::Duration::seconds(60 - k as i64),
            )
        }))
        .collect();
    for chunk in rows.chunks(500) {
        entity::acts::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    db.close().await?;
    Ok(())
}

/// Times the feed's first page, the streak and the progress of the year-old
/// team against the fresh one, one request at a time, alternating.
async fn compare_team_reads(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    teams: &Teams,
) -> anyhow::Result<()> {
    const ROUNDS: usize = 200;
    println!("team reads, {ROUNDS} rounds alone: year of acts vs. a feed page of acts");
    for (op, suffix) in [
        ("feed", "acts"),
        ("streak", "streak"),
        ("progress", "progress"),
    ] {
        let mut timings = [Vec::with_capacity(ROUNDS), Vec::with_capacity(ROUNDS)];
        let mut bodies = [Value::Null, Value::Null];
        for _ in 0..ROUNDS {
            for (n, team) in [teams.year, teams.fresh].into_iter().enumerate() {
                let started = Instant::now();
                let reply = get(http, url, &format!("/v1/teams/{team}/{suffix}"), token).await?;
                ensure!(reply.status().is_success(), "{op}: {}", reply.status());
                bodies[n] = reply.json().await?;
                timings[n].push(started.elapsed());
            }
        }
        for timing in &mut timings {
            timing.sort();
        }
        let (year, fresh) = (percentile(&timings[0], 0.5), percentile(&timings[1], 0.5));
        let summary = |body: &Value| match op {
            "feed" => format!("{} items", body["items"].as_array().map_or(0, Vec::len)),
            "streak" => format!("current {} longest {}", body["current"], body["longest"]),
            _ => format!("{} acts this week", body["acts"]),
        };
        println!(
            "  {op:<8} year p50={year:>6.2} ms ({})  fresh p50={fresh:>6.2} ms ({})  ratio {:.2}",
            summary(&bodies[0]),
            summary(&bodies[1]),
            year / fresh
        );
    }
    Ok(())
}

/// Times `GET /v1/me/progress` and a check-in write that completes a day
/// (with its awards) for a person with 20 habits, years of history and a
/// long ledger, against the same for a newcomer with a week of both, one
/// request at a time, alternating. Each write is undone (untimed) so that
/// the next one completes its day again.
async fn compare_game(
    http: &reqwest::Client,
    args: &Args,
    database_url: &str,
    run: &str,
    today: NaiveDate,
) -> anyhow::Result<()> {
    const ROUNDS: usize = 200;
    let veteran = set_up(http, args, run, args.clients).await?;
    let newcomer = set_up(http, args, run, args.clients + 1).await?;
    let yesterday = today - chrono::Duration::days(1);
    seed(
        database_url,
        std::slice::from_ref(&veteran),
        today - chrono::Duration::days(args.history_days),
        yesterday,
    )
    .await?;
    seed(
        database_url,
        std::slice::from_ref(&newcomer),
        today - chrono::Duration::days(7),
        yesterday,
    )
    .await?;
    let week = 7 * args.habits;
    seed_ledger(database_url, &veteran, args.ledger_entries, yesterday).await?;
    seed_ledger(database_url, &newcomer, week, yesterday).await?;
    let url = args.url.as_str();
    println!(
        "game, {ROUNDS} rounds alone: {} days and {} ledger entries vs. 7 days and {week}",
        args.history_days, args.ledger_entries
    );
    // Neither has opened today's list, which saves each habit's streak
    // checkpoint: the writes must save their own.
    let people = [&veteran, &newcomer];
    let mut reads = [Vec::with_capacity(ROUNDS), Vec::with_capacity(ROUNDS)];
    let mut writes = [Vec::with_capacity(ROUNDS), Vec::with_capacity(ROUNDS)];
    let mut xp = [Value::Null, Value::Null];
    for round in 0..ROUNDS {
        for (n, person) in people.into_iter().enumerate() {
            let started = Instant::now();
            let reply = get(http, url, "/v1/me/progress", &person.token).await?;
            ensure!(reply.status().is_success(), "progress: {}", reply.status());
            xp[n] = reply.json::<Value>().await?["xp"].clone();
            reads[n].push(started.elapsed());

            let path = format!(
                "{url}/v1/habits/{}/check-ins/{today}",
                person.habits[round % person.habits.len()]
            );
            let started = Instant::now();
            let reply = http
                .put(&path)
                .bearer_auth(&person.token)
                .json(&json!({"count": 1}))
                .send()
                .await?;
            ensure!(reply.status().is_success(), "check-in: {}", reply.status());
            let _ = reply.bytes().await?;
            writes[n].push(started.elapsed());
            let undone = http.delete(&path).bearer_auth(&person.token).send().await?;
            ensure!(undone.status().is_success(), "undo: {}", undone.status());
        }
    }
    for (op, timings) in [("progress", &mut reads), ("check-in", &mut writes)] {
        for timing in timings.iter_mut() {
            timing.sort();
        }
        let (long, short) = (percentile(&timings[0], 0.5), percentile(&timings[1], 0.5));
        println!(
            "  {op:<8} history p50={long:>6.2} ms  newcomer p50={short:>6.2} ms  ratio {:.2}",
            long / short
        );
    }
    println!("  xp: history {}, newcomer {}", xp[0], xp[1]);
    Ok(())
}

/// Writes `entries` paid `check_in_day` awards for the person, one per
/// habit and day going back from `last`, and their balance.
async fn seed_ledger(
    url: &str,
    client: &Client,
    entries: usize,
    last: NaiveDate,
) -> anyhow::Result<()> {
    let db = Database::connect(url).await?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let rows: Vec<entity::xp_entries::ActiveModel> = (0..entries)
        .map(|n| {
            let habit = client.habits[n % client.habits.len()];
            let back = i64::try_from(n / client.habits.len()).unwrap_or(i64::MAX);
            let date = last - chrono::Duration::days(back);
            entity::xp_entries::ActiveModel {
                id: Set(Uuid::now_v7()),
                user_id: Set(client.user_id),
                reason: Set("check_in_day".to_owned()),
                source_type: Set("habit_day".to_owned()),
                source_id: Set(habit),
                source_date: Set(Some(date)),
                award_key: Set(format!("check_in_day:habit_day:{habit}:{date}:")),
                occurrence: Set(0),
                xp: Set(10),
                created_at: Set(now),
            }
        })
        .collect();
    for chunk in rows.chunks(500) {
        entity::xp_entries::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    entity::xp_balances::Entity::insert(entity::xp_balances::ActiveModel {
        user_id: Set(client.user_id),
        xp: Set(10 * i64::try_from(entries).unwrap_or(i64::MAX)),
    })
    .exec(&txn)
    .await?;
    txn.commit().await?;
    db.close().await?;
    Ok(())
}

/// The ids of every act in these teams' feeds.
async fn feed_ids(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    teams: &[Uuid],
) -> anyhow::Result<HashSet<Uuid>> {
    let mut ids = HashSet::new();
    for team in teams {
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/v1/teams/{team}/acts?limit=200");
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={cursor}"));
            }
            let reply = get(http, url, &path, token).await?;
            ensure!(
                reply.status().is_success(),
                "reading a feed: {}",
                reply.status()
            );
            let body: Value = reply.json().await?;
            for item in body["items"].as_array().context("items")? {
                ids.insert(item["id"].as_str().context("an id")?.parse()?);
            }
            match body["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
    }
    Ok(ids)
}

/// Writes a complete check-in for every day from `first` to `last` (the
/// load itself writes the last 30 days), and moves each habit's start back
/// to `first`.
async fn seed(
    url: &str,
    clients: &[Client],
    first: NaiveDate,
    last: NaiveDate,
) -> anyhow::Result<()> {
    println!(
        "seeding {} days of history per habit…",
        (last - first).num_days() + 1
    );
    let db = Database::connect(url).await?;
    for client in clients {
        let txn = db.begin().await?;
        let habit_ids = client.habits.clone();
        let owner = entity::habits::Entity::find_by_id(habit_ids[0])
            .one(&txn)
            .await?
            .context("a seeded habit")?
            .user_id;
        entity::habits::Entity::update_many()
            .col_expr(
                entity::habits::Column::StartsOn,
                sea_orm::sea_query::Expr::value(first),
            )
            .filter(entity::habits::Column::Id.is_in(habit_ids.clone()))
            .exec(&txn)
            .await?;
        let now = Utc::now();
        for habit_id in habit_ids {
            let rows: Vec<entity::check_ins::ActiveModel> = first
                .iter_days()
                .take_while(|day| *day <= last)
                .map(|day| entity::check_ins::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    habit_id: Set(habit_id),
                    user_id: Set(owner),
                    local_date: Set(day),
                    count: Set(1),
                    mood: Set(None),
                    note: Set(None),
                    sync_seq: Set(0),
                    created_at: Set(now),
                    updated_at: Set(now),
                })
                .collect();
            for chunk in rows.chunks(500) {
                entity::check_ins::Entity::insert_many(chunk.to_vec())
                    .exec(&txn)
                    .await?;
            }
        }
        txn.commit().await?;
    }
    db.close().await?;
    Ok(())
}

async fn drive(
    http: &reqwest::Client,
    args: &Args,
    client: &Client,
    teams: &Teams,
    today: NaiveDate,
    deadline: Instant,
) -> Tally {
    let mut tally = Tally::default();
    while Instant::now() < deadline {
        let pick: f64 = rand::rng().random();
        let write = rand::rng().random_bool(args.write_share);
        let started = Instant::now();
        let (op, outcome) = if pick < args.act_share {
            let (team, id) = {
                let mut rng = rand::rng();
                (
                    teams.writes[rng.random_range(0..teams.writes.len())],
                    Uuid::now_v7(),
                )
            };
            let outcome = http
                .post(format!("{}/v1/teams/{team}/acts", args.url))
                .bearer_auth(&client.token)
                .json(&json!({"id": id, "kind": "act", "category": "help", "message": "load test"}))
                .send()
                .await;
            if matches!(&outcome, Ok(reply) if reply.status().is_success()) {
                tally.acts.push(id);
            }
            ("act", outcome)
        } else if pick < args.act_share + args.progress_share {
            let outcome = get(http, &args.url, "/v1/me/progress", &client.token).await;
            ("me-prog", outcome)
        } else if pick < args.act_share + args.progress_share + args.team_read_share {
            let (op, suffix) = [
                ("feed", "acts"),
                ("streak", "streak"),
                ("progress", "progress"),
            ][rand::rng().random_range(0..3)];
            let path = format!("/v1/teams/{}/{suffix}", teams.year);
            (op, get(http, &args.url, &path, &client.token).await)
        } else if write {
            let (habit, date, count) = {
                let mut rng = rand::rng();
                let habit = client.habits[rng.random_range(0..client.habits.len())];
                let date = today - chrono::Duration::days(rng.random_range(0..30));
                (habit, date, rng.random_range(1..=1000i64))
            };
            let outcome = http
                .put(format!("{}/v1/habits/{habit}/check-ins/{date}", args.url))
                .bearer_auth(&client.token)
                .json(&json!({"count": count, "note": "load test"}))
                .send()
                .await;
            if matches!(&outcome, Ok(reply) if reply.status().is_success()) {
                tally.acknowledged.insert((habit, date), count);
                tally.written.push((habit, date));
            }
            ("write", outcome)
        } else {
            (
                "today",
                get(http, &args.url, "/v1/me/today", &client.token).await,
            )
        };
        match outcome {
            Ok(reply) => {
                let status = reply.status();
                // Read the body whole, as a client would, before timing stops.
                let _ = reply.bytes().await;
                tally
                    .latencies
                    .entry(op)
                    .or_default()
                    .push(started.elapsed());
                if status.is_server_error() {
                    tally.server_errors += 1;
                } else if !status.is_success() {
                    tally.other_errors += 1;
                }
            }
            Err(_) => {
                tally.other_errors += 1;
                // A write may have been stored without its answer arriving.
                tally.unanswered_writes |= op == "write" || op == "act";
            }
        }
    }
    tally
}

/// Requests per second that `clients` clients get from `GET /healthz`.
async fn baseline(http: &reqwest::Client, url: &str, clients: usize, length: Duration) -> f64 {
    let deadline = Instant::now() + length;
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (http, url) = (http.clone(), format!("{url}/healthz"));
            tokio::spawn(async move {
                let mut done = 0u64;
                while Instant::now() < deadline {
                    if let Ok(reply) = http.get(&url).send().await {
                        let _ = reply.bytes().await;
                        done += 1;
                    }
                }
                done
            })
        })
        .collect();
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap_or(0);
    }
    total as f64 / started.elapsed().as_secs_f64()
}

async fn get(
    http: &reqwest::Client,
    url: &str,
    path: &str,
    token: &str,
) -> reqwest::Result<reqwest::Response> {
    http.get(format!("{url}{path}"))
        .bearer_auth(token)
        .send()
        .await
}

async fn stored_counts(
    http: &reqwest::Client,
    url: &str,
    client: &Client,
    today: NaiveDate,
) -> anyhow::Result<HashMap<(Uuid, NaiveDate), i64>> {
    let from = today - chrono::Duration::days(30);
    let mut stored = HashMap::new();
    for habit in &client.habits {
        let path = format!("/v1/habits/{habit}/check-ins?from={from}&to={today}&limit=200");
        let reply = get(http, url, &path, &client.token).await?;
        ensure!(
            reply.status().is_success(),
            "reading back: {}",
            reply.status()
        );
        let body: Value = reply.json().await?;
        for item in body["items"].as_array().context("items")? {
            let date: NaiveDate = item["date"].as_str().context("a date")?.parse()?;
            stored.insert((*habit, date), item["count"].as_i64().context("a count")?);
        }
    }
    Ok(stored)
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}
