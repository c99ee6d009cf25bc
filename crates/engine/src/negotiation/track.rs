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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
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
