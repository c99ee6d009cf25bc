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

/// Splits a payment (≥ 0) over the dues in the given order.
pub fn allocate(amount: Rupiah, dues: &Dues, order: &AllocationOrder) -> Allocation {
    todo!("helper: allocate {amount:?} over {dues:?} in {order:?}")
}
