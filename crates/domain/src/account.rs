//! An account's money state (balance) and how a payment or its reversal changes it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::allocation::{allocate, Allocation, AllocationOrder, Dues};
use crate::money::Rupiah;
use crate::schedule;

/// What an account owes at a moment, by component. All amounts ≥ 0, and
/// `arrears_principal ≤ outstanding_principal`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    /// All unpaid principal, due or not yet due (sisa pokok).
    pub outstanding_principal: Rupiah,
    /// Principal of instalments already due and unpaid (tunggakan pokok).
    pub arrears_principal: Rupiah,
    /// Interest of instalments already due and unpaid (tunggakan bunga).
    pub arrears_interest: Rupiah,
    /// Penalty accrued and unpaid (denda).
    pub penalty: Rupiah,
    /// Fees charged and unpaid (biaya).
    pub fees: Rupiah,
    /// Due date of the oldest unpaid instalment; None when nothing is due.
    pub oldest_unpaid_due: Option<NaiveDate>,
}

/// The result of applying one payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentEffect {
    /// The balance after the payment.
    pub after: Balance,
    /// How the payment was split. `principal` includes any prepayment of principal not
    /// yet due; `excess` is what is left once the whole principal is repaid.
    pub allocation: Allocation,
    /// The part of `allocation.principal` that prepaid principal not yet due (the rest paid
    /// arrears). Keep it with the payment: `reverse_payment` needs it.
    pub prepaid_principal: Rupiah,
    /// How many overdue instalments the payment cleared (moves `oldest_unpaid_due`).
    pub instalments_cleared: u32,
}

impl Balance {
    /// The dues a payment pays first: fees, penalty, arrears of interest and principal.
    pub fn dues(&self) -> Dues {
        Dues {
            fees: self.fees,
            penalty: self.penalty,
            interest: self.arrears_interest,
            principal: self.arrears_principal,
        }
    }

    /// Everything owed: all principal plus overdue interest, penalty and fees.
    pub fn total_outstanding(&self) -> Rupiah {
        self.outstanding_principal + self.arrears_interest + self.penalty + self.fees
    }

    /// Everything overdue: arrears plus penalty and fees.
    pub fn total_overdue(&self) -> Rupiah {
        self.arrears_principal + self.arrears_interest + self.penalty + self.fees
    }
}

/// Applies a payment (> 0) to a balance.
///
/// The payment first pays the dues in `order`; what remains prepays principal not yet due;
/// what still remains is `excess`. Overdue instalments are cleared oldest first: each full
/// `instalment` amount of arrears paid (interest + principal) moves `oldest_unpaid_due` one
/// month on; when all arrears are paid it becomes None.
///
/// Details: when the payment clears every arrear, `instalments_cleared` is the number of
/// overdue instalments the arrears stood for (⌈arrears / instalment⌉, at least 1). An
/// `instalment` ≤ 0 is read as "all arrears are one instalment". Months move with
/// `schedule::due_date` anchored on the day of the current `oldest_unpaid_due`, so an
/// anchor day past 28 that was already clamped (e.g. 28 Feb for a loan due on the 31st)
/// stays clamped. Arrears principal above the outstanding principal (an inconsistent
/// balance) is paid only up to the outstanding principal, so no component goes negative.
/// A zero payment changes nothing; a negative one is a caller bug (reversals go through
/// `reverse_payment`): debug builds panic, release builds change nothing.
pub fn apply_payment(
    balance: &Balance,
    amount: Rupiah,
    instalment: Rupiah,
    order: &AllocationOrder,
) -> PaymentEffect {
    let mut dues = balance.dues();
    dues.principal = dues.principal.min(balance.outstanding_principal);
    let mut allocation = allocate(amount, &dues, order);
    let arrears_principal_paid = allocation.principal;

    let not_yet_due =
        (balance.outstanding_principal - balance.arrears_principal.clamp_zero()).clamp_zero();
    let prepaid_principal = allocation.excess.clamp_zero().min(not_yet_due);
    allocation.principal += prepaid_principal;
    allocation.excess -= prepaid_principal;

    let mut after = Balance {
        outstanding_principal: balance.outstanding_principal - allocation.principal,
        arrears_principal: balance.arrears_principal - arrears_principal_paid,
        arrears_interest: balance.arrears_interest - allocation.interest,
        penalty: balance.penalty - allocation.penalty,
        fees: balance.fees - allocation.fees,
        oldest_unpaid_due: balance.oldest_unpaid_due,
    };

    let arrears_before =
        balance.arrears_interest.clamp_zero() + balance.arrears_principal.clamp_zero();
    let arrears_after = after.arrears_interest.clamp_zero() + after.arrears_principal.clamp_zero();
    let arrears_paid = allocation.interest + arrears_principal_paid;
    let instalments_cleared = if !arrears_before.is_positive() {
        0
    } else if arrears_after.is_zero() {
        after.oldest_unpaid_due = None;
        if instalment.is_positive() {
            count(div_ceil(arrears_before.value(), instalment.value())).max(1)
        } else {
            1
        }
    } else if instalment.is_positive() {
        let cleared = count(arrears_paid.value() / instalment.value());
        after.oldest_unpaid_due = balance
            .oldest_unpaid_due
            .map(|due| schedule::due_date(due, cleared.saturating_add(1)));
        cleared
    } else {
        0
    };

    PaymentEffect {
        after,
        allocation,
        prepaid_principal,
        instalments_cleared,
    }
}

/// Undoes a payment: the components it paid are owed again and the instalments it cleared
/// are unpaid again.
///
/// Callers pass what they kept of the original payment: its `allocation`, its
/// `prepaid_principal` (`PaymentEffect::prepaid_principal`) and the `oldest_unpaid_due` of
/// the balance just before it. All of `allocation.principal` goes back into the outstanding
/// principal; the part that paid arrears (`allocation.principal − prepaid_principal`) goes
/// back into the arrears. `oldest_unpaid_due` becomes the earlier of the current one and
/// `oldest_unpaid_due_before` (so an instalment that fell due after the payment does not
/// hide the older one the payment had cleared); with `oldest_unpaid_due_before` None, the
/// payment cleared nothing and the current date stays. `excess` is not part of any balance
/// and is refunded by the caller. Applied to `effect.after`, this returns the balance
/// before the payment exactly.
pub fn reverse_payment(
    balance: &Balance,
    allocation: &Allocation,
    prepaid_principal: Rupiah,
    oldest_unpaid_due_before: Option<NaiveDate>,
) -> Balance {
    let arrears_principal_paid = (allocation.principal - prepaid_principal).clamp_zero();
    let oldest_unpaid_due = match (balance.oldest_unpaid_due, oldest_unpaid_due_before) {
        (Some(now), Some(before)) => Some(now.min(before)),
        (now, before) => now.or(before),
    };
    Balance {
        outstanding_principal: balance.outstanding_principal + allocation.principal,
        arrears_principal: balance.arrears_principal + arrears_principal_paid,
        arrears_interest: balance.arrears_interest + allocation.interest,
        penalty: balance.penalty + allocation.penalty,
        fees: balance.fees + allocation.fees,
        oldest_unpaid_due,
    }
}

/// ⌈a / b⌉ for a ≥ 0, b > 0.
fn div_ceil(a: i64, b: i64) -> i64 {
    a / b + i64::from(a % b != 0)
}

/// An instalment count from a non-negative quotient, saturating.
fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::Component;
    use proptest::prelude::*;

    fn rp(v: i64) -> Rupiah {
        Rupiah::new(v)
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Three instalments of 1.000 (800 principal + 200 interest) overdue since 31 Jan,
    /// 10.000 principal in all, 150 penalty and 50 fees.
    fn three_overdue() -> Balance {
        Balance {
            outstanding_principal: rp(10_000),
            arrears_principal: rp(2_400),
            arrears_interest: rp(600),
            penalty: rp(150),
            fees: rp(50),
            oldest_unpaid_due: Some(d("2026-01-31")),
        }
    }

    fn pay(balance: &Balance, amount: i64) -> PaymentEffect {
        apply_payment(balance, rp(amount), rp(1_000), &AllocationOrder::default())
    }

    #[test]
    fn a_partial_payment_pays_fees_and_penalty_first() {
        let e = pay(&three_overdue(), 500);
        assert_eq!(
            (
                e.allocation.fees,
                e.allocation.penalty,
                e.allocation.interest
            ),
            (rp(50), rp(150), rp(300))
        );
        assert_eq!(e.allocation.principal, Rupiah::ZERO);
        assert_eq!(e.instalments_cleared, 0);
        assert_eq!(e.after.oldest_unpaid_due, Some(d("2026-01-31")));
        assert_eq!(e.after.arrears_interest, rp(300));
    }

    #[test]
    fn each_full_instalment_of_arrears_moves_the_oldest_due_date_a_month() {
        // 200 to fees and penalty, then 2.100 to arrears: two full instalments.
        let e = pay(&three_overdue(), 2_300);
        assert_eq!(e.instalments_cleared, 2);
        // Anchored on 31 Jan: two months on is 31 Mar, not 28 Mar.
        assert_eq!(e.after.oldest_unpaid_due, Some(d("2026-03-31")));
        assert_eq!(e.after.arrears_interest, Rupiah::ZERO);
        assert_eq!(e.after.arrears_principal, rp(900));
        assert_eq!(e.after.outstanding_principal, rp(8_500));
        assert_eq!(e.prepaid_principal, Rupiah::ZERO);
    }

    #[test]
    fn paying_all_arrears_clears_the_oldest_due_date_and_prepays_the_rest() {
        // 200 + 3.000 arrears, then 1.000 prepays principal not yet due.
        let e = pay(&three_overdue(), 4_200);
        assert_eq!(e.instalments_cleared, 3);
        assert_eq!(e.after.oldest_unpaid_due, None);
        assert_eq!(e.prepaid_principal, rp(1_000));
        assert_eq!(e.allocation.principal, rp(3_400));
        assert_eq!(e.allocation.excess, Rupiah::ZERO);
        assert_eq!(e.after.outstanding_principal, rp(6_600));
        assert_eq!(e.after.arrears_principal, Rupiah::ZERO);
    }

    #[test]
    fn only_money_beyond_all_principal_is_excess() {
        let b = three_overdue();
        let e = pay(&b, 20_000);
        assert_eq!(e.after.total_outstanding(), Rupiah::ZERO);
        assert_eq!(e.allocation.excess, rp(20_000) - b.total_outstanding());
        assert_eq!(e.after.oldest_unpaid_due, None);
    }

    #[test]
    fn clearing_partly_paid_arrears_counts_at_least_one_instalment() {
        let b = Balance {
            outstanding_principal: rp(5_000),
            arrears_principal: rp(100),
            arrears_interest: rp(50),
            oldest_unpaid_due: Some(d("2026-05-10")),
            ..Balance::default()
        };
        let e = pay(&b, 150);
        assert_eq!(e.instalments_cleared, 1);
        assert_eq!(e.after.oldest_unpaid_due, None);
    }

    #[test]
    fn a_non_positive_instalment_treats_all_arrears_as_one() {
        let b = three_overdue();
        let partial = apply_payment(&b, rp(2_300), Rupiah::ZERO, &AllocationOrder::default());
        assert_eq!(partial.instalments_cleared, 0);
        assert_eq!(partial.after.oldest_unpaid_due, b.oldest_unpaid_due);
        let full = apply_payment(&b, rp(3_200), rp(-5), &AllocationOrder::default());
        assert_eq!(full.instalments_cleared, 1);
        assert_eq!(full.after.oldest_unpaid_due, None);
    }

    #[test]
    fn a_payment_on_a_current_account_prepays_principal() {
        let b = Balance {
            outstanding_principal: rp(5_000),
            ..Balance::default()
        };
        let e = pay(&b, 1_000);
        assert_eq!(e.instalments_cleared, 0);
        assert_eq!(e.prepaid_principal, rp(1_000));
        assert_eq!(e.after.outstanding_principal, rp(4_000));
        assert_eq!(e.after.oldest_unpaid_due, None);
    }

    #[test]
    fn a_custom_order_can_pay_principal_before_penalty() {
        let order = AllocationOrder::new(vec![
            Component::Principal,
            Component::Interest,
            Component::Fees,
            Component::Penalty,
        ])
        .unwrap();
        let e = apply_payment(&three_overdue(), rp(2_500), rp(1_000), &order);
        assert_eq!(e.allocation.principal, rp(2_400));
        assert_eq!(e.allocation.interest, rp(100));
        assert_eq!(e.allocation.penalty, Rupiah::ZERO);
    }

    #[test]
    fn an_inconsistent_balance_never_goes_negative() {
        let b = Balance {
            outstanding_principal: rp(100),
            arrears_principal: rp(500),
            ..Balance::default()
        };
        let e = pay(&b, 1_000);
        assert_eq!(e.after.outstanding_principal, Rupiah::ZERO);
        assert!(!e.after.arrears_principal.is_negative());
        assert_eq!(e.allocation.excess, rp(900));
    }

    #[test]
    fn reversal_restores_the_balance_before_the_payment() {
        let b = three_overdue();
        let e = pay(&b, 4_200);
        let back = reverse_payment(
            &e.after,
            &e.allocation,
            e.prepaid_principal,
            b.oldest_unpaid_due,
        );
        assert_eq!(back, b);
    }

    #[test]
    fn reversal_keeps_the_older_due_date_when_an_instalment_fell_due_since() {
        let b = three_overdue();
        let e = pay(&b, 4_200);
        // After the payment a new instalment fell due on 30 Apr.
        let mut later = e.after;
        later.arrears_principal += rp(800);
        later.arrears_interest += rp(200);
        later.oldest_unpaid_due = Some(d("2026-04-30"));
        let back = reverse_payment(
            &later,
            &e.allocation,
            e.prepaid_principal,
            b.oldest_unpaid_due,
        );
        assert_eq!(back.oldest_unpaid_due, Some(d("2026-01-31")));
        assert_eq!(back.arrears_principal, rp(3_200));
        // A payment that met no arrears leaves the current date alone.
        let current = reverse_payment(&later, &Allocation::default(), Rupiah::ZERO, None);
        assert_eq!(current.oldest_unpaid_due, Some(d("2026-04-30")));
    }

    fn any_balance() -> impl Strategy<Value = Balance> {
        (
            0i64..1_000_000,
            0i64..1_000_000,
            0i64..100_000,
            0i64..50_000,
            0i64..20_000,
            0u32..3_000,
        )
            .prop_map(|(not_due, arrears_p, arrears_i, penalty, fees, day)| {
                let overdue = arrears_p + arrears_i > 0;
                Balance {
                    outstanding_principal: rp(not_due + arrears_p),
                    arrears_principal: rp(arrears_p),
                    arrears_interest: rp(arrears_i),
                    penalty: rp(penalty),
                    fees: rp(fees),
                    oldest_unpaid_due: overdue
                        .then(|| d("2020-01-01") + chrono::Duration::days(i64::from(day))),
                }
            })
    }

    fn any_order() -> impl Strategy<Value = AllocationOrder> {
        Just(vec![
            Component::Fees,
            Component::Penalty,
            Component::Interest,
            Component::Principal,
        ])
        .prop_shuffle()
        .prop_map(|v| AllocationOrder::new(v).expect("a permutation is a valid order"))
    }

    fn no_negative(b: &Balance) -> bool {
        [
            b.outstanding_principal,
            b.arrears_principal,
            b.arrears_interest,
            b.penalty,
            b.fees,
        ]
        .iter()
        .all(|r| !r.is_negative())
            && b.arrears_principal <= b.outstanding_principal
    }

    proptest! {
        #[test]
        fn a_payment_reduces_the_total_by_what_it_applied_and_reverses_exactly(
            b in any_balance(),
            amount in 0i64..3_000_000,
            instalment in -10i64..200_000,
            order in any_order(),
        ) {
            let e = apply_payment(&b, rp(amount), rp(instalment), &order);
            prop_assert_eq!(
                b.total_outstanding() - e.after.total_outstanding(),
                rp(amount) - e.allocation.excess
            );
            prop_assert_eq!(e.allocation.applied() + e.allocation.excess, rp(amount));
            prop_assert!(!e.allocation.excess.is_negative());
            prop_assert!(no_negative(&e.after));
            prop_assert!(e.prepaid_principal <= e.allocation.principal);
            if e.allocation.excess.is_positive() {
                prop_assert_eq!(e.after.total_outstanding(), Rupiah::ZERO);
            }
            if e.after.arrears_principal.is_zero() && e.after.arrears_interest.is_zero() {
                prop_assert_eq!(e.after.oldest_unpaid_due, None);
            }
            if let (Some(before), Some(after)) = (b.oldest_unpaid_due, e.after.oldest_unpaid_due) {
                prop_assert!(after >= before);
            }
            let back = reverse_payment(&e.after, &e.allocation, e.prepaid_principal, b.oldest_unpaid_due);
            prop_assert_eq!(back, b);
            prop_assert!(no_negative(&back));
        }
    }
}
