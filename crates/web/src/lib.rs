//! Sepakat's HTTP surface: the server-rendered UI in Bahasa Indonesia (English switchable)
//! and the JSON API under `/api/v1`, plus health and metrics endpoints.
//!
//! The CLI builds an [`AppState`] from a store, a clock and a [`WebConfig`], then calls
//! [`serve`] with a listener it bound itself (tests bind port 0). [`router`] is the whole
//! app as an axum `Router`; `routes.rs` reads as its table of contents.

pub mod access;
pub mod api;
pub mod auth;
pub mod format;
pub mod i18n;
pub mod metrics;
pub mod ops;
pub mod portfolio;
mod routes;
pub mod scoring;
pub mod session;
pub mod standing;
mod state;
pub mod template_desk;
pub mod timeline;
pub mod ui;
pub mod work;

use std::future::Future;

pub use routes::router;
pub use state::{AppState, NegotiationSettings, WebConfig, DEFAULT_REVERSAL_APPROVAL_ABOVE};

/// Serves the app on `listener` until `shutdown` completes, then drains open requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let addr = listener
        .local_addr()
        .context("reading the listener address")?;
    tracing::info!(%addr, "sepakat web listening");
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .context("serving HTTP")
}
