//! Bulk imports of accounts and payments: one transaction per file, rows streamed from the
//! source, one summary audit entry, committed only if the source wants it.

use chrono::Utc;
use rusqlite::{params, CachedStatement, Connection, Transaction, TransactionBehavior};
use sepakat_domain::AllocationOrder;
use serde_json::json;

use super::audit;
use super::codec::{day, kind_code, opt_day};
use super::payment;
use crate::{
    AccountUpsert, Actor, CreditorId, DebtorUpsert, EntityRef, ImportOutcome, ImportSource,
    NewAudit, PaymentUpsert, StoreError, StoreResult,
};

// Upserts are written as "insert unless the key exists, else update" rather than
// `INSERT … ON CONFLICT DO UPDATE … RETURNING`: with SQLite 3.46 RETURNING made the import
// about three times slower (measured), and the number of rows the insert changed tells an
// insert from an update for free. New rows, the common case of a large import, cost one
// statement each.

const DEBTOR_FIND: &str = "SELECT id FROM debtors WHERE creditor_id = ?1 AND debtor_key = ?2";

const DEBTOR_INSERT: &str = "
    INSERT INTO debtors (creditor_id, debtor_key, kind, name, nik, npwp, gender, birth_date,
                         phone, email, address, city, province, employer)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
    ON CONFLICT (creditor_id, debtor_key) DO NOTHING";

/// Same parameters as the insert; `?1`/`?2` name the row by its key.
const DEBTOR_UPDATE: &str = "
    UPDATE debtors
    SET kind = ?3, name = ?4, nik = ?5, npwp = ?6, gender = ?7, birth_date = ?8, phone = ?9,
        email = ?10, address = ?11, city = ?12, province = ?13, employer = ?14
    WHERE creditor_id = ?1 AND debtor_key = ?2";

const ACCOUNT_INSERT: &str = "
    INSERT INTO accounts (creditor_id, account_no, debtor_id, product, principal,
                          annual_rate_ppm, tenor_months, first_due, method, instalment,
                          opened_on, outstanding_principal, arrears_principal,
                          arrears_interest, penalty, fees, oldest_unpaid_due,
                          total_outstanding, last_payment_on, last_payment_amount, status)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21)
    ON CONFLICT (creditor_id, account_no) DO NOTHING";

/// Same parameters as the insert; `?1`/`?2` name the row by its key.
const ACCOUNT_UPDATE: &str = "
    UPDATE accounts
    SET debtor_id = ?3, product = ?4, principal = ?5, annual_rate_ppm = ?6,
        tenor_months = ?7, first_due = ?8, method = ?9, instalment = ?10, opened_on = ?11,
        outstanding_principal = ?12, arrears_principal = ?13, arrears_interest = ?14,
        penalty = ?15, fees = ?16, oldest_unpaid_due = ?17, total_outstanding = ?18,
        last_payment_on = ?19, last_payment_amount = ?20, status = ?21
    WHERE creditor_id = ?1 AND account_no = ?2";

/// Rows after which an import counts as bulk (with `BULK_SHARE`).
const BULK_MIN_ROWS: u64 = 50_000;
/// A bulk import has written at least this share (1/N) of the accounts there were.
const BULK_SHARE: u64 = 4;

/// The secondary indexes of the tables an account import writes, dropped during a bulk
/// import and rebuilt before commit (a sorted rebuild is several times faster than
/// maintaining them row by row). Both happen inside the import's transaction, so readers
/// and a crash only ever see the indexes complete.
struct DeferredIndexes {
    /// `(name, CREATE statement)` of each dropped index, to rebuild from.
    dropped: Vec<(String, String)>,
}

impl DeferredIndexes {
    /// Drops the non-unique indexes of `debtors` and `accounts`, remembering their SQL.
    fn drop_all(tx: &Connection) -> StoreResult<DeferredIndexes> {
        let dropped: Vec<(String, String)> = tx
            .prepare(
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name IN ('debtors', 'accounts')
                   AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (name, _) in &dropped {
            tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
        }
        tracing::debug!(
            indexes = dropped.len(),
            "bulk import: secondary indexes deferred"
        );
        Ok(DeferredIndexes { dropped })
    }

    /// Recreates every dropped index.
    fn rebuild(self, tx: &Connection) -> StoreResult<()> {
        let started = std::time::Instant::now();
        for (_, sql) in &self.dropped {
            tx.execute_batch(sql)?;
        }
        tracing::debug!(
            seconds = started.elapsed().as_secs_f64(),
            "bulk import: indexes rebuilt"
        );
        Ok(())
    }
}

/// The statements of an account import, prepared once per import.
struct Statements<'c> {
    debtor_find: CachedStatement<'c>,
    debtor_insert: CachedStatement<'c>,
    debtor_update: CachedStatement<'c>,
    account_insert: CachedStatement<'c>,
    account_update: CachedStatement<'c>,
}

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
fn finish(
    tx: Transaction<'_>,
    creditor: CreditorId,
    actor: &Actor,
    what: &str,
    mut outcome: ImportOutcome,
    commit: bool,
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
            }),
        },
    )?;
    if commit {
        tx.commit()?;
        outcome.committed = true;
    } else {
        tx.rollback()?;
    }
    tracing::debug!(?outcome, what, "import finished");
    Ok(outcome)
}

/// Inserts or updates a debtor by key; returns its id.
fn upsert_debtor(
    tx: &Connection,
    st: &mut Statements<'_>,
    creditor: CreditorId,
    d: &DebtorUpsert,
) -> StoreResult<i64> {
    let values = params![
        creditor.0,
        d.key,
        kind_code(d.kind),
        d.name,
        d.nik.as_ref().map(|n| n.as_str()),
        d.npwp.as_ref().map(|n| n.as_str()),
        d.gender.map(|g| g.code()),
        opt_day(d.birth_date),
        d.phone.as_ref().map(|p| p.as_str()),
        d.email.as_ref().map(|e| e.as_str()),
        d.address,
        d.city,
        d.province.code(),
        d.employer,
    ];
    if st.debtor_insert.execute(values)? == 1 {
        return Ok(tx.last_insert_rowid());
    }
    st.debtor_update.execute(values)?;
    Ok(st
        .debtor_find
        .query_row(params![creditor.0, d.key], |r| r.get(0))?)
}

/// Inserts or updates an account by number; true if it was inserted.
fn upsert_account(
    st: &mut Statements<'_>,
    creditor: CreditorId,
    debtor_id: i64,
    row: &AccountUpsert,
) -> StoreResult<bool> {
    let b = &row.balance;
    let values = params![
        creditor.0,
        row.account_no,
        debtor_id,
        row.product.code(),
        row.terms.principal.value(),
        row.terms.annual_rate.ppm(),
        row.terms.tenor_months,
        day(row.terms.first_due),
        row.terms.method.code(),
        row.instalment.value(),
        day(row.opened_on),
        b.outstanding_principal.value(),
        b.arrears_principal.value(),
        b.arrears_interest.value(),
        b.penalty.value(),
        b.fees.value(),
        opt_day(b.oldest_unpaid_due),
        b.total_outstanding().value(),
        row.last_payment.map(|(on, _)| day(on)),
        row.last_payment.map(|(_, amount)| amount.value()),
        row.status.code(),
    ];
    if st.account_insert.execute(values)? == 1 {
        return Ok(true);
    }
    st.account_update.execute(values)?;
    Ok(false)
}

/// Upserts accounts with their debtors; counts inserts and updates.
pub(crate) fn accounts(
    conn: &mut Connection,
    creditor: CreditorId,
    actor: &Actor,
    source: &mut dyn ImportSource<AccountUpsert>,
) -> StoreResult<ImportOutcome> {
    let tx = begin(conn, creditor)?;
    let accounts_before: u64 =
        tx.query_row("SELECT COALESCE(MAX(id), 0) FROM accounts", [], |r| {
            r.get::<_, i64>(0)
        })? as u64;
    let bulk_after = BULK_MIN_ROWS.max(accounts_before / BULK_SHARE);
    let mut deferred: Option<DeferredIndexes> = None;
    let mut outcome = ImportOutcome::default();
    {
        let mut st = Statements {
            debtor_find: tx.prepare_cached(DEBTOR_FIND)?,
            debtor_insert: tx.prepare_cached(DEBTOR_INSERT)?,
            debtor_update: tx.prepare_cached(DEBTOR_UPDATE)?,
            account_insert: tx.prepare_cached(ACCOUNT_INSERT)?,
            account_update: tx.prepare_cached(ACCOUNT_UPDATE)?,
        };
        // Files usually list a debtor's accounts together: skip the debtor upsert when the
        // row repeats the previous row's debtor exactly.
        let mut previous: Option<(DebtorUpsert, i64)> = None;
        while let Some(row) = source.next_valid() {
            let debtor_id = match &previous {
                Some((debtor, id)) if *debtor == row.debtor => *id,
                _ => upsert_debtor(&tx, &mut st, creditor, &row.debtor)?,
            };
            if upsert_account(&mut st, creditor, debtor_id, &row)? {
                outcome.inserted += 1;
            } else {
                outcome.updated += 1;
            }
            previous = Some((row.debtor, debtor_id));
            if deferred.is_none() && outcome.inserted + outcome.updated == bulk_after {
                deferred = Some(DeferredIndexes::drop_all(&tx)?);
            }
        }
    }
    let commit = source.commit_wanted();
    if let Some(indexes) = deferred {
        // A dry run rolls back the drop with everything else.
        if commit {
            indexes.rebuild(&tx)?;
        }
    }
    finish(tx, creditor, actor, "accounts", outcome, commit)
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
    finish(tx, creditor, actor, "payments", outcome, commit)
}
