//! The instalment schedule on the account page, with each instalment's state today:
//! instalments due before the oldest unpaid due date are paid; from it on they are
//! overdue when due on or before today, else not yet due.

use chrono::NaiveDate;
use sepakat_domain::schedule::generate;
use sepakat_store::{AccountDetail, AccountStatus};

use crate::format;
use crate::i18n::Lang;
use crate::ui::account_detail::ScheduleRow;

/// Where an instalment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InstalmentState {
    /// Paid.
    Paid,
    /// Due and unpaid.
    Overdue,
    /// Not yet due.
    Upcoming,
}

/// The state of an instalment due on `due`.
pub(crate) fn state_of(
    due: NaiveDate,
    oldest_unpaid_due: Option<NaiveDate>,
    paid_off: bool,
    today: NaiveDate,
) -> InstalmentState {
    let unpaid_from = match oldest_unpaid_due {
        _ if paid_off => return InstalmentState::Paid,
        Some(d) => d,
        // Nothing overdue: what fell due is paid, the rest is still to come.
        None => today + chrono::Days::new(1),
    };
    if due < unpaid_from {
        InstalmentState::Paid
    } else if due <= today {
        InstalmentState::Overdue
    } else {
        InstalmentState::Upcoming
    }
}

/// The schedule rows of an account; empty when its terms give no schedule.
pub(crate) fn rows(lang: Lang, account: &AccountDetail, today: NaiveDate) -> Vec<ScheduleRow> {
    let Ok(instalments) = generate(&account.terms) else {
        return Vec::new();
    };
    let s = lang.strings();
    let paid_off = account.status == AccountStatus::PaidOff;
    instalments
        .iter()
        .map(|i| {
            let state = state_of(
                i.due_date,
                account.balance.oldest_unpaid_due,
                paid_off,
                today,
            );
            let (label, css) = match state {
                InstalmentState::Paid => (s.paid, "paid"),
                InstalmentState::Overdue => (s.overdue, "overdue"),
                InstalmentState::Upcoming => (s.upcoming, "upcoming"),
            };
            ScheduleRow {
                seq: i.seq,
                due_date: format::date(lang, i.due_date),
                amount: format::rupiah(i.total()),
                state: label,
                css,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn instalments_before_the_oldest_unpaid_are_paid_and_later_ones_overdue_until_today() {
        let oldest = Some(d("2026-09-10"));
        let today = d("2026-11-24");
        assert_eq!(
            state_of(d("2026-08-10"), oldest, false, today),
            InstalmentState::Paid
        );
        assert_eq!(
            state_of(d("2026-09-10"), oldest, false, today),
            InstalmentState::Overdue
        );
        assert_eq!(
            state_of(d("2026-11-10"), oldest, false, today),
            InstalmentState::Overdue
        );
        assert_eq!(
            state_of(d("2026-11-24"), oldest, false, today),
            InstalmentState::Overdue
        );
        assert_eq!(
            state_of(d("2026-12-10"), oldest, false, today),
            InstalmentState::Upcoming
        );
    }

    #[test]
    fn with_nothing_overdue_past_instalments_are_paid() {
        let today = d("2026-11-24");
        assert_eq!(
            state_of(d("2026-11-10"), None, false, today),
            InstalmentState::Paid
        );
        assert_eq!(
            state_of(d("2026-11-24"), None, false, today),
            InstalmentState::Paid
        );
        assert_eq!(
            state_of(d("2026-12-10"), None, false, today),
            InstalmentState::Upcoming
        );
        assert_eq!(
            state_of(d("2027-12-10"), None, true, today),
            InstalmentState::Paid
        );
    }
}
