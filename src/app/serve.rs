//! Running the server: background upkeep, the listener, and graceful shutdown
//! (stop accepting, let requests in flight finish, close the pools).

use std::{sync::Arc, time::Duration};

use poem::{
    Server,
    listener::{Acceptor, Listener, TcpListener},
};

use super::App;
use crate::{
    http::state::AppState,
    infra::{clock::SystemClock, config::ServeSettings},
    store::{self, Lock},
};

/// Serves on the configured address until SIGTERM or Ctrl-C.
pub async fn run(settings: ServeSettings) -> anyhow::Result<()> {
    let app = App::build(&settings, Arc::new(SystemClock)).await?;
    let acceptor = TcpListener::bind(settings.bind).into_acceptor().await?;
    tracing::info!(bind = %settings.bind, database = ?settings.database, "serving");
    serve(
        app,
        acceptor,
        shutdown_signal(),
        settings.shutdown_timeout(),
    )
    .await
}

/// Serves `app` on `acceptor` until `stop` resolves; then stops accepting,
/// lets the requests in flight finish for up to `grace`, and closes the
/// pools.
pub async fn serve(
    app: App,
    acceptor: impl Acceptor + 'static,
    stop: impl Future<Output = ()> + Send,
    grace: Duration,
) -> anyhow::Result<()> {
    let upkeep = tokio::spawn(upkeep(app.state.clone()));
    let served = Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(app.endpoint, stop, Some(grace))
        .await;
    upkeep.abort();
    app.state.reader.close().await?;
    if !app.state.shared_pool {
        app.state.writer.close().await?;
    }
    tracing::info!("stopped");
    Ok(served?)
}

/// Periodic housekeeping. Safe to run on every instance at once.
async fn upkeep(state: AppState) {
    let mut forget_idle_callers = tokio::time::interval(Duration::from_secs(60));
    let mut purge_old_windows = tokio::time::interval(Duration::from_secs(60 * 60));
    loop {
        tokio::select! {
            _ = forget_idle_callers.tick() => state.limiter.forget_idle(),
            _ = purge_old_windows.tick() => {
                if let Err(error) = purge_windows(&state).await {
                    tracing::warn!(%error, "purging old rate-limit windows");
                }
            }
        }
    }
}

async fn purge_windows(state: &AppState) -> Result<(), sea_orm::DbErr> {
    let cutoff = state.clock.now() - chrono::Duration::days(1);
    let txn = state.writer.begin(Lock::Nothing).await?;
    store::rate_limits::purge_before(&txn, cutoff).await?;
    txn.commit().await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "listening for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "listening for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
