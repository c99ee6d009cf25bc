//! A fitted model and the way to score with it: a [`Scorer`] encodes a row of [`Value`]s into
//! a buffer it owns and reuses, so scoring allocates nothing per row, and the same row always
//! gets the same probability.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calibration::Platt;
use crate::dataset::{FeatureKind, Schema};
use crate::flat::FlatTrees;
use crate::gbt::Gbt;
use crate::logistic::Logistic;
use crate::training::Algorithm;

/// One feature value of a row to score, in schema order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// A number (for a numeric feature; a non-finite number counts as missing, and a number
    /// given for a categorical feature counts as an unseen category).
    Number(f64),
    /// Text, parsed as the CSV cell would be.
    Text(&'a str),
    /// No value.
    Missing,
}

/// The fitted learner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Learner {
    /// Logistic regression.
    Logistic(Logistic),
    /// Gradient-boosted trees.
    Gbt(Gbt),
}

impl Learner {
    /// Which algorithm this is.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            Learner::Logistic(_) => Algorithm::Logistic,
            Learner::Gbt(_) => Algorithm::Gbt,
        }
    }

    fn margin(&self, x: &[f64]) -> f64 {
        match self {
            Learner::Logistic(m) => m.margin(x),
            Learner::Gbt(m) => m.margin(x),
        }
    }
}

/// Figures measured when the model was trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingMetrics {
    /// Rows with a target that the model saw (fit and held-out parts together).
    pub rows: usize,
    /// Rows skipped because their target was missing.
    pub skipped_no_target: usize,
    /// Positive rows among `rows`.
    pub positives: usize,
    /// Features used.
    pub features: usize,
    /// AUC over all training rows (optimistic: the model has seen most of them).
    pub train_auc: f64,
    /// Log-loss over all training rows.
    pub train_logloss: f64,
    /// Rows held out from fitting, used to calibrate (and to stop adding trees).
    pub holdout_rows: usize,
    /// AUC on the held-out rows, when there were any.
    pub holdout_auc: Option<f64>,
    /// Calibrated log-loss on the held-out rows, when there were any.
    pub holdout_logloss: Option<f64>,
}

/// A trained, calibrated model with its schema and provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The date the caller said it was trained.
    pub created: NaiveDate,
    /// The target column.
    pub target: String,
    /// The target value that counts as positive.
    pub positive: String,
    /// The features, in scoring order.
    pub schema: Schema,
    /// The margin-to-probability map.
    pub calibration: Platt,
    /// Training figures.
    pub metrics: TrainingMetrics,
    /// The learner.
    pub learner: Learner,
}

impl Model {
    /// Which algorithm the model uses.
    pub fn algorithm(&self) -> Algorithm {
        self.learner.algorithm()
    }

    /// A scorer for this model (one per thread; reuse it across rows). Trees are laid
    /// out flat for it once, so each row is cheap.
    pub fn scorer(&self) -> Scorer<'_> {
        Scorer {
            model: self,
            encoded: vec![f64::NAN; self.schema.len()],
            queued: Vec::new(),
            queued_rows: 0,
            margins: Vec::new(),
            flat: match &self.learner {
                Learner::Gbt(g) => Some(FlatTrees::new(g)),
                Learner::Logistic(_) => None,
            },
        }
    }

    /// The learner's log-odds of an encoded row, before calibration.
    pub(crate) fn margin_encoded(&self, x: &[f64]) -> f64 {
        self.learner.margin(x)
    }

    /// The calibrated probability of an encoded row (`x[i]` for schema feature `i`).
    pub(crate) fn probability_encoded(&self, x: &[f64]) -> f64 {
        self.probability_of_margin(self.learner.margin(x))
    }

    fn probability_of_margin(&self, margin: f64) -> f64 {
        let p = self.calibration.probability(margin);
        // Finite parameters cannot make a NaN (overflow saturates to 0 or 1); should a
        // hand-edited artifact make one, score an even chance rather than pass NaN on.
        if p.is_nan() {
            0.5
        } else {
            p
        }
    }
}

/// Scores rows for one model, reusing one buffer.
#[derive(Debug)]
pub struct Scorer<'m> {
    model: &'m Model,
    encoded: Vec<f64>,
    /// Rows queued for [`Scorer::score_queued`], encoded, end to end.
    queued: Vec<f64>,
    /// How many rows are queued.
    queued_rows: usize,
    /// Their margins, reused.
    margins: Vec<f64>,
    /// The trees, flat (None for logistic regression).
    flat: Option<FlatTrees>,
}

impl Scorer<'_> {
    /// The calibrated probability (in `[0, 1]`) that the row is positive. `row[i]` is the
    /// value of schema feature `i`; entries past the end of `row` count as missing.
    pub fn score(&mut self, row: &[Value<'_>]) -> f64 {
        self.encode(row);
        let margin = self.margin();
        self.model.probability_of_margin(margin)
    }

    /// Queues a row for [`Scorer::score_queued`]; it is encoded now, so `row` need not
    /// outlive the call.
    pub fn queue(&mut self, row: &[Value<'_>]) {
        self.encode(row);
        self.queued.extend_from_slice(&self.encoded);
        self.queued_rows += 1;
    }

    /// Scores the queued rows into `out` (one probability per row, in the order queued)
    /// and empties the queue. Each probability is the one [`Scorer::score`] gives that row,
    /// bit for bit; for trees a block is faster than row by row, as each tree is walked
    /// over many rows while its nodes are in cache.
    pub fn score_queued(&mut self, out: &mut Vec<f64>) {
        let (width, rows) = (self.encoded.len(), self.queued_rows);
        self.margins.clear();
        match &self.flat {
            Some(trees) if width > 0 => trees.margins(&self.queued, width, &mut self.margins),
            _ => {
                let model = self.model;
                self.margins.extend(
                    (0..rows)
                        .map(|r| model.margin_encoded(&self.queued[r * width..(r + 1) * width])),
                );
            }
        }
        out.clear();
        out.extend(
            self.margins
                .iter()
                .map(|&m| self.model.probability_of_margin(m)),
        );
        self.queued.clear();
        self.queued_rows = 0;
    }

    /// The learner's log-odds of the encoded row.
    fn margin(&self) -> f64 {
        match &self.flat {
            Some(trees) => trees.margin(&self.encoded),
            None => self.model.margin_encoded(&self.encoded),
        }
    }

    /// The probability of a row and, per schema feature, how much that feature moved the
    /// calibrated log-odds: the log-odds with the row as it is minus the log-odds with
    /// that one feature treated as missing. Works alike for both learners (the trees and
    /// the logistic terms both have a learned way of reading a missing value), so a
    /// positive entry is a reason the row scores higher than a row without that value.
    pub fn explain(&mut self, row: &[Value<'_>]) -> (f64, Vec<f64>) {
        self.encode(row);
        let model = self.model;
        let slope = model.calibration.a;
        let full = self.margin();
        let effects = (0..self.encoded.len())
            .map(|i| {
                let kept = std::mem::replace(&mut self.encoded[i], f64::NAN);
                let without = self.margin();
                self.encoded[i] = kept;
                let effect = slope * (full - without);
                if effect.is_finite() {
                    effect
                } else {
                    0.0
                }
            })
            .collect();
        (model.probability_of_margin(full), effects)
    }

    fn encode(&mut self, row: &[Value<'_>]) {
        let schema = &self.model.schema;
        for (i, slot) in self.encoded.iter_mut().enumerate() {
            *slot = match (row.get(i), &schema.features()[i].kind) {
                (Some(Value::Number(x)), FeatureKind::Numeric) if x.is_finite() => *x,
                (Some(Value::Text(text)), _) => schema.encode_text(i, text),
                _ => f64::NAN,
            };
        }
    }
}
