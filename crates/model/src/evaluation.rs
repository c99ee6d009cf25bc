//! Judging a model on a labelled table: AUC, log-loss and a calibration table by decile.

use serde::Serialize;

use crate::dataset::{Table, Target};
use crate::metrics::{auc, calibration_table, logloss, CalibrationRow};
use crate::scorer::Model;
use crate::training::score_columns;
use crate::ModelError;

/// Bins of the calibration table.
const CALIBRATION_BINS: usize = 10;

/// How a model did on a table.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Rows scored (rows with a target).
    pub n: usize,
    /// Rows skipped because their target was missing.
    pub skipped_no_target: usize,
    /// Positive rows among `n`.
    pub positives: usize,
    /// Area under the ROC curve.
    pub auc: f64,
    /// Mean log-loss of the calibrated probabilities.
    pub logloss: f64,
    /// Deciles of predicted probability: mean predicted against observed rate.
    pub calibration: Vec<CalibrationRow>,
    /// Cells that could not be used (scored as missing), skipped rows.
    pub notes: Vec<String>,
}

/// Scores every row of `table` that has a value in `target` and compares with it.
pub fn evaluate(model: &Model, table: &Table, target: &str) -> Result<Evaluation, ModelError> {
    let labels = Target::read(table, target, Some(&model.positive))?;
    labels.require_both_classes(target)?;
    let mut notes = Vec::new();
    let skipped = labels.skipped();
    if skipped > 0 {
        notes.push(format!(
            "{skipped} rows without a target value were skipped"
        ));
    }
    let rows: Vec<usize> = (0..table.rows())
        .filter(|&r| labels.labels[r].is_some())
        .collect();
    let y: Vec<bool> = rows
        .iter()
        .map(|&r| labels.labels[r] == Some(true))
        .collect();
    let columns = model
        .schema
        .encode_table(&table.select(&rows), &mut notes)?;
    let probabilities = score_columns(model, &columns);
    Ok(Evaluation {
        n: y.len(),
        skipped_no_target: skipped,
        positives: y.iter().filter(|&&l| l).count(),
        // Both classes are present, so the AUC is defined.
        auc: auc(&probabilities, &y).unwrap_or(0.5),
        logloss: logloss(&probabilities, &y),
        calibration: calibration_table(&probabilities, &y, CALIBRATION_BINS),
        notes,
    })
}
