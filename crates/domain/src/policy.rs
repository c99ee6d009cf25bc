//! The configurable collection rules a creditor's configuration sets: DPD buckets, the
//! payment allocation order and the penalty policy. Callers load it once (e.g. from a
//! TOML or JSON file) and pass it to the rules that need it; every field has a default.

use serde::{Deserialize, Serialize};

use crate::allocation::AllocationOrder;
use crate::bucket::BucketSet;
use crate::penalty::PenaltyPolicy;

/// Collection rules that the field changes, with defaults for anything not configured.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// DPD buckets for segmentation and reports.
    pub buckets: BucketSet,
    /// The order in which payments pay fees, penalty, interest and principal.
    pub allocation_order: AllocationOrder,
    /// How penalty accrues and its cap.
    pub penalty: PenaltyPolicy,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::Component;
    use crate::rate::Rate;

    #[test]
    fn the_default_policy_uses_each_rules_default() {
        let p = Policy::default();
        assert_eq!(p.buckets, BucketSet::default());
        assert_eq!(p.allocation_order.components()[0], Component::Fees);
        assert_eq!(p.penalty.daily_rate, Rate::from_ppm(1_000));
    }
}
