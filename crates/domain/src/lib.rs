//! Sepakat's domain rules, pure: no I/O, no async, no SQL.
//!
//! Values here parse, they do not merely validate: a `Nik`, a `Phone` or a `Rupiah` that
//! exists is valid. Rules the field changes (kolektibilitas regimes, DPD buckets, allocation
//! order, penalty caps) are data with defaults, passed in by callers.

pub mod account;
pub mod allocation;
pub mod bucket;
pub mod clock;
pub mod compliance;
pub mod dpd;
pub mod evidence;
pub mod guard;
pub mod identity;
pub mod interaction;
pub mod kolektibilitas;
pub mod money;
pub mod negotiation;
pub mod penalty;
pub mod policy;
pub mod product;
pub mod promise;
pub mod rate;
pub mod region;
pub mod role;
pub mod schedule;
pub mod scoring;
pub mod script;
pub mod strategy;
pub mod template;
pub mod terbilang;

pub use account::{apply_payment, reverse_payment, Balance, PaymentEffect};
pub use allocation::{allocate, Allocation, AllocationOrder, Component, Dues};
pub use bucket::{Bucket, BucketSet};
pub use clock::{Clock, FixedClock, SystemClock};
pub use compliance::{ContactPolicy, ContactRequest, Decision, Gate};
pub use dpd::Dpd;
pub use guard::{Guard, Verdict};
pub use identity::{Email, Gender, Nik, NikError, Npwp, Phone};
pub use kolektibilitas::{Kolektibilitas, Regime};
pub use money::{MoneyError, Rupiah};
pub use penalty::PenaltyPolicy;
pub use policy::Policy;
pub use product::ProductType;
pub use promise::{Promise, PromiseStatus};
pub use rate::Rate;
pub use region::{Province, Zone};
pub use role::Role;
pub use schedule::{
    due_date, generate, instalment_amount, Instalment, LoanTerms, ScheduleError, ScheduleMethod,
};
pub use terbilang::terbilang_rupiah;
