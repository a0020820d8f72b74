use clap::Parser;
use kindling::{
    app,
    config::{Cli, Command},
    db, serve, telemetry,
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Openapi) => {
            print!("{}", app::openapi_yaml());
            Ok(())
        }
        Some(Command::Migrate { database, log }) => {
            telemetry::init(&log)?;
            let pools = db::connect(&database).await?;
            db::migrate(&pools.write).await?;
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
