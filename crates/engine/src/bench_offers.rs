//! Offer-engine speed: generates varied accounts and assessments deterministically, computes
//! every option for each, and reports per-account latency (p50, p99, max) and throughput.
//!
//! The goal is p99 ≤ 1 ms per account. Each account's time covers the assessment
//! and the whole engine (candidates, schedules, valuation, authority, ranking).

use std::fmt;
use std::time::Instant;

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sepakat_domain::negotiation::{
    assess, offers, Debt, Declaration, Negotiation, NegotiationPolicy, OfferRequest, PromiseHistory,
};
use sepakat_domain::{Balance, Dpd, ProductType, Rate, Regime, Role, Rupiah, ScheduleMethod};

/// The date every generated negotiation happens on (fixed: runs compare).
const AS_OF: (i32, u32, u32) = (2026, 12, 2);

/// The figures of one run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OffersBench {
    /// Accounts computed.
    pub accounts: u64,
    /// Options produced in all.
    pub options: u64,
    /// Options beyond the generated user's authority.
    pub needs_approval: u64,
    /// Median time per account, microseconds.
    pub p50_us: f64,
    /// 99th percentile, microseconds.
    pub p99_us: f64,
    /// Slowest account, microseconds.
    pub max_us: f64,
    /// Accounts per second over the whole run (generation excluded).
    pub accounts_per_second: f64,
}

impl fmt::Display for OffersBench {
    /// One line per figure.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "accounts:        {}", self.accounts)?;
        writeln!(
            f,
            "options:         {} ({:.1} per account, {} need approval)",
            self.options,
            self.options as f64 / self.accounts.max(1) as f64,
            self.needs_approval
        )?;
        writeln!(f, "p50 per account: {:.1} µs", self.p50_us)?;
        writeln!(f, "p99 per account: {:.1} µs (goal ≤ 1000 µs)", self.p99_us)?;
        writeln!(f, "max per account: {:.1} µs", self.max_us)?;
        write!(
            f,
            "throughput:      {:.0} accounts/s",
            self.accounts_per_second
        )
    }
}

/// One generated negotiation.
struct Sample {
    debt: Debt,
    declaration: Declaration,
    role: Role,
}

/// Generates `accounts` negotiations from `seed`, computes the options of each and times it.
pub fn bench_offers(accounts: u64, seed: u64) -> anyhow::Result<OffersBench> {
    let (y, m, d) = AS_OF;
    let as_of = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow::anyhow!("bench date"))?;
    let policy = NegotiationPolicy::default();
    let request = OfferRequest::default();
    let mut rng = StdRng::seed_from_u64(seed);
    let samples: Vec<Sample> = (0..accounts).map(|_| sample(&mut rng, as_of)).collect();
    let mut nanos = Vec::with_capacity(samples.len());
    let (mut options, mut needs_approval) = (0u64, 0u64);
    let started = Instant::now();
    for s in samples {
        let t = Instant::now();
        let assessment = assess(s.declaration, &policy.ability)?;
        let set = offers(&Negotiation {
            debt: &s.debt,
            assessment: &assessment,
            policy: &policy,
            role: s.role,
            as_of,
            request: &request,
        })?;
        nanos.push(t.elapsed().as_nanos() as u64);
        options += set.options.len() as u64;
        needs_approval += set
            .options
            .iter()
            .filter(|o| o.authority.needs_approval())
            .count() as u64;
        std::hint::black_box(&set);
    }
    let seconds = started.elapsed().as_secs_f64();
    nanos.sort_unstable();
    let at = |q: f64| {
        let i = ((nanos.len() as f64 * q).ceil() as usize).clamp(1, nanos.len().max(1)) - 1;
        nanos.get(i).copied().unwrap_or(0) as f64 / 1_000.0
    };
    Ok(OffersBench {
        accounts,
        options,
        needs_approval,
        p50_us: at(0.50),
        p99_us: at(0.99),
        max_us: nanos.last().copied().unwrap_or(0) as f64 / 1_000.0,
        accounts_per_second: accounts as f64 / seconds.max(1e-9),
    })
}

/// A plausible account: product-typical sizes and rates, 0–400 DPD, arrears that match the
/// DPD, penalty and fees, a debtor's declaration and a role.
fn sample(rng: &mut StdRng, as_of: NaiveDate) -> Sample {
    let product = ProductType::ALL[rng.gen_range(0..ProductType::ALL.len())];
    let (lo, hi, rate, tenor) = match product {
        ProductType::Kpr => (150_000_000, 1_500_000_000, 100_000, 240),
        ProductType::Kkb => (80_000_000, 400_000_000, 90_000, 48),
        ProductType::Kta | ProductType::Multiguna => (5_000_000, 200_000_000, 180_000, 36),
        ProductType::KartuKredit => (2_000_000, 80_000_000, 210_000, 24),
        ProductType::P2pCash | ProductType::Paylater => (500_000, 20_000_000, 240_000, 6),
        ProductType::Invoice => (5_000_000, 500_000_000, 0, 3),
    };
    let original = rng.gen_range(lo..hi) / 1_000 * 1_000;
    let tenor: u32 = tenor;
    let elapsed = rng.gen_range(1..=tenor);
    let remaining = tenor - elapsed;
    let share_left = i64::from(remaining + 1) * 1_000 / i64::from(tenor);
    let outstanding = (original * share_left / 1_000).max(1_000);
    let instalment = (original / i64::from(tenor)) * (1_000 + i64::from(rate / 1_000)) / 1_000;
    let dpd: u32 = match rng.gen_range(0..10) {
        0 => 0,
        1..=4 => rng.gen_range(1..90),
        5..=7 => rng.gen_range(90..180),
        _ => rng.gen_range(180..400),
    };
    let overdue_months = i64::from(dpd / 30 + u32::from(dpd > 0)).min(i64::from(elapsed));
    let arrears_principal = (original / i64::from(tenor) * overdue_months).min(outstanding);
    let arrears_interest =
        instalment * overdue_months - arrears_principal.min(instalment * overdue_months);
    let balance = Balance {
        outstanding_principal: Rupiah::new(outstanding),
        arrears_principal: Rupiah::new(arrears_principal),
        arrears_interest: Rupiah::new(arrears_interest.max(0)),
        penalty: Rupiah::new(
            (arrears_principal + arrears_interest.max(0)) / 1_000 * i64::from(dpd),
        ),
        fees: Rupiah::new(if dpd > 30 { 50_000 } else { 0 }),
        oldest_unpaid_due: (dpd > 0).then(|| as_of - Days::new(u64::from(dpd))),
    };
    let dpd = Dpd::as_of(balance.oldest_unpaid_due, as_of);
    let regime = if matches!(product, ProductType::P2pCash | ProductType::Paylater) {
        Regime::p2p()
    } else {
        Regime::bank()
    };
    let made = rng.gen_range(0..8);
    let debt = Debt {
        product,
        balance,
        dpd,
        kolektibilitas: regime.classify(dpd),
        annual_rate: Rate::from_ppm(rate),
        method: if rng.gen_bool(0.3) {
            ScheduleMethod::Flat
        } else {
            ScheduleMethod::Annuity
        },
        instalment: Rupiah::new(instalment),
        remaining_tenor_months: remaining,
        original_principal: Rupiah::new(original),
        charges_paid: Rupiah::new(rng.gen_range(0..original / 4 + 1)),
        promises: PromiseHistory {
            made,
            kept: rng.gen_range(0..=made),
        },
        propensity: None,
    };
    let income = rng.gen_range(2_000_000..60_000_000) / 1_000 * 1_000;
    let declaration = Declaration {
        monthly_income: Rupiah::new(income),
        essential_expenses: Rupiah::new(income * rng.gen_range(30..110) / 100),
        other_debt_payments: Rupiah::new(income * rng.gen_range(0..30) / 100),
        dependants: rng.gen_range(0..6),
        hardship: None,
    };
    let role = [
        Role::Collector,
        Role::Collector,
        Role::Supervisor,
        Role::Manager,
    ][rng.gen_range(0..4)];
    Sample {
        debt,
        declaration,
        role,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_run_computes_options_for_every_account() {
        let b = bench_offers(200, 7).unwrap();
        assert_eq!(b.accounts, 200);
        assert!(b.options >= 200, "{b:?}");
        assert!(b.p50_us <= b.p99_us && b.p99_us <= b.max_us);
    }
}
