//! Golden tests of the shipped strategies on a small portfolio: each account's rule and
//! action, and the priorities, are pinned. A change to `strategies/default.toml` that
//! moves any of these must update this table on purpose.

use super::*;
use crate::{BucketSet, Dpd, ProductType, Regime, Rupiah};

fn facts(product: ProductType, dpd: u32, outstanding: i64) -> AccountFacts<'static> {
    let buckets = BucketSet::default();
    AccountFacts {
        product,
        dpd: Dpd(dpd),
        days_to_due: None,
        bucket: buckets.classify(Dpd(dpd)).index,
        kolektibilitas: Regime::bank().classify(Dpd(dpd)),
        outstanding: Rupiah::new(outstanding),
        score: None,
        promise: None,
        days_since_contact: None,
        last_outcome: None,
        paused: false,
    }
}

fn promise(status: PromiseStatus, days_since_promised: i64) -> Option<PromiseFacts> {
    Some(PromiseFacts {
        status,
        days_since_promised,
    })
}

fn rule_of(s: &Strategy, a: &AccountFacts<'_>) -> (String, Action) {
    let c = s.decide(0, a);
    let id = c
        .rule
        .map_or("(none)".to_string(), |i| s.champion.rules[i].id.clone());
    (id, c.action)
}

#[test]
fn the_default_strategy_treats_a_small_portfolio_as_pinned() {
    use ProductType::*;
    let s = Strategy::shipped();
    let due_in = |mut a: AccountFacts<'static>, d: u32| {
        a.days_to_due = Some(d);
        a
    };
    let with = |mut a: AccountFacts<'static>, p: Option<PromiseFacts>| {
        a.promise = p;
        a
    };
    let paused = |mut a: AccountFacts<'static>| {
        a.paused = true;
        a
    };
    let portfolio: Vec<(AccountFacts<'static>, &str, Action)> = vec![
        (
            due_in(facts(Paylater, 0, 900_000), 2),
            "reminder-consumer",
            Action::Whatsapp,
        ),
        (
            due_in(facts(Kpr, 0, 400_000_000), 3),
            "reminder-secured",
            Action::Sms,
        ),
        (
            due_in(facts(Kkb, 0, 90_000_000), 9),
            "current",
            Action::None,
        ),
        (
            due_in(facts(Invoice, 0, 30_000_000), 5),
            "reminder-invoice",
            Action::Email,
        ),
        (facts(Kta, 0, 20_000_000), "current", Action::None),
        (
            facts(Paylater, 3, 1_500_000),
            "early-whatsapp",
            Action::Whatsapp,
        ),
        (
            facts(P2pCash, 10, 2_000_000),
            "online-whatsapp",
            Action::Whatsapp,
        ),
        (
            facts(KartuKredit, 10, 12_000_000),
            "desk-call",
            Action::Call,
        ),
        (facts(Kta, 31, 40_000_000), "sp1", Action::LetterSp1),
        (facts(Paylater, 31, 1_000_000), "desk-call", Action::Call),
        (facts(Kkb, 61, 80_000_000), "sp2", Action::LetterSp2),
        (
            facts(Kkb, 75, 80_000_000),
            "visit-secured",
            Action::FieldVisit,
        ),
        (facts(Kta, 75, 60_000_000), "late-call", Action::Call),
        (facts(P2pCash, 91, 3_000_000), "sp3", Action::LetterSp3),
        (
            facts(KartuKredit, 150, 80_000_000),
            "visit-large",
            Action::FieldVisit,
        ),
        (
            facts(Multiguna, 121, 30_000_000),
            "somasi",
            Action::LetterSomasi,
        ),
        (
            facts(Kpr, 400, 500_000_000),
            "legal-secured",
            Action::LegalReview,
        ),
        (facts(Paylater, 400, 800_000), "agency", Action::Agency),
        (
            facts(Invoice, 10, 50_000_000),
            "invoice-email",
            Action::Email,
        ),
        (facts(Invoice, 40, 50_000_000), "invoice-call", Action::Call),
        (
            facts(Invoice, 91, 50_000_000),
            "invoice-somasi",
            Action::LetterSomasi,
        ),
        (
            facts(Invoice, 200, 50_000_000),
            "invoice-legal",
            Action::LegalReview,
        ),
        (
            with(facts(Kta, 20, 9_000_000), promise(PromiseStatus::Broken, 1)),
            "promise-broken-yesterday",
            Action::Call,
        ),
        (
            with(
                facts(Kta, 20, 9_000_000),
                promise(PromiseStatus::PartiallyKept, 1),
            ),
            "promise-broken-yesterday",
            Action::Call,
        ),
        (
            with(facts(Kta, 20, 9_000_000), promise(PromiseStatus::Broken, 5)),
            "desk-call",
            Action::Call,
        ),
        (
            with(
                facts(Kta, 20, 9_000_000),
                promise(PromiseStatus::Pending, 0),
            ),
            "promise-due-reminder",
            Action::Whatsapp,
        ),
        (
            with(
                facts(Kta, 20, 9_000_000),
                promise(PromiseStatus::Pending, -5),
            ),
            "promise-pending",
            Action::None,
        ),
        (
            with(facts(Kta, 20, 9_000_000), promise(PromiseStatus::Kept, 2)),
            "promise-kept",
            Action::None,
        ),
        (paused(facts(Kta, 20, 9_000_000)), "paused", Action::None),
    ];
    for (account, rule, action) in &portfolio {
        assert_eq!(
            rule_of(&s, account),
            (rule.to_string(), *action),
            "{account:?}"
        );
    }
}

#[test]
fn priority_is_outstanding_times_bucket_weight_with_the_next_day_boost() {
    let s = Strategy::shipped();
    let rule = &s.champion.rules[0];
    assert_eq!(rule.factor, 1.0);
    let a = facts(ProductType::Kta, 45, 10_000_000);
    assert_eq!(s.priority(&a, rule), 15_000_000.0);
    let mut broken = a;
    broken.promise = promise(PromiseStatus::Broken, 1);
    assert_eq!(s.priority(&broken, rule), 22_500_000.0);
    broken.promise = promise(PromiseStatus::Broken, 2);
    assert_eq!(s.priority(&broken, rule), 15_000_000.0);
    assert_eq!(
        s.priority(&facts(ProductType::Kta, 0, 10_000_000), rule),
        0.0
    );
}

#[test]
fn with_a_score_priority_is_expected_recovery_times_the_treatment_factor() {
    let s = Strategy::shipped();
    let mut rule = s.champion.rules[0].clone();
    let mut scored = facts(ProductType::Kta, 45, 10_000_000);
    scored.score = Some(0.5);
    // The bucket weight (1.5 at 31-60) gives way to the probability to pay.
    assert_eq!(s.priority(&scored, &rule), 5_000_000.0);
    rule.factor = 0.6;
    assert_eq!(s.priority(&scored, &rule), 3_000_000.0);
    scored.promise = promise(PromiseStatus::Broken, 1);
    assert_eq!(s.priority(&scored, &rule), 4_500_000.0);
}

#[test]
fn the_peers_table_decides_as_the_peers_readme_says() {
    use ProductType::*;
    let s = Strategy::from_toml(PEERS_TOML, &BucketSet::default()).unwrap();
    let with = |mut a: AccountFacts<'static>, p: Option<PromiseFacts>| {
        a.promise = p;
        a
    };
    let cases: Vec<(AccountFacts<'static>, &str, Action)> = vec![
        (facts(Kpr, 0, 1), "1", Action::None),
        (
            with(
                facts(Kta, 40, 4_999_999),
                promise(PromiseStatus::Pending, -2),
            ),
            "2",
            Action::Whatsapp,
        ),
        (
            with(
                facts(Kta, 40, 50_000_000),
                promise(PromiseStatus::Pending, -2),
            ),
            "3",
            Action::Call,
        ),
        (
            with(facts(Kta, 40, 1), promise(PromiseStatus::Kept, 2)),
            "4",
            Action::None,
        ),
        (
            with(
                facts(Kta, 40, 90_000_000),
                promise(PromiseStatus::PartiallyKept, 2),
            ),
            "5",
            Action::Call,
        ),
        (
            with(
                facts(Kta, 100, 90_000_000),
                promise(PromiseStatus::Broken, 2),
            ),
            "6",
            Action::FieldVisit,
        ),
        (
            with(
                facts(Kta, 100, 9_000_000),
                promise(PromiseStatus::Broken, 2),
            ),
            "7",
            Action::Call,
        ),
        (facts(Kkb, 181, 1), "8", Action::LetterSp3),
        (facts(Kta, 181, 1), "9", Action::Agency),
        (facts(Kpr, 91, 1), "10", Action::LetterSp2),
        (facts(Kta, 180, 50_000_000), "11", Action::FieldVisit),
        (facts(Kta, 180, 49_999_999), "12", Action::Call),
        (facts(Kta, 61, 1), "13", Action::LetterSp1),
        (facts(KartuKredit, 90, 1), "14", Action::Call),
        (facts(P2pCash, 31, 1), "15", Action::Call),
        (facts(KartuKredit, 60, 4_999_999), "16", Action::Sms),
        (facts(KartuKredit, 60, 5_000_000), "17", Action::Call),
        (facts(Paylater, 1, 1), "18", Action::Whatsapp),
        (facts(KartuKredit, 30, 1), "19", Action::Email),
        (facts(KartuKredit, 30, 5_000_000), "20", Action::Sms),
        (facts(Kpr, 30, 50_000_000), "21", Action::Call),
        (facts(Kpr, 30, 49_999_999), "22", Action::Whatsapp),
    ];
    for (account, rule, action) in &cases {
        assert_eq!(
            rule_of(&s, account),
            (rule.to_string(), *action),
            "{account:?}"
        );
    }
}

#[test]
fn a_challenger_arm_uses_its_own_rules_and_an_unmatched_account_gets_no_action() {
    let text = r#"
name = "cc"
bands = [{ name = "all" }]
[priority]
bucket_weights = { current = 0.0, "1-30" = 1.0, "31-60" = 1.0, "61-90" = 1.0, "91-180" = 1.0, "180+" = 1.0 }
[[rules]]
id = "late"
when = { dpd = { min = 1 } }
action = "whatsapp"
[challenger]
name = "call-first"
percent = 20
rules = [{ id = "late-call", when = { dpd = { min = 1 } }, action = "call" }]
"#;
    let s = Strategy::from_toml(text, &BucketSet::default()).unwrap();
    let a = facts(ProductType::Kta, 5, 1_000_000);
    assert_eq!(s.decide(0, &a).action, Action::Whatsapp);
    let c = s.decide(1, &a);
    assert_eq!((c.arm, c.rule, c.action), (1, Some(0), Action::Call));
    assert_eq!(s.arm(1).name, "call-first");
    let none = s.decide(0, &facts(ProductType::Kta, 0, 1));
    assert_eq!((none.rule, none.action), (None, Action::None));
}
