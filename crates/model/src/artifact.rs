//! The model artifact: one JSON document with a format name and version, the algorithm, the
//! feature schema with its encodings, the learner's settings and parameters, the calibration,
//! the training figures, the target and positive value, and the creation date.
//!
//! Loading checks the format and version first (so an artifact from a newer build says so),
//! then that every part agrees with the schema: one logistic term per feature of the right
//! kind, tree nodes that name existing features and point only forward, finite numbers.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calibration::Platt;
use crate::dataset::{FeatureKind, Schema};
use crate::gbt::{Node, Rule};
use crate::logistic::Term;
use crate::scorer::{Learner, Model, TrainingMetrics};
use crate::training::Algorithm;
use crate::ModelError;

/// The `format` field of every artifact.
const FORMAT: &str = "sepakat-model";
/// The artifact format version this build writes and reads.
pub const FORMAT_VERSION: u64 = 1;

#[derive(Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
enum Calibration {
    Platt { a: f64, b: f64 },
}

#[derive(Serialize, Deserialize)]
struct ModelFile {
    format: String,
    format_version: u64,
    algorithm: Algorithm,
    created: NaiveDate,
    target: String,
    positive: String,
    features: Schema,
    calibration: Calibration,
    metrics: TrainingMetrics,
    model: Learner,
}

impl Model {
    /// The artifact as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        let file = ModelFile {
            format: FORMAT.to_string(),
            format_version: FORMAT_VERSION,
            algorithm: self.algorithm(),
            created: self.created,
            target: self.target.clone(),
            positive: self.positive.clone(),
            features: self.schema.clone(),
            calibration: Calibration::Platt {
                a: self.calibration.a,
                b: self.calibration.b,
            },
            metrics: self.metrics.clone(),
            model: self.learner.clone(),
        };
        // Plain structs of strings and finite numbers always serialise.
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Reads an artifact, checking its format version and its consistency.
    pub fn from_json(text: &str) -> Result<Model, ModelError> {
        let bad = |m: String| ModelError::Artifact(m);
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| bad(format!("not valid JSON: {e}")))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(bad(
                "not a Sepakat model (no \"format\": \"sepakat-model\")".into(),
            ));
        }
        match value.get("format_version").and_then(|v| v.as_u64()) {
            Some(FORMAT_VERSION) => {}
            Some(v) => {
                return Err(bad(format!(
                "format version {v} is not supported (this build reads version {FORMAT_VERSION})"
            )))
            }
            None => return Err(bad("no format_version".into())),
        }
        let file: ModelFile =
            serde_json::from_value(value).map_err(|e| bad(format!("malformed: {e}")))?;
        let Calibration::Platt { a, b } = file.calibration;
        let model = Model {
            created: file.created,
            target: file.target,
            positive: file.positive,
            schema: file.features,
            calibration: Platt { a, b },
            metrics: file.metrics,
            learner: file.model,
        };
        if file.algorithm != model.algorithm() {
            return Err(bad(format!(
                "algorithm '{}' does not match its parameters ('{}')",
                file.algorithm,
                model.algorithm()
            )));
        }
        check(&model).map_err(bad)?;
        Ok(model)
    }
}

/// The consistency checks; the message says what is wrong.
fn check(model: &Model) -> Result<(), String> {
    let schema = &model.schema;
    if schema.is_empty() {
        return Err("no features".into());
    }
    let mut names = HashSet::new();
    for f in schema.features() {
        if !names.insert(f.name.as_str()) {
            return Err(format!("feature '{}' appears twice", f.name));
        }
    }
    finite("calibration", &[model.calibration.a, model.calibration.b])?;
    match &model.learner {
        Learner::Logistic(m) => {
            finite("intercept", &[m.intercept])?;
            if m.terms.len() != schema.len() {
                return Err(format!(
                    "{} terms for {} features",
                    m.terms.len(),
                    schema.len()
                ));
            }
            for (term, feature) in m.terms.iter().zip(schema.features()) {
                match (term, &feature.kind) {
                    (
                        Term::Numeric {
                            mean,
                            sd,
                            weight,
                            missing_weight,
                        },
                        FeatureKind::Numeric,
                    ) => {
                        finite(&feature.name, &[*mean, *sd, *weight, *missing_weight])?;
                        if *sd <= 0.0 {
                            return Err(format!("feature '{}' has sd {sd}", feature.name));
                        }
                    }
                    (Term::Categorical { weights }, FeatureKind::Categorical { categories })
                        if weights.len() == categories.len() =>
                    {
                        finite(&feature.name, weights)?;
                    }
                    _ => {
                        return Err(format!(
                            "the term of feature '{}' does not match its kind",
                            feature.name
                        ))
                    }
                }
            }
        }
        Learner::Gbt(m) => {
            finite("base", &[m.base])?;
            for (t, tree) in m.trees.iter().enumerate() {
                if tree.nodes.is_empty() {
                    return Err(format!("tree {t} is empty"));
                }
                for (i, node) in tree.nodes.iter().enumerate() {
                    check_node(schema, tree.nodes.len(), i, node)
                        .map_err(|e| format!("tree {t}, node {i}: {e}"))?;
                }
            }
        }
    }
    Ok(())
}

fn check_node(schema: &Schema, len: usize, i: usize, node: &Node) -> Result<(), String> {
    let Node::Split {
        feature,
        rule,
        left,
        right,
        ..
    } = node
    else {
        let Node::Leaf { value } = node else {
            return Ok(());
        };
        return finite("leaf", &[*value]);
    };
    // Children after the parent: traversal always ends.
    for child in [*left, *right] {
        let child = child as usize;
        if child <= i || child >= len {
            return Err(format!("child {child} out of order"));
        }
    }
    let kind = schema
        .features()
        .get(*feature as usize)
        .map(|f| &f.kind)
        .ok_or_else(|| format!("feature {feature} does not exist"))?;
    match (rule, kind) {
        (Rule::LessOrEqual { threshold }, FeatureKind::Numeric) => {
            finite("threshold", &[*threshold])
        }
        (Rule::InSet { categories: set }, FeatureKind::Categorical { categories }) => {
            if set.windows(2).any(|w| w[0] >= w[1])
                || set.iter().any(|&c| c as usize >= categories.len())
            {
                Err("category set not sorted or out of range".into())
            } else {
                Ok(())
            }
        }
        _ => Err("rule does not match the feature's kind".into()),
    }
}

fn finite(what: &str, values: &[f64]) -> Result<(), String> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(format!("{what}: a number is not finite"))
    }
}
