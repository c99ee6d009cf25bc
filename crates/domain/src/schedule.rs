//! Instalment schedules (annuity and flat) generated from principal, rate and tenor.
//!
//! Money stays integer: the periodic payment is computed in exact fixed-point arithmetic
//! and rounded to whole rupiah; the last instalment absorbs the rounding so principal
//! always sums to the amount lent.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::Rupiah;
use crate::rate::Rate;

/// How instalments are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleMethod {
    /// Equal instalments; interest on the declining balance (anuitas).
    Annuity,
    /// Interest on the original principal every month (bunga flat), as multifinance quotes.
    Flat,
}

impl ScheduleMethod {
    /// `annuity` or `flat`.
    pub const fn code(self) -> &'static str {
        match self {
            ScheduleMethod::Annuity => "annuity",
            ScheduleMethod::Flat => "flat",
        }
    }

    /// Parses `annuity`/`anuitas`/`efektif` or `flat`.
    pub fn parse(text: &str) -> Option<ScheduleMethod> {
        match text.trim().to_lowercase().as_str() {
            "annuity" | "anuitas" | "efektif" | "effective" => Some(ScheduleMethod::Annuity),
            "flat" => Some(ScheduleMethod::Flat),
            _ => None,
        }
    }
}

/// The contractual terms a schedule is generated from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanTerms {
    /// Amount lent (plafon).
    pub principal: Rupiah,
    /// Nominal annual interest rate.
    pub annual_rate: Rate,
    /// Number of monthly instalments (1 for an invoice or bullet loan).
    pub tenor_months: u32,
    /// Due date of the first instalment; later ones fall on the same day of each month
    /// (clamped to the month's last day).
    pub first_due: NaiveDate,
    /// Annuity or flat.
    pub method: ScheduleMethod,
}

/// One instalment of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instalment {
    /// 1-based number.
    pub seq: u32,
    /// Due date.
    pub due_date: NaiveDate,
    /// Principal part.
    pub principal: Rupiah,
    /// Interest part.
    pub interest: Rupiah,
}

impl Instalment {
    /// Principal plus interest.
    pub fn total(&self) -> Rupiah {
        self.principal + self.interest
    }
}
