//! Storage for propensity scoring: account histories summarised as of an instant (the
//! features' raw material, `sepakat_domain::scoring`), account states reconstructed on a
//! past date for training, and the creditor's trained models (versioned, one active).
//!
//! History as of an instant `at` counts only what happened before `at`. Reversed payments
//! and reversal entries are left out: a payment that was taken back never happened.
//! Reconstruction of a past date's state: the oldest unpaid due date on that date is the
//! one the first later payment recorded as "before", or today's when none came since;
//! what was owed is today's balance plus what later payments took off it. Penalty that
//! accrued since is not taken back out (it is small against the balance).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use sepakat_domain::interaction::Outcome;
use sepakat_domain::scoring::{
    AccountState, History, ATTEMPT_DAYS, LONG_DAYS, PROMISE_DAYS, SHORT_DAYS,
};
use sepakat_domain::Rupiah;

use crate::{AccountId, Actor, CreditorId, StoreError, StoreResult};

/// An account's state on a past date, with what it paid in the window after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainingState {
    /// The account.
    pub account: AccountId,
    /// Its state on the date.
    pub state: AccountState,
    /// Paid in `[at, horizon_end)` (reversed payments left out).
    pub paid_after: Rupiah,
}

/// A model about to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewModel {
    /// The creditor whose history it learned.
    pub creditor: CreditorId,
    /// `gbt` or `logistic`.
    pub algorithm: String,
    /// The feature set it reads (`sepakat_domain::scoring::FEATURE_SET`).
    pub feature_set: String,
    /// Days after a date in which a payment counted as positive.
    pub horizon_days: u32,
    /// When it was trained.
    pub trained_at: DateTime<Utc>,
    /// Training and test figures (JSON).
    pub metrics: serde_json::Value,
    /// The model artifact (`sepakat_model::Model::to_json`).
    pub artifact: String,
}

/// A stored model without its artifact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// The creditor.
    pub creditor: CreditorId,
    /// 1, 2, … per creditor.
    pub version: u32,
    /// `gbt` or `logistic`.
    pub algorithm: String,
    /// The feature set.
    pub feature_set: String,
    /// The label's horizon in days.
    pub horizon_days: u32,
    /// When it was trained.
    pub trained_at: DateTime<Utc>,
    /// Who stored it.
    pub trained_by: String,
    /// Training and test figures.
    pub metrics: serde_json::Value,
    /// Whether the nightly run and the desk use it.
    pub active: bool,
}

/// Stores and reads what scoring needs.
pub trait ScoringStore {
    /// Histories as of `at` of every account of the creditor that has any, by account id.
    fn history_summaries(
        &self,
        creditor: CreditorId,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<(AccountId, History)>>;

    /// One account's history as of `at` (empty when it has none).
    fn account_history(
        &self,
        creditor: CreditorId,
        account: AccountId,
        at: DateTime<Utc>,
    ) -> StoreResult<History>;

    /// The state on `date` (whose day starts at `at`) of the creditor's accounts opened
    /// before it that still owed something, for accounts whose id modulo 100 is below
    /// `sample_percent`; with what each paid in `[at, horizon_end)`. By account id.
    fn training_states(
        &self,
        creditor: CreditorId,
        date: NaiveDate,
        at: DateTime<Utc>,
        horizon_end: DateTime<Utc>,
        sample_percent: u32,
    ) -> StoreResult<Vec<TrainingState>>;

    /// Stores a model as the creditor's next version and makes it the active one; audited.
    fn save_model(&self, model: &NewModel, actor: &Actor) -> StoreResult<ModelInfo>;

    /// The creditor's models, newest first.
    fn models(&self, creditor: CreditorId) -> StoreResult<Vec<ModelInfo>>;

    /// The active model with its artifact, if any.
    fn active_model(&self, creditor: CreditorId) -> StoreResult<Option<(ModelInfo, String)>>;

    /// Makes an earlier version active again (or the same one; no change then); audited.
    /// `NotFound` for an unknown version.
    fn activate_model(
        &self,
        creditor: CreditorId,
        version: u32,
        at: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<ModelInfo>;
}

/// The window starts for a history as of `at`: attempts, short, long, promises.
pub(crate) struct Windows {
    pub attempts: DateTime<Utc>,
    pub short: DateTime<Utc>,
    pub long: DateTime<Utc>,
    pub promises: DateTime<Utc>,
}

impl Windows {
    pub(crate) fn before(at: DateTime<Utc>) -> Windows {
        Windows {
            attempts: at - Duration::days(ATTEMPT_DAYS),
            short: at - Duration::days(SHORT_DAYS),
            long: at - Duration::days(LONG_DAYS),
            promises: at - Duration::days(PROMISE_DAYS),
        }
    }
}

/// The outcome codes that mean the collector spoke with the debtor, as an SQL list of
/// literals (codes are fixed snake_case words, never user input).
pub(crate) fn right_party_sql() -> String {
    Outcome::ALL
        .iter()
        .filter(|o| o.is_right_party())
        .map(|o| format!("'{}'", o.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// (account, paid short, paid long, last payment, longest DPD paid).
pub(crate) type PaymentPart = (i64, i64, i64, Option<DateTime<Utc>>, Option<i64>);
/// (account, attempts recent, attempts short, right party short, last at, last outcome).
pub(crate) type InteractionPart = (i64, i64, i64, i64, Option<DateTime<Utc>>, Option<String>);

/// Per-account rows of one history query, to be merged.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    pub payments: Vec<PaymentPart>,
    /// (account, made, kept, broken).
    pub promises: Vec<(i64, i64, i64, i64)>,
    pub interactions: Vec<InteractionPart>,
    /// (account, arrangements, defaulted).
    pub arrangements: Vec<(i64, i64, i64)>,
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

impl Parts {
    /// Merges the four lists (each sorted by account) into one history per account.
    pub(crate) fn merge(self) -> StoreResult<Vec<(AccountId, History)>> {
        let mut ids: Vec<i64> = self
            .payments
            .iter()
            .map(|p| p.0)
            .chain(self.promises.iter().map(|p| p.0))
            .chain(self.interactions.iter().map(|i| i.0))
            .chain(self.arrangements.iter().map(|a| a.0))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out: Vec<(AccountId, History)> = ids
            .iter()
            .map(|&id| (AccountId(id), History::default()))
            .collect();
        let slot = |out: &mut Vec<(AccountId, History)>, id: i64| -> Option<usize> {
            out.binary_search_by_key(&id, |(a, _)| a.0).ok()
        };
        for (id, short, long, last, longest) in self.payments {
            let Some(i) = slot(&mut out, id) else {
                continue;
            };
            let h = &mut out[i].1;
            h.paid_short = Rupiah::new(short);
            h.paid_long = Rupiah::new(long);
            h.last_payment_at = last;
            h.longest_dpd_paid = longest.map(count);
        }
        for (id, made, kept, broken) in self.promises {
            let Some(i) = slot(&mut out, id) else {
                continue;
            };
            let h = &mut out[i].1;
            h.promises_made = count(made);
            h.promises_kept = count(kept);
            h.promises_broken = count(broken);
        }
        for (id, recent, short, right, last, outcome) in self.interactions {
            let Some(i) = slot(&mut out, id) else {
                continue;
            };
            let h = &mut out[i].1;
            h.attempts_recent = count(recent);
            h.attempts_short = count(short);
            h.right_party_short = count(right);
            h.last_contact_at = last;
            h.last_outcome = outcome
                .map(|o| {
                    Outcome::parse(&o).map_err(|_| {
                        StoreError::Other(format!("stored outcome {o:?} does not parse"))
                    })
                })
                .transpose()?;
        }
        for (id, made, defaulted) in self.arrangements {
            let Some(i) = slot(&mut out, id) else {
                continue;
            };
            let h = &mut out[i].1;
            h.arrangements = count(made);
            h.arrangements_defaulted = count(defaulted);
        }
        Ok(out)
    }
}

/// The audit detail of a stored or re-activated model.
pub(crate) fn model_detail(info: &ModelInfo) -> serde_json::Value {
    serde_json::json!({
        "version": info.version,
        "algorithm": info.algorithm,
        "feature_set": info.feature_set,
        "horizon_days": info.horizon_days,
        "metrics": info.metrics,
    })
}
