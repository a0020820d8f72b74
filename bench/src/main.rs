//! `kindling-load`: drives a running Kindling with many concurrent clients,
//! each a person with habits, mixing check-in writes (`PUT …/check-ins/{date}`)
//! and today reads (`GET /v1/me/today`). It reports requests per second,
//! p50/p99 latency per operation and the 5xx count, then reads every habit's
//! check-ins back and checks that the last acknowledged write of every day is
//! what is stored.
//!
//! With `--seed-database-url` (the server's own database URL) it first writes
//! years of daily history for every habit straight into the database, so that
//! reads run against long histories.
//!
//! The server must allow the registrations and request rate of a load test:
//! start it with `KINDLING_REGISTRATIONS_PER_ADDRESS=100000` and
//! `KINDLING_REQUESTS_PER_MINUTE=10000000`. See the README for the commands.

use std::{
    collections::HashMap,
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
    /// Share of requests that are check-in writes (the rest read today).
    #[arg(long, default_value_t = 0.5)]
    write_share: f64,
    /// Database URL of the service, to seed history directly before the load.
    #[arg(long)]
    seed_database_url: Option<String>,
    /// Days of daily history to seed per habit (with --seed-database-url).
    #[arg(long, default_value_t = 730)]
    history_days: i64,
}

struct Client {
    token: String,
    habits: Vec<Uuid>,
}

#[derive(Default)]
struct Tally {
    latencies: HashMap<&'static str, Vec<Duration>>,
    server_errors: u64,
    other_errors: u64,
    /// The last acknowledged count of each (habit, date).
    acknowledged: HashMap<(Uuid, NaiveDate), i64>,
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
    let today = Utc::now().date_naive();
    if let Some(url) = &args.seed_database_url {
        seed(url, &clients, today, args.history_days).await?;
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
            let (http, args) = (http.clone(), args.clone());
            tokio::spawn(async move {
                let tally = drive(&http, &args, &client, today, deadline).await;
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
            "  {op:<6} n={:<7} p50={:>7.2} ms  p99={:>7.2} ms  max={:>7.2} ms",
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
    if lost > 0 || server_errors > 0 {
        bail!("{lost} writes lost, {server_errors} server errors");
    }
    Ok(())
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
    Ok(Client { token, habits })
}

/// Writes a complete check-in for every day from `days` ago to 31 days ago
/// (the load itself writes the last 30), and moves each habit's start back.
async fn seed(url: &str, clients: &[Client], today: NaiveDate, days: i64) -> anyhow::Result<()> {
    println!("seeding {days} days of history per habit…");
    let db = Database::connect(url).await?;
    let first = today - chrono::Duration::days(days);
    let last = today - chrono::Duration::days(31);
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
    today: NaiveDate,
    deadline: Instant,
) -> Tally {
    let mut tally = Tally::default();
    while Instant::now() < deadline {
        let write = rand::rng().random_bool(args.write_share);
        let started = Instant::now();
        let (op, outcome) = if write {
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
            Err(_) => tally.other_errors += 1,
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
