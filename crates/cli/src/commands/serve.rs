//! `sepakat serve`: the web UI and API until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use sepakat_domain::SystemClock;
use sepakat_store::Store;
use sepakat_web::{AppState, NegotiationSettings, WebConfig};

use crate::cli::ServeArgs;
use crate::config::Config;

/// Serves until a shutdown signal.
pub fn run(config: &Config, args: ServeArgs) -> Result<ExitCode> {
    let store = super::open_store(config)?;
    serve_store(
        config,
        store,
        args.bind.unwrap_or(config.server.bind),
        |_| {},
    )
}

/// The web settings derived from the configuration.
pub fn web_config(config: &Config) -> Result<WebConfig> {
    Ok(WebConfig {
        session_ttl: chrono::Duration::minutes(i64::from(config.server.session_ttl_minutes)),
        lockout_threshold: config.security.lockout_threshold,
        lockout_duration: chrono::Duration::minutes(i64::from(config.security.lockout_minutes)),
        secure_cookies: config.server.secure_cookies,
        buckets: config.collection.dpd_buckets.clone(),
        allocation_order: config.collection.allocation_order.clone(),
        gate: config.compliance.gate()?,
        claim_ttl: chrono::Duration::minutes(i64::from(config.collection.claim_minutes.max(1))),
        reversal_approval_above: config.collection.reversal_approval_above,
        guard: config.guard.guard()?,
        negotiation: NegotiationSettings {
            policy: config.negotiation.policy()?,
            offer_days: config.negotiation.offer_days.max(1),
            max_misses: config.negotiation.max_misses.max(1),
        },
    })
}

/// Binds `bind`, calls `announce` with the bound address, and serves `store` until
/// Ctrl-C or SIGTERM.
pub fn serve_store(
    config: &Config,
    store: Arc<dyn Store>,
    bind: SocketAddr,
    announce: impl FnOnce(SocketAddr),
) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let web = web_config(config)?;
    let nightly = super::schedule::Schedule::from_config(config)?;
    if nightly.is_some() {
        // Refuse a broken strategy now, not at the first night.
        super::run::strategy(config, None)?;
    }
    let nightly_config = config.clone();
    let outbox = super::outbox::Job::from_config(config, Arc::clone(&store))?
        .filter(super::outbox::Job::background);
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .with_context(|| format!("listening on {bind}"))?;
        let local = listener.local_addr()?;
        tracing::info!(%local, "serving");
        announce(local);
        if let Some(schedule) = nightly {
            tokio::spawn(super::schedule::every_day(
                schedule,
                nightly_config,
                Arc::clone(&store),
            ));
        }
        if let Some(job) = outbox {
            // Dropped with the runtime when serving ends; a round cut short is safe
            // (its messages come back from their leases).
            tokio::spawn(Arc::new(job).every_interval());
        }
        let state = AppState::new(store, Arc::new(SystemClock), web);
        sepakat_web::serve(listener, state, shutdown_signal()).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C or SIGTERM.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
