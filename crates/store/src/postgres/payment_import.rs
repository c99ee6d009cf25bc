//! Bulk import of payments, in batches: per batch, one query locks the accounts named and
//! one finds the references already posted; the domain allocates each payment in memory,
//! in file order, against the account's running balance; then one `COPY` stores the
//! payments and one `UPDATE` the new balances. The result is the same as posting the rows
//! one by one (the checks run in the same order as in SQLite), with four round trips per
//! batch instead of several per row.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use chrono::NaiveDate;
use postgres::{Client, Statement, Transaction};
use sepakat_domain::AllocationOrder;

use super::codec::get;
use super::db_err;
use super::import::{audit_import, ensure_creditor, escape_into, finish};
use super::payment::{decode_locked, local_day, LockedAccount, LOCK_COLUMNS};
use crate::{
    Actor, CreditorId, ImportOutcome, ImportSource, PaymentUpsert, StoreError, StoreResult,
};

/// Payment rows per batch.
const BATCH_ROWS: usize = 2_000;

const CONTEXT: &str = "importing payments";

const COPY_PAYMENTS: &str = "COPY payments (creditor_id, account_id, paid_at, amount,
    reference, channel, alloc_fees, alloc_penalty, alloc_interest, alloc_principal,
    alloc_excess, instalments_cleared, oldest_unpaid_due_before, prepaid_principal)
    FROM STDIN";

/// The new state of every account a batch touched, as parallel arrays.
const SAVE_BALANCES: &str = "
    UPDATE accounts a SET
        outstanding_principal = n.outstanding_principal,
        arrears_principal = n.arrears_principal, arrears_interest = n.arrears_interest,
        penalty = n.penalty, fees = n.fees, oldest_unpaid_due = n.oldest_unpaid_due,
        status = n.status, last_payment_on = n.last_payment_on,
        last_payment_amount = n.last_payment_amount
    FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[],
                $6::bigint[], $7::date[], $8::text[], $9::date[], $10::bigint[])
         AS n(id, outstanding_principal, arrears_principal, arrears_interest, penalty, fees,
              oldest_unpaid_due, status, last_payment_on, last_payment_amount)
    WHERE a.id = n.id";

/// The statements of one payment import.
struct Statements {
    lock: Statement,
    known: Statement,
    save: Statement,
}

/// An account as a batch changes it.
struct Running {
    account: LockedAccount,
    last_payment_on: Option<NaiveDate>,
    last_payment_amount: Option<i64>,
    touched: bool,
}

/// Imports payments in one transaction; known references are unchanged, unknown accounts
/// and non-positive amounts rejected through the source.
pub(super) fn payments(
    client: &mut Client,
    creditor: CreditorId,
    actor: &Actor,
    order: &AllocationOrder,
    source: &mut dyn ImportSource<PaymentUpsert>,
) -> StoreResult<ImportOutcome> {
    let mut tx = client.transaction().map_err(db_err(CONTEXT))?;
    ensure_creditor(&mut tx, creditor)?;
    // The batch's keys drive the joins from an `unnest`, so each is one probe of a unique
    // index: a generic plan over `= ANY($2)` once scanned every payment of the creditor
    // per batch, which made a large import quadratic.
    let statements = Statements {
        // Locked in id order, so concurrent imports and postings cannot deadlock.
        lock: tx
            .prepare(&format!(
                "SELECT {LOCK_COLUMNS}, a.account_no, a.last_payment_on, a.last_payment_amount
                 FROM unnest($2::text[]) AS n(account_no)
                 JOIN accounts a ON a.creditor_id = $1 AND a.account_no = n.account_no
                 JOIN debtors d ON d.id = a.debtor_id
                 ORDER BY a.id FOR UPDATE OF a"
            ))
            .map_err(db_err(CONTEXT))?,
        known: tx
            .prepare(
                "SELECT p.reference
                 FROM unnest($2::text[]) AS n(reference)
                 JOIN payments p ON p.creditor_id = $1 AND p.reference = n.reference
                                AND p.reverses IS NULL",
            )
            .map_err(db_err(CONTEXT))?,
        save: tx.prepare(SAVE_BALANCES).map_err(db_err(CONTEXT))?,
    };
    // Plans for the actual batch (an array of thousands, not the generic guess of ten),
    // and statistics that keep up with the payments this import adds: with a table the
    // planner believes empty, the reference lookup scans every payment for every row.
    tx.batch_execute("SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL jit = off")
        .map_err(db_err(CONTEXT))?;
    let mut analysed_at = 0u64;
    let mut outcome = ImportOutcome::default();
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    let mut exhausted = false;
    while !exhausted {
        batch.clear();
        while batch.len() < BATCH_ROWS {
            match source.next_valid() {
                Some(row) => batch.push(row),
                None => {
                    exhausted = true;
                    break;
                }
            }
        }
        if !batch.is_empty() {
            post_batch(
                &mut tx,
                &statements,
                creditor,
                order,
                &batch,
                source,
                &mut outcome,
            )?;
        }
        if outcome.inserted >= (analysed_at * 2).max(10_000) {
            tx.batch_execute("ANALYZE payments")
                .map_err(db_err(CONTEXT))?;
            analysed_at = outcome.inserted;
        }
    }
    audit_import(&mut tx, creditor, actor, "payments", &outcome)?;
    finish(tx, source.commit_wanted(), outcome, CONTEXT)
}

fn post_batch(
    tx: &mut Transaction<'_>,
    statements: &Statements,
    creditor: CreditorId,
    order: &AllocationOrder,
    batch: &[PaymentUpsert],
    source: &mut dyn ImportSource<PaymentUpsert>,
    outcome: &mut ImportOutcome,
) -> StoreResult<()> {
    let distinct = |key: fn(&PaymentUpsert) -> &str| -> Vec<&str> {
        let set: HashSet<&str> = batch.iter().map(key).collect();
        set.into_iter().collect()
    };
    let numbers = distinct(|r| r.account_no.as_str());
    let references = distinct(|r| r.payment.reference.as_str());
    let mut accounts = HashMap::new();
    for row in tx
        .query(&statements.lock, &[&creditor.0, &numbers])
        .map_err(db_err(CONTEXT))?
    {
        let account_no: String = get(&row, "account_no")?;
        let running = Running {
            account: decode_locked(&row)?,
            last_payment_on: get(&row, "last_payment_on")?,
            last_payment_amount: get(&row, "last_payment_amount")?,
            touched: false,
        };
        accounts.insert(account_no, running);
    }
    let mut used: HashSet<String> = tx
        .query(&statements.known, &[&creditor.0, &references])
        .map_err(db_err(CONTEXT))?
        .iter()
        .map(|row| get(row, "reference"))
        .collect::<StoreResult<_>>()?;
    let mut copy = Vec::new();
    for row in batch {
        let Some(running) = accounts.get_mut(&row.account_no) else {
            source.reject(
                row.row,
                "account_no",
                format!("no account {} for this creditor", row.account_no),
            );
            outcome.rejected += 1;
            continue;
        };
        let data = &row.payment;
        if used.contains(&data.reference) {
            outcome.unchanged += 1;
            continue;
        }
        if !data.amount.is_positive() {
            source.reject(
                row.row,
                "amount",
                "amount must be more than zero".to_string(),
            );
            outcome.rejected += 1;
            continue;
        }
        let account = &mut running.account;
        let effect =
            sepakat_domain::apply_payment(&account.balance, data.amount, account.instalment, order);
        let a = &effect.allocation;
        let cleared = i32::try_from(effect.instalments_cleared)
            .map_err(|_| StoreError::Other("instalments cleared out of range".into()))?;
        let before = account.balance.oldest_unpaid_due.map(|d| d.to_string());
        let fields: [Option<String>; 14] = [
            Some(creditor.0.to_string()),
            Some(account.id.0.to_string()),
            // Microseconds, as the column keeps, truncated like the binary protocol does.
            Some(data.paid_at.format("%Y-%m-%dT%H:%M:%S%.6f%:z").to_string()),
            Some(data.amount.value().to_string()),
            Some(data.reference.clone()),
            Some(data.channel.clone()),
            Some(a.fees.value().to_string()),
            Some(a.penalty.value().to_string()),
            Some(a.interest.value().to_string()),
            Some(a.principal.value().to_string()),
            Some(a.excess.value().to_string()),
            Some(cleared.to_string()),
            before,
            Some(effect.prepaid_principal.value().to_string()),
        ];
        push_line(&mut copy, &fields);
        account.balance = effect.after;
        account.status = account.status.after_payment(&effect.after);
        // The latest payment by the debtor's calendar day; a tie goes to the later row.
        let day = local_day(data.paid_at, account.province);
        if running.last_payment_on.is_none_or(|last| day >= last) {
            running.last_payment_on = Some(day);
            running.last_payment_amount = Some(data.amount.value());
        }
        running.touched = true;
        used.insert(data.reference.clone());
        outcome.inserted += 1;
    }
    if copy.is_empty() {
        return Ok(());
    }
    let mut writer = tx
        .copy_in(COPY_PAYMENTS)
        .map_err(|e| match db_err(CONTEXT)(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict("a payment reference was posted meanwhile".into())
            }
            other => other,
        })?;
    writer
        .write_all(&copy)
        .map_err(|e| StoreError::Other(format!("{CONTEXT}: staging payments: {e}")))?;
    writer.finish().map_err(|e| match db_err(CONTEXT)(e) {
        StoreError::Conflict(_) => {
            StoreError::Conflict("a payment reference was posted meanwhile".into())
        }
        other => other,
    })?;
    save_balances(
        tx,
        &statements.save,
        accounts.values().filter(|r| r.touched),
    )
}

fn save_balances<'a>(
    tx: &mut Transaction<'_>,
    save: &Statement,
    touched: impl Iterator<Item = &'a Running>,
) -> StoreResult<()> {
    let mut ids = Vec::new();
    let mut principal = Vec::new();
    let mut arrears_principal = Vec::new();
    let mut arrears_interest = Vec::new();
    let mut penalty = Vec::new();
    let mut fees = Vec::new();
    let mut oldest = Vec::new();
    let mut status = Vec::new();
    let mut last_on = Vec::new();
    let mut last_amount = Vec::new();
    for running in touched {
        let a = &running.account;
        let b = &a.balance;
        ids.push(a.id.0);
        principal.push(b.outstanding_principal.value());
        arrears_principal.push(b.arrears_principal.value());
        arrears_interest.push(b.arrears_interest.value());
        penalty.push(b.penalty.value());
        fees.push(b.fees.value());
        oldest.push(b.oldest_unpaid_due);
        status.push(a.status.code());
        last_on.push(running.last_payment_on);
        last_amount.push(running.last_payment_amount);
    }
    tx.execute(
        save,
        &[
            &ids,
            &principal,
            &arrears_principal,
            &arrears_interest,
            &penalty,
            &fees,
            &oldest,
            &status,
            &last_on,
            &last_amount,
        ],
    )
    .map_err(db_err(CONTEXT))?;
    Ok(())
}

/// One COPY text line.
fn push_line(buf: &mut Vec<u8>, fields: &[Option<String>]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            buf.push(b'\t');
        }
        match field {
            None => buf.extend_from_slice(b"\\N"),
            Some(text) => escape_into(buf, text),
        }
    }
    buf.push(b'\n');
}
