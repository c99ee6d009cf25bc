//! The negotiation services over a real store: propose within and beyond authority, the
//! approval queue, acceptance with the agreement PDF and recap, instalment tracking, and
//! every bad input of issue 4 that reaches this layer (clear error, nothing written).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sepakat_domain::negotiation::wire::{
    negotiate, DeclarationInput, NegotiationInput, OfferRequestInput, OptionView,
};
use sepakat_domain::negotiation::{Discounts, NegotiationPolicy, OfferKind};
use sepakat_domain::{
    AllocationOrder, Balance, Gender, LoanTerms, Nik, ProductType, PromiseStatus, Province, Rate,
    Role, Rupiah, ScheduleMethod,
};
use sepakat_engine::negotiation::{
    accept, agreement, decide, preview, propose, track_arrangements, Acceptance, NegotiationError,
    Proposal, Proposed,
};
use sepakat_store::{
    AccountId, AccountStatus, AccountUpsert, Actor, ArrangementStatus, CreditorId, DebtorKind,
    DebtorUpsert, EntityRef, ImportSource, InstalmentStatus, NewPause, NewPayment, NewPaymentData,
    NewPromise, NewUser, OfferDecision, OfferStatus, PromiseResolution, Store, StoreError,
};

use super::support::store;

struct One(Option<AccountUpsert>);

impl ImportSource<AccountUpsert> for One {
    fn next_valid(&mut self) -> Option<AccountUpsert> {
        self.0.take()
    }
    fn reject(&mut self, row: u64, column: &str, message: String) {
        panic!("row {row} {column}: {message}");
    }
    fn commit_wanted(&self) -> bool {
        true
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).expect("date")
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 3, 0, 0)
        .single()
        .expect("instant")
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("test date")
}

/// The account of `examples/negotiation.json`, stored.
fn account(store: &dyn Store, creditor: CreditorId) -> AccountId {
    let row = AccountUpsert {
        row: 1,
        account_no: "KTA-0001".into(),
        debtor: DebtorUpsert {
            key: "CIF-1".into(),
            kind: DebtorKind::Person,
            name: "Siti Rahayu".into(),
            nik: Some(Nik::parse("3201014501900001").expect("nik")),
            npwp: None,
            gender: Some(Gender::Female),
            birth_date: Some(date("1990-01-05")),
            phone: None,
            email: None,
            address: Some("Jl. Merdeka No. 1".into()),
            city: Some("Bandung".into()),
            province: Province::JawaBarat,
            employer: None,
        },
        product: ProductType::Kta,
        terms: LoanTerms {
            principal: Rupiah::new(30_000_000),
            annual_rate: Rate::from_ppm(180_000),
            tenor_months: 24,
            first_due: date("2026-02-15"),
            method: ScheduleMethod::Annuity,
        },
        instalment: Rupiah::new(1_084_572),
        opened_on: date("2026-01-15"),
        balance: Balance {
            outstanding_principal: Rupiah::new(16_998_018),
            arrears_principal: Rupiah::new(3_393_820),
            arrears_interest: Rupiah::new(944_467),
            penalty: Rupiah::new(512_000),
            fees: Rupiah::new(150_000),
            oldest_unpaid_due: Some(date("2026-08-15")),
        },
        last_payment: None,
        status: AccountStatus::Open,
        contacts: Vec::new(),
    };
    store
        .import_accounts(creditor, &Actor::system("test"), &mut One(Some(row)))
        .expect("import");
    store
        .account_by_number(creditor, "KTA-0001")
        .expect("read")
        .expect("stored")
        .id
}

fn person(store: &dyn Store, creditor: CreditorId, name: &str, role: Role) -> Actor {
    let user = store
        .create_user(
            &NewUser {
                username: name.into(),
                full_name: name.into(),
                role,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
                creditors: vec![creditor],
            },
            &Actor::system("test"),
        )
        .expect("user");
    Actor::user(user.id, name)
}

struct Desk {
    store: std::sync::Arc<dyn Store>,
    creditor: CreditorId,
    account: AccountId,
    collector: Actor,
    supervisor: Actor,
}

fn desk() -> Desk {
    let (store, creditor) = store();
    let account = account(&*store, creditor);
    let collector = person(&*store, creditor, "desk1", Role::Collector);
    let supervisor = person(&*store, creditor, "spv1", Role::Supervisor);
    Desk {
        store,
        creditor,
        account,
        collector,
        supervisor,
    }
}

fn declaration() -> DeclarationInput {
    serde_json::from_value(serde_json::json!({
        "monthly_income": 7_500_000,
        "essential_expenses": 4_200_000,
        "other_debt_payments": 600_000,
        "dependants": 2
    }))
    .expect("declaration")
}

fn proposal(account: AccountId, rank: u32) -> Proposal {
    Proposal {
        account,
        declaration: declaration(),
        request: OfferRequestInput::default(),
        role: Role::Collector,
        chosen_rank: rank,
        today: today(),
        offer_days: 3,
        propensity: None,
    }
}

impl Desk {
    fn store(&self) -> &dyn Store {
        &*self.store
    }

    fn propose(&self, p: &Proposal) -> Result<Proposed, NegotiationError> {
        propose(
            self.store(),
            self.creditor,
            p,
            &NegotiationPolicy::default(),
            now(),
            &self.collector,
        )
    }

    /// Proposes the best option of `kind` that needs approval (`beyond`) or does not.
    fn propose_kind(&self, kind: OfferKind, beyond: bool) -> Proposed {
        let all = preview(
            self.store(),
            self.creditor,
            &proposal(self.account, 1),
            &NegotiationPolicy::default(),
        )
        .expect("options");
        let rank = all
            .set
            .options
            .iter()
            .find(|o| o.kind == kind && o.authority.needs_approval() == beyond)
            .map(|o| o.rank)
            .expect("such an option");
        self.propose(&proposal(self.account, rank))
            .expect("proposed")
    }

    fn trail(&self) -> Vec<String> {
        self.store()
            .audit_trail(self.creditor, &EntityRef::new("account", self.account), 500)
            .expect("trail")
            .into_iter()
            .map(|e| e.entry.action)
            .collect()
    }

    fn accept(
        &self,
        offer: sepakat_store::OfferId,
        at: DateTime<Utc>,
    ) -> Result<sepakat_engine::negotiation::Accepted, NegotiationError> {
        accept(
            self.store(),
            self.creditor,
            &Acceptance {
                offer,
                today: at.date_naive(),
                place: "Bandung".into(),
                max_misses: 2,
            },
            at,
            &self.collector,
        )
    }

    fn pay(&self, amount: i64, on: &str, reference: &str) {
        let at = date(on).and_hms_opt(3, 0, 0).expect("time").and_utc();
        self.store()
            .post_payment(
                self.creditor,
                &NewPayment {
                    account: self.account,
                    data: NewPaymentData {
                        paid_at: at,
                        amount: Rupiah::new(amount),
                        reference: reference.into(),
                        channel: "transfer".into(),
                    },
                },
                &AllocationOrder::default(),
                &Actor::system("test"),
            )
            .expect("payment");
    }

    fn track(&self, on: &str) -> sepakat_engine::negotiation::TrackingReport {
        track_arrangements(
            self.store(),
            self.creditor,
            date(on),
            3,
            date(on).and_hms_opt(20, 0, 0).expect("time").and_utc(),
            &Actor::system("tracker"),
        )
        .expect("tracked")
    }

    /// Asserts a refused proposal wrote nothing at all.
    fn assert_nothing_stored(&self, trail_before: usize) {
        assert!(self
            .store()
            .offers(self.creditor, self.account)
            .expect("offers")
            .is_empty());
        assert!(self
            .store()
            .assessments(self.creditor, self.account)
            .expect("assessments")
            .is_empty());
        assert_eq!(self.trail().len(), trail_before);
    }
}

fn invalid_field(result: Result<Proposed, NegotiationError>) -> String {
    match result {
        Err(NegotiationError::Invalid(e)) => format!("{}: {}", e.field, e.message),
        other => panic!("expected an invalid input, got {other:?}"),
    }
}

#[test]
fn an_option_within_authority_is_stored_as_proposed_with_every_option() {
    let d = desk();
    let proposed = d.propose_kind(OfferKind::InstalmentPlan, false);
    let offer = &proposed.offer;
    assert_eq!(offer.status, OfferStatus::Proposed);
    assert_eq!(offer.data.options, proposed.set.options);
    assert!(offer.data.approvers.is_empty());
    assert_eq!(offer.data.expires_at, now() + Duration::days(3));
    assert_eq!(
        offer.data.assessment.recommended_monthly,
        Rupiah::new(1_350_000)
    );
    // The stored account maps to the same debt the CLI example describes: DPD 109, class 3.
    let chosen = offer.chosen().expect("chosen");
    assert_eq!(chosen.kind, OfferKind::InstalmentPlan);
    assert!(d
        .store()
        .pending_approvals(d.creditor)
        .expect("queue")
        .is_empty());
}

#[test]
fn an_offer_beyond_authority_is_approved_by_a_supervisor_never_by_its_maker_then_accepted() {
    let d = desk();
    let proposed = d.propose_kind(OfferKind::FullPayoff, true);
    let id = proposed.offer.id;
    assert_eq!(proposed.offer.status, OfferStatus::PendingApproval);
    assert!(proposed.offer.data.approvers.contains(&Role::Supervisor));
    let queue = d.store().pending_approvals(d.creditor).expect("queue");
    assert_eq!(queue.iter().map(|o| o.id).collect::<Vec<_>>(), [id]);
    let ok = OfferDecision {
        approve: true,
        reason: "Debitur sanggup melunasi minggu ini".into(),
    };
    // A collector's role may not approve, whoever they are.
    let other_collector = person(d.store(), d.creditor, "desk2", Role::Collector);
    match decide(
        d.store(),
        d.creditor,
        id,
        Role::Collector,
        &ok,
        now(),
        &other_collector,
    ) {
        Err(NegotiationError::NotAllowed(m)) => assert!(m.contains("needs supervisor"), "{m}"),
        other => panic!("expected not allowed, got {other:?}"),
    }
    // Its maker may not approve it even with a supervisor's role.
    match decide(
        d.store(),
        d.creditor,
        id,
        Role::Supervisor,
        &ok,
        now(),
        &d.collector,
    ) {
        Err(NegotiationError::Store(StoreError::Conflict(m))) => {
            assert!(m.contains("their own offer"), "{m}")
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Not yet approved: no arrangement, no agreement.
    match d.accept(id, now() + Duration::hours(1)) {
        Err(NegotiationError::Store(StoreError::Conflict(m))) => {
            assert!(m.contains("waiting for approval"), "{m}")
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let decided = decide(
        d.store(),
        d.creditor,
        id,
        Role::Supervisor,
        &ok,
        now(),
        &d.supervisor,
    )
    .expect("approved");
    assert_eq!(decided.status, OfferStatus::Approved);

    let accepted = d.accept(id, now() + Duration::hours(2)).expect("accepted");
    let chosen = proposed.offer.chosen().expect("chosen").clone();
    assert_eq!(accepted.arrangement.status, ArrangementStatus::Active);
    assert_eq!(
        accepted.arrangement.instalments.len(),
        chosen.schedule.len()
    );
    let pdf = accepted.agreement_pdf.expect("a person's agreement");
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.starts_with("%PDF-1.4"));
    assert!(
        text.contains(&format!("({})", chosen.total_paid)),
        "the total is printed"
    );
    assert!(text.contains("3201********0001"), "the NIK is masked");
    assert!(!text.contains("3201014501900001"));
    assert!(
        accepted.recap.starts_with("Yth. Ibu Siti Rahayu"),
        "{}",
        accepted.recap
    );
    assert!(accepted.recap.contains(&chosen.total_paid.to_string()));
    assert!(accepted.recap.contains(&chosen.total_paid.terbilang()));
    let trail = d.trail();
    assert_eq!(
        &trail[..4],
        [
            "arrangement.created",
            "offer.accepted",
            "offer.approved",
            "offer.created"
        ]
    );
    // The agreement can be downloaded again, the same as at acceptance; nothing is written.
    let again = agreement(
        d.store(),
        d.creditor,
        id,
        "Bandung",
        (now() + Duration::hours(2)).date_naive(),
        now() + Duration::hours(2),
    )
    .expect("agreement")
    .expect("a person's agreement");
    assert_eq!(again, pdf);
    assert_eq!(d.trail(), trail);
}

#[test]
fn no_agreement_is_printed_for_an_offer_waiting_for_approval() {
    let d = desk();
    let pending = d.propose_kind(OfferKind::FullPayoff, true).offer.id;
    match agreement(d.store(), d.creditor, pending, "Bandung", today(), now()) {
        Err(NegotiationError::Store(StoreError::Conflict(m))) => {
            assert!(m.contains("pending_approval"), "{m}")
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn a_stored_account_gets_exactly_the_options_the_cli_computes_for_the_same_case() {
    let d = desk();
    // The promise history of examples/negotiation.json: three made, one kept.
    for (n, status) in [
        PromiseStatus::Kept,
        PromiseStatus::Broken,
        PromiseStatus::Broken,
    ]
    .into_iter()
    .enumerate()
    {
        let id = d
            .store()
            .create_promise(
                d.creditor,
                &NewPromise {
                    account: d.account,
                    interaction: None,
                    amount: Rupiah::new(500_000),
                    promised_on: date("2026-11-20"),
                    channel: sepakat_domain::compliance::Channel::Call,
                },
                date("2026-11-01"),
                now() - Duration::days(30 - n as i64),
                &d.collector,
            )
            .expect("promise");
        d.store()
            .resolve_promise(
                d.creditor,
                id,
                &PromiseResolution {
                    status,
                    paid: Rupiah::ZERO,
                    at: now() - Duration::days(10),
                },
                &d.collector,
            )
            .expect("resolved");
    }
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/negotiation.json"
    ))
    .expect("example");
    let mut input: NegotiationInput = serde_json::from_str(&text).expect("example parses");
    input.assessment.hardship = None;
    let cli = negotiate(input).expect("the example negotiates");
    let stored = preview(
        d.store(),
        d.creditor,
        &proposal(d.account, 1),
        &NegotiationPolicy::default(),
    )
    .expect("options");
    let stored: Vec<OptionView> = stored
        .set
        .options
        .into_iter()
        .map(OptionView::from)
        .collect();
    assert_eq!(stored, cli.options);
}

#[test]
fn bad_requests_are_refused_with_the_field_and_nothing_is_stored() {
    let d = desk();
    let before = d.trail().len();
    let with = |request: OfferRequestInput| Proposal {
        request,
        ..proposal(d.account, 1)
    };
    let zero = invalid_field(d.propose(&with(OfferRequestInput {
        tenor_months: Some(0),
        ..Default::default()
    })));
    assert_eq!(zero, "request.tenor_months: must be at least 1");
    let long = invalid_field(d.propose(&with(OfferRequestInput {
        tenor_months: Some(61),
        ..Default::default()
    })));
    assert!(
        long.contains("request.tenor_months: 61 is above the policy maximum of 60"),
        "{long}"
    );
    let greedy = invalid_field(d.propose(&with(OfferRequestInput {
        discount: Some(Discounts {
            principal: Rate::from_ppm(600_000),
            ..Default::default()
        }),
        ..Default::default()
    })));
    assert!(
        greedy.starts_with("request.discount.principal: 60% is above the policy cap"),
        "{greedy}"
    );
    let mut broke = proposal(d.account, 1);
    broke.declaration.monthly_income = Rupiah::new(-1);
    let negative = invalid_field(d.propose(&broke));
    assert!(
        negative.starts_with("assessment.monthly_income"),
        "{negative}"
    );
    let absent = invalid_field(d.propose(&proposal(d.account, 99)));
    assert!(
        absent.starts_with("chosen_rank: there is no option 99"),
        "{absent}"
    );
    let compliance = Proposal {
        role: Role::Compliance,
        ..proposal(d.account, 1)
    };
    assert!(matches!(
        d.propose(&compliance),
        Err(NegotiationError::NotAllowed(_))
    ));
    let elsewhere = Proposal {
        account: AccountId(d.account.0 + 100),
        ..proposal(d.account, 1)
    };
    assert!(matches!(
        d.propose(&elsewhere),
        Err(NegotiationError::Store(StoreError::NotFound(_)))
    ));
    d.assert_nothing_stored(before);
}

#[test]
fn a_paused_account_gets_no_offer_and_nothing_is_stored() {
    let d = desk();
    d.store()
        .pause_account(
            d.creditor,
            &NewPause {
                account: d.account,
                reason: sepakat_domain::interaction::PauseReason::Dispute,
                note: "Tagihan disanggah".into(),
                starts_on: date("2026-12-01"),
                ends_on: Some(date("2026-12-10")),
            },
            now(),
            &d.supervisor,
        )
        .expect("paused");
    let before = d.trail().len();
    match d.propose(&proposal(d.account, 1)) {
        Err(NegotiationError::Store(StoreError::Conflict(m))) => {
            assert!(m.contains("paused"), "{m}")
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    d.assert_nothing_stored(before);
}

#[test]
fn an_expired_or_already_accepted_offer_cannot_be_accepted_and_nothing_changes() {
    let d = desk();
    let first = d.propose_kind(OfferKind::InstalmentPlan, false).offer.id;
    let before = d.trail().len();
    match d.accept(first, now() + Duration::days(3)) {
        Err(NegotiationError::Store(StoreError::Conflict(m))) => {
            assert!(m.contains("expired"), "{m}")
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(d.trail().len(), before);
    assert!(d
        .store()
        .arrangements(d.creditor, d.account)
        .expect("read")
        .is_empty());

    d.accept(first, now() + Duration::hours(1))
        .expect("accepted");
    let after = d.trail().len();
    match d.accept(first, now() + Duration::hours(2)) {
        Err(NegotiationError::Store(StoreError::Conflict(m))) => {
            assert!(m.contains("already accepted"), "{m}")
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(d.trail().len(), after);
    assert_eq!(
        d.store()
            .arrangements(d.creditor, d.account)
            .expect("read")
            .len(),
        1
    );
}

#[test]
fn instalments_paid_on_time_late_or_missed_and_two_misses_default_the_arrangement() {
    let d = desk();
    let offer = d.propose_kind(OfferKind::InstalmentPlan, false).offer;
    let accepted = d
        .accept(offer.id, now() + Duration::hours(1))
        .expect("accepted");
    let lines = accepted.arrangement.instalments.clone();
    assert!(
        lines.len() >= 3,
        "a plan has a down payment and instalments"
    );
    let due = |i: usize| lines[i].due_on;
    let amount = |i: usize| lines[i].amount.value();

    // The down payment on its due date: paid.
    d.pay(amount(0), &due(0).to_string(), "DP");
    let report = d.track(&due(0).to_string());
    assert_eq!((report.arrangements, report.instalments_changed), (1, 1));
    // Re-running for the same date writes nothing.
    let trail = d.trail().len();
    assert_eq!(d.track(&due(0).to_string()).instalments_changed, 0);
    assert_eq!(d.trail().len(), trail);

    // The second instalment paid two days late, within grace: late, not missed.
    let late_on = due(1) + Duration::days(2);
    d.pay(amount(1), &late_on.to_string(), "I2");
    d.track(&late_on.to_string());
    // Nothing for the third and fourth: missed after the grace, and the second miss
    // defaults the arrangement.
    let third_missed = due(2) + Duration::days(4);
    d.track(&third_missed.to_string());
    let mid = d
        .store()
        .arrangements(d.creditor, d.account)
        .expect("read")
        .remove(0);
    let statuses: Vec<_> = mid.instalments.iter().take(3).map(|i| i.status).collect();
    assert_eq!(
        statuses,
        [
            InstalmentStatus::Paid,
            InstalmentStatus::Late,
            InstalmentStatus::Missed
        ]
    );
    assert_eq!(
        mid.status,
        ArrangementStatus::Active,
        "one miss is tolerated"
    );
    let report = d.track(&(due(3) + Duration::days(4)).to_string());
    assert_eq!(report.defaulted, 1);
    let ended = d
        .store()
        .arrangements(d.creditor, d.account)
        .expect("read")
        .remove(0);
    assert_eq!(ended.status, ArrangementStatus::Defaulted);
    assert_eq!(ended.instalments[1].paid, lines[1].amount);
    let trail = d.trail();
    assert_eq!(
        &trail[..3],
        [
            "account.returned_to_collection",
            "arrangement.defaulted",
            "instalment.missed"
        ]
    );
    // Defaulted arrangements are no longer tracked.
    assert_eq!(
        d.track(&(due(3) + Duration::days(30)).to_string())
            .arrangements,
        0
    );
}

#[test]
fn a_payoff_paid_in_full_completes_the_arrangement() {
    let d = desk();
    let offer = d.propose_kind(OfferKind::FullPayoff, false).offer;
    let accepted = d
        .accept(offer.id, now() + Duration::hours(1))
        .expect("accepted");
    let line = accepted.arrangement.instalments[0].clone();
    // Paid in two parts before the due date; a payment made before the arrangement does
    // not count towards it.
    d.pay(100_000, "2026-11-30", "OLD");
    d.pay(line.amount.value() - 500_000, "2026-12-03", "P1");
    let report = d.track("2026-12-03");
    assert_eq!((report.completed, report.instalments_changed), (0, 1));
    d.pay(500_000, &line.due_on.to_string(), "P2");
    let report = d.track(&line.due_on.to_string());
    assert_eq!(report.completed, 1);
    let done = d
        .store()
        .arrangements(d.creditor, d.account)
        .expect("read")
        .remove(0);
    assert_eq!(done.status, ArrangementStatus::Completed);
    assert_eq!(
        (done.instalments[0].paid, done.instalments[0].status),
        (line.amount, InstalmentStatus::Paid)
    );
}

#[test]
fn every_option_beyond_the_collectors_authority_waits_for_the_approver_it_names() {
    let d = desk();
    let all = preview(
        d.store(),
        d.creditor,
        &proposal(d.account, 1),
        &NegotiationPolicy::default(),
    )
    .expect("options");
    let beyond: Vec<_> = all
        .set
        .options
        .iter()
        .filter(|o| o.authority.needs_approval())
        .map(|o| (o.rank, o.authority.approver))
        .collect();
    assert!(!beyond.is_empty(), "some option needs approval");
    for (rank, approver) in beyond {
        let offer = d
            .propose(&proposal(d.account, rank))
            .expect("proposed")
            .offer;
        match approver {
            Some(role) => assert!(
                offer.data.approvers.contains(&role),
                "option {rank}: {role:?} not among {:?}",
                offer.data.approvers
            ),
            None => assert!(offer.data.approvers.is_empty()),
        }
    }
}

#[test]
fn the_models_probability_to_pay_replaces_the_promise_history_as_the_keep_probability() {
    let d = desk();
    let by_history = preview(
        d.store(),
        d.creditor,
        &proposal(d.account, 1),
        &NegotiationPolicy::default(),
    )
    .expect("options");
    let scored = Proposal {
        propensity: Some(0.25),
        ..proposal(d.account, 1)
    };
    let by_model = preview(
        d.store(),
        d.creditor,
        &scored,
        &NegotiationPolicy::default(),
    )
    .expect("options");
    assert_eq!(by_model.set.keep_probability.ppm(), 250_000);
    assert_ne!(
        by_history.set.keep_probability,
        by_model.set.keep_probability
    );
    // A lower probability lowers every option's expected recovery.
    let expected = |p: &sepakat_engine::negotiation::Preview| {
        p.set
            .options
            .iter()
            .map(|o| o.recovery.expected)
            .max()
            .unwrap()
    };
    assert!(expected(&by_model) < expected(&by_history));
    // Nonsense from a caller is ignored, never a NaN probability.
    let nan = Proposal {
        propensity: Some(f64::NAN),
        ..proposal(d.account, 1)
    };
    let p = preview(d.store(), d.creditor, &nan, &NegotiationPolicy::default()).expect("options");
    assert_eq!(p.set.keep_probability, by_history.set.keep_probability);
}
