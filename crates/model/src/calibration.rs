//! Calibrated probabilities: Platt scaling, `p = σ(a·m + b)` over a model's raw margin `m`,
//! fitted on rows the model did not learn from.
//!
//! Platt rather than isotonic regression: two parameters fit well on a few hundred held-out
//! rows, the map is smooth and strictly increasing (so the AUC is unchanged and no two
//! accounts tie that the model told apart), and it never returns exactly 0 or 1.

use serde::{Deserialize, Serialize};

/// The logistic function, computed without overflow for large |z|.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// A Platt map from margin to probability.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    /// Slope on the margin.
    pub a: f64,
    /// Offset.
    pub b: f64,
}

impl Platt {
    /// The map that leaves a log-odds margin as it is (`σ(m)`).
    pub const IDENTITY: Platt = Platt { a: 1.0, b: 0.0 };

    /// The calibrated probability of a margin.
    pub fn probability(&self, margin: f64) -> f64 {
        sigmoid(self.a * margin + self.b)
    }

    /// Fits the map by Newton's method on Platt's smoothed targets
    /// (`(N₊+1)/(N₊+2)` and `1/(N₋+2)`), which keep `a` finite even when the held-out rows
    /// are perfectly separated.
    pub fn fit(margins: &[f64], labels: &[bool]) -> Platt {
        let positives = labels.iter().filter(|&&l| l).count() as f64;
        let negatives = labels.len() as f64 - positives;
        let hi = (positives + 1.0) / (positives + 2.0);
        let lo = 1.0 / (negatives + 2.0);
        let targets: Vec<f64> = labels.iter().map(|&l| if l { hi } else { lo }).collect();
        let loss = |p: Platt| -> f64 {
            margins
                .iter()
                .zip(&targets)
                .map(|(&m, &t)| {
                    let z = p.a * m + p.b;
                    // log(1 + e^z) − t·z, stable for large |z|.
                    z.max(0.0) + (-z.abs()).exp().ln_1p() - t * z
                })
                .sum()
        };
        let mut p = Platt::IDENTITY;
        let mut current = loss(p);
        for _ in 0..100 {
            let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for (&m, &t) in margins.iter().zip(&targets) {
                let q = p.probability(m);
                let d = q - t;
                let w = (q * (1.0 - q)).max(1e-12);
                ga += d * m;
                gb += d;
                haa += w * m * m;
                hab += w * m;
                hbb += w;
            }
            // A small ridge keeps the 2×2 system solvable when all margins are equal.
            haa += 1e-9;
            hbb += 1e-9;
            let det = haa * hbb - hab * hab;
            if det <= 0.0 || !det.is_finite() {
                break;
            }
            let da = (hbb * ga - hab * gb) / det;
            let db = (haa * gb - hab * ga) / det;
            let mut step = 1.0;
            let mut improved = false;
            while step > 1e-10 {
                let next = Platt {
                    a: p.a - step * da,
                    b: p.b - step * db,
                };
                let value = loss(next);
                if value <= current {
                    improved = current - value > 1e-12 * current.abs().max(1.0);
                    p = next;
                    current = value;
                    break;
                }
                step /= 2.0;
            }
            if !improved {
                break;
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmoid_is_finite_and_bounded_at_extremes() {
        assert_eq!(sigmoid(0.0), 0.5);
        assert_eq!(sigmoid(1e308), 1.0);
        assert_eq!(sigmoid(-1e308), 0.0);
        assert!((sigmoid(2.0) + sigmoid(-2.0) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn platt_recovers_a_known_slope_and_offset() {
        // Labels drawn deterministically so that the positive share at margin m is σ(2m − 1).
        let mut margins = Vec::new();
        let mut labels = Vec::new();
        for i in 0..200 {
            let m = -3.0 + 6.0 * i as f64 / 199.0;
            let p = sigmoid(2.0 * m - 1.0);
            for k in 0..100 {
                margins.push(m);
                labels.push((k as f64 + 0.5) / 100.0 < p);
            }
        }
        let fit = Platt::fit(&margins, &labels);
        assert!((fit.a - 2.0).abs() < 0.05, "{fit:?}");
        assert!((fit.b + 1.0).abs() < 0.05, "{fit:?}");
    }

    #[test]
    fn platt_on_separated_rows_stays_finite() {
        let fit = Platt::fit(&[-1.0, -0.5, 0.5, 1.0], &[false, false, true, true]);
        assert!(
            fit.a.is_finite() && fit.a > 0.0 && fit.b.is_finite(),
            "{fit:?}"
        );
    }
}
