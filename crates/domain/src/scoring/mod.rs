//! The features a propensity-to-pay model learns from and scores on, computed from
//! Sepakat's own data: the account's state on a date and a summary of its history before
//! that date (payments, promises, contacts, arrangements).
//!
//! One definition serves training and the nightly run, so the model scores exactly what
//! it learned from: training reconstructs the state and history as they stood on past
//! dates, the run reads them as they stand today, and both go through [`features`].
//! The feature names are part of a model artifact; changing what one means needs a new
//! [`FEATURE_SET`].

mod reason;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::dpd::Dpd;
use crate::interaction::Outcome;
use crate::money::Rupiah;
use crate::product::ProductType;
use crate::schedule::due_date;

pub use reason::{Direction, Reason};

/// The name of this feature set, recorded with every model trained on it.
pub const FEATURE_SET: &str = "akun-v1";

/// Days in the short and long payment windows and the contact windows.
pub const SHORT_DAYS: i64 = 90;
/// The long payment window, in days.
pub const LONG_DAYS: i64 = 180;
/// The window for promise history, in days.
pub const PROMISE_DAYS: i64 = 365;
/// The window for contact attempts, in days.
pub const ATTEMPT_DAYS: i64 = 30;

/// An account's state on a date: its terms and what it owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountState {
    /// The product.
    pub product: ProductType,
    /// Principal lent.
    pub principal: Rupiah,
    /// The regular instalment.
    pub instalment: Rupiah,
    /// Tenor in months.
    pub tenor_months: u32,
    /// When the loan was opened.
    pub opened_on: NaiveDate,
    /// The first instalment's due date.
    pub first_due: NaiveDate,
    /// Everything owed on the date.
    pub outstanding: Rupiah,
    /// The oldest unpaid instalment's due date on the date.
    pub oldest_unpaid_due: Option<NaiveDate>,
}

/// What happened on an account before a date, summarised over fixed windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct History {
    /// Paid in the last [`SHORT_DAYS`] days (reversed payments excluded).
    pub paid_short: Rupiah,
    /// Paid in the last [`LONG_DAYS`] days.
    pub paid_long: Rupiah,
    /// The latest payment before the date, ever.
    pub last_payment_at: Option<DateTime<Utc>>,
    /// The longest DPD a payment in the last [`LONG_DAYS`] days cleared.
    pub longest_dpd_paid: Option<u32>,
    /// Promises made in the last [`PROMISE_DAYS`] days.
    pub promises_made: u32,
    /// Of the promises resolved in that window, those kept.
    pub promises_kept: u32,
    /// Of the promises resolved in that window, those broken or only partly kept.
    pub promises_broken: u32,
    /// Contact attempts in the last [`ATTEMPT_DAYS`] days.
    pub attempts_recent: u32,
    /// Contact attempts in the last [`SHORT_DAYS`] days.
    pub attempts_short: u32,
    /// Right-party contacts (or promises, which need one) in the last [`SHORT_DAYS`] days.
    pub right_party_short: u32,
    /// The latest interaction before the date.
    pub last_contact_at: Option<DateTime<Utc>>,
    /// Its outcome.
    pub last_outcome: Option<Outcome>,
    /// Payment arrangements made before the date.
    pub arrangements: u32,
    /// Of those, the ones that had defaulted by the date.
    pub arrangements_defaulted: u32,
}

/// How a feature is encoded for a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number.
    Numeric,
    /// A code from a fixed list (product, outcome).
    Categorical,
}

/// One feature: its stable name (used in artifacts) and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feature {
    /// The name.
    pub name: &'static str,
    /// Its kind.
    pub kind: Kind,
}

macro_rules! feature_list {
    ($($index:ident = $name:literal : $kind:ident),* $(,)?) => {
        /// The features, in row order.
        pub const FEATURES: &[Feature] = &[$(Feature { name: $name, kind: Kind::$kind },)*];
        /// Positions in a [`Row`].
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(usize)]
        pub enum F { $($index,)* }
    };
}

feature_list! {
    Product = "product": Categorical,
    Dpd = "dpd": Numeric,
    Outstanding = "outstanding": Numeric,
    Principal = "principal": Numeric,
    OutstandingShare = "outstanding_share": Numeric,
    TenureMonths = "tenure_months": Numeric,
    TenorMonths = "tenor_months": Numeric,
    InstalmentsDue = "instalments_due": Numeric,
    ArrearsInstalments = "arrears_instalments": Numeric,
    PaidRatioShort = "paid_ratio_90d": Numeric,
    PaidRatioLong = "paid_ratio_180d": Numeric,
    DaysSincePayment = "days_since_payment": Numeric,
    LongestDpd = "longest_dpd_180d": Numeric,
    PromisesMade = "promises_made_365d": Numeric,
    PromisesKept = "promises_kept_365d": Numeric,
    PromisesBroken = "promises_broken_365d": Numeric,
    AttemptsRecent = "attempts_30d": Numeric,
    RightPartyRate = "right_party_rate_90d": Numeric,
    DaysSinceContact = "days_since_contact": Numeric,
    LastOutcome = "last_outcome": Categorical,
    Arrangements = "arrangements": Numeric,
    ArrangementsDefaulted = "arrangements_defaulted": Numeric,
}

/// One feature's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A number (finite).
    Number(f64),
    /// A code.
    Code(&'static str),
    /// Not known (no payment yet, no contact yet, nothing due in the window).
    Missing,
}

impl Value {
    /// The number, if this is one.
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Number(x) => Some(x),
            _ => None,
        }
    }
}

/// An account's features, in [`FEATURES`] order.
pub type Row = [Value; FEATURES.len()];

/// Due dates of the account's instalments in `(from, to]`, counted.
fn dues_between(state: &AccountState, from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from || state.tenor_months == 0 {
        return 0;
    }
    let upto = |date: NaiveDate| -> u32 {
        // The number of instalments due on or before `date`, in constant time: the whole
        // months from the first due date, then one more if that month's due day is past.
        if date < state.first_due {
            return 0;
        }
        let months = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
        let whole = (months(date) - months(state.first_due)).max(0);
        let seq = u32::try_from(whole + 1).unwrap_or(u32::MAX);
        let n = if due_date(state.first_due, seq) <= date {
            seq
        } else {
            seq - 1
        };
        n.min(state.tenor_months)
    };
    upto(to) - upto(from)
}

fn ratio(paid: Rupiah, due: i64) -> Value {
    if due <= 0 {
        Value::Missing
    } else {
        Value::Number(paid.value() as f64 / due as f64)
    }
}

fn days_since(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Value {
    at.map_or(Value::Missing, |t| {
        Value::Number((now - t).num_days().max(0) as f64)
    })
}

/// The features of an account on `date`, whose day starts at `start` (the instant the
/// history was summarised to).
pub fn features(
    state: &AccountState,
    history: &History,
    date: NaiveDate,
    start: DateTime<Utc>,
) -> Row {
    let dpd = Dpd::as_of(state.oldest_unpaid_due, date).days();
    let due_by = |days: i64| -> i64 {
        let from = date - chrono::Duration::days(days);
        i64::from(dues_between(state, from, date)) * state.instalment.value()
    };
    let instalments_due = dues_between(state, NaiveDate::MIN, date);
    let arrears = match state.oldest_unpaid_due {
        Some(oldest) if oldest < date => {
            dues_between(state, oldest.pred_opt().unwrap_or(oldest), date)
        }
        _ => 0,
    };
    let tenure = (date - state.opened_on).num_days().max(0) as f64 / 30.4375;
    let principal = state.principal.value();
    let mut row: Row = [Value::Missing; FEATURES.len()];
    let mut set = |f: F, v: Value| row[f as usize] = v;
    set(F::Product, Value::Code(state.product.code()));
    set(F::Dpd, Value::Number(f64::from(dpd)));
    set(
        F::Outstanding,
        Value::Number(state.outstanding.value() as f64),
    );
    set(F::Principal, Value::Number(principal as f64));
    if principal > 0 {
        set(
            F::OutstandingShare,
            Value::Number(state.outstanding.value() as f64 / principal as f64),
        );
    }
    set(F::TenureMonths, Value::Number(tenure.floor()));
    set(F::TenorMonths, Value::Number(f64::from(state.tenor_months)));
    set(F::InstalmentsDue, Value::Number(f64::from(instalments_due)));
    set(F::ArrearsInstalments, Value::Number(f64::from(arrears)));
    set(
        F::PaidRatioShort,
        ratio(history.paid_short, due_by(SHORT_DAYS)),
    );
    set(
        F::PaidRatioLong,
        ratio(history.paid_long, due_by(LONG_DAYS)),
    );
    set(
        F::DaysSincePayment,
        days_since(history.last_payment_at, start),
    );
    set(
        F::LongestDpd,
        Value::Number(f64::from(history.longest_dpd_paid.unwrap_or(0).max(dpd))),
    );
    set(
        F::PromisesMade,
        Value::Number(f64::from(history.promises_made)),
    );
    set(
        F::PromisesKept,
        Value::Number(f64::from(history.promises_kept)),
    );
    set(
        F::PromisesBroken,
        Value::Number(f64::from(history.promises_broken)),
    );
    set(
        F::AttemptsRecent,
        Value::Number(f64::from(history.attempts_recent)),
    );
    if history.attempts_short > 0 {
        set(
            F::RightPartyRate,
            Value::Number(f64::from(history.right_party_short) / f64::from(history.attempts_short)),
        );
    }
    set(
        F::DaysSinceContact,
        days_since(history.last_contact_at, start),
    );
    if let Some(outcome) = history.last_outcome {
        set(F::LastOutcome, Value::Code(outcome.code()));
    }
    set(
        F::Arrangements,
        Value::Number(f64::from(history.arrangements)),
    );
    set(
        F::ArrangementsDefaulted,
        Value::Number(f64::from(history.arrangements_defaulted)),
    );
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn state() -> AccountState {
        AccountState {
            product: ProductType::Kta,
            principal: Rupiah::new(12_000_000),
            instalment: Rupiah::new(1_100_000),
            tenor_months: 12,
            opened_on: d(2026, 1, 5),
            first_due: d(2026, 2, 5),
            outstanding: Rupiah::new(6_000_000),
            oldest_unpaid_due: Some(d(2026, 9, 5)),
        }
    }

    #[test]
    fn a_delinquent_account_counts_its_dpd_arrears_and_what_it_paid_against_what_fell_due() {
        let start = Utc.with_ymd_and_hms(2026, 11, 30, 17, 0, 0).unwrap();
        let history = History {
            paid_short: Rupiah::new(1_100_000),
            paid_long: Rupiah::new(3_300_000),
            last_payment_at: Some(start - chrono::Duration::days(40)),
            longest_dpd_paid: Some(20),
            promises_made: 2,
            promises_kept: 1,
            promises_broken: 1,
            attempts_recent: 4,
            attempts_short: 8,
            right_party_short: 2,
            last_contact_at: Some(start - chrono::Duration::days(3)),
            last_outcome: Some(Outcome::NoAnswer),
            arrangements: 0,
            arrangements_defaulted: 0,
        };
        let row = features(&state(), &history, d(2026, 12, 1), start);
        let n = |f: F| row[f as usize].number();
        assert_eq!(n(F::Dpd), Some(87.0));
        // Due on 5 Sep, 5 Oct and 5 Nov, none paid.
        assert_eq!(n(F::ArrearsInstalments), Some(3.0));
        assert_eq!(n(F::InstalmentsDue), Some(10.0));
        // 90 days back from 1 Dec: dues on 5 Sep, 5 Oct, 5 Nov.
        assert_eq!(n(F::PaidRatioShort), Some(1.0 / 3.0));
        // 180 days back (4 Jun): Jul … Nov plus 5 Jun, six dues.
        assert_eq!(n(F::PaidRatioLong), Some(0.5));
        assert_eq!(n(F::LongestDpd), Some(87.0));
        assert_eq!(n(F::RightPartyRate), Some(0.25));
        assert_eq!(n(F::DaysSinceContact), Some(3.0));
        assert_eq!(n(F::DaysSincePayment), Some(40.0));
        assert_eq!(n(F::OutstandingShare), Some(0.5));
        assert_eq!(row[F::Product as usize], Value::Code("kta"));
        assert_eq!(row[F::LastOutcome as usize], Value::Code("no_answer"));
    }

    #[test]
    fn an_account_with_no_history_has_missing_ratios_and_no_contact() {
        let mut s = state();
        s.oldest_unpaid_due = Some(d(2026, 12, 5));
        s.opened_on = d(2026, 11, 20);
        s.first_due = d(2026, 12, 20);
        let start = Utc.with_ymd_and_hms(2026, 11, 30, 17, 0, 0).unwrap();
        let row = features(&s, &History::default(), d(2026, 12, 1), start);
        assert_eq!(row[F::Dpd as usize], Value::Number(0.0));
        assert_eq!(row[F::PaidRatioShort as usize], Value::Missing);
        assert_eq!(row[F::DaysSincePayment as usize], Value::Missing);
        assert_eq!(row[F::RightPartyRate as usize], Value::Missing);
        assert_eq!(row[F::LastOutcome as usize], Value::Missing);
        assert_eq!(row[F::ArrearsInstalments as usize], Value::Number(0.0));
    }

    #[test]
    fn instalments_due_are_counted_like_walking_the_schedule() {
        let mut s = state();
        for (first, tenor) in [
            ((2026, 1, 31), 24),
            ((2025, 2, 28), 6),
            ((2020, 3, 15), 240),
        ] {
            s.first_due = d(first.0, first.1, first.2);
            s.tenor_months = tenor;
            let mut date = s.first_due - chrono::Duration::days(3);
            for _ in 0..900 {
                let walked = (1..=tenor)
                    .filter(|&k| due_date(s.first_due, k) <= date)
                    .count();
                assert_eq!(
                    dues_between(&s, NaiveDate::MIN, date) as usize,
                    walked,
                    "{date}"
                );
                date += chrono::Duration::days(9);
            }
        }
    }

    #[test]
    fn feature_names_are_unique() {
        let mut names: Vec<&str> = FEATURES.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FEATURES.len());
    }
}
