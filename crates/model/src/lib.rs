//! Propensity scoring for Sepakat: learners and metrics for tabular data, pure Rust.
//!
//! The flow: a CSV becomes a [`Table`] of text cells; [`train`] infers a feature
//! [`Schema`] from it, fits logistic regression or gradient-boosted trees, calibrates the
//! probabilities on a held-out part and returns a [`Model`]; a model is saved and loaded as a
//! versioned JSON artifact, scores rows through a [`Scorer`] (no allocation per row,
//! deterministic) and is judged by [`evaluate`]. See `docs/scoring.md`.
//!
//! The only I/O is reading a CSV file ([`Table::read_csv`]); writing the artifact is left to
//! the caller ([`Model::to_json`]).

mod artifact;
mod calibration;
mod dataset;
mod evaluation;
mod flat;
mod gbt;
mod logistic;
mod metrics;
mod scorer;
mod training;

pub use artifact::FORMAT_VERSION;
pub use calibration::Platt;
pub use dataset::{Feature, FeatureKind, Schema, Table, MISSING_TOKENS};
pub use evaluation::{evaluate, Evaluation};
pub use gbt::GbtParams;
pub use logistic::LogisticParams;
pub use metrics::{auc, calibration_table, logloss, CalibrationRow};
pub use scorer::{Model, Scorer, TrainingMetrics, Value};
pub use training::{seeded_split, train, Algorithm, TrainSpec, Trained};

/// What can go wrong reading data, training, or loading a model.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The data file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The CSV is malformed (a row of the wrong width, bad UTF-8, …).
    #[error("malformed CSV: {0}")]
    Csv(String),
    /// The file has a header but no data rows (or nothing at all).
    #[error("the file has no data rows")]
    Empty,
    /// The target column is not in the file.
    #[error("target column '{target}' is not in the file (columns: {available})")]
    MissingTarget {
        /// The column asked for.
        target: String,
        /// The columns the file has, comma-separated.
        available: String,
    },
    /// An `--ignore` column is not in the file.
    #[error("column '{0}' given to ignore is not in the file")]
    UnknownIgnore(String),
    /// A column the model was trained on is not in the file.
    #[error("the model needs column '{0}', which is not in the file")]
    MissingFeature(String),
    /// The target has two values and neither is `1`: the caller must say which is positive.
    #[error(
        "target column '{target}' has the values {values} and none is '1': \
         say which is the positive class with --positive"
    )]
    PositiveRequired {
        /// The target column.
        target: String,
        /// Its values, quoted and comma-separated.
        values: String,
    },
    /// The positive value asked for does not occur in the target.
    #[error(
        "positive value '{positive}' does not occur in target column '{target}' (values: {values})"
    )]
    PositiveAbsent {
        /// The value asked for.
        positive: String,
        /// The target column.
        target: String,
        /// Its values, quoted and comma-separated.
        values: String,
    },
    /// Every row with a target is of one class.
    #[error(
        "target column '{target}' has a single class ({class}) in all {rows} rows with a target: \
         a model needs both classes"
    )]
    SingleClass {
        /// The target column.
        target: String,
        /// Which class: "positive" or "negative", with the value.
        class: String,
        /// Rows with a target.
        rows: usize,
    },
    /// No rows have a target value.
    #[error("no row has a value in target column '{0}'")]
    NoTarget(String),
    /// Nothing is left to learn from once ignored and constant columns are dropped.
    #[error("no feature columns are left (the target, ignored and constant columns were dropped)")]
    NoFeatures,
    /// The model file is not a readable Sepakat model of this format version.
    #[error("model file: {0}")]
    Artifact(String),
}
