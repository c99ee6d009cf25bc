//! Propensity scoring on a portfolio whose history is known: half the debtors paid every
//! month for a year, half never did. A model trained on that history with a time-based
//! split must rank the payers first, say why in words, and score every account in the
//! nightly run; bad training input is refused with a reason.

use chrono::{Duration, NaiveDate};
use sepakat_domain::compliance::Gate;
use sepakat_domain::scoring::F;
use sepakat_domain::strategy::Strategy;
use sepakat_domain::{BucketSet, FixedClock};
use sepakat_engine::run::{run_creditor, RunOptions};
use sepakat_engine::scoring::train::{examples, fit, train_creditor, TrainOptions};
use sepakat_engine::scoring::{account_row, Scoring};
use sepakat_engine::ImportKind;
use sepakat_store::{Actor, Store};

use super::support::{import, store, write};

const ACCOUNTS: usize = 120;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn options() -> TrainOptions {
    TrainOptions {
        dates: 6,
        ..TrainOptions::new(as_of())
    }
}

/// Imports the portfolio as it stood before its payments (a zero-rate loan of Rp500.000 a
/// month with twelve instalments due since 5 Dec 2025), then a year of monthly payments
/// by the even-numbered accounts, each clearing the oldest instalment.
fn portfolio(store: &dyn Store) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut accounts = String::from(
        "account_no,debtor_type,name,province,product,principal,annual_rate,tenor_months,method,opened_on,first_due,instalment,outstanding_principal,arrears_principal,arrears_interest,penalty,fees,oldest_unpaid_due,status,debtor_ref\n",
    );
    let mut payments = String::from("no_rekening,tanggal_bayar,jumlah,referensi,kanal\n");
    for i in 0..ACCOUNTS {
        accounts.push_str(&format!(
            "SC-{i:04},person,Debitur {i},Jawa Barat,kta,12000000,0,24,flat,2025-11-05,2025-12-05,500000,12000000,6000000,0,0,0,2025-12-05,open,CIF-{i}\n"
        ));
        if i % 2 == 0 {
            for m in 0..12u32 {
                let day = NaiveDate::from_ymd_opt(2025, 12, 5)
                    .unwrap()
                    .checked_add_months(chrono::Months::new(m))
                    .unwrap();
                payments.push_str(&format!(
                    "SC-{i:04},{day} 10.00,500000,TRX-{i}-{m},transfer\n"
                ));
            }
        }
    }
    let a = write(dir.path(), "accounts.csv", accounts);
    let report = import(store, &a, ImportKind::Accounts).expect("accounts import");
    assert_eq!(report.inserted, ACCOUNTS as u64, "{report:?}");
    let p = write(dir.path(), "payments.csv", payments);
    let report = import(store, &p, ImportKind::Payments).expect("payments import");
    assert_eq!(report.inserted, (ACCOUNTS / 2 * 12) as u64, "{report:?}");
    dir
}

#[test]
fn a_model_trained_on_the_history_ranks_regular_payers_first_and_says_why() {
    let (store, creditor) = store();
    let _dir = portfolio(store.as_ref());
    let examples = examples(store.as_ref(), creditor, &options()).expect("examples");
    assert_eq!(examples.len(), ACCOUNTS * 6);
    // Every payer paid in the 30 days after each date; no one else ever did.
    assert!(examples
        .iter()
        .all(|e| e.paid == (e.account.0 % 2 == examples[0].account.0 % 2)));
    let (_, report) = fit(&examples, &options()).expect("fit");
    // The newest dates holding at least a fifth of the examples: two of six.
    assert_eq!(report.test_rows, 2 * ACCOUNTS);
    assert_eq!(report.candidates.len(), 2);
    let best = report
        .candidates
        .iter()
        .find(|c| c.algorithm == report.chosen)
        .unwrap();
    assert!(best.test_auc > 0.95, "{report:?}");

    let (info, _) = train_creditor(
        store.as_ref(),
        creditor,
        &options(),
        "2026-11-24T01:00:00Z".parse().unwrap(),
        &Actor::system("test"),
    )
    .expect("trained and stored");
    assert_eq!(info.version, 1);
    let scoring = Scoring::load(store.as_ref(), creditor)
        .unwrap()
        .expect("active");
    let detail = |no: &str| store.account_by_number(creditor, no).unwrap().unwrap();
    let mut scorer = scoring.scorer();
    let payer = account_row(store.as_ref(), &detail("SC-0000"), as_of()).unwrap();
    let silent = account_row(store.as_ref(), &detail("SC-0001"), as_of()).unwrap();
    let (p_payer, p_silent) = (scorer.score(&payer), scorer.score(&silent));
    assert!(p_payer > 0.5 && p_silent < 0.5, "{p_payer} vs {p_silent}");
    let why = scorer.explain(&payer, 3);
    assert!((why.probability - p_payer).abs() < 1e-12);
    let payment_features = [
        F::DaysSincePayment,
        F::PaidRatioShort,
        F::PaidRatioLong,
        F::OutstandingShare,
    ]
    .map(|f| f as usize);
    assert!(
        why.reasons
            .iter()
            .any(|r| payment_features.contains(&r.feature) && r.effect > 0.0),
        "{:?}",
        why.reasons.iter().map(|r| r.text_id()).collect::<Vec<_>>()
    );
    assert!(why.reasons.iter().all(|r| !r.text_id().is_empty()));

    let (strategy, gate, buckets) = (Strategy::shipped(), Gate::shipped(), BucketSet::default());
    let bank = store.creditor(creditor).unwrap().unwrap();
    let report = run_creditor(
        store.as_ref(),
        &bank,
        &RunOptions {
            as_of: as_of(),
            strategy: &strategy,
            gate: &gate,
            buckets: &buckets,
            lease: Duration::seconds(120),
            actor: Actor::system("test"),
            score: true,
        },
        &FixedClock::new("2026-11-23T18:00:00Z".parse().unwrap()),
    )
    .expect("run");
    let scored = report.scoring.expect("scored");
    assert_eq!(scored.version, 1);
    assert_eq!(scored.scored, ACCOUNTS as u64);
    assert!(
        scored.mean_probability > 0.2 && scored.mean_probability < 0.8,
        "{scored:?}"
    );
}

#[test]
fn training_refuses_bad_options_and_a_history_without_two_dates() {
    let (store, creditor) = store();
    let no_horizon = TrainOptions {
        horizon_days: 0,
        ..options()
    };
    let e = examples(store.as_ref(), creditor, &no_horizon).unwrap_err();
    assert!(e.to_string().contains("horizon"), "{e}");
    let no_sample = TrainOptions {
        sample_percent: 101,
        ..options()
    };
    let e = examples(store.as_ref(), creditor, &no_sample).unwrap_err();
    assert!(e.to_string().contains("sample percent"), "{e}");
    // An empty portfolio has no dates to split on: nothing is stored.
    let e = train_creditor(
        store.as_ref(),
        creditor,
        &options(),
        "2026-11-24T01:00:00Z".parse().unwrap(),
        &Actor::system("test"),
    )
    .unwrap_err();
    assert!(format!("{e:#}").contains("fewer than two dates"), "{e:#}");
    assert!(store.models(creditor).unwrap().is_empty());
}

#[test]
fn a_history_of_one_class_is_refused_with_the_trainers_reason() {
    let (store, creditor) = store();
    let _dir = portfolio(store.as_ref());
    // Dates long after the last payment: nobody pays in any window.
    let late = TrainOptions {
        as_of: as_of() + Duration::days(400),
        ..options()
    };
    let e = train_creditor(
        store.as_ref(),
        creditor,
        &late,
        "2026-11-24T01:00:00Z".parse().unwrap(),
        &Actor::system("test"),
    )
    .unwrap_err();
    assert!(format!("{e:#}").contains("single class"), "{e:#}");
    assert!(store.models(creditor).unwrap().is_empty());
}
