//! Contract: the negotiation tables (assessments, offers and their approval, arrangements
//! and their instalments): refusals store nothing, every write is audited on the account's
//! trail, nobody decides their own offer, and nothing of another creditor can be reached.

use chrono::{DateTime, Utc};
use sepakat_domain::interaction::PauseReason;
use sepakat_domain::negotiation::{
    assess, offers, AbilityPolicy, Assessment, Debt, Declaration, Negotiation, NegotiationPolicy,
    Offer, OfferRequest, PromiseHistory,
};
use sepakat_domain::{Dpd, Regime, Role, Rupiah};
use sepakat_store::{
    AccountDetail, AccountId, Actor, ArrangementStatus, ArrangementTracking, CreditorId, EntityRef,
    InstalmentStatus, NewOffer, NewPause, OfferDecision, OfferId, OfferStatus, Store, StoreError,
    User,
};

use super::fixtures::*;
use super::payment::one_account;

/// The options the domain engine computes for a test account, for a collector.
fn computed(account: &AccountDetail) -> (Assessment, Vec<Offer>) {
    let as_of = day("2026-11-24");
    let dpd = Dpd::as_of(account.balance.oldest_unpaid_due, as_of);
    let debt = Debt {
        product: account.product,
        balance: account.balance,
        dpd,
        kolektibilitas: Regime::bank().classify(dpd),
        annual_rate: account.terms.annual_rate,
        method: account.terms.method,
        instalment: account.instalment,
        remaining_tenor_months: 3,
        original_principal: account.terms.principal,
        charges_paid: Rupiah::ZERO,
        promises: PromiseHistory { made: 1, kept: 1 },
        propensity: None,
    };
    let assessment = assess(
        Declaration {
            monthly_income: Rupiah::new(6_000_000),
            essential_expenses: Rupiah::new(3_000_000),
            other_debt_payments: Rupiah::ZERO,
            dependants: 1,
            hardship: None,
        },
        &AbilityPolicy::default(),
    )
    .expect("assessment");
    let policy = NegotiationPolicy::default();
    let set = offers(&Negotiation {
        debt: &debt,
        assessment: &assessment,
        policy: &policy,
        role: Role::Collector,
        as_of,
        request: &OfferRequest::default(),
    })
    .expect("options");
    (assessment, set.options)
}

/// An offer of the first option that needs approval (`beyond`) or that does not.
fn new_offer(account: &AccountDetail, beyond: bool) -> NewOffer {
    let (assessment, options) = computed(account);
    let chosen = options
        .iter()
        .find(|o| o.authority.needs_approval() == beyond)
        .expect("the test account has options on both sides of a collector's authority");
    NewOffer {
        account: account.id,
        assessment,
        as_of: day("2026-11-24"),
        chosen_rank: chosen.rank,
        options: options.clone(),
        created_role: Role::Collector,
        approvers: if beyond {
            vec![Role::Supervisor, Role::Manager]
        } else {
            vec![]
        },
        expires_at: expires(),
    }
}

fn expires() -> DateTime<Utc> {
    at(72)
}

fn person_actor(store: &dyn Store, creditor: CreditorId, name: &str) -> (User, Actor) {
    let u = user(store, name, &[creditor]);
    let actor = Actor::user(u.id, &u.username);
    (u, actor)
}

fn trail(store: &dyn Store, creditor: CreditorId, account: AccountId) -> Vec<String> {
    store
        .audit_trail(creditor, &EntityRef::new("account", account), 100)
        .expect("trail")
        .into_iter()
        .map(|e| e.entry.action)
        .collect()
}

fn conflict<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Conflict(message)) => message,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn status(store: &dyn Store, creditor: CreditorId, offer: OfferId) -> OfferStatus {
    store
        .offer(creditor, offer)
        .expect("read")
        .expect("offer exists")
        .status
}

fn approve(reason: &str) -> OfferDecision {
    OfferDecision {
        approve: true,
        reason: reason.to_string(),
    }
}

fn create(
    store: &dyn Store,
    creditor: CreditorId,
    new: &NewOffer,
    actor: &Actor,
) -> (sepakat_store::AssessmentId, OfferId) {
    store
        .create_offer(creditor, new, day("2026-11-24"), at(0), actor)
        .expect("offer created")
}

pub fn assessment_and_offer_are_saved_together_audited_and_read_back(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let (collector, desk) = person_actor(store, a, "desk1");
    let new = new_offer(&acc, false);
    let (assessment, id) = create(store, a, &new, &desk);
    let stored = store.offer(a, id).expect("read").expect("exists");
    assert_eq!(stored.status, OfferStatus::Proposed);
    assert_eq!(stored.assessment, assessment);
    assert_eq!(
        stored.data, new,
        "every option and the assessment come back exactly"
    );
    let chosen = new.chosen().expect("chosen");
    assert_eq!(
        (stored.kind, stored.total_paid, stored.tenor_months),
        (chosen.kind, chosen.total_paid, chosen.tenor_months)
    );
    assert_eq!(stored.created_by, Some(collector.id));
    assert_eq!(store.offers(a, acc.id).expect("offers"), vec![stored]);
    let saved = store.assessments(a, acc.id).expect("assessments");
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].assessment, new.assessment);
    let alone = store
        .save_assessment(a, acc.id, &new.assessment, at(1), &desk)
        .expect("assessment alone");
    assert_eq!(
        store.assessments(a, acc.id).expect("assessments")[1].id,
        alone
    );
    let actions = trail(store, a, acc.id);
    assert_eq!(
        &actions[..3],
        ["assessment.saved", "offer.created", "assessment.saved"]
    );
    assert!(store.pending_approvals(a).expect("queue").is_empty());
}

pub fn offer_beyond_authority_waits_in_the_queue_until_another_person_approves(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let (_, desk) = person_actor(store, a, "desk1");
    let (boss, supervisor) = person_actor(store, a, "spv1");
    let (_, id) = create(store, a, &new_offer(&acc, true), &desk);
    let queue = store.pending_approvals(a).expect("queue");
    assert_eq!(queue.iter().map(|o| o.id).collect::<Vec<_>>(), [id]);
    assert_eq!(queue[0].status, OfferStatus::PendingApproval);
    assert_eq!(queue[0].data.approvers, [Role::Supervisor, Role::Manager]);
    let decided = store
        .decide_offer(
            a,
            id,
            &approve("  Debitur kooperatif, bukti PHK ada. "),
            at(1),
            &supervisor,
        )
        .expect("approved");
    assert_eq!(decided, OfferStatus::Approved);
    let stored = store.offer(a, id).expect("read").expect("exists");
    assert_eq!(stored.status, OfferStatus::Approved);
    assert_eq!(stored.decided_by, Some(boss.id));
    assert_eq!(stored.decided_at, Some(at(1)));
    assert_eq!(
        stored.decision_reason.as_deref(),
        Some("Debitur kooperatif, bukti PHK ada.")
    );
    assert!(store.pending_approvals(a).expect("queue").is_empty());
    assert_eq!(trail(store, a, acc.id)[0], "offer.approved");
    // Decided once: a second decision is refused.
    let message = conflict(store.decide_offer(a, id, &approve("lagi"), at(2), &supervisor));
    assert!(message.contains("approved"), "{message}");
}

pub fn nobody_decides_their_own_offer_and_bad_decisions_change_nothing(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let (_, desk) = person_actor(store, a, "desk1");
    let (_, supervisor) = person_actor(store, a, "spv1");
    let (_, pending) = create(store, a, &new_offer(&acc, true), &desk);
    let (_, proposed) = create(store, a, &new_offer(&acc, false), &desk);
    let before = trail(store, a, acc.id);

    let own = conflict(store.decide_offer(a, pending, &approve("saya setuju"), at(1), &desk));
    assert!(own.contains("their own offer"), "{own}");
    let system = conflict(store.decide_offer(a, pending, &approve("ok"), at(1), &cli()));
    assert!(system.contains("only a person"), "{system}");
    let blank = conflict(store.decide_offer(a, pending, &approve("  "), at(1), &supervisor));
    assert!(blank.contains("reason"), "{blank}");
    let late = conflict(store.decide_offer(a, pending, &approve("ok"), expires(), &supervisor));
    assert!(late.contains("expired"), "{late}");
    let not_pending = conflict(store.decide_offer(a, proposed, &approve("ok"), at(1), &supervisor));
    assert!(
        not_pending.contains("not pending approval"),
        "{not_pending}"
    );

    assert_eq!(status(store, a, pending), OfferStatus::PendingApproval);
    assert_eq!(status(store, a, proposed), OfferStatus::Proposed);
    assert_eq!(
        trail(store, a, acc.id),
        before,
        "a refused decision writes nothing"
    );
}

pub fn offers_that_are_not_ready_cannot_be_accepted_and_nothing_is_written(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let (_, desk) = person_actor(store, a, "desk1");
    let (_, supervisor) = person_actor(store, a, "spv1");
    let (_, pending) = create(store, a, &new_offer(&acc, true), &desk);
    let (_, rejected) = create(store, a, &new_offer(&acc, true), &desk);
    let (_, proposed) = create(store, a, &new_offer(&acc, false), &desk);
    let reject = OfferDecision {
        approve: false,
        reason: "Potongan terlalu besar untuk riwayat ini".to_string(),
    };
    store
        .decide_offer(a, rejected, &reject, at(1), &supervisor)
        .expect("rejected");
    let before = trail(store, a, acc.id);
    let today = day("2026-11-24");

    let waiting = conflict(store.accept_offer(a, pending, 2, today, at(2), &desk));
    assert!(waiting.contains("waiting for approval"), "{waiting}");
    let refused = conflict(store.accept_offer(a, rejected, 2, today, at(2), &desk));
    assert!(refused.contains("rejected"), "{refused}");
    let expired = conflict(store.accept_offer(a, proposed, 2, today, expires(), &desk));
    assert!(expired.contains("expired"), "{expired}");
    let no_misses = conflict(store.accept_offer(a, proposed, 0, today, at(2), &desk));
    assert!(no_misses.contains("max_misses"), "{no_misses}");

    assert_eq!(trail(store, a, acc.id), before);
    assert!(store.arrangements(a, acc.id).expect("read").is_empty());
    assert_eq!(status(store, a, proposed), OfferStatus::Proposed);
}

pub fn accepting_an_offer_creates_the_arrangement_with_its_schedule_once(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let (_, desk) = person_actor(store, a, "desk1");
    let (_, supervisor) = person_actor(store, a, "spv1");
    let new = new_offer(&acc, true);
    let (_, id) = create(store, a, &new, &desk);
    store
        .decide_offer(a, id, &approve("Sesuai kemampuan"), at(1), &supervisor)
        .expect("approved");
    let today = day("2026-11-24");
    let arrangement = store
        .accept_offer(a, id, 2, today, at(2), &desk)
        .expect("accepted");
    assert_eq!(status(store, a, id), OfferStatus::Accepted);
    let list = store.arrangements(a, acc.id).expect("arrangements");
    assert_eq!(list.len(), 1);
    let arr = &list[0];
    assert_eq!(
        (arr.id, arr.offer, arr.status, arr.max_misses),
        (arrangement, id, ArrangementStatus::Active, 2)
    );
    let chosen = new.chosen().expect("chosen");
    assert_eq!(arr.kind, chosen.kind);
    let schedule: Vec<_> = chosen
        .schedule
        .iter()
        .map(|l| (l.seq, l.due_date, l.amount))
        .collect();
    let instalments: Vec<_> = arr
        .instalments
        .iter()
        .map(|i| (i.seq, i.due_on, i.amount))
        .collect();
    assert_eq!(instalments, schedule);
    assert!(arr
        .instalments
        .iter()
        .all(|i| i.status == InstalmentStatus::Pending && i.paid.is_zero()));
    assert_eq!(
        &trail(store, a, acc.id)[..2],
        ["arrangement.created", "offer.accepted"]
    );
    assert_eq!(store.active_arrangements(a).expect("active"), list);

    let again = conflict(store.accept_offer(a, id, 2, today, at(3), &desk));
    assert!(again.contains("already accepted"), "{again}");
    let (_, second) = create(store, a, &new_offer(&acc, false), &desk);
    let busy = conflict(store.accept_offer(a, second, 2, today, at(3), &desk));
    assert!(busy.contains("active arrangement"), "{busy}");
    assert_eq!(store.arrangements(a, acc.id).expect("read").len(), 1);
    assert_eq!(status(store, a, second), OfferStatus::Proposed);
}

pub fn a_paused_account_gets_no_offer_and_accepts_none(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let (_, desk) = person_actor(store, a, "desk1");
    let (_, earlier) = create(store, a, &new_offer(&acc, false), &desk);
    store
        .pause_account(
            a,
            &NewPause {
                account: acc.id,
                reason: PauseReason::Dispute,
                note: "Debitur menyanggah tagihan".to_string(),
                starts_on: day("2026-11-24"),
                ends_on: None,
            },
            at(1),
            &desk,
        )
        .expect("paused");
    let before = trail(store, a, acc.id);
    let today = day("2026-11-24");
    let message = conflict(store.create_offer(a, &new_offer(&acc, false), today, at(2), &desk));
    assert!(message.contains("paused"), "{message}");
    let message = conflict(store.accept_offer(a, earlier, 2, today, at(2), &desk));
    assert!(message.contains("paused"), "{message}");
    assert_eq!(store.offers(a, acc.id).expect("offers").len(), 1);
    assert_eq!(store.assessments(a, acc.id).expect("assessments").len(), 1);
    assert!(store.arrangements(a, acc.id).expect("read").is_empty());
    assert_eq!(trail(store, a, acc.id), before);
}

pub fn bad_offers_are_refused_and_store_nothing(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let (_, desk) = person_actor(store, a, "desk1");
    let today = day("2026-11-24");
    let mut no_rank = new_offer(&acc, false);
    no_rank.chosen_rank = 99;
    let message = conflict(store.create_offer(a, &no_rank, today, at(0), &desk));
    assert!(message.contains("no option 99"), "{message}");
    let mut stale = new_offer(&acc, false);
    stale.expires_at = at(0);
    let message = conflict(store.create_offer(a, &stale, today, at(0), &desk));
    assert!(message.contains("expires_at"), "{message}");
    let mut unknown = new_offer(&acc, false);
    unknown.account = AccountId(acc.id.0 + 1000);
    assert!(matches!(
        store.create_offer(a, &unknown, today, at(0), &desk),
        Err(StoreError::NotFound(_))
    ));
    assert!(store.offers(a, acc.id).expect("offers").is_empty());
    assert!(store
        .assessments(a, acc.id)
        .expect("assessments")
        .is_empty());
    assert!(!trail(store, a, acc.id)
        .iter()
        .any(|t| t.starts_with("offer.") || t.starts_with("assessment.")));
}

pub fn expire_offers_marks_only_open_offers_past_their_expiry(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let (_, desk) = person_actor(store, a, "desk1");
    let (_, old) = create(store, a, &new_offer(&acc, true), &desk);
    let mut later = new_offer(&acc, false);
    later.expires_at = at(200);
    let (_, fresh) = create(store, a, &later, &desk);
    assert_eq!(store.expire_offers(a, at(1), &cli()).expect("sweep"), 0);
    assert_eq!(store.expire_offers(a, expires(), &cli()).expect("sweep"), 1);
    assert_eq!(status(store, a, old), OfferStatus::Expired);
    assert_eq!(status(store, a, fresh), OfferStatus::Proposed);
    assert!(store.pending_approvals(a).expect("queue").is_empty());
    assert_eq!(trail(store, a, acc.id)[0], "offer.expired");
    assert_eq!(store.expire_offers(a, expires(), &cli()).expect("again"), 0);
}

pub fn another_creditors_offers_and_arrangements_are_not_found(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let b = creditor(store, "BANKB");
    let (_, desk) = person_actor(store, a, "desk1");
    let (_, other) = person_actor(store, b.id, "spvb");
    let today = day("2026-11-24");
    let (_, id) = create(store, a, &new_offer(&acc, true), &desk);
    assert!(store.offer(b.id, id).expect("read").is_none());
    assert!(store.offers(b.id, acc.id).expect("read").is_empty());
    assert!(store.pending_approvals(b.id).expect("read").is_empty());
    assert!(store.assessments(b.id, acc.id).expect("read").is_empty());
    assert!(matches!(
        store.decide_offer(b.id, id, &approve("ok"), at(1), &other),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.accept_offer(b.id, id, 2, today, at(1), &other),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.create_offer(b.id, &new_offer(&acc, false), today, at(1), &other),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.save_assessment(
            b.id,
            acc.id,
            &new_offer(&acc, false).assessment,
            at(1),
            &other
        ),
        Err(StoreError::NotFound(_))
    ));
    let (_, mine) = create(store, a, &new_offer(&acc, false), &desk);
    let arrangement = store
        .accept_offer(a, mine, 2, today, at(2), &desk)
        .expect("accepted");
    assert!(store.arrangements(b.id, acc.id).expect("read").is_empty());
    assert!(store.active_arrangements(b.id).expect("read").is_empty());
    let stored = store.arrangements(a, acc.id).expect("read").remove(0);
    let tracking = ArrangementTracking {
        arrangement,
        instalments: stored
            .instalments
            .iter()
            .map(|i| (i.seq, i.amount, InstalmentStatus::Paid))
            .collect(),
        status: ArrangementStatus::Completed,
    };
    assert!(matches!(
        store.record_tracking(b.id, &tracking, at(3), &other),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(status(store, a, id), OfferStatus::PendingApproval);
    assert_eq!(
        store.arrangements(a, acc.id).expect("read")[0].status,
        ArrangementStatus::Active
    );
}

pub fn tracking_writes_changes_once_and_a_default_returns_the_account_to_collection(
    store: &dyn Store,
) {
    let (a, acc) = one_account(store);
    let (_, desk) = person_actor(store, a, "desk1");
    let (_, id) = create(store, a, &new_offer(&acc, false), &desk);
    let arrangement = store
        .accept_offer(a, id, 1, day("2026-11-24"), at(1), &desk)
        .expect("accepted");
    let stored = store.arrangements(a, acc.id).expect("read").remove(0);
    let first = stored.instalments[0].clone();
    let mut verdict = ArrangementTracking {
        arrangement,
        instalments: stored
            .instalments
            .iter()
            .map(|i| (i.seq, Rupiah::ZERO, InstalmentStatus::Pending))
            .collect(),
        status: ArrangementStatus::Active,
    };
    // Nothing changed: nothing written.
    let before = trail(store, a, acc.id);
    let outcome = store
        .record_tracking(a, &verdict, at(2), &cli())
        .expect("tracked");
    assert_eq!(outcome, Default::default());
    assert_eq!(trail(store, a, acc.id), before);
    // A part payment, then the first instalment missed: the arrangement defaults.
    verdict.instalments[0] = (first.seq, Rupiah::new(1_000), InstalmentStatus::Pending);
    let outcome = store
        .record_tracking(a, &verdict, at(3), &cli())
        .expect("tracked");
    assert_eq!(
        (outcome.instalments_changed, outcome.status_changed),
        (1, false)
    );
    verdict.instalments[0] = (first.seq, Rupiah::new(1_000), InstalmentStatus::Missed);
    verdict.status = ArrangementStatus::Defaulted;
    let outcome = store
        .record_tracking(a, &verdict, at(4), &cli())
        .expect("tracked");
    assert_eq!(
        (outcome.instalments_changed, outcome.status_changed),
        (1, true)
    );
    let after = store.arrangements(a, acc.id).expect("read").remove(0);
    assert_eq!(after.status, ArrangementStatus::Defaulted);
    assert_eq!(after.ended_at, Some(at(4)));
    assert_eq!(
        (after.instalments[0].paid, after.instalments[0].status),
        (Rupiah::new(1_000), InstalmentStatus::Missed)
    );
    assert!(store.active_arrangements(a).expect("active").is_empty());
    assert_eq!(
        &trail(store, a, acc.id)[..4],
        [
            "account.returned_to_collection",
            "arrangement.defaulted",
            "instalment.missed",
            "instalment.part_paid"
        ]
    );
    // Ended: no more tracking.
    let message = conflict(store.record_tracking(a, &verdict, at(5), &cli()));
    assert!(message.contains("defaulted"), "{message}");
}

pub fn a_tracking_verdict_must_cover_exactly_the_stored_instalments(store: &dyn Store) {
    let (a, acc) = one_account(store);
    let (_, desk) = person_actor(store, a, "desk1");
    let (_, id) = create(store, a, &new_offer(&acc, false), &desk);
    let arrangement = store
        .accept_offer(a, id, 2, day("2026-11-24"), at(1), &desk)
        .expect("accepted");
    let before = trail(store, a, acc.id);
    let verdict = ArrangementTracking {
        arrangement,
        instalments: vec![(99, Rupiah::ZERO, InstalmentStatus::Paid)],
        status: ArrangementStatus::Completed,
    };
    let message = conflict(store.record_tracking(a, &verdict, at(2), &cli()));
    assert!(message.contains("do not match"), "{message}");
    assert_eq!(trail(store, a, acc.id), before);
    assert_eq!(
        store.arrangements(a, acc.id).expect("read")[0].status,
        ArrangementStatus::Active
    );
}
