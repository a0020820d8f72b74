//! Typed settings, read from command-line flags and `KINDLING_*` environment
//! variables (every one is documented in `.env.example` and `kindling --help`).
//! Secrets are never printed: `Debug` redacts them.

use std::{
    fmt,
    net::SocketAddr,
    num::{NonZeroU32, NonZeroUsize},
    time::Duration,
};

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Kindling: the backend of a kindness tracker.
#[derive(Debug, Parser)]
#[command(
    version,
    about,
    args_conflicts_with_subcommands = true,
    args_override_self = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings for `serve`, which runs when no subcommand is given.
    #[command(flatten)]
    pub serve: ServeSettings,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations, then serve HTTP (the default).
    Serve(ServeSettings),
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        database: DatabaseSettings,
        #[command(flatten)]
        log: LogSettings,
    },
    /// Print the OpenAPI document (YAML) to standard output.
    Openapi,
}

#[derive(Debug, Clone, Args)]
pub struct ServeSettings {
    /// Address and port to listen on.
    #[arg(long, env = "KINDLING_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    #[command(flatten)]
    pub database: DatabaseSettings,
    #[command(flatten)]
    pub auth: AuthSettings,
    #[command(flatten)]
    pub limits: LimitSettings,
    #[command(flatten)]
    pub log: LogSettings,
    /// Seconds to let requests in flight finish after SIGTERM or Ctrl-C.
    #[arg(long, env = "KINDLING_SHUTDOWN_TIMEOUT_SECS", default_value_t = 30)]
    pub shutdown_timeout_secs: u64,
    /// Web origins (`https://app.example.com`, comma-separated) whose pages
    /// may call the API from a browser; none when unset.
    #[arg(long, env = "KINDLING_CORS_ORIGINS", value_delimiter = ',', value_parser = parse_origin)]
    pub cors_origins: Vec<String>,
}

/// A web origin: `http` or `https`, a host, perhaps a port, and nothing else.
fn parse_origin(text: &str) -> Result<String, String> {
    let origin = text.trim();
    let host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(|| format!("{origin:?} is not an http or https origin"))?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if host.is_empty() || !host.chars().all(plain) {
        return Err(format!(
            "{origin:?} is not an origin: a scheme and a host, with no path"
        ));
    }
    Ok(origin.to_owned())
}

impl ServeSettings {
    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout_secs)
    }
}

#[derive(Clone, Args)]
pub struct DatabaseSettings {
    /// Database URL: `sqlite://PATH?mode=rwc` (embedded, the default) or
    /// `postgres://USER:PASSWORD@HOST/DB`.
    #[arg(
        long = "database-url",
        env = "KINDLING_DATABASE_URL",
        default_value = "sqlite://kindling.db?mode=rwc"
    )]
    pub url: String,
    /// Most connections the pool opens (on SQLite, for reads; writes use one
    /// connection of their own).
    #[arg(
        long = "db-max-connections",
        env = "KINDLING_DB_MAX_CONNECTIONS",
        default_value_t = 10
    )]
    pub max_connections: u32,
    /// SQLite only: `full` (durable across power loss, the default) or
    /// `normal` (faster; a power loss may drop the last commits, never corrupts).
    #[arg(long, env = "KINDLING_SQLITE_SYNCHRONOUS", value_enum, default_value_t = SqliteSync::Full)]
    pub sqlite_synchronous: SqliteSync,
}

impl fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &redact_url_password(&self.url))
            .field("max_connections", &self.max_connections)
            .field("sqlite_synchronous", &self.sqlite_synchronous)
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_url_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SqliteSync {
    Full,
    Normal,
}

#[derive(Clone, Args)]
pub struct AuthSettings {
    /// Secret that signs access tokens, at least 32 bytes. When unset, a random
    /// secret is generated once and kept in the database, shared by every
    /// instance and surviving restarts.
    #[arg(long, env = "KINDLING_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Take the client address from the last `X-Forwarded-For` entry (set this
    /// only behind a proxy that appends it); otherwise the peer address is used.
    #[arg(long, env = "KINDLING_TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,
    /// Token a metrics scraper sends as `Authorization: Bearer <token>` to
    /// read `/metrics`; while unset, `/metrics` is not served.
    #[arg(long, env = "KINDLING_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
}

impl fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthSettings")
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "***"))
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "***"))
            .finish()
    }
}

#[derive(Debug, Clone, Args)]
pub struct LimitSettings {
    /// Failed logins allowed per account in 15 minutes (kept in the database,
    /// so it holds across instances).
    #[arg(
        long,
        env = "KINDLING_LOGIN_FAILURES_PER_ACCOUNT",
        default_value = "10"
    )]
    pub login_failures_per_account: NonZeroU32,
    /// Failed logins allowed per client address in 15 minutes (database).
    #[arg(
        long,
        env = "KINDLING_LOGIN_FAILURES_PER_ADDRESS",
        default_value = "50"
    )]
    pub login_failures_per_address: NonZeroU32,
    /// Registrations allowed per client address in an hour (database).
    #[arg(long, env = "KINDLING_REGISTRATIONS_PER_ADDRESS", default_value = "20")]
    pub registrations_per_address: NonZeroU32,
    /// Requests allowed per caller (user, or address when anonymous) per
    /// minute, counted by each instance in memory.
    #[arg(long, env = "KINDLING_REQUESTS_PER_MINUTE", default_value = "600")]
    pub requests_per_minute: NonZeroU32,
    /// Password hashes (logins, registrations) an instance runs at once,
    /// each holding 19 MiB while it runs; the others wait their turn. One
    /// per CPU core when left out.
    #[arg(long, env = "KINDLING_PASSWORD_HASHES")]
    pub password_hashes: Option<NonZeroUsize>,
}

impl LimitSettings {
    pub fn password_hashes(&self) -> usize {
        self.password_hashes.map_or_else(
            || std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
            NonZeroUsize::get,
        )
    }
}

#[derive(Debug, Clone, Args)]
pub struct LogSettings {
    /// Log filter in `tracing` syntax, e.g. `info` or `kindling=debug,info`.
    #[arg(long = "log", env = "KINDLING_LOG", default_value = "info")]
    pub filter: String,
    /// `text` for people, `json` for log collectors.
    #[arg(long = "log-format", env = "KINDLING_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_passwords_are_redacted() {
        assert_eq!(
            redact_url_password("postgres://kin:s3cret@db:5432/kindling"),
            "postgres://kin:***@db:5432/kindling"
        );
        assert_eq!(
            redact_url_password("sqlite://kindling.db?mode=rwc"),
            "sqlite://kindling.db?mode=rwc"
        );
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
