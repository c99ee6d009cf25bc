//! Promises to pay (janji bayar): the one rule that says whether a promise is pending,
//! kept, partially kept or broken. Posting a payment (workbench) and the nightly run both
//! ask `Promise::evaluate`, so the two can never disagree.
//!
//! A promise is judged at the end of its date in the debtor's own time zone plus a
//! configurable number of grace days: a debtor in Jayapura (WIT) who promised "Tuesday"
//! has until Tuesday 24.00 WIT (+ grace), not until midnight in Jakarta.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::money::Rupiah;
use crate::region::Zone;

/// Where a promise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseStatus {
    /// Not yet due, or due but still within its date and grace, and not fully paid.
    Pending,
    /// Paid in full (on or before the deadline).
    Kept,
    /// The deadline passed with part of the amount paid.
    PartiallyKept,
    /// The deadline passed with nothing paid.
    Broken,
    /// Withdrawn (e.g. replaced by an arrangement); never evaluated again.
    Cancelled,
}

impl PromiseStatus {
    /// Every status.
    pub const ALL: &'static [PromiseStatus] = &[
        PromiseStatus::Pending,
        PromiseStatus::Kept,
        PromiseStatus::PartiallyKept,
        PromiseStatus::Broken,
        PromiseStatus::Cancelled,
    ];

    /// The stable code stored and sent on the wire.
    pub const fn code(self) -> &'static str {
        match self {
            PromiseStatus::Pending => "pending",
            PromiseStatus::Kept => "kept",
            PromiseStatus::PartiallyKept => "partially_kept",
            PromiseStatus::Broken => "broken",
            PromiseStatus::Cancelled => "cancelled",
        }
    }

    /// Whether the promise is settled for good (anything but pending).
    pub const fn is_final(self) -> bool {
        !matches!(self, PromiseStatus::Pending)
    }

    /// Whether the outcome calls for a follow-up contact (the seeds: call the next day).
    pub const fn needs_follow_up(self) -> bool {
        matches!(self, PromiseStatus::Broken | PromiseStatus::PartiallyKept)
    }
}

impl fmt::Display for PromiseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text that is not a promise status code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a promise status (pending, kept, partially_kept, broken, cancelled)")]
pub struct PromiseStatusError(pub String);

impl FromStr for PromiseStatus {
    type Err = PromiseStatusError;

    fn from_str(text: &str) -> Result<PromiseStatus, PromiseStatusError> {
        PromiseStatus::ALL
            .iter()
            .copied()
            .find(|s| s.code() == text)
            .ok_or_else(|| PromiseStatusError(text.to_string()))
    }
}

/// The facts a promise is judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Promise {
    /// The amount promised.
    pub amount: Rupiah,
    /// The date promised, in the debtor's calendar.
    pub promised_on: NaiveDate,
    /// Paid on the account since the promise was made.
    pub paid: Rupiah,
    /// The debtor's time zone.
    pub zone: Zone,
}

impl Promise {
    /// The instant after which an unpaid promise is broken: the end of the promise date in
    /// the debtor's zone, plus `grace_days` whole days.
    pub fn deadline(&self, grace_days: u32) -> DateTime<Utc> {
        let last_day = self
            .promised_on
            .checked_add_days(Days::new(u64::from(grace_days) + 1))
            .unwrap_or(NaiveDate::MAX);
        let local_midnight = last_day.and_time(NaiveTime::MIN);
        self.zone
            .offset()
            .from_local_datetime(&local_midnight)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// The status at `now`: kept as soon as the amount is paid; after the deadline
    /// partially kept or broken; pending until then.
    pub fn evaluate(&self, now: DateTime<Utc>, grace_days: u32) -> PromiseStatus {
        if self.paid >= self.amount {
            PromiseStatus::Kept
        } else if now < self.deadline(grace_days) {
            PromiseStatus::Pending
        } else if self.paid.is_positive() {
            PromiseStatus::PartiallyKept
        } else {
            PromiseStatus::Broken
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn promise(paid: i64, zone: Zone) -> Promise {
        Promise {
            amount: Rupiah::new(1_000_000),
            promised_on: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            paid: Rupiah::new(paid),
            zone,
        }
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn a_fully_paid_promise_is_kept_even_before_its_date() {
        let p = promise(1_000_000, Zone::Wib);
        assert_eq!(p.evaluate(utc(2026, 11, 20, 3, 0), 0), PromiseStatus::Kept);
    }

    #[test]
    fn an_unpaid_promise_stays_pending_until_the_end_of_its_date_in_the_debtors_zone() {
        // 24 Nov 23.59 WIT is 24 Nov 14.59 UTC; midnight WIT is 15.00 UTC.
        let p = promise(0, Zone::Wit);
        assert_eq!(
            p.evaluate(utc(2026, 11, 24, 14, 59), 0),
            PromiseStatus::Pending
        );
        assert_eq!(
            p.evaluate(utc(2026, 11, 24, 15, 0), 0),
            PromiseStatus::Broken
        );
        // The same instant is still 24 Nov in Jakarta, so a WIB debtor is still pending.
        assert_eq!(
            promise(0, Zone::Wib).evaluate(utc(2026, 11, 24, 15, 0), 0),
            PromiseStatus::Pending
        );
    }

    #[test]
    fn grace_days_move_the_deadline_by_whole_local_days() {
        let p = promise(0, Zone::Wita);
        assert_eq!(p.deadline(2), utc(2026, 11, 26, 16, 0));
        assert_eq!(
            p.evaluate(utc(2026, 11, 26, 15, 59), 2),
            PromiseStatus::Pending
        );
        assert_eq!(
            p.evaluate(utc(2026, 11, 26, 16, 0), 2),
            PromiseStatus::Broken
        );
    }

    #[test]
    fn a_partly_paid_promise_past_its_deadline_is_partially_kept() {
        let p = promise(400_000, Zone::Wib);
        assert_eq!(
            p.evaluate(utc(2026, 12, 1, 0, 0), 0),
            PromiseStatus::PartiallyKept
        );
        assert!(PromiseStatus::PartiallyKept.needs_follow_up());
        assert!(!PromiseStatus::Kept.needs_follow_up());
    }

    #[test]
    fn status_codes_round_trip_and_unknown_codes_are_named() {
        for s in PromiseStatus::ALL {
            assert_eq!(s.code().parse::<PromiseStatus>(), Ok(*s));
        }
        let err = "done".parse::<PromiseStatus>().unwrap_err();
        assert!(err.to_string().contains("\"done\" is not a promise status"));
    }
}
