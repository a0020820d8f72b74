//! Structured logging with tracing: text for people, JSON for collectors.
//! Request logs carry method, route, status, latency and the request id, and
//! never a token, a password or a note.

use tracing_subscriber::{EnvFilter, fmt};

use crate::infra::config::{LogFormat, LogSettings};

pub fn init(settings: &LogSettings) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(&settings.filter)
        .map_err(|error| anyhow::anyhow!("KINDLING_LOG {:?}: {error}", settings.filter))?;
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match settings.format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    }
    .map_err(|error| anyhow::anyhow!("starting the logger: {error}"))
}
