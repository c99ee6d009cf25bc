//! Logistic regression with an L2 penalty, fitted by Newton's method (IRLS).
//!
//! Inputs: a numeric feature is standardised with its training mean and standard deviation
//! (clipped to ±[`Z_LIMIT`] so an absurd value cannot overflow); a missing value scores as
//! the mean, plus a learned "missing" weight when the training data had missing values in
//! that column. A categorical feature is one-hot over its known categories; a missing or
//! unseen category contributes nothing (the intercept's average case). The penalty applies
//! to every weight but the intercept.

use serde::{Deserialize, Serialize};

use crate::calibration::sigmoid;
use crate::dataset::{FeatureKind, Schema};

/// Standardised values are clipped to this many standard deviations.
const Z_LIMIT: f64 = 1e3;

/// Settings of the logistic learner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticParams {
    /// L2 penalty λ on the weights (the loss is the summed log-loss + λ/2·‖w‖²).
    pub l2: f64,
    /// Newton iterations at most.
    pub max_iterations: usize,
    /// Stop when no weight moves more than this in an iteration.
    pub tolerance: f64,
}

impl Default for LogisticParams {
    fn default() -> LogisticParams {
        LogisticParams {
            l2: 1.0,
            max_iterations: 100,
            tolerance: 1e-8,
        }
    }
}

/// The weights for one schema feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Term {
    /// A standardised number.
    Numeric {
        /// Training mean.
        mean: f64,
        /// Training standard deviation (1 when it was 0).
        sd: f64,
        /// Weight per standard deviation.
        weight: f64,
        /// Added when the value is missing (0 when training had no missing values).
        missing_weight: f64,
    },
    /// One weight per known category.
    Categorical {
        /// Weight of each category code.
        weights: Vec<f64>,
    },
}

/// A fitted logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logistic {
    /// The settings it was fitted with.
    pub params: LogisticParams,
    /// The log-odds when every input is at its average.
    pub intercept: f64,
    /// One term per schema feature, in schema order.
    pub terms: Vec<Term>,
}

/// Where a feature's inputs sit in the design matrix.
enum Layout {
    Numeric {
        mean: f64,
        sd: f64,
        col: usize,
        missing_col: Option<usize>,
    },
    Categorical {
        first: usize,
        count: usize,
    },
}

impl Logistic {
    /// The log-odds of one encoded row (`x[i]` for schema feature `i`).
    pub fn margin(&self, x: &[f64]) -> f64 {
        let mut z = self.intercept;
        for (term, &v) in self.terms.iter().zip(x) {
            z += match term {
                Term::Numeric {
                    mean,
                    sd,
                    weight,
                    missing_weight,
                } => {
                    if v.is_nan() {
                        *missing_weight
                    } else {
                        weight * ((v - mean) / sd).clamp(-Z_LIMIT, Z_LIMIT)
                    }
                }
                Term::Categorical { weights } => {
                    if v.is_nan() {
                        0.0
                    } else {
                        weights.get(v as usize).copied().unwrap_or(0.0)
                    }
                }
            };
        }
        z
    }

    /// Fits the model on encoded columns (`columns[feature][row]`) and labels.
    pub fn fit(
        schema: &Schema,
        columns: &[Vec<f64>],
        labels: &[bool],
        params: &LogisticParams,
    ) -> Logistic {
        let n = labels.len();
        // Column 0 is the intercept.
        let mut p = 1;
        let layouts: Vec<Layout> = schema
            .features()
            .iter()
            .zip(columns)
            .map(|(feature, column)| match &feature.kind {
                FeatureKind::Numeric => {
                    let (mean, sd) = mean_sd(column);
                    let col = p;
                    p += 1;
                    let missing_col = column.iter().any(|v| v.is_nan()).then(|| {
                        p += 1;
                        p - 1
                    });
                    Layout::Numeric {
                        mean,
                        sd,
                        col,
                        missing_col,
                    }
                }
                FeatureKind::Categorical { categories } => {
                    let first = p;
                    p += categories.len();
                    Layout::Categorical {
                        first,
                        count: categories.len(),
                    }
                }
            })
            .collect();
        // Row-major design matrix: each Newton step walks it row by row.
        let mut x = vec![0.0; n * p];
        for r in 0..n {
            let row = &mut x[r * p..(r + 1) * p];
            row[0] = 1.0;
            for (layout, column) in layouts.iter().zip(columns) {
                let v = column[r];
                match *layout {
                    Layout::Numeric {
                        mean,
                        sd,
                        col,
                        missing_col,
                    } => {
                        if v.is_nan() {
                            if let Some(m) = missing_col {
                                row[m] = 1.0;
                            }
                        } else {
                            row[col] = ((v - mean) / sd).clamp(-Z_LIMIT, Z_LIMIT);
                        }
                    }
                    Layout::Categorical { first, count } => {
                        if !v.is_nan() && (v as usize) < count {
                            row[first + v as usize] = 1.0;
                        }
                    }
                }
            }
        }
        let beta = newton(&x, labels, p, params);
        let terms = layouts
            .iter()
            .map(|layout| match *layout {
                Layout::Numeric {
                    mean,
                    sd,
                    col,
                    missing_col,
                } => Term::Numeric {
                    mean,
                    sd,
                    weight: beta[col],
                    missing_weight: missing_col.map_or(0.0, |m| beta[m]),
                },
                Layout::Categorical { first, count } => Term::Categorical {
                    weights: beta[first..first + count].to_vec(),
                },
            })
            .collect();
        Logistic {
            params: params.clone(),
            intercept: beta[0],
            terms,
        }
    }
}

/// Mean and standard deviation of the non-missing values (sd 1 when there is no spread).
fn mean_sd(column: &[f64]) -> (f64, f64) {
    let present: Vec<f64> = column.iter().copied().filter(|v| !v.is_nan()).collect();
    if present.is_empty() {
        return (0.0, 1.0);
    }
    let n = present.len() as f64;
    let mean = present.iter().sum::<f64>() / n;
    let var = present.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let sd = var.sqrt();
    (mean, if sd > 0.0 && sd.is_finite() { sd } else { 1.0 })
}

/// Penalised negative log-likelihood of the weights.
fn loss(x: &[f64], labels: &[bool], p: usize, beta: &[f64], l2: f64) -> f64 {
    let data: f64 = labels
        .iter()
        .enumerate()
        .map(|(r, &y)| {
            let z = dot(&x[r * p..(r + 1) * p], beta);
            let t = if y { 1.0 } else { 0.0 };
            z.max(0.0) + (-z.abs()).exp().ln_1p() - t * z
        })
        .sum();
    data + 0.5 * l2 * beta[1..].iter().map(|b| b * b).sum::<f64>()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Newton's method with a backtracking line search; the intercept starts at the prior
/// log-odds.
fn newton(x: &[f64], labels: &[bool], p: usize, params: &LogisticParams) -> Vec<f64> {
    let n = labels.len();
    let positives = labels.iter().filter(|&&l| l).count() as f64;
    let rate = ((positives + 0.5) / (n as f64 + 1.0)).clamp(1e-6, 1.0 - 1e-6);
    let mut beta = vec![0.0; p];
    beta[0] = (rate / (1.0 - rate)).ln();
    let mut current = loss(x, labels, p, &beta, params.l2);
    for _ in 0..params.max_iterations {
        let mut gradient = vec![0.0; p];
        let mut hessian = vec![0.0; p * p];
        for (r, &y) in labels.iter().enumerate() {
            let row = &x[r * p..(r + 1) * p];
            let q = sigmoid(dot(row, &beta));
            let d = q - if y { 1.0 } else { 0.0 };
            let w = (q * (1.0 - q)).max(1e-12);
            for i in 0..p {
                if row[i] == 0.0 {
                    continue;
                }
                gradient[i] += d * row[i];
                let wi = w * row[i];
                for j in 0..=i {
                    hessian[i * p + j] += wi * row[j];
                }
            }
        }
        for i in 1..p {
            gradient[i] += params.l2 * beta[i];
            hessian[i * p + i] += params.l2;
        }
        // A tiny ridge on every diagonal entry (the intercept's too) keeps the Cholesky
        // factorisation defined when a one-hot column is all zeros.
        for i in 0..p {
            hessian[i * p + i] += 1e-9;
        }
        let Some(step) = cholesky_solve(&mut hessian, &gradient, p) else {
            break;
        };
        let mut t = 1.0;
        let mut moved = 0.0f64;
        while t > 1e-10 {
            let next: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b - t * s).collect();
            let value = loss(x, labels, p, &next, params.l2);
            if value <= current {
                moved = step.iter().map(|s| (t * s).abs()).fold(0.0, f64::max);
                beta = next;
                current = value;
                break;
            }
            t /= 2.0;
        }
        if moved < params.tolerance {
            break;
        }
    }
    beta
}

/// Solves `H s = g` for a symmetric positive definite `H` whose lower triangle is filled;
/// `None` when the factorisation breaks down.
fn cholesky_solve(h: &mut [f64], g: &[f64], p: usize) -> Option<Vec<f64>> {
    for j in 0..p {
        let mut d = h[j * p + j];
        for k in 0..j {
            d -= h[j * p + k] * h[j * p + k];
        }
        if d <= 0.0 || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        h[j * p + j] = d;
        for i in j + 1..p {
            let mut s = h[i * p + j];
            for k in 0..j {
                s -= h[i * p + k] * h[j * p + k];
            }
            h[i * p + j] = s / d;
        }
    }
    let mut y = vec![0.0; p];
    for i in 0..p {
        let mut s = g[i];
        for k in 0..i {
            s -= h[i * p + k] * y[k];
        }
        y[i] = s / h[i * p + i];
    }
    let mut s = vec![0.0; p];
    for i in (0..p).rev() {
        let mut v = y[i];
        for k in i + 1..p {
            v -= h[k * p + i] * s[k];
        }
        s[i] = v / h[i * p + i];
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Feature;

    fn numeric(names: &[&str]) -> Schema {
        Schema::from(
            names
                .iter()
                .map(|n| Feature {
                    name: n.to_string(),
                    kind: FeatureKind::Numeric,
                })
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn separable_data_gives_finite_weights_with_the_right_signs() {
        // y is 1 exactly when a > b: the weight of a must be positive, of b negative.
        let mut a = Vec::new();
        let mut b = Vec::new();
        let mut y = Vec::new();
        for i in 0..20 {
            for j in 0..20 {
                a.push(i as f64);
                b.push(j as f64);
                y.push(i > j);
            }
        }
        let model = Logistic::fit(
            &numeric(&["a", "b"]),
            &[a, b],
            &y,
            &LogisticParams::default(),
        );
        let weights: Vec<f64> = model
            .terms
            .iter()
            .map(|t| match t {
                Term::Numeric { weight, .. } => *weight,
                Term::Categorical { .. } => f64::NAN,
            })
            .collect();
        assert!(weights[0] > 1.0 && weights[1] < -1.0, "{weights:?}");
        assert!(weights.iter().all(|w| w.is_finite()));
    }

    #[test]
    fn known_log_odds_are_recovered() {
        // Per x in {-2..2}, the positive share is σ(0.5 + 1.5·x) (exact counts out of 1000).
        let mut x = Vec::new();
        let mut y = Vec::new();
        for v in -2..=2 {
            let p = sigmoid(0.5 + 1.5 * v as f64);
            for k in 0..1000 {
                x.push(v as f64);
                y.push((k as f64 + 0.5) / 1000.0 < p);
            }
        }
        let params = LogisticParams {
            l2: 0.0,
            ..LogisticParams::default()
        };
        let model = Logistic::fit(&numeric(&["x"]), &[x], &y, &params);
        let Term::Numeric {
            mean, sd, weight, ..
        } = model.terms[0]
        else {
            panic!("numeric term expected");
        };
        // Back to the raw scale: slope = weight / sd, intercept = b − weight·mean/sd.
        assert!((weight / sd - 1.5).abs() < 0.02, "{model:?}");
        assert!(
            (model.intercept - weight * mean / sd - 0.5).abs() < 0.02,
            "{model:?}"
        );
    }

    #[test]
    fn missing_values_learn_their_own_weight_and_unseen_categories_add_nothing() {
        let schema = Schema::from(vec![
            Feature {
                name: "x".into(),
                kind: FeatureKind::Numeric,
            },
            Feature {
                name: "c".into(),
                kind: FeatureKind::Categorical {
                    categories: vec!["a".into(), "b".into()],
                },
            },
        ]);
        // Missing x goes with positives; category b with negatives.
        let mut x = Vec::new();
        let mut c = Vec::new();
        let mut y = Vec::new();
        for i in 0..200 {
            let missing = i % 4 == 0;
            x.push(if missing { f64::NAN } else { (i % 7) as f64 });
            c.push((i % 2) as f64);
            y.push(missing || (i % 2 == 0 && i % 3 == 0));
        }
        let model = Logistic::fit(&schema, &[x, c], &y, &LogisticParams::default());
        let Term::Numeric { missing_weight, .. } = model.terms[0] else {
            panic!("numeric term expected");
        };
        assert!(missing_weight > 1.0, "{model:?}");
        let unseen = model.margin(&[3.0, f64::NAN]);
        assert_eq!(unseen, model.margin(&[3.0, 99.0]));
        assert!(unseen.is_finite());
    }
}
