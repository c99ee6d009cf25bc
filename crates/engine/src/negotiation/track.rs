//! Tracking arrangements: each instalment compared with the payments posted on the account
//! since the arrangement began — paid (in full by its due date), late (in full after it),
//! missed (not in full by the due date plus grace) — and the arrangement ended: completed
//! when every instalment is paid, defaulted once `max_misses` instalments are missed (or
//! the last one is missed with nothing left to come), after which the account is back in
//! regular collection with its history.
//!
//! Payments fill the instalments in order (the oldest unpaid first), as a cashier would
//! apply them; a reversal takes its payment back out. The verdict is a pure function of
//! the arrangement, the payments and the date, so running the tracker twice for the same
//! date writes nothing the second time.

use std::collections::HashSet;

use chrono::{DateTime, Days, NaiveDate, Utc};
use sepakat_domain::{Rupiah, Zone};
use sepakat_store::{
    Actor, Arrangement, ArrangementStatus, ArrangementTracking, CreditorId, InstalmentStatus,
    Payment, Store, StoreError,
};

use super::NegotiationResult;

/// What one tracking run did, for the job's log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TrackingReport {
    /// Active arrangements looked at.
    pub arrangements: u32,
    /// Instalments whose paid amount or status changed.
    pub instalments_changed: u32,
    /// Arrangements completed by this run.
    pub completed: u32,
    /// Arrangements defaulted by this run (their accounts returned to collection).
    pub defaulted: u32,
}

/// The verdict on one arrangement on `as_of`: each instalment's paid amount and status,
/// and the arrangement's status. `zone` is the debtor's: a payment's day is its local day.
pub fn instalment_verdict(
    arrangement: &Arrangement,
    payments: &[Payment],
    zone: Zone,
    as_of: NaiveDate,
    grace_days: u32,
) -> ArrangementTracking {
    let local_day = |at: DateTime<Utc>| at.with_timezone(&zone.offset()).date_naive();
    // Payments since the arrangement, and the reversals of exactly those.
    let since: HashSet<_> = payments
        .iter()
        .filter(|p| p.reverses.is_none() && p.paid_at >= arrangement.created_at)
        .map(|p| p.id)
        .collect();
    let mut events: Vec<&Payment> = payments
        .iter()
        .filter(|p| match p.reverses {
            None => since.contains(&p.id),
            Some(original) => since.contains(&original),
        })
        .filter(|p| local_day(p.paid_at) <= as_of)
        .collect();
    events.sort_by_key(|p| (p.paid_at, p.id));

    let targets: Vec<Rupiah> = arrangement
        .instalments
        .iter()
        .scan(Rupiah::ZERO, |sum, i| {
            *sum += i.amount;
            Some(*sum)
        })
        .collect();
    let mut paid_on: Vec<Option<NaiveDate>> = vec![None; targets.len()];
    let mut running = Rupiah::ZERO;
    for p in events {
        running += p.amount;
        for (i, target) in targets.iter().enumerate() {
            if running >= *target {
                paid_on[i].get_or_insert(local_day(p.paid_at));
            } else {
                paid_on[i] = None;
            }
        }
    }

    let mut before = Rupiah::ZERO;
    let instalments: Vec<(u32, Rupiah, InstalmentStatus)> = arrangement
        .instalments
        .iter()
        .zip(&paid_on)
        .map(|(i, on)| {
            let paid = (running - before).clamp_zero().min(i.amount);
            before += i.amount;
            let deadline = i
                .due_on
                .checked_add_days(Days::new(u64::from(grace_days)))
                .unwrap_or(NaiveDate::MAX);
            let status = match on {
                Some(day) if *day <= i.due_on => InstalmentStatus::Paid,
                Some(_) => InstalmentStatus::Late,
                None if as_of > deadline => InstalmentStatus::Missed,
                None => InstalmentStatus::Pending,
            };
            (i.seq, paid, status)
        })
        .collect();
    let missed = instalments
        .iter()
        .filter(|i| i.2 == InstalmentStatus::Missed)
        .count() as u32;
    let pending = instalments.iter().any(|i| i.2 == InstalmentStatus::Pending);
    let status = if missed >= arrangement.max_misses || (missed > 0 && !pending) {
        ArrangementStatus::Defaulted
    } else if instalments.iter().all(|i| i.2.is_paid()) {
        ArrangementStatus::Completed
    } else {
        ArrangementStatus::Active
    };
    ArrangementTracking {
        arrangement: arrangement.id,
        instalments,
        status,
    }
}

/// Tracks every active arrangement of the creditor on `as_of` and records what changed
/// (each arrangement in its own transaction, audited). Safe to re-run: the same date and
/// payments give the same verdicts, which write nothing; a run stopped half-way is
/// finished by the next.
pub fn track_arrangements(
    store: &dyn Store,
    creditor: CreditorId,
    as_of: NaiveDate,
    grace_days: u32,
    now: DateTime<Utc>,
    actor: &Actor,
) -> NegotiationResult<TrackingReport> {
    let mut report = TrackingReport::default();
    for arrangement in store.active_arrangements(creditor)? {
        let account = store
            .account(creditor, arrangement.account)?
            .ok_or_else(|| StoreError::NotFound(format!("account {}", arrangement.account)))?;
        let payments = store.payments(creditor, account.id)?;
        let zone = account.debtor.data.province.zone();
        let verdict = instalment_verdict(&arrangement, &payments, zone, as_of, grace_days);
        let outcome = store.record_tracking(creditor, &verdict, now, actor)?;
        report.arrangements += 1;
        report.instalments_changed += outcome.instalments_changed;
        if outcome.status_changed {
            match verdict.status {
                ArrangementStatus::Completed => report.completed += 1,
                ArrangementStatus::Defaulted => report.defaulted += 1,
                ArrangementStatus::Active => {}
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use sepakat_domain::negotiation::OfferKind;
    use sepakat_domain::Allocation;
    use sepakat_store::{AccountId, ArrangementId, ArrangementInstalment, OfferId, PaymentId};

    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    fn arrangement(amounts: &[i64], max_misses: u32) -> Arrangement {
        Arrangement {
            id: ArrangementId(1),
            account: AccountId(1),
            offer: OfferId(1),
            kind: OfferKind::InstalmentPlan,
            status: ArrangementStatus::Active,
            max_misses,
            created_at: Utc
                .with_ymd_and_hms(2026, 12, 1, 3, 0, 0)
                .single()
                .expect("t"),
            created_by: None,
            ended_at: None,
            instalments: amounts
                .iter()
                .enumerate()
                .map(|(i, a)| ArrangementInstalment {
                    seq: i as u32 + 1,
                    due_on: day("2026-12-10") + chrono::Months::new(i as u32),
                    amount: Rupiah::new(*a),
                    paid: Rupiah::ZERO,
                    status: InstalmentStatus::Pending,
                })
                .collect(),
        }
    }

    /// A payment at 23:30 UTC on `on`: already the next day in WIB.
    fn payment(id: i64, on: &str, amount: i64, reverses: Option<i64>) -> Payment {
        Payment {
            id: PaymentId(id),
            account: AccountId(1),
            paid_at: day(on).and_hms_opt(23, 30, 0).expect("t").and_utc(),
            amount: Rupiah::new(amount),
            reference: format!("R{id}"),
            channel: "transfer".into(),
            allocation: Allocation::default(),
            instalments_cleared: 0,
            reverses: reverses.map(PaymentId),
            reason: None,
            reversed_by: None,
        }
    }

    fn statuses(t: &ArrangementTracking) -> Vec<InstalmentStatus> {
        t.instalments.iter().map(|i| i.2).collect()
    }

    #[test]
    fn a_payment_counts_on_the_debtors_local_day() {
        let a = arrangement(&[100], 2);
        // 23:30 UTC on 9 Dec is 06:30 WIB on 10 Dec: on time.
        let t = instalment_verdict(
            &a,
            &[payment(1, "2026-12-09", 100, None)],
            Zone::Wib,
            day("2026-12-10"),
            0,
        );
        assert_eq!(statuses(&t), [InstalmentStatus::Paid]);
        assert_eq!(t.status, ArrangementStatus::Completed);
        // The same instant on 10 Dec is 11 Dec in WIB: late.
        let t = instalment_verdict(
            &a,
            &[payment(1, "2026-12-10", 100, None)],
            Zone::Wib,
            day("2026-12-11"),
            0,
        );
        assert_eq!(statuses(&t), [InstalmentStatus::Late]);
    }

    #[test]
    fn an_unpaid_instalment_is_missed_only_after_the_grace_days() {
        let a = arrangement(&[100, 100, 100], 2);
        let on_last_grace_day = instalment_verdict(&a, &[], Zone::Wib, day("2026-12-13"), 3);
        assert_eq!(
            on_last_grace_day.instalments[0].2,
            InstalmentStatus::Pending
        );
        let after = instalment_verdict(&a, &[], Zone::Wib, day("2026-12-14"), 3);
        assert_eq!(after.instalments[0].2, InstalmentStatus::Missed);
        assert_eq!(after.status, ArrangementStatus::Active);
    }

    #[test]
    fn payments_fill_instalments_in_order_and_a_reversal_takes_its_payment_back() {
        let a = arrangement(&[100, 100, 100], 2);
        let pays = [
            payment(1, "2026-12-05", 150, None),
            payment(2, "2026-12-06", 100, None),
            payment(3, "2026-12-07", -100, Some(2)),
        ];
        let t = instalment_verdict(&a, &pays, Zone::Wib, day("2026-12-20"), 3);
        assert_eq!(
            t.instalments
                .iter()
                .map(|i| i.1.value())
                .collect::<Vec<_>>(),
            [100, 50, 0]
        );
        assert_eq!(
            statuses(&t),
            [
                InstalmentStatus::Paid,
                InstalmentStatus::Pending,
                InstalmentStatus::Pending
            ]
        );
    }

    #[test]
    fn payments_before_the_arrangement_and_after_the_date_do_not_count() {
        let a = arrangement(&[100], 2);
        let pays = [
            payment(1, "2026-11-20", 100, None),
            payment(2, "2026-12-20", 100, None),
            // Reversing a payment from before the arrangement takes nothing from it.
            payment(3, "2026-12-02", -100, Some(1)),
        ];
        let t = instalment_verdict(&a, &pays, Zone::Wib, day("2026-12-12"), 3);
        assert_eq!(t.instalments[0].1, Rupiah::ZERO);
        assert_eq!(t.instalments[0].2, InstalmentStatus::Pending);
    }

    #[test]
    fn misses_reaching_the_limit_or_a_missed_last_instalment_default_the_arrangement() {
        let two = arrangement(&[100, 100, 100], 2);
        let t = instalment_verdict(&two, &[], Zone::Wib, day("2027-01-20"), 3);
        assert_eq!(t.status, ArrangementStatus::Defaulted);
        let lump = arrangement(&[300], 2);
        let t = instalment_verdict(&lump, &[], Zone::Wib, day("2026-12-20"), 3);
        assert_eq!(
            t.status,
            ArrangementStatus::Defaulted,
            "nothing is left to catch up"
        );
    }

    #[test]
    fn the_verdict_is_the_same_for_the_same_date_and_payments() {
        let a = arrangement(&[100, 100], 2);
        let pays = [payment(1, "2026-12-05", 120, None)];
        let first = instalment_verdict(&a, &pays, Zone::Wita, day("2027-01-03"), 3);
        let again = instalment_verdict(&a, &pays, Zone::Wita, day("2027-01-03"), 3);
        assert_eq!(first, again);
    }
}
