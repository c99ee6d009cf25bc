//! Bulk imports of accounts and payments: one transaction per file, rows streamed from the
//! source, one summary audit entry, committed only if the source wants it.

use std::time::Instant;

use chrono::Utc;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use sepakat_domain::AllocationOrder;
use serde_json::json;

use super::account_write::{creditor_has_portfolio, FreshLoad, Upserts};
use super::audit;
use super::deferred_indexes::{
    bulk_after, Deferrable, DeferredIndexes, SORTING_TEMP_STORE, USUAL_TEMP_STORE,
};
use super::payment;
use crate::{
    AccountUpsert, Actor, CreditorId, EntityRef, ImportOutcome, ImportSource, NewAudit,
    PaymentUpsert, StoreError, StoreResult, WriteStage,
};

fn begin(conn: &mut Connection, creditor: CreditorId) -> StoreResult<Transaction<'_>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let known: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM creditors WHERE id = ?1)")?
        .query_row([creditor.0], |r| r.get(0))?;
    if !known {
        return Err(StoreError::NotFound(format!("creditor {creditor}")));
    }
    Ok(tx)
}

/// Writes the summary entry, then commits or (for a dry run) rolls everything back.
fn finish<T>(
    tx: Transaction<'_>,
    creditor: CreditorId,
    actor: &Actor,
    what: &str,
    mut outcome: ImportOutcome,
    commit: bool,
    source: &mut dyn ImportSource<T>,
) -> StoreResult<ImportOutcome> {
    audit::write(
        &tx,
        &NewAudit {
            creditor: Some(creditor),
            // The trait passes no clock; the entry records when the import was written.
            at: Utc::now(),
            actor: actor.clone(),
            action: format!("import.{what}"),
            entity: EntityRef::new("import", what),
            detail: json!({
                "inserted": outcome.inserted,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "rejected": outcome.rejected,
                "contacts_added": outcome.contacts_added,
            }),
        },
    )?;
    let started = Instant::now();
    if commit {
        tx.commit()?;
        outcome.committed = true;
    } else {
        tx.rollback()?;
    }
    source.timed(WriteStage::Commit, started.elapsed());
    tracing::debug!(?outcome, what, "import finished");
    Ok(outcome)
}

/// The path an account import takes (see `account_write`).
enum Writer<'c> {
    Fresh(Box<FreshLoad<'c>>),
    Upserts(Box<Upserts<'c>>),
}

/// The indexes a bulk write through `writer` may defer.
fn deferrable(writer: &Writer<'_>) -> Deferrable {
    match writer {
        Writer::Fresh(_) => Deferrable::SecondaryAndDebtorKey,
        Writer::Upserts(_) => Deferrable::Secondary,
    }
}

/// Writes accounts with their debtors; counts inserts and updates.
pub(crate) fn accounts(
    conn: &mut Connection,
    creditor: CreditorId,
    actor: &Actor,
    source: &mut dyn ImportSource<AccountUpsert>,
) -> StoreResult<ImportOutcome> {
    // `temp_store` cannot change inside a transaction, so it is set around it.
    conn.pragma_update(None, "temp_store", SORTING_TEMP_STORE)?;
    let written = write_accounts(conn, creditor, actor, source);
    conn.pragma_update(None, "temp_store", USUAL_TEMP_STORE)?;
    written
}

/// `accounts` in one transaction.
fn write_accounts(
    conn: &mut Connection,
    creditor: CreditorId,
    actor: &Actor,
    source: &mut dyn ImportSource<AccountUpsert>,
) -> StoreResult<ImportOutcome> {
    let tx = begin(conn, creditor)?;
    let started = Instant::now();
    let accounts_before: i64 =
        tx.query_row("SELECT COALESCE(MAX(id), 0) FROM accounts", [], |r| {
            r.get(0)
        })?;
    let bulk_after = bulk_after(accounts_before.max(0) as u64);
    let mut deferred: Option<DeferredIndexes> = None;
    let mut outcome = ImportOutcome::default();
    {
        // The trait passes no clock: contacts record when the import wrote them.
        let now = Utc::now();
        let mut writer = if creditor_has_portfolio(&tx, creditor)? {
            Writer::Upserts(Box::new(Upserts::new(&tx, creditor, now, actor)?))
        } else {
            Writer::Fresh(Box::new(FreshLoad::new(&tx, creditor, now, actor)?))
        };
        let mut pulled = 0u64;
        // A first load that announces its size defers the indexes from the first row. (An
        // upsert defers them only once it has written enough: a repeated file changes
        // few rows, and a rebuild would cost more than it saves.)
        let announced_bulk = source
            .rows_expected()
            .is_some_and(|rows| rows >= bulk_after);
        if announced_bulk && matches!(writer, Writer::Fresh(_)) {
            deferred = Some(DeferredIndexes::drop(&tx, deferrable(&writer))?);
        }
        while let Some(row) = source.next_valid() {
            // Rows that rewrite what is there change no index: only writes count as bulk.
            let written = match &mut writer {
                Writer::Fresh(w) => {
                    w.write(row)?;
                    pulled += 1;
                    pulled
                }
                Writer::Upserts(w) => {
                    w.write(row)?;
                    w.written()
                }
            };
            if deferred.is_none() && written >= bulk_after {
                deferred = Some(DeferredIndexes::drop(&tx, deferrable(&writer))?);
            }
        }
        ((outcome.inserted, outcome.updated), outcome.contacts_added) = match writer {
            Writer::Fresh(w) => w.finish()?,
            Writer::Upserts(w) => w.finish()?,
        };
    }
    source.timed(WriteStage::Rows, started.elapsed());
    let commit = source.commit_wanted();
    if let Some(indexes) = deferred {
        // A dry run rolls back the drop with everything else.
        if commit {
            source.timed(WriteStage::Indexes, indexes.rebuild(&tx)?);
        }
    }
    finish(tx, creditor, actor, "accounts", outcome, commit, source)
}

/// Posts payments; unknown accounts are rejected, known references left unchanged.
pub(crate) fn payments(
    conn: &mut Connection,
    creditor: CreditorId,
    actor: &Actor,
    order: &AllocationOrder,
    source: &mut dyn ImportSource<PaymentUpsert>,
) -> StoreResult<ImportOutcome> {
    let tx = begin(conn, creditor)?;
    let mut outcome = ImportOutcome::default();
    while let Some(row) = source.next_valid() {
        let Some(account) = payment::state_by_number(&tx, creditor, &row.account_no)? else {
            source.reject(
                row.row,
                "account_no",
                format!("no account {} for this creditor", row.account_no),
            );
            outcome.rejected += 1;
            continue;
        };
        if payment::reference_used(&tx, creditor, &row.payment.reference)? {
            outcome.unchanged += 1;
            continue;
        }
        if !row.payment.amount.is_positive() {
            source.reject(
                row.row,
                "amount",
                "amount must be more than zero".to_string(),
            );
            outcome.rejected += 1;
            continue;
        }
        payment::apply(&tx, creditor, &account, &row.payment, order)?;
        outcome.inserted += 1;
    }
    let commit = source.commit_wanted();
    finish(tx, creditor, actor, "payments", outcome, commit, source)
}
