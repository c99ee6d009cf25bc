//! An account's money state (balance) and how a payment or its reversal changes it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::allocation::{Allocation, AllocationOrder, Dues};
use crate::money::Rupiah;

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
pub fn apply_payment(
    balance: &Balance,
    amount: Rupiah,
    instalment: Rupiah,
    order: &AllocationOrder,
) -> PaymentEffect {
    todo!("helper: {balance:?} {amount:?} {instalment:?} {order:?}")
}

/// Undoes a payment's allocation: the components it paid are owed again and the
/// instalments it cleared are unpaid again (`oldest_unpaid_due` moves back as many months).
pub fn reverse_payment(
    balance: &Balance,
    effect_allocation: &Allocation,
    instalments_cleared: u32,
    oldest_unpaid_due_before: Option<NaiveDate>,
) -> Balance {
    todo!("helper: {balance:?} {effect_allocation:?} {instalments_cleared} {oldest_unpaid_due_before:?}")
}
