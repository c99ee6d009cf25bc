//! Payment allocation: which part of a payment pays fees, penalty, interest and principal.
//! The order is configurable; the default is fees → penalty → interest → principal.

use serde::{Deserialize, Serialize};

use crate::money::Rupiah;

/// A component of what a debtor owes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// Biaya (fees).
    Fees,
    /// Denda (penalty).
    Penalty,
    /// Bunga (interest).
    Interest,
    /// Pokok (principal).
    Principal,
}

/// The order in which a payment pays the components; each component exactly once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Component>", into = "Vec<Component>")]
pub struct AllocationOrder([Component; 4]);

/// What a debtor owes now, by component (all ≥ 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dues {
    /// Fees due.
    pub fees: Rupiah,
    /// Penalty due.
    pub penalty: Rupiah,
    /// Interest due.
    pub interest: Rupiah,
    /// Principal due.
    pub principal: Rupiah,
}

/// How one payment was split; `excess` is what remained after every due was paid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// Paid to fees.
    pub fees: Rupiah,
    /// Paid to penalty.
    pub penalty: Rupiah,
    /// Paid to interest.
    pub interest: Rupiah,
    /// Paid to principal.
    pub principal: Rupiah,
    /// Not needed for any due (overpayment).
    pub excess: Rupiah,
}

/// An order that does not name each component exactly once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("allocation order must name fees, penalty, interest and principal exactly once, got {0:?}")]
pub struct OrderError(pub Vec<Component>);

impl AllocationOrder {
    /// An order from a list naming every component once.
    pub fn new(order: Vec<Component>) -> Result<AllocationOrder, OrderError> {
        let all = [
            Component::Fees,
            Component::Penalty,
            Component::Interest,
            Component::Principal,
        ];
        let complete = order.len() == 4 && all.iter().all(|c| order.contains(c));
        match <[Component; 4]>::try_from(order.clone()) {
            Ok(arr) if complete => Ok(AllocationOrder(arr)),
            _ => Err(OrderError(order)),
        }
    }

    /// The components in order.
    pub fn components(&self) -> &[Component; 4] {
        &self.0
    }
}

impl Default for AllocationOrder {
    /// Fees → penalty → interest → principal.
    fn default() -> Self {
        AllocationOrder([
            Component::Fees,
            Component::Penalty,
            Component::Interest,
            Component::Principal,
        ])
    }
}

impl TryFrom<Vec<Component>> for AllocationOrder {
    type Error = OrderError;
    fn try_from(value: Vec<Component>) -> Result<Self, Self::Error> {
        AllocationOrder::new(value)
    }
}

impl From<AllocationOrder> for Vec<Component> {
    fn from(value: AllocationOrder) -> Vec<Component> {
        value.0.to_vec()
    }
}

impl Dues {
    /// The due of one component.
    pub fn get(&self, component: Component) -> Rupiah {
        match component {
            Component::Fees => self.fees,
            Component::Penalty => self.penalty,
            Component::Interest => self.interest,
            Component::Principal => self.principal,
        }
    }

    /// The sum of all dues.
    pub fn total(&self) -> Rupiah {
        self.fees + self.penalty + self.interest + self.principal
    }
}

impl Allocation {
    /// What went to one component.
    pub fn get(&self, component: Component) -> Rupiah {
        match component {
            Component::Fees => self.fees,
            Component::Penalty => self.penalty,
            Component::Interest => self.interest,
            Component::Principal => self.principal,
        }
    }

    fn slot(&mut self, component: Component) -> &mut Rupiah {
        match component {
            Component::Fees => &mut self.fees,
            Component::Penalty => &mut self.penalty,
            Component::Interest => &mut self.interest,
            Component::Principal => &mut self.principal,
        }
    }

    /// What went to the dues (everything but `excess`).
    pub fn applied(&self) -> Rupiah {
        self.fees + self.penalty + self.interest + self.principal
    }
}

/// Splits a payment (≥ 0) over the dues in the given order.
///
/// Each component takes what it is due, in order, until the money runs out; the rest is
/// `excess`. A negative due is treated as zero. A negative amount is a caller bug (a
/// reversal is undone with `account::reverse_payment`, never allocated): debug builds
/// panic, release builds pay nothing and return the whole amount as `excess`.
pub fn allocate(amount: Rupiah, dues: &Dues, order: &AllocationOrder) -> Allocation {
    debug_assert!(
        !amount.is_negative(),
        "allocate called with a negative amount {amount}"
    );
    let mut allocation = Allocation::default();
    if amount.is_negative() {
        allocation.excess = amount;
        return allocation;
    }
    let mut remaining = amount;
    for &component in order.components() {
        let paid = remaining.min(dues.get(component).clamp_zero());
        *allocation.slot(component) = paid;
        remaining -= paid;
    }
    allocation.excess = remaining;
    allocation
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rp(v: i64) -> Rupiah {
        Rupiah::new(v)
    }

    fn dues(fees: i64, penalty: i64, interest: i64, principal: i64) -> Dues {
        Dues {
            fees: rp(fees),
            penalty: rp(penalty),
            interest: rp(interest),
            principal: rp(principal),
        }
    }

    #[test]
    fn default_order_pays_fees_then_penalty_then_interest_then_principal() {
        let a = allocate(
            rp(1_000),
            &dues(100, 200, 300, 1_000),
            &AllocationOrder::default(),
        );
        assert_eq!(
            a,
            Allocation {
                fees: rp(100),
                penalty: rp(200),
                interest: rp(300),
                principal: rp(400),
                excess: Rupiah::ZERO,
            }
        );
    }

    #[test]
    fn overpayment_lands_in_excess() {
        let a = allocate(
            rp(2_000),
            &dues(100, 200, 300, 400),
            &AllocationOrder::default(),
        );
        assert_eq!(a.applied(), rp(1_000));
        assert_eq!(a.excess, rp(1_000));
    }

    #[test]
    fn a_custom_order_pays_principal_first() {
        let order = AllocationOrder::new(vec![
            Component::Principal,
            Component::Interest,
            Component::Penalty,
            Component::Fees,
        ])
        .unwrap();
        let a = allocate(rp(450), &dues(100, 200, 300, 400), &order);
        assert_eq!(
            (a.principal, a.interest, a.penalty),
            (rp(400), rp(50), rp(0))
        );
    }

    #[test]
    fn zero_payment_pays_nothing() {
        let a = allocate(Rupiah::ZERO, &dues(1, 2, 3, 4), &AllocationOrder::default());
        assert_eq!(a, Allocation::default());
    }

    #[test]
    fn negative_dues_count_as_nothing_due() {
        let a = allocate(rp(100), &dues(-50, 0, 0, 30), &AllocationOrder::default());
        assert_eq!((a.fees, a.principal, a.excess), (rp(0), rp(30), rp(70)));
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "negative amount")]
    fn negative_amount_is_a_caller_bug_in_debug_builds() {
        allocate(rp(-1), &dues(1, 2, 3, 4), &AllocationOrder::default());
    }

    #[test]
    #[cfg(not(debug_assertions))]
    fn negative_amount_pays_nothing_in_release_builds() {
        let a = allocate(rp(-7), &dues(1, 2, 3, 4), &AllocationOrder::default());
        assert_eq!(a.applied(), Rupiah::ZERO);
        assert_eq!(a.excess, rp(-7));
    }

    #[test]
    fn orders_must_name_each_component_once() {
        assert!(AllocationOrder::new(vec![Component::Fees; 4]).is_err());
        assert!(AllocationOrder::new(vec![Component::Fees, Component::Penalty]).is_err());
        assert!(AllocationOrder::try_from(vec![
            Component::Principal,
            Component::Fees,
            Component::Interest,
            Component::Penalty,
        ])
        .is_ok());
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

    proptest! {
        #[test]
        fn allocation_adds_up_respects_dues_and_order(
            amount in 0i64..2_000_000,
            d in (0i64..500_000, 0i64..500_000, 0i64..500_000, 0i64..500_000),
            order in any_order(),
        ) {
            let dues = dues(d.0, d.1, d.2, d.3);
            let a = allocate(rp(amount), &dues, &order);
            prop_assert_eq!(a.applied() + a.excess, rp(amount));
            prop_assert!(!a.excess.is_negative());
            for c in order.components() {
                prop_assert!(a.get(*c) <= dues.get(*c));
                prop_assert!(!a.get(*c).is_negative());
            }
            // A later component gets money only if every earlier one is fully paid.
            let comps = order.components();
            for (i, later) in comps.iter().enumerate() {
                if a.get(*later).is_positive() {
                    for earlier in &comps[..i] {
                        prop_assert_eq!(a.get(*earlier), dues.get(*earlier));
                    }
                }
            }
            // Excess only once every due is paid.
            if a.excess.is_positive() {
                prop_assert_eq!(a.applied(), dues.total());
            }
        }
    }
}
