//! Payment lines of an option: a lump sum, an amount spread over months after a down
//! payment, or a new loan schedule after an up-front payment. Each line says which
//! components it pays, and the lines of an option always sum exactly to its total.

use chrono::NaiveDate;

use super::offer::{Components, PlanLine};
use crate::allocation::{allocate, AllocationOrder, Dues};
use crate::money::Rupiah;
use crate::schedule::{self, LoanTerms, ScheduleError};

/// One payment of everything in `parts` on `date`.
pub(crate) fn lump(date: NaiveDate, parts: Components) -> Vec<PlanLine> {
    vec![line(1, date, parts)]
}

/// `parts` paid as a down payment on `first` (if above zero), then `tenor` monthly
/// instalments (the first on `first` when there is no down payment, else a month later).
///
/// Instalments are the rest ÷ tenor rounded up to `round_to`, the last taking what is left;
/// when that would leave the last at zero or below (tiny amounts), the rest is split exactly
/// with the remainder on the last. Each line pays the components in `order`.
pub(crate) fn spread(
    first: NaiveDate,
    parts: Components,
    down_payment: Rupiah,
    tenor: u32,
    round_to: Rupiah,
    order: &AllocationOrder,
) -> Vec<PlanLine> {
    let rest = parts.total() - down_payment;
    let n = i64::from(tenor.max(1));
    let exact = rest.value() / n;
    let rounded = if round_to.is_positive() {
        let unit = round_to.value();
        (exact + i64::from(rest.value() % n != 0) + unit - 1) / unit * unit
    } else {
        exact
    };
    let regular = if rest.value() - (n - 1) * rounded > 0 {
        rounded
    } else {
        exact
    };
    let mut amounts = Vec::with_capacity(tenor as usize + 1);
    if down_payment.is_positive() {
        amounts.push(down_payment);
    }
    for k in 1..=n {
        amounts.push(if k == n {
            rest - Rupiah::new(regular * (n - 1))
        } else {
            Rupiah::new(regular)
        });
    }
    let mut dues = Dues {
        fees: parts.fees,
        penalty: parts.penalty,
        interest: parts.interest,
        principal: parts.principal,
    };
    let mut out = Vec::with_capacity(amounts.len());
    for (i, amount) in amounts.into_iter().enumerate() {
        let a = allocate(amount, &dues, order);
        dues.fees -= a.fees;
        dues.penalty -= a.penalty;
        dues.interest -= a.interest;
        dues.principal -= a.principal;
        let seq = i as u32 + 1;
        out.push(line(
            seq,
            schedule::due_date(first, seq),
            Components {
                fees: a.fees,
                penalty: a.penalty,
                interest: a.interest,
                principal: a.principal,
            },
        ));
    }
    out
}

/// An up-front payment of `upfront` on `first` (if above zero), then the instalments of a
/// new loan; the loan's first instalment falls on `first` when there is no up-front payment,
/// else a month later.
pub(crate) fn loan(
    first: NaiveDate,
    upfront: Components,
    terms: LoanTerms,
) -> Result<Vec<PlanLine>, ScheduleError> {
    let mut out = Vec::with_capacity(terms.tenor_months as usize + 1);
    let offset = u32::from(upfront.total().is_positive());
    if offset == 1 {
        out.push(line(1, first, upfront));
    }
    let terms = LoanTerms {
        first_due: schedule::due_date(first, 1 + offset),
        ..terms
    };
    for i in schedule::generate(&terms)? {
        let seq = i.seq + offset;
        out.push(line(
            seq,
            schedule::due_date(first, seq),
            Components {
                principal: i.principal,
                interest: i.interest,
                ..Components::default()
            },
        ));
    }
    Ok(out)
}

/// Adds a loan's instalments to `lines`: instalment `j` joins line `j + offset` (so it
/// falls with the plan's `j`-th monthly payment after any down payment), and instalments
/// past the plan's end become lines of their own, on the same monthly anchor `first`.
pub(crate) fn with_loan(
    mut lines: Vec<PlanLine>,
    first: NaiveDate,
    offset: u32,
    terms: LoanTerms,
) -> Result<Vec<PlanLine>, ScheduleError> {
    for i in schedule::generate(&terms)? {
        let seq = i.seq + offset;
        match lines.get_mut(seq as usize - 1) {
            Some(l) => {
                l.parts.principal += i.principal;
                l.parts.interest += i.interest;
                l.amount = l.parts.total();
            }
            None => lines.push(line(
                seq,
                schedule::due_date(first, seq),
                Components {
                    principal: i.principal,
                    interest: i.interest,
                    ..Components::default()
                },
            )),
        }
    }
    Ok(lines)
}

fn line(seq: u32, due_date: NaiveDate, parts: Components) -> PlanLine {
    PlanLine {
        seq,
        due_date,
        amount: parts.total(),
        parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rate::Rate;
    use crate::schedule::ScheduleMethod;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rp(v: i64) -> Rupiah {
        Rupiah::new(v)
    }

    fn parts(fees: i64, penalty: i64, interest: i64, principal: i64) -> Components {
        Components {
            fees: rp(fees),
            penalty: rp(penalty),
            interest: rp(interest),
            principal: rp(principal),
        }
    }

    #[test]
    fn a_spread_rounds_instalments_up_to_a_thousand_and_the_last_takes_the_rest() {
        let p = parts(50_000, 200_000, 300_000, 4_450_000); // 5.000.000
        let lines = spread(
            d("2026-12-09"),
            p,
            rp(500_000),
            6,
            rp(1_000),
            &AllocationOrder::default(),
        );
        let amounts: Vec<i64> = lines.iter().map(|l| l.amount.value()).collect();
        // 4.500.000 / 6 = 750.000 exactly.
        assert_eq!(
            amounts,
            [500_000, 750_000, 750_000, 750_000, 750_000, 750_000, 750_000]
        );
        let lines = spread(
            d("2026-12-09"),
            p,
            rp(0),
            7,
            rp(1_000),
            &AllocationOrder::default(),
        );
        let amounts: Vec<i64> = lines.iter().map(|l| l.amount.value()).collect();
        // 5.000.000 / 7 = 714.285,7 → 715.000; the last 710.000.
        assert_eq!(amounts[0], 715_000);
        assert_eq!(amounts[6], 710_000);
        assert_eq!(lines.iter().map(|l| l.amount).sum::<Rupiah>(), p.total());
        // Fees and penalty are paid first.
        assert_eq!(lines[0].parts.fees, rp(50_000));
        assert_eq!(lines[0].parts.penalty, rp(200_000));
        assert_eq!(lines[6].due_date, d("2027-06-09"));
    }

    #[test]
    fn tiny_amounts_split_exactly() {
        let p = parts(0, 0, 0, 10);
        let lines = spread(
            d("2026-01-31"),
            p,
            Rupiah::ZERO,
            3,
            rp(1_000),
            &AllocationOrder::default(),
        );
        let amounts: Vec<i64> = lines.iter().map(|l| l.amount.value()).collect();
        assert_eq!(amounts, [3, 3, 4]);
        assert_eq!(lines[1].due_date, d("2026-02-28"));
    }

    #[test]
    fn contract_instalments_join_the_plan_payments_after_the_down_payment() {
        let plan = spread(
            d("2026-12-09"),
            parts(0, 0, 0, 2_000),
            rp(1_000),
            2,
            Rupiah::ZERO,
            &AllocationOrder::default(),
        );
        let terms = LoanTerms {
            principal: rp(3_000),
            annual_rate: Rate::ZERO,
            tenor_months: 3,
            first_due: d("2000-01-01"),
            method: ScheduleMethod::Annuity,
        };
        let lines = with_loan(plan, d("2026-12-09"), 1, terms).unwrap();
        let amounts: Vec<i64> = lines.iter().map(|l| l.amount.value()).collect();
        assert_eq!(amounts, [1_000, 1_500, 1_500, 1_000]);
        assert_eq!(lines[3].due_date, d("2027-03-09"));
        assert_eq!(lines[3].seq, 4);
    }

    #[test]
    fn a_loan_after_an_up_front_payment_starts_a_month_later() {
        let terms = LoanTerms {
            principal: rp(12_000_000),
            annual_rate: Rate::from_ppm(120_000),
            tenor_months: 12,
            first_due: d("2000-01-01"),
            method: ScheduleMethod::Annuity,
        };
        let lines = loan(d("2026-12-09"), parts(10_000, 0, 90_000, 0), terms).unwrap();
        assert_eq!(lines.len(), 13);
        assert_eq!(lines[0].amount, rp(100_000));
        assert_eq!(lines[1].due_date, d("2027-01-09"));
        assert_eq!(lines[12].seq, 13);
        let principal: Rupiah = lines.iter().map(|l| l.parts.principal).sum();
        assert_eq!(principal, rp(12_000_000));
    }
}
