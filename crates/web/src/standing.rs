//! An account's standing on a date: DPD, kolektibilitas under the creditor's regime, and
//! DPD bucket. The UI and the API both show it, computed here once.

use chrono::NaiveDate;
use sepakat_domain::{BucketSet, Dpd, Kolektibilitas, Regime};

/// DPD, class and bucket of one account on one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// Days past due.
    pub dpd: Dpd,
    /// Kolektibilitas class.
    pub kolektibilitas: Kolektibilitas,
    /// Bucket label (`current`, `1-30`, …).
    pub bucket: String,
}

impl Standing {
    /// The standing of an account whose oldest unpaid instalment fell due on
    /// `oldest_unpaid_due`, as of `today`.
    pub fn of(
        oldest_unpaid_due: Option<NaiveDate>,
        today: NaiveDate,
        regime: &Regime,
        buckets: &BucketSet,
    ) -> Standing {
        let dpd = Dpd::as_of(oldest_unpaid_due, today);
        Standing {
            dpd,
            kolektibilitas: regime.classify(dpd),
            bucket: buckets.classify(dpd).label.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standing_follows_the_oldest_unpaid_due_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let due = NaiveDate::from_ymd_opt(2026, 8, 1);
        let s = Standing::of(due, today, &Regime::bank(), &BucketSet::default());
        assert_eq!(s.dpd, Dpd(115));
        assert_eq!(s.kolektibilitas.class(), 3);
        assert_eq!(s.bucket, "91-180");
        let current = Standing::of(None, today, &Regime::p2p(), &BucketSet::default());
        assert_eq!(current.dpd, Dpd(0));
        assert_eq!(current.bucket, "current");
    }
}
