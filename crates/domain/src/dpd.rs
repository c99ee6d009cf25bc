//! Days past due: the age of the oldest unpaid instalment on a given date.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Days past due (0 = current).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Dpd(pub u32);

impl Dpd {
    /// DPD on `as_of` of an account whose oldest unpaid instalment fell due on
    /// `oldest_unpaid_due` (None: nothing unpaid). A due date on or after `as_of` is 0.
    pub fn as_of(oldest_unpaid_due: Option<NaiveDate>, as_of: NaiveDate) -> Dpd {
        match oldest_unpaid_due {
            Some(due) if due < as_of => {
                Dpd(u32::try_from((as_of - due).num_days()).unwrap_or(u32::MAX))
            }
            _ => Dpd(0),
        }
    }

    /// The number of days.
    pub const fn days(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Dpd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn counts_days_after_the_due_date() {
        assert_eq!(Dpd::as_of(None, d("2026-11-24")), Dpd(0));
        assert_eq!(Dpd::as_of(Some(d("2026-11-24")), d("2026-11-24")), Dpd(0));
        assert_eq!(Dpd::as_of(Some(d("2026-11-30")), d("2026-11-24")), Dpd(0));
        assert_eq!(Dpd::as_of(Some(d("2026-10-25")), d("2026-11-24")), Dpd(30));
    }
}
