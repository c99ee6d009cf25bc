//! Bulk imports of accounts and payments: one transaction per file, rows streamed from the
//! source, one summary audit entry, committed only if the source wants it.

use chrono::Utc;
use rusqlite::{params, Connection, Transaction, TransactionBehavior};
use sepakat_domain::AllocationOrder;
use serde_json::json;

use super::audit;
use super::codec::{day, kind_code, opt_day};
use super::payment;
use crate::{
    AccountUpsert, Actor, CreditorId, DebtorUpsert, EntityRef, ImportOutcome, ImportSource,
    NewAudit, PaymentUpsert, StoreError, StoreResult,
};

const DEBTOR_UPSERT: &str = "
    INSERT INTO debtors (creditor_id, debtor_key, kind, name, nik, npwp, gender, birth_date,
                         phone, email, address, city, province, employer)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
    ON CONFLICT (creditor_id, debtor_key) DO UPDATE SET
        kind = excluded.kind, name = excluded.name, nik = excluded.nik, npwp = excluded.npwp,
        gender = excluded.gender, birth_date = excluded.birth_date, phone = excluded.phone,
        email = excluded.email, address = excluded.address, city = excluded.city,
        province = excluded.province, employer = excluded.employer
    RETURNING id";

const ACCOUNT_UPSERT: &str = "
    INSERT INTO accounts (creditor_id, account_no, debtor_id, product, principal,
                          annual_rate_ppm, tenor_months, first_due, method, instalment,
                          opened_on, outstanding_principal, arrears_principal,
                          arrears_interest, penalty, fees, oldest_unpaid_due,
                          total_outstanding, last_payment_on, last_payment_amount, status)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21)
    ON CONFLICT (creditor_id, account_no) DO UPDATE SET
        debtor_id = excluded.debtor_id, product = excluded.product,
        principal = excluded.principal, annual_rate_ppm = excluded.annual_rate_ppm,
        tenor_months = excluded.tenor_months, first_due = excluded.first_due,
        method = excluded.method, instalment = excluded.instalment,
        opened_on = excluded.opened_on,
        outstanding_principal = excluded.outstanding_principal,
        arrears_principal = excluded.arrears_principal,
        arrears_interest = excluded.arrears_interest, penalty = excluded.penalty,
        fees = excluded.fees, oldest_unpaid_due = excluded.oldest_unpaid_due,
        total_outstanding = excluded.total_outstanding,
        last_payment_on = excluded.last_payment_on,
        last_payment_amount = excluded.last_payment_amount, status = excluded.status,
        revision = revision + 1
    RETURNING revision";

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

fn upsert_debtor(tx: &Connection, creditor: CreditorId, d: &DebtorUpsert) -> StoreResult<i64> {
    Ok(tx.prepare_cached(DEBTOR_UPSERT)?.query_row(
        params![
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
        ],
        |r| r.get(0),
    )?)
}

/// Upserts accounts with their debtors; counts inserts and updates.
pub(crate) fn accounts(
    conn: &mut Connection,
    creditor: CreditorId,
    actor: &Actor,
    source: &mut dyn ImportSource<AccountUpsert>,
) -> StoreResult<ImportOutcome> {
    let tx = begin(conn, creditor)?;
    let mut outcome = ImportOutcome::default();
    {
        let mut account_stmt = tx.prepare_cached(ACCOUNT_UPSERT)?;
        // Files usually list a debtor's accounts together: skip the debtor upsert when the
        // row repeats the previous row's debtor exactly.
        let mut previous: Option<(DebtorUpsert, i64)> = None;
        while let Some(row) = source.next_valid() {
            let debtor_id = match &previous {
                Some((debtor, id)) if *debtor == row.debtor => *id,
                _ => upsert_debtor(&tx, creditor, &row.debtor)?,
            };
            let b = &row.balance;
            let revision: i64 = account_stmt.query_row(
                params![
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
                ],
                |r| r.get(0),
            )?;
            if revision == 0 {
                outcome.inserted += 1;
            } else {
                outcome.updated += 1;
            }
            previous = Some((row.debtor, debtor_id));
        }
    }
    let commit = source.commit_wanted();
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
