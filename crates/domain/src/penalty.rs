//! Late-payment penalty (denda): a daily rate on the overdue amount, capped.
//!
//! For P2P, OJK caps daily charges and total charges (verify the current caps): the caps
//! are configuration, and the product never computes a charge above them.

use serde::{Deserialize, Serialize};

use crate::money::Rupiah;
#[allow(unused_imports)]
use crate::rate::Rate;

/// How penalty accrues and where it stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltyPolicy {
    /// Penalty per day on the overdue amount.
    pub daily_rate: Rate,
    /// The most penalty an account may carry, as a share of its original principal.
    pub cap_of_principal: Rate,
}
