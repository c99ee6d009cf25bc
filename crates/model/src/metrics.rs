//! How good a set of scores is: AUC (ranking), log-loss (probabilities) and a calibration
//! table (predicted against observed, by decile).

use serde::Serialize;

/// Probabilities are clipped to `[EPS, 1 - EPS]` in the log-loss so one confident mistake
/// costs a lot but not infinity.
const EPS: f64 = 1e-15;

/// Area under the ROC curve: the chance that a random positive scores above a random
/// negative, ties counting half. `None` unless both classes occur.
pub fn auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let positives = labels.iter().filter(|&&l| l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    // Mann–Whitney: sum of the positives' ranks, tied scores sharing their average rank.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let average_rank = (i + j) as f64 / 2.0 + 1.0;
        let tied_positives = order[i..=j].iter().filter(|&&r| labels[r]).count();
        rank_sum += average_rank * tied_positives as f64;
        i = j + 1;
    }
    let p = positives as f64;
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}

/// Mean negative log-likelihood of the labels under the probabilities.
pub fn logloss(probabilities: &[f64], labels: &[bool]) -> f64 {
    if probabilities.is_empty() {
        return 0.0;
    }
    let total: f64 = probabilities
        .iter()
        .zip(labels)
        .map(|(&p, &y)| {
            let p = p.clamp(EPS, 1.0 - EPS);
            if y {
                -p.ln()
            } else {
                -(1.0 - p).ln()
            }
        })
        .sum();
    total / probabilities.len() as f64
}

/// One bin of a calibration table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationRow {
    /// 1 = lowest predicted probabilities.
    pub bin: usize,
    /// Rows in the bin.
    pub count: usize,
    /// Mean predicted probability.
    pub mean_predicted: f64,
    /// Share of positives.
    pub observed_rate: f64,
}

/// Rows sorted by predicted probability and cut into `bins` groups of (nearly) equal size.
pub fn calibration_table(
    probabilities: &[f64],
    labels: &[bool],
    bins: usize,
) -> Vec<CalibrationRow> {
    let n = probabilities.len();
    let bins = bins.clamp(1, n.max(1));
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| probabilities[a].total_cmp(&probabilities[b]));
    (0..bins)
        .filter_map(|b| {
            let rows = &order[b * n / bins..(b + 1) * n / bins];
            if rows.is_empty() {
                return None;
            }
            let count = rows.len();
            let predicted: f64 = rows.iter().map(|&r| probabilities[r]).sum();
            let observed = rows.iter().filter(|&&r| labels[r]).count();
            Some(CalibrationRow {
                bin: b + 1,
                count,
                mean_predicted: predicted / count as f64,
                observed_rate: observed as f64 / count as f64,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_a_perfect_ranking_is_one_and_of_the_reverse_is_zero() {
        let labels = [false, false, true, true];
        assert_eq!(auc(&[0.1, 0.2, 0.8, 0.9], &labels), Some(1.0));
        assert_eq!(auc(&[0.9, 0.8, 0.2, 0.1], &labels), Some(0.0));
    }

    #[test]
    fn auc_counts_ties_as_half_and_matches_a_hand_count() {
        // Pairs (pos, neg): (0.5 vs 0.5) tie = 0.5, (0.5 vs 0.1) = 1, (0.3 vs 0.5) = 0,
        // (0.3 vs 0.1) = 1: 2.5 of 4.
        let scores = [0.5, 0.3, 0.5, 0.1];
        let labels = [true, true, false, false];
        assert_eq!(auc(&scores, &labels), Some(0.625));
        assert_eq!(auc(&[0.4, 0.4], &[true, false]), Some(0.5));
    }

    #[test]
    fn auc_is_undefined_for_one_class() {
        assert_eq!(auc(&[0.1, 0.2], &[true, true]), None);
    }

    #[test]
    fn logloss_of_certain_right_answers_is_near_zero_and_of_a_coin_is_ln_two() {
        assert!(logloss(&[1.0, 0.0], &[true, false]) < 1e-12);
        let coin = logloss(&[0.5, 0.5], &[true, false]);
        assert!((coin - std::f64::consts::LN_2).abs() < 1e-12);
        assert!(logloss(&[0.0], &[true]).is_finite());
    }

    #[test]
    fn calibration_table_cuts_sorted_rows_into_equal_bins() {
        let p: Vec<f64> = (0..10).map(|i| i as f64 / 10.0).collect();
        let y: Vec<bool> = (0..10).map(|i| i >= 5).collect();
        let table = calibration_table(&p, &y, 2);
        assert_eq!(table.len(), 2);
        assert_eq!(table[0].count, 5);
        assert!((table[0].mean_predicted - 0.2).abs() < 1e-12);
        assert_eq!(table[0].observed_rate, 0.0);
        assert_eq!(table[1].observed_rate, 1.0);
        assert_eq!(calibration_table(&p[..3], &y[..3], 10).len(), 3);
    }
}
