//! The deterministic account generator behind the demo data and the benchmark file.
//!
//! Every account is drawn from its own random stream, seeded from (seed, creditor,
//! index), so any account can be regenerated alone: the demo streams millions of
//! accounts without keeping them, and regenerates them to post their payments.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveTime, TimeZone};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sepakat_domain::{
    Balance, Gender, LoanTerms, Nik, Npwp, Phone, ProductType, Rate, Regime, Rupiah,
    ScheduleMethod, Zone,
};
use sepakat_store::{AccountStatus, AccountUpsert, DebtorKind, DebtorUpsert, NewPaymentData};

use super::people::{company_name, email_for, employer, person_name, Tradition};
use super::places::{Place, PLACES, STREETS, VILLAGES};

/// One of the four demo creditors.
pub(crate) struct CreditorSpec {
    /// Code.
    pub(crate) code: &'static str,
    /// Display name.
    pub(crate) name: &'static str,
    /// Account number prefix.
    prefix: &'static str,
    /// Share of all demo accounts, per mille.
    share: u64,
    /// Products with weights.
    products: &'static [(ProductType, u32)],
    /// Penalty per day (ppm of the overdue amount) and its cap (ppm of principal).
    penalty: (i64, i64),
    /// Kolektibilitas regime name: `bank` or `p2p`.
    regime: &'static str,
}

impl CreditorSpec {
    /// The regime of this creditor.
    pub(crate) fn regime(&self) -> Regime {
        if self.regime == "p2p" {
            Regime::p2p()
        } else {
            Regime::bank()
        }
    }
}

/// The demo creditors: a bank, a multifinance company, a P2P lender and a distributor.
pub(crate) const CREDITORS: [CreditorSpec; 4] = [
    CreditorSpec {
        code: "NUSABANK",
        name: "PT Bank Nusantara Sejahtera Tbk",
        prefix: "NB",
        share: 400,
        products: &[
            (ProductType::Kpr, 15),
            (ProductType::Kkb, 15),
            (ProductType::Kta, 35),
            (ProductType::KartuKredit, 35),
        ],
        penalty: (500, 200_000),
        regime: "bank",
    },
    CreditorSpec {
        code: "MITRAFIN",
        name: "PT Mitra Multifinance Indonesia",
        prefix: "MF",
        share: 250,
        products: &[(ProductType::Kkb, 60), (ProductType::Multiguna, 40)],
        penalty: (1_000, 300_000),
        regime: "bank",
    },
    CreditorSpec {
        code: "DANAKITA",
        name: "PT Dana Kita Digital (pindar)",
        prefix: "DK",
        share: 270,
        products: &[(ProductType::P2pCash, 65), (ProductType::Paylater, 35)],
        penalty: (3_000, 1_000_000),
        regime: "p2p",
    },
    CreditorSpec {
        code: "SUMBERMAKMUR",
        name: "PT Sumber Makmur Distribusi",
        prefix: "SM",
        share: 80,
        products: &[(ProductType::Invoice, 1)],
        penalty: (0, 0),
        regime: "bank",
    },
];

/// How many of `total` demo accounts creditor `c` gets (the bank takes the remainder).
pub(crate) fn accounts_of(c: usize, total: u64) -> u64 {
    let shares: Vec<u64> = CREDITORS.iter().map(|s| total * s.share / 1000).collect();
    let rest = total - shares.iter().sum::<u64>();
    shares[c] + if c == 0 { rest } else { 0 }
}

/// A generated account, as of the file date and as of before its historic payments.
pub(crate) struct Generated {
    /// The account on the file date (what an accounts file would hold).
    pub(crate) account: AccountUpsert,
    /// The account before its historic payments: what the demo imports first.
    pub(crate) before: AccountUpsert,
    /// Historic payments (oldest first); posting them moves the balance on.
    pub(crate) payments: Vec<NewPaymentData>,
}

/// Whether a balance owes nothing overdue (its due date, if any, is today or later).
pub(crate) fn is_current(balance: &Balance, today: NaiveDate) -> bool {
    balance.oldest_unpaid_due.is_none_or(|due| due >= today)
}

pub(crate) fn stream(seed: u64, creditor: usize, index: u64) -> StdRng {
    // splitmix64 of the three inputs: neighbouring indices get unrelated streams.
    let mut z = seed
        ^ (creditor as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    StdRng::seed_from_u64(z ^ (z >> 31))
}

fn weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut r = rng.gen_range(0..total.max(1));
    for (item, w) in items {
        if r < *w {
            return *item;
        }
        r -= w;
    }
    items[0].0
}

fn round_to(value: i64, unit: i64) -> Rupiah {
    Rupiah::new((value / unit).max(1) * unit)
}

/// The account number of account `index` of creditor `c`.
pub(crate) fn account_no(c: usize, index: u64) -> String {
    format!("{}-{:08}", CREDITORS[c].prefix, index + 1)
}

/// Generates account `index` of creditor `c`.
pub(crate) fn generate(seed: u64, c: usize, index: u64, today: NaiveDate) -> Generated {
    let spec = &CREDITORS[c];
    let mut rng = stream(seed, c, index);
    // The first accounts cycle through products and zones, so even a tiny demo set shows
    // every product and all three time zones.
    let product = match spec.products.get(index as usize) {
        Some((p, _)) => *p,
        None => weighted(&mut rng, spec.products),
    };
    let place = pick_place(&mut rng, index);
    // Some debtors hold two accounts: reuse an earlier index's person.
    let person_index = if index > 0 && rng.gen_ratio(1, 20) {
        index - 1 - rng.gen_range(0..index.min(50))
    } else {
        index
    };
    let debtor = if product == ProductType::Invoice {
        company(seed, c, person_index, today)
    } else {
        person(seed, c, person_index, today)
    };
    let debtor = debtor.unwrap_or_else(|| fallback_person(&mut rng, place));
    let loan = loan(&mut rng, spec, product, today);
    let account_no = account_no(c, index);
    let payments = historic_payments(&mut rng, &account_no, &loan, today);
    let target = loan.balance;
    let current = is_current(&target, today);
    let mut before = target;
    if current && !payments.is_empty() {
        // Before its last instalments were paid, a current account owed them: each
        // payment then clears one instalment, ending at the target balance.
        let count = payments.len() as u32;
        let share = Rupiah::new(loan.terms.principal.value() / i64::from(loan.terms.tenor_months));
        let interest = (loan.instalment - share).clamp_zero();
        before.outstanding_principal += Rupiah::new(share.value() * i64::from(count));
        before.arrears_principal = Rupiah::new(share.value() * i64::from(count));
        before.arrears_interest = Rupiah::new(interest.value() * i64::from(count));
        before.oldest_unpaid_due = loan
            .terms
            .first_due
            .checked_add_months(Months::new(loan.paid - count));
    }
    let account = AccountUpsert {
        row: index + 2,
        account_no,
        debtor,
        product,
        terms: loan.terms,
        instalment: loan.instalment,
        opened_on: loan.opened_on,
        balance: target,
        last_payment: loan.last_payment,
        status: loan.status,
        contacts: Vec::new(),
    };
    Generated {
        before: AccountUpsert {
            balance: before,
            last_payment: if current && !payments.is_empty() {
                paid_on(
                    loan.terms.first_due,
                    loan.instalment,
                    loan.paid - payments.len() as u32,
                    today,
                )
            } else {
                loan.last_payment
            },
            ..account.clone()
        },
        account,
        payments,
    }
}

fn pick_place(rng: &mut StdRng, index: u64) -> &'static Place {
    let zone = match index {
        0 => Some(Zone::Wit),
        1 => Some(Zone::Wita),
        _ => None,
    };
    if let Some(zone) = zone {
        let in_zone: Vec<&Place> = PLACES
            .iter()
            .filter(|p| p.province.zone() == zone)
            .collect();
        if let Some(p) = in_zone.choose(rng) {
            return p;
        }
    }
    let weights: Vec<(usize, u32)> = PLACES
        .iter()
        .enumerate()
        .map(|(i, p)| (i, p.weight))
        .collect();
    &PLACES[weighted(rng, &weights)]
}

fn fallback_person(rng: &mut StdRng, place: &Place) -> DebtorUpsert {
    let name = person_name(rng, Tradition::Javanese, Gender::Male);
    DebtorUpsert {
        key: format!("X{}", rng.gen::<u32>()),
        kind: DebtorKind::Person,
        name,
        nik: None,
        npwp: None,
        gender: None,
        birth_date: None,
        phone: None,
        email: None,
        address: None,
        city: None,
        province: place.province,
        employer: None,
    }
}

/// The person behind `index` (deterministic, so a reused index gives the same person).
fn person(seed: u64, c: usize, index: u64, today: NaiveDate) -> Option<DebtorUpsert> {
    let mut rng = stream(seed ^ 0x5EED_0F9E_091E, c, index);
    let place = pick_place(&mut rng, index);
    let gender = if rng.gen_bool(0.55) {
        Gender::Male
    } else {
        Gender::Female
    };
    let tradition = weighted(&mut rng, place.traditions);
    let name = person_name(&mut rng, tradition, gender);
    let (city, regency) = *place.cities.choose(&mut rng)?;
    let age_days = rng.gen_range(21 * 365..65 * 365);
    let birth = today - Duration::days(age_days);
    let day = birth.day() + if gender == Gender::Female { 40 } else { 0 };
    let nik_text = format!(
        "{:02}{:02}{:02}{:02}{:02}{:02}{:04}",
        place.province.code(),
        regency,
        rng.gen_range(1..=30),
        day,
        birth.month(),
        birth.year() % 100,
        rng.gen_range(1..=9999)
    );
    let nik = Nik::parse(&nik_text).ok()?;
    let phone_text = format!(
        "+628{}{:08}",
        [
            "11", "12", "13", "21", "22", "52", "53", "55", "56", "57", "58", "77", "78", "81",
            "95", "96", "97", "98", "99"
        ]
        .choose(&mut rng)?,
        rng.gen_range(0..100_000_000u32)
    );
    let address = format!(
        "{} No. {}, RT {:03}/RW {:03}, Kel. {}",
        STREETS.choose(&mut rng)?,
        rng.gen_range(1..200),
        rng.gen_range(1..15),
        rng.gen_range(1..12),
        VILLAGES.choose(&mut rng)?
    );
    let email =
        email_for(&mut rng, &name, index).and_then(|e| sepakat_domain::Email::parse(&e).ok());
    Some(DebtorUpsert {
        key: nik.as_str().to_string(),
        kind: DebtorKind::Person,
        name,
        gender: Some(gender),
        birth_date: nik.birth_date(today),
        nik: Some(nik),
        npwp: None,
        phone: Phone::parse(&phone_text).ok(),
        email,
        address: Some(address),
        city: Some(city.to_string()),
        province: place.province,
        employer: employer(&mut rng),
    })
}

/// A business customer of the distributor, keyed by NPWP.
fn company(seed: u64, c: usize, index: u64, _today: NaiveDate) -> Option<DebtorUpsert> {
    let mut rng = stream(seed ^ 0x0C04_DA11, c, index);
    let place = pick_place(&mut rng, index);
    let (city, _) = *place.cities.choose(&mut rng)?;
    let npwp = Npwp::parse(&format!(
        "{:015}",
        rng.gen_range(10_000_000_000_000u64..99_999_999_999_999)
    ))
    .ok()?;
    let phone_text = format!(
        "+628{}{:08}",
        rng.gen_range(11..14),
        rng.gen_range(0..100_000_000u32)
    );
    Some(DebtorUpsert {
        key: npwp.as_str().to_string(),
        kind: DebtorKind::Company,
        name: company_name(&mut rng),
        nik: None,
        npwp: Some(npwp),
        gender: None,
        birth_date: None,
        phone: Phone::parse(&phone_text).ok(),
        email: None,
        address: Some(format!(
            "{} No. {}, Kel. {}",
            STREETS.choose(&mut rng)?,
            rng.gen_range(1..300),
            VILLAGES.choose(&mut rng)?
        )),
        city: Some(city.to_string()),
        province: place.province,
        employer: None,
    })
}

struct Loan {
    terms: LoanTerms,
    instalment: Rupiah,
    opened_on: NaiveDate,
    balance: Balance,
    last_payment: Option<(NaiveDate, Rupiah)>,
    status: AccountStatus,
    /// Instalments paid so far.
    paid: u32,
}

/// The last payment of an account that paid `k` instalments on time (None for none).
fn paid_on(
    first_due: NaiveDate,
    instalment: Rupiah,
    k: u32,
    today: NaiveDate,
) -> Option<(NaiveDate, Rupiah)> {
    (k > 0).then(|| {
        let due = first_due
            .checked_add_months(Months::new(k - 1))
            .unwrap_or(first_due);
        (due.min(today), instalment)
    })
}

/// Days past due: about 65% current, then a tail past 700 days.
fn draw_dpd(rng: &mut StdRng) -> u32 {
    match rng.gen_range(0..1000) {
        0..=649 => 0,
        650..=769 => rng.gen_range(1..=30),
        770..=829 => rng.gen_range(31..=60),
        830..=869 => rng.gen_range(61..=90),
        870..=919 => rng.gen_range(91..=180),
        920..=959 => rng.gen_range(181..=365),
        960..=989 => rng.gen_range(366..=720),
        _ => rng.gen_range(721..=900),
    }
}

fn loan(rng: &mut StdRng, spec: &CreditorSpec, product: ProductType, today: NaiveDate) -> Loan {
    use ProductType::*;
    let pct = |rng: &mut StdRng, lo: u32, hi: u32| Rate::from_bps(rng.gen_range(lo..=hi) / 25 * 25);
    let (principal, rate, tenor, method) = match product {
        Kpr => (
            round_to(rng.gen_range(150_000_000..1_500_000_000), 1_000_000),
            pct(rng, 750, 1100),
            *[120u32, 180, 240].choose(rng).unwrap_or(&180),
            ScheduleMethod::Annuity,
        ),
        Kkb if rng.gen_bool(0.6) => (
            round_to(rng.gen_range(15_000_000..35_000_000), 100_000),
            pct(rng, 600, 1200),
            *[12u32, 24, 36].choose(rng).unwrap_or(&24),
            ScheduleMethod::Flat,
        ),
        Kkb => (
            round_to(rng.gen_range(120_000_000..350_000_000), 1_000_000),
            pct(rng, 500, 900),
            *[36u32, 48, 60].choose(rng).unwrap_or(&48),
            ScheduleMethod::Flat,
        ),
        Kta => (
            round_to(rng.gen_range(5_000_000..200_000_000), 1_000_000),
            pct(rng, 1000, 2000),
            *[12u32, 24, 36, 48, 60].choose(rng).unwrap_or(&24),
            ScheduleMethod::Flat,
        ),
        KartuKredit => (
            round_to(rng.gen_range(5_000_000..50_000_000), 1_000_000),
            Rate::from_bps(2100),
            1,
            ScheduleMethod::Flat,
        ),
        Paylater => (
            round_to(rng.gen_range(500_000..10_000_000), 100_000),
            pct(rng, 2400, 4800),
            *[1u32, 3, 6, 12].choose(rng).unwrap_or(&3),
            ScheduleMethod::Flat,
        ),
        P2pCash => (
            round_to(rng.gen_range(1_000_000..15_000_000), 100_000),
            pct(rng, 3600, 9900),
            *[1u32, 2, 3, 6, 12].choose(rng).unwrap_or(&3),
            ScheduleMethod::Flat,
        ),
        Multiguna => (
            round_to(rng.gen_range(10_000_000..150_000_000), 1_000_000),
            pct(rng, 1200, 2400),
            *[12u32, 24, 36, 48].choose(rng).unwrap_or(&24),
            ScheduleMethod::Flat,
        ),
        Invoice => (
            round_to(rng.gen_range(5_000_000..500_000_000), 100_000),
            Rate::ZERO,
            1,
            ScheduleMethod::Flat,
        ),
    };
    let dpd = draw_dpd(rng);
    let n = i64::from(tenor);
    let share = Rupiah::new(principal.value() / n);
    let monthly_interest = rate.of(principal).mul_ratio(1, 12);
    let paid = if tenor > 1 {
        rng.gen_range(0..tenor)
    } else {
        0
    };
    let months = |k: u32| Months::new(k);
    // The due date the account is (or next will be) waiting for.
    let anchor = if dpd == 0 {
        today + Duration::days(rng.gen_range(1..=28))
    } else {
        today - Duration::days(i64::from(dpd))
    };
    let first_due = anchor.checked_sub_months(months(paid)).unwrap_or(anchor);
    let waiting = first_due.checked_add_months(months(paid)).unwrap_or(anchor);
    let opened_on = if product == Invoice {
        (first_due - Duration::days(*[14i64, 30, 45, 60].choose(rng).unwrap_or(&30))).min(today)
    } else {
        first_due.checked_sub_months(months(1)).unwrap_or(first_due)
    };
    let revolving = matches!(product, KartuKredit | Paylater) && tenor == 1;
    let outstanding = if product == KartuKredit {
        principal.mul_ratio(rng.gen_range(30..=100), 100)
    } else {
        principal - Rupiah::new(share.value() * i64::from(paid))
    };
    let instalment = if product == KartuKredit {
        outstanding.mul_ratio(5, 100).max(Rupiah::new(50_000))
    } else if method == ScheduleMethod::Annuity {
        crate::import::instalment_for(&LoanTerms {
            principal,
            annual_rate: rate,
            tenor_months: tenor,
            first_due,
            method,
        })
        .unwrap_or(share + monthly_interest)
    } else {
        share + monthly_interest
    };
    let mut balance = Balance {
        outstanding_principal: outstanding,
        ..Balance::default()
    };
    if dpd > 0 {
        let elapsed =
            (today.year() - waiting.year()) * 12 + today.month() as i32 - waiting.month() as i32;
        let due_count = u32::try_from(elapsed + 1).unwrap_or(1).max(1);
        let missed = if revolving || product == KartuKredit {
            due_count
        } else {
            due_count.min(tenor - paid)
        };
        let per_principal = if product == KartuKredit {
            instalment
        } else {
            share
        };
        let interest = if method == ScheduleMethod::Annuity {
            (instalment - share).clamp_zero()
        } else if product == KartuKredit {
            Rate::from_bps(175).of(outstanding)
        } else {
            monthly_interest
        };
        balance.arrears_principal =
            Rupiah::new(per_principal.value() * i64::from(missed)).min(outstanding);
        balance.arrears_interest = Rupiah::new(interest.value() * i64::from(missed));
        let overdue = balance.arrears_principal + balance.arrears_interest;
        let (daily, cap) = spec.penalty;
        balance.penalty = overdue
            .mul_ratio(daily * i64::from(dpd), 1_000_000)
            .min(principal.mul_ratio(cap, 1_000_000));
        if dpd > 30 && spec.regime == "bank" && product != Invoice {
            balance.fees = Rupiah::new(50_000 * i64::from(missed.min(6)));
        }
        balance.oldest_unpaid_due = Some(waiting);
    } else {
        // A current account carries its next due date (in the future, so DPD stays 0):
        // the nightly run's pre-due reminders count `days_to_due` from it.
        balance.oldest_unpaid_due = Some(waiting);
    }
    let last_payment = paid_on(first_due, instalment, paid, today);
    let status = if dpd > 540 && spec.regime == "bank" && rng.gen_ratio(3, 10) {
        AccountStatus::WrittenOff
    } else {
        AccountStatus::Open
    };
    Loan {
        terms: LoanTerms {
            principal,
            annual_rate: rate,
            tenor_months: tenor,
            first_due,
            method,
        },
        instalment,
        opened_on,
        balance,
        last_payment,
        status,
        paid,
    }
}

/// Payments before the file date: the last six to twelve instalments of a current account
/// (a year of history for learning who pays), or a small part-payment of a delinquent one.
fn historic_payments(
    rng: &mut StdRng,
    account_no: &str,
    loan: &Loan,
    today: NaiveDate,
) -> Vec<NewPaymentData> {
    let at = |date: NaiveDate, rng: &mut StdRng| {
        let time = NaiveTime::from_hms_opt(rng.gen_range(8..20), rng.gen_range(0..60), 0)
            .unwrap_or(NaiveTime::MIN);
        Zone::Wib
            .offset()
            .from_local_datetime(&date.and_time(time))
            .single()
            .map(|t| t.to_utc())
    };
    let channel = |rng: &mut StdRng| {
        ["transfer", "va", "teller", "qris", "autodebet"]
            .choose(rng)
            .copied()
            .unwrap_or("va")
            .to_string()
    };
    let mut out = Vec::new();
    let overdue = loan
        .balance
        .oldest_unpaid_due
        .filter(|_| !is_current(&loan.balance, today));
    match overdue {
        None if loan.paid > 0 && loan.terms.tenor_months > 1 => {
            let count = loan.paid.min(rng.gen_range(6..=12));
            for j in 0..count {
                let seq = loan.paid - count + j;
                let due = loan
                    .terms
                    .first_due
                    .checked_add_months(Months::new(seq))
                    .unwrap_or(loan.terms.first_due);
                let Some(paid_at) = at(due.min(today), rng) else {
                    continue;
                };
                out.push(NewPaymentData {
                    paid_at,
                    amount: loan.instalment.min(loan.terms.principal),
                    reference: format!("{account_no}-P{}", seq + 1),
                    channel: channel(rng),
                });
            }
        }
        Some(oldest) if rng.gen_bool(0.5) => {
            let days = (today - oldest).num_days().max(1);
            let date = oldest + Duration::days(rng.gen_range(0..days));
            let amount = round_to(loan.instalment.value() * rng.gen_range(10..50) / 100, 1_000);
            if let Some(paid_at) = at(date, rng) {
                out.push(NewPaymentData {
                    paid_at,
                    amount,
                    reference: format!("{account_no}-PP1"),
                    channel: channel(rng),
                });
            }
        }
        _ => {}
    }
    out
}
