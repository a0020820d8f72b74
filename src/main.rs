use std::io::Write;

use clap::Parser;
use kindling::{
    app::{self, serve, telemetry},
    infra::{
        config::{Cli, Command},
        db,
    },
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Openapi) => {
            // A reader that stops early (`kindling openapi | head`) is fine.
            match std::io::stdout().write_all(app::openapi_yaml().as_bytes()) {
                Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
                _ => Ok(()),
            }
        }
        Some(Command::Migrate { database, log }) => {
            telemetry::init(&log)?;
            let pools = db::connect(&database).await?;
            db::migrate(&pools.writer).await?;
            tracing::info!("migrations applied");
            Ok(pools.close().await?)
        }
        Some(Command::Serve(settings)) => {
            telemetry::init(&settings.log)?;
            serve::run(settings).await
        }
        None => {
            telemetry::init(&cli.serve.log)?;
            serve::run(cli.serve).await
        }
    }
}
