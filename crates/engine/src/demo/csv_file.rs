//! Writing generated accounts as an import file in the documented format
//! (docs/import-format.md), for the benchmark and the examples.

use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use sepakat_domain::{Gender, Rate};
use sepakat_store::{AccountUpsert, DebtorKind};

use super::generator::{accounts_of, generate, CREDITORS};

/// The header written, in English column names.
pub(crate) const HEADER: [&str; 31] = [
    "account_no",
    "debtor_type",
    "name",
    "nik",
    "npwp",
    "gender",
    "birth_date",
    "phone",
    "email",
    "address",
    "city",
    "province",
    "employer",
    "product",
    "principal",
    "annual_rate",
    "tenor_months",
    "method",
    "opened_on",
    "first_due",
    "instalment",
    "outstanding_principal",
    "arrears_principal",
    "arrears_interest",
    "penalty",
    "fees",
    "oldest_unpaid_due",
    "last_payment_date",
    "last_payment_amount",
    "status",
    "debtor_ref",
];

/// Writes `accounts` generated accounts (all demo creditors' products, one file) as of
/// `today`; the same seed writes the same file.
pub fn write_accounts_csv(
    path: &Path,
    accounts: u64,
    seed: u64,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("creating {}", path.display()))?;
    w.write_record(HEADER)?;
    for c in 0..CREDITORS.len() {
        for index in 0..accounts_of(c, accounts) {
            let account = generate(seed, c, index, today).account;
            w.write_record(row(&account))?;
        }
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// One account as the cells of `HEADER`.
pub(crate) fn row(a: &AccountUpsert) -> [String; 31] {
    let d = &a.debtor;
    let opt = |v: Option<String>| v.unwrap_or_default();
    let date = |v: Option<NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
    let b = &a.balance;
    [
        a.account_no.clone(),
        match d.kind {
            DebtorKind::Person => "person".into(),
            DebtorKind::Company => "company".into(),
        },
        d.name.clone(),
        opt(d.nik.as_ref().map(|n| n.as_str().to_string())),
        opt(d.npwp.as_ref().map(|n| n.as_str().to_string())),
        opt(d.gender.map(|g| match g {
            Gender::Male => "L".to_string(),
            Gender::Female => "P".to_string(),
        })),
        date(d.birth_date),
        opt(d.phone.as_ref().map(|p| p.as_str().to_string())),
        opt(d.email.as_ref().map(|e| e.as_str().to_string())),
        opt(d.address.clone()),
        opt(d.city.clone()),
        d.province.name().to_string(),
        opt(d.employer.clone()),
        a.product.code().to_string(),
        a.terms.principal.value().to_string(),
        percent(a.terms.annual_rate),
        a.terms.tenor_months.to_string(),
        a.terms.method.code().to_string(),
        a.opened_on.to_string(),
        a.terms.first_due.to_string(),
        a.instalment.value().to_string(),
        b.outstanding_principal.value().to_string(),
        b.arrears_principal.value().to_string(),
        b.arrears_interest.value().to_string(),
        b.penalty.value().to_string(),
        b.fees.value().to_string(),
        date(b.oldest_unpaid_due),
        date(a.last_payment.map(|(d, _)| d)),
        opt(a.last_payment.map(|(_, amount)| amount.value().to_string())),
        a.status.code().to_string(),
        // The debtor key is the NIK or NPWP already; a CIF column would repeat it.
        String::new(),
    ]
}

/// `12.5` for 12,5% (a dot, so the cell needs no quoting in a comma-separated file).
fn percent(rate: Rate) -> String {
    let ppm = rate.ppm();
    let (whole, frac) = (ppm / 10_000, ppm % 10_000);
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{frac:04}").trim_end_matches('0'))
    }
}
