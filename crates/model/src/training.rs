//! Training: from a table and a target to a calibrated [`Model`].
//!
//! The rows with a target are split, stratified by class and with a fixed seed, into a fit
//! part (80 %) and a held-out part (20 %). The learner fits on the first; the held-out part
//! stops the trees (early stopping) and fits the Platt calibration, and gives the held-out
//! AUC recorded in the artifact. With fewer than [`MIN_CLASS_ROWS_FOR_HOLDOUT`] rows of
//! either class there is no held-out part: the model fits on everything and its
//! probabilities stay uncalibrated (said in a note).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calibration::Platt;
use crate::dataset::{Schema, Table, Target};
use crate::gbt::{Gbt, GbtParams};
use crate::logistic::{Logistic, LogisticParams};
use crate::metrics::{auc, logloss};
use crate::scorer::{Learner, Model, TrainingMetrics};
use crate::ModelError;

/// Fewest rows of each class for which a calibration part is held out.
pub const MIN_CLASS_ROWS_FOR_HOLDOUT: usize = 10;
/// Share of the training rows held out for calibration and early stopping.
const HOLDOUT_SHARE: f64 = 0.2;
/// The seed of the training split, fixed so the same file gives the same model.
const SPLIT_SEED: u64 = 7;

/// A learning algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// Gradient-boosted trees.
    Gbt,
    /// Logistic regression.
    Logistic,
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Algorithm::Gbt => "gbt",
            Algorithm::Logistic => "logistic",
        })
    }
}

/// What to train.
#[derive(Debug, Clone)]
pub struct TrainSpec {
    /// The target column.
    pub target: String,
    /// The positive value (default `1`).
    pub positive: Option<String>,
    /// Columns to leave out (ids).
    pub ignore: Vec<String>,
    /// The learner.
    pub algorithm: Algorithm,
    /// Settings when the learner is logistic regression.
    pub logistic: LogisticParams,
    /// Settings when the learner is boosted trees.
    pub gbt: GbtParams,
}

impl TrainSpec {
    /// A spec with default settings.
    pub fn new(target: &str, algorithm: Algorithm) -> TrainSpec {
        TrainSpec {
            target: target.to_string(),
            positive: None,
            ignore: Vec::new(),
            algorithm,
            logistic: LogisticParams::default(),
            gbt: GbtParams::default(),
        }
    }
}

/// A trained model and what training noticed about the data.
#[derive(Debug)]
pub struct Trained {
    /// The model.
    pub model: Model,
    /// Dropped columns, coerced values, skipped rows.
    pub notes: Vec<String>,
}

/// Trains a model on a table; `created` is recorded in the artifact.
pub fn train(table: &Table, spec: &TrainSpec, created: NaiveDate) -> Result<Trained, ModelError> {
    for column in &spec.ignore {
        if table.column(column).is_none() {
            return Err(ModelError::UnknownIgnore(column.clone()));
        }
    }
    let target = Target::read(table, &spec.target, spec.positive.as_deref())?;
    target.require_both_classes(&spec.target)?;
    let mut notes = Vec::new();
    let skipped = target.skipped();
    if skipped > 0 {
        notes.push(format!(
            "{skipped} rows without a target value were skipped"
        ));
    }
    let labelled: Vec<usize> = (0..table.rows())
        .filter(|&r| target.labels[r].is_some())
        .collect();
    let labels: Vec<bool> = labelled
        .iter()
        .map(|&r| target.labels[r] == Some(true))
        .collect();
    let table = table.select(&labelled);
    let features: Vec<&str> = table
        .names()
        .iter()
        .map(String::as_str)
        .filter(|n| *n != spec.target && !spec.ignore.iter().any(|i| i == n))
        .collect();
    let schema = Schema::infer(&table, &features, &mut notes);
    if schema.is_empty() {
        return Err(ModelError::NoFeatures);
    }
    // Inference already noted the cells it could not use.
    let columns = schema.encode_table(&table, &mut Vec::new())?;

    let (fit_rows, holdout_rows) = stratified_split(&labels, &mut notes);
    let fit_columns = take(&columns, &fit_rows);
    let fit_labels: Vec<bool> = fit_rows.iter().map(|&r| labels[r]).collect();
    let holdout_columns = take(&columns, &holdout_rows);
    let holdout_labels: Vec<bool> = holdout_rows.iter().map(|&r| labels[r]).collect();
    let holdout = (!holdout_rows.is_empty())
        .then_some((holdout_columns.as_slice(), holdout_labels.as_slice()));
    let learner = match spec.algorithm {
        Algorithm::Logistic => Learner::Logistic(Logistic::fit(
            &schema,
            &fit_columns,
            &fit_labels,
            &spec.logistic,
        )),
        Algorithm::Gbt => Learner::Gbt(Gbt::fit(
            &schema,
            &fit_columns,
            &fit_labels,
            holdout,
            &spec.gbt,
        )),
    };
    let mut model = Model {
        created,
        target: spec.target.clone(),
        positive: target.positive.clone(),
        schema,
        calibration: Platt::IDENTITY,
        metrics: TrainingMetrics {
            rows: labels.len(),
            skipped_no_target: skipped,
            positives: labels.iter().filter(|&&l| l).count(),
            features: columns.len(),
            train_auc: 0.0,
            train_logloss: 0.0,
            holdout_rows: holdout_rows.len(),
            holdout_auc: None,
            holdout_logloss: None,
        },
        learner,
    };
    if let Some((cols, held_labels)) = holdout {
        let margins: Vec<f64> = (0..held_labels.len())
            .map(|r| model.margin_encoded(&row(cols, r)))
            .collect();
        model.calibration = Platt::fit(&margins, held_labels);
        let probabilities: Vec<f64> = margins
            .iter()
            .map(|&m| model.calibration.probability(m))
            .collect();
        model.metrics.holdout_auc = auc(&probabilities, held_labels);
        model.metrics.holdout_logloss = Some(logloss(&probabilities, held_labels));
    }
    let probabilities = score_columns(&model, &columns);
    model.metrics.train_auc = auc(&probabilities, &labels).unwrap_or(0.5);
    model.metrics.train_logloss = logloss(&probabilities, &labels);
    Ok(Trained { model, notes })
}

/// Row `r` of encoded columns.
fn row(columns: &[Vec<f64>], r: usize) -> Vec<f64> {
    columns.iter().map(|c| c[r]).collect()
}

/// Calibrated probabilities of every row of encoded columns.
pub(crate) fn score_columns(model: &Model, columns: &[Vec<f64>]) -> Vec<f64> {
    let rows = columns.first().map_or(0, Vec::len);
    let mut x = vec![0.0; columns.len()];
    (0..rows)
        .map(|r| {
            for (slot, column) in x.iter_mut().zip(columns) {
                *slot = column[r];
            }
            model.probability_encoded(&x)
        })
        .collect()
}

fn take(columns: &[Vec<f64>], rows: &[usize]) -> Vec<Vec<f64>> {
    columns
        .iter()
        .map(|c| rows.iter().map(|&r| c[r]).collect())
        .collect()
}

/// Fit and held-out row indices: a seeded shuffle within each class, the first 20 % of each
/// held out.
fn stratified_split(labels: &[bool], notes: &mut Vec<String>) -> (Vec<usize>, Vec<usize>) {
    let mut fit = Vec::new();
    let mut held = Vec::new();
    let classes: Vec<Vec<usize>> = [true, false]
        .iter()
        .map(|&class| (0..labels.len()).filter(|&r| labels[r] == class).collect())
        .collect();
    if classes.iter().any(|c| c.len() < MIN_CLASS_ROWS_FOR_HOLDOUT) {
        notes.push(format!(
            "fewer than {MIN_CLASS_ROWS_FOR_HOLDOUT} rows of one class: no rows held out, \
             probabilities are not calibrated"
        ));
        return ((0..labels.len()).collect(), Vec::new());
    }
    for (k, mut rows) in classes.into_iter().enumerate() {
        shuffle(&mut rows, SPLIT_SEED + k as u64);
        let cut = (rows.len() as f64 * HOLDOUT_SHARE).round() as usize;
        held.extend_from_slice(&rows[..cut]);
        fit.extend_from_slice(&rows[cut..]);
    }
    fit.sort_unstable();
    held.sort_unstable();
    (fit, held)
}

/// A fixed, seeded split of `0..n` into a training part and a test part of about
/// `test_share`, for benchmarks and experiments.
pub fn seeded_split(n: usize, test_share: f64, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let mut rows: Vec<usize> = (0..n).collect();
    shuffle(&mut rows, seed);
    let cut = (n as f64 * test_share.clamp(0.0, 1.0)).round() as usize;
    let mut test = rows[..cut].to_vec();
    let mut train = rows[cut..].to_vec();
    train.sort_unstable();
    test.sort_unstable();
    (train, test)
}

/// Fisher–Yates with SplitMix64: deterministic on every platform, no dependency.
fn shuffle(rows: &mut [usize], seed: u64) {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for i in (1..rows.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        rows.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeded_split_is_fixed_and_covers_every_row_once() {
        let (train, test) = seeded_split(100, 0.2, 42);
        assert_eq!(test.len(), 20);
        assert_eq!(seeded_split(100, 0.2, 42), (train.clone(), test.clone()));
        let mut all: Vec<usize> = train.into_iter().chain(test).collect();
        all.sort_unstable();
        assert_eq!(all, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn the_training_split_holds_out_a_fifth_of_each_class() {
        let labels: Vec<bool> = (0..100).map(|i| i % 4 == 0).collect();
        let (fit, held) = stratified_split(&labels, &mut Vec::new());
        assert_eq!(held.len(), 20);
        assert_eq!(held.iter().filter(|&&r| labels[r]).count(), 5);
        assert_eq!(fit.len(), 80);
    }
}
