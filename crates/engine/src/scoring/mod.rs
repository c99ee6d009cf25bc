//! Propensity to pay from the creditor's own model: loading the active model, scoring an
//! account's features (`sepakat_domain::scoring`), explaining a score in words, and
//! training a new model on the creditor's history ([`train`]).
//!
//! Histories are summarised to the start of the date in WIB, in the nightly run, in
//! training and on the account workspace alike, so a score means the same wherever it is
//! shown.

pub mod train;

use anyhow::{bail, Context};
use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::scoring::{
    features, AccountState, History, Reason, Row, Value, FEATURES, FEATURE_SET,
};
use sepakat_domain::strategy::window::start_of_day;
use sepakat_domain::Zone;
use sepakat_model::{Model, Scorer};
use sepakat_store::{AccountDetail, CreditorId, ModelInfo, Store};

/// The instant an account's history is summarised to for a date.
pub fn history_instant(date: NaiveDate) -> DateTime<Utc> {
    start_of_day(Zone::Wib, date)
}

/// A creditor's active model, ready to score rows of [`FEATURES`].
#[derive(Debug)]
pub struct Scoring {
    info: ModelInfo,
    model: Model,
    /// For each feature of the model's schema, its position in a [`Row`].
    columns: Vec<usize>,
}

impl Scoring {
    /// The creditor's active model, if it has one.
    pub fn load(store: &dyn Store, creditor: CreditorId) -> anyhow::Result<Option<Scoring>> {
        let Some((info, artifact)) = store
            .active_model(creditor)
            .context("reading the active model")?
        else {
            return Ok(None);
        };
        Scoring::new(info, &artifact).map(Some)
    }

    /// A stored model from its record and artifact; refused when the artifact does not
    /// load or reads features this build does not compute.
    pub fn new(info: ModelInfo, artifact: &str) -> anyhow::Result<Scoring> {
        if info.feature_set != FEATURE_SET {
            bail!(
                "model version {} reads feature set '{}', this build computes '{FEATURE_SET}': train a new model",
                info.version,
                info.feature_set
            );
        }
        let model = Model::from_json(artifact)
            .with_context(|| format!("loading model version {}", info.version))?;
        let columns = model
            .schema
            .features()
            .iter()
            .map(|f| {
                FEATURES
                    .iter()
                    .position(|g| g.name == f.name)
                    .with_context(|| {
                        format!(
                            "model version {} reads unknown feature '{}'",
                            info.version, f.name
                        )
                    })
            })
            .collect::<anyhow::Result<Vec<usize>>>()?;
        Ok(Scoring {
            info,
            model,
            columns,
        })
    }

    /// The stored record.
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// A scorer (one per thread; it reuses its buffers).
    pub fn scorer(&self) -> RowScorer<'_> {
        RowScorer {
            columns: &self.columns,
            scorer: self.model.scorer(),
            values: vec![sepakat_model::Value::Missing; self.columns.len()],
        }
    }
}

/// A score with its reasons, strongest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    /// Probability to pay within the model's horizon.
    pub probability: f64,
    /// The features that moved it most.
    pub reasons: Vec<Reason>,
}

/// Scores rows of features with one model.
pub struct RowScorer<'s> {
    columns: &'s [usize],
    scorer: Scorer<'s>,
    values: Vec<sepakat_model::Value<'static>>,
}

impl RowScorer<'_> {
    fn fill(&mut self, row: &Row) {
        for (slot, &i) in self.values.iter_mut().zip(self.columns) {
            *slot = match row[i] {
                Value::Number(x) => sepakat_model::Value::Number(x),
                Value::Code(code) => sepakat_model::Value::Text(code),
                Value::Missing => sepakat_model::Value::Missing,
            };
        }
    }

    /// The probability to pay of a row (finite, in `[0, 1]`).
    pub fn score(&mut self, row: &Row) -> f64 {
        self.fill(row);
        self.scorer.score(&self.values)
    }

    /// Queues a row for [`RowScorer::score_queued`].
    pub fn queue(&mut self, row: &Row) {
        self.fill(row);
        self.scorer.queue(&self.values);
    }

    /// The probabilities of the queued rows, in order, as [`RowScorer::score`] gives them
    /// (faster for many rows); empties the queue.
    pub fn score_queued(&mut self, out: &mut Vec<f64>) {
        self.scorer.score_queued(out);
    }

    /// The probability and the `top` features that moved it most.
    pub fn explain(&mut self, row: &Row, top: usize) -> Explained {
        self.fill(row);
        let (probability, effects) = self.scorer.explain(&self.values);
        let mut reasons: Vec<Reason> = effects
            .iter()
            .zip(self.columns)
            .filter(|(e, _)| e.abs() > 1e-9)
            .map(|(&effect, &feature)| Reason {
                feature,
                value: row[feature],
                effect,
            })
            .collect();
        reasons.sort_by(|a, b| {
            b.effect
                .abs()
                .total_cmp(&a.effect.abs())
                .then(a.feature.cmp(&b.feature))
        });
        reasons.truncate(top);
        Explained {
            probability,
            reasons,
        }
    }
}

/// An account's state for scoring, from its stored detail.
pub fn state_of(detail: &AccountDetail) -> AccountState {
    AccountState {
        product: detail.product,
        principal: detail.terms.principal,
        instalment: detail.instalment,
        tenor_months: detail.terms.tenor_months,
        opened_on: detail.opened_on,
        first_due: detail.terms.first_due,
        outstanding: detail.balance.total_outstanding(),
        oldest_unpaid_due: detail.balance.oldest_unpaid_due,
    }
}

/// One account's features on `date`, read from the store.
pub fn account_row(
    store: &dyn Store,
    detail: &AccountDetail,
    date: NaiveDate,
) -> anyhow::Result<Row> {
    let at = history_instant(date);
    let history: History = store
        .account_history(detail.creditor, detail.id, at)
        .context("reading the account's history")?;
    Ok(features(&state_of(detail), &history, date, at))
}
