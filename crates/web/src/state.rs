//! The one cloneable application state every handler shares, and the web configuration.

use std::sync::Arc;

use sepakat_domain::negotiation::NegotiationPolicy;
use sepakat_domain::{AllocationOrder, BucketSet, Clock, Gate, Guard, Rupiah, Zone};
use sepakat_store::{Store, StoreError};

use crate::metrics::Metrics;

/// Settings of the HTTP surface; the CLI fills them from its configuration file.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// How long a login session lives (default 8 hours).
    pub session_ttl: chrono::Duration,
    /// Consecutive failed logins that lock a user (default 5).
    pub lockout_threshold: u32,
    /// How long a lock lasts (default 15 minutes).
    pub lockout_duration: chrono::Duration,
    /// Mark cookies `Secure` (true behind HTTPS; default false so plain-HTTP dev works).
    pub secure_cookies: bool,
    /// DPD buckets of the portfolio overview.
    pub buckets: BucketSet,
    /// Payment allocation order for payments posted through the API.
    pub allocation_order: AllocationOrder,
    /// The compliance gate every contact from the workbench passes (the same
    /// `[compliance]` configuration as the nightly run).
    pub gate: Gate,
    /// How long "next account" holds an account for a collector unless they act on it
    /// (default 30 minutes); an abandoned claim lapses after this.
    pub claim_ttl: chrono::Duration,
    /// The negotiation desk's policy and terms.
    pub negotiation: NegotiationSettings,
    /// Reversing a payment above this amount needs a second person (default Rp10.000.000).
    pub reversal_approval_above: Rupiah,
    /// The message guard every outgoing text passes (the `[guard]` configuration).
    pub guard: Guard,
}

/// Reversals above this need a second person unless configured otherwise (a common
/// four-eyes limit for cash corrections; verify with the creditor).
pub const DEFAULT_REVERSAL_APPROVAL_ABOVE: Rupiah = Rupiah::new(10_000_000);

/// The negotiation desk's settings (`[negotiation]`).
#[derive(Debug, Clone)]
pub struct NegotiationSettings {
    /// Ability to pay, offer rules, caps and the authority matrix.
    pub policy: NegotiationPolicy,
    /// Days an offer stays open for the debtor to accept (default 3).
    pub offer_days: u32,
    /// Missed instalments after which an arrangement defaults (default 2).
    pub max_misses: u32,
}

impl Default for NegotiationSettings {
    fn default() -> Self {
        NegotiationSettings {
            policy: NegotiationPolicy::default(),
            offer_days: sepakat_engine::negotiation::DEFAULT_OFFER_DAYS,
            max_misses: sepakat_engine::negotiation::DEFAULT_MAX_MISSES,
        }
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            session_ttl: chrono::Duration::hours(8),
            lockout_threshold: 5,
            lockout_duration: chrono::Duration::minutes(15),
            secure_cookies: false,
            buckets: BucketSet::default(),
            allocation_order: AllocationOrder::default(),
            gate: Gate::shipped(),
            claim_ttl: chrono::Duration::minutes(30),
            negotiation: NegotiationSettings::default(),
            reversal_approval_above: DEFAULT_REVERSAL_APPROVAL_ABOVE,
            guard: Guard::shipped(),
        }
    }
}

/// Shared by every handler: the store, the clock, the configuration and the metrics.
#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn sepakat_domain::Clock>,
    pub(crate) config: Arc<WebConfig>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) models: Arc<crate::scoring::Models>,
}

impl AppState {
    /// Builds the state; the metrics' process start time is the clock's "now".
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, config: WebConfig) -> AppState {
        let metrics = Arc::new(Metrics::new(clock.now()));
        AppState {
            store,
            clock,
            config: Arc::new(config),
            metrics,
            models: Arc::default(),
        }
    }

    /// Runs a (synchronous) store call on the blocking pool.
    pub(crate) async fn store<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(store.as_ref()))
            .await
            .unwrap_or_else(|e| Err(StoreError::Other(format!("store task failed: {e}"))))
    }

    /// The current instant.
    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Today in WIB: the reference date for DPD across the UI and API, so every page and
    /// every API answer agree on one "today".
    pub(crate) fn today(&self) -> chrono::NaiveDate {
        self.clock.today(Zone::Wib)
    }

    /// The configuration.
    pub(crate) fn config(&self) -> &WebConfig {
        &self.config
    }
}
