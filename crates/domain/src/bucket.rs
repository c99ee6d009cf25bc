//! DPD buckets for segmentation and reports, configurable; default current, 1–30, 31–60,
//! 61–90, 91–180, 180+.

use serde::{Deserialize, Serialize};

use crate::dpd::Dpd;

/// One bucket of a `BucketSet`: its position and its label (`1-30`, `180+`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bucket<'a> {
    /// Position in the set, 0 = current.
    pub index: usize,
    /// The label, e.g. `31-60`.
    pub label: &'a str,
}

/// An ordered set of DPD buckets defined by the highest DPD of every bucket but the last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<u32>", into = "Vec<u32>")]
pub struct BucketSet {
    upper: Vec<u32>,
    labels: Vec<String>,
}

/// Bucket bounds that do not strictly increase.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("DPD bucket bounds must be non-empty and strictly increasing, got {0:?}")]
pub struct BucketError(pub Vec<u32>);

impl BucketSet {
    /// Buckets from upper bounds: `[0, 30, 60]` → current, 1-30, 31-60, 60+.
    pub fn new(upper: Vec<u32>) -> Result<BucketSet, BucketError> {
        if upper.is_empty() || upper.windows(2).any(|w| w[0] >= w[1]) {
            return Err(BucketError(upper));
        }
        let mut labels = Vec::with_capacity(upper.len() + 1);
        let mut lower = 0;
        for &u in &upper {
            labels.push(match (lower, u) {
                (0, 0) => "current".to_string(),
                (l, u) if l == u => format!("{l}"),
                (l, u) => format!("{l}-{u}"),
            });
            lower = u + 1;
        }
        labels.push(format!("{}+", upper[upper.len() - 1]));
        Ok(BucketSet { upper, labels })
    }

    /// The bucket of a DPD.
    pub fn classify(&self, dpd: Dpd) -> Bucket<'_> {
        let index = self.upper.iter().take_while(|u| dpd.0 > **u).count();
        Bucket {
            index,
            label: &self.labels[index],
        }
    }

    /// All labels in order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }
}

impl Default for BucketSet {
    fn default() -> Self {
        BucketSet::new(vec![0, 30, 60, 90, 180]).expect("default bounds increase")
    }
}

impl TryFrom<Vec<u32>> for BucketSet {
    type Error = BucketError;
    fn try_from(value: Vec<u32>) -> Result<Self, Self::Error> {
        BucketSet::new(value)
    }
}

impl From<BucketSet> for Vec<u32> {
    fn from(value: BucketSet) -> Vec<u32> {
        value.upper
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_buckets_match_the_brief() {
        let b = BucketSet::default();
        assert_eq!(
            b.labels(),
            ["current", "1-30", "31-60", "61-90", "91-180", "180+"]
        );
        let label = |d| b.classify(Dpd(d)).label.to_string();
        assert_eq!(label(0), "current");
        assert_eq!(label(1), "1-30");
        assert_eq!(label(30), "1-30");
        assert_eq!(label(31), "31-60");
        assert_eq!(label(180), "91-180");
        assert_eq!(label(181), "180+");
    }

    #[test]
    fn bounds_must_increase() {
        assert!(BucketSet::new(vec![]).is_err());
        assert!(BucketSet::new(vec![0, 30, 30]).is_err());
    }
}
