//! Payments: posting with allocation, reversal, and the list per account.
//!
//! The allocation rules live in the domain (`apply_payment`, `reverse_payment`); this
//! module loads the balance, stores the payment row and writes the new balance back, in
//! the caller's transaction.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use sepakat_domain::{Allocation, AllocationOrder, Balance, Province, Rupiah};
use serde_json::json;

use super::account::balance_at;
use super::audit;
use super::codec::{
    count, day, instant, opt_day, province, rupiah, status, to_instant, to_opt_day,
};
use crate::{
    AccountId, AccountStatus, Actor, CreditorId, EntityRef, NewAudit, NewPayment, NewPaymentData,
    Payment, PaymentId, StoreError, StoreResult,
};

/// What posting a payment needs to know about an account.
pub(crate) struct AccountState {
    id: AccountId,
    balance: Balance,
    instalment: Rupiah,
    status: AccountStatus,
    province: Province,
}

const STATE_SELECT: &str = "
    SELECT a.id, a.instalment, a.status, d.province,
           a.outstanding_principal, a.arrears_principal, a.arrears_interest, a.penalty, a.fees,
           a.oldest_unpaid_due
    FROM accounts a JOIN debtors d ON d.id = a.debtor_id";

fn decode_state(row: &Row) -> StoreResult<AccountState> {
    Ok(AccountState {
        id: AccountId(row.get(0)?),
        instalment: rupiah(row, 1)?,
        status: status(&row.get::<_, String>(2)?)?,
        province: province(row.get(3)?)?,
        balance: balance_at(row, 4)?,
    })
}

/// The posting state of an account of `creditor` by id.
fn state_by_id(
    conn: &Connection,
    creditor: CreditorId,
    id: AccountId,
) -> StoreResult<Option<AccountState>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{STATE_SELECT} WHERE a.creditor_id = ?1 AND a.id = ?2"
    ))?;
    let mut rows = stmt.query(params![creditor.0, id.0])?;
    rows.next()?.map(decode_state).transpose()
}

/// The posting state of an account of `creditor` by number.
pub(crate) fn state_by_number(
    conn: &Connection,
    creditor: CreditorId,
    account_no: &str,
) -> StoreResult<Option<AccountState>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{STATE_SELECT} WHERE a.creditor_id = ?1 AND a.account_no = ?2"
    ))?;
    let mut rows = stmt.query(params![creditor.0, account_no])?;
    rows.next()?.map(decode_state).transpose()
}

/// Whether `creditor` already has a payment with this reference.
pub(crate) fn reference_used(
    conn: &Connection,
    creditor: CreditorId,
    reference: &str,
) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM payments
                            WHERE creditor_id = ?1 AND reference = ?2 AND reverses IS NULL)",
        )?
        .query_row(params![creditor.0, reference], |r| r.get(0))?)
}

/// The calendar day of an instant in the debtor's time zone.
fn local_day(at: DateTime<Utc>, province: Province) -> NaiveDate {
    province.zone().local(at).date()
}

/// Stores the new balance of an account (and the total kept for sorting and summing).
fn save_balance(
    conn: &Connection,
    account: AccountId,
    balance: &Balance,
    status: AccountStatus,
) -> StoreResult<()> {
    conn.prepare_cached(
        "UPDATE accounts
         SET outstanding_principal = ?2, arrears_principal = ?3, arrears_interest = ?4,
             penalty = ?5, fees = ?6, oldest_unpaid_due = ?7, total_outstanding = ?8,
             status = ?9
         WHERE id = ?1",
    )?
    .execute(params![
        account.0,
        balance.outstanding_principal.value(),
        balance.arrears_principal.value(),
        balance.arrears_interest.value(),
        balance.penalty.value(),
        balance.fees.value(),
        opt_day(balance.oldest_unpaid_due),
        balance.total_outstanding().value(),
        status.code(),
    ])?;
    Ok(())
}

/// Allocates and stores a payment to a loaded account, unaudited (the caller audits:
/// per payment when posted by hand, once per file when imported).
pub(crate) fn apply(
    tx: &Connection,
    creditor: CreditorId,
    account: &AccountState,
    data: &NewPaymentData,
    order: &AllocationOrder,
) -> StoreResult<Payment> {
    if !data.amount.is_positive() {
        return Err(StoreError::Conflict(format!(
            "payment amount must be positive, got {}",
            data.amount.value()
        )));
    }
    let effect =
        sepakat_domain::apply_payment(&account.balance, data.amount, account.instalment, order);
    let a = effect.allocation;
    let id: i64 = tx
        .prepare_cached(
            "INSERT INTO payments (creditor_id, account_id, paid_at, amount, reference, channel,
                                   alloc_fees, alloc_penalty, alloc_interest, alloc_principal,
                                   alloc_excess, instalments_cleared, oldest_unpaid_due_before,
                                   prepaid_principal)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             RETURNING id",
        )?
        .query_row(
            params![
                creditor.0,
                account.id.0,
                instant(data.paid_at),
                data.amount.value(),
                data.reference,
                data.channel,
                a.fees.value(),
                a.penalty.value(),
                a.interest.value(),
                a.principal.value(),
                a.excess.value(),
                effect.instalments_cleared,
                opt_day(account.balance.oldest_unpaid_due),
                effect.prepaid_principal.value(),
            ],
            |r| r.get(0),
        )
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => StoreError::Conflict(format!(
                "payment reference {:?} is already posted",
                data.reference
            )),
            other => other,
        })?;
    let new_status = account.status.after_payment(&effect.after);
    save_balance(tx, account.id, &effect.after, new_status)?;
    let paid_on = day(local_day(data.paid_at, account.province));
    tx.prepare_cached(
        "UPDATE accounts
         SET last_payment_amount = CASE WHEN last_payment_on IS NULL OR ?2 >= last_payment_on
                                        THEN ?3 ELSE last_payment_amount END,
             last_payment_on = MAX(COALESCE(last_payment_on, ?2), ?2)
         WHERE id = ?1",
    )?
    .execute(params![account.id.0, paid_on, data.amount.value()])?;
    Ok(Payment {
        id: PaymentId(id),
        account: account.id,
        paid_at: data.paid_at,
        amount: data.amount,
        reference: data.reference.clone(),
        channel: data.channel.clone(),
        allocation: a,
        instalments_cleared: effect.instalments_cleared,
        reverses: None,
        reason: None,
        reversed_by: None,
    })
}

/// Posts one payment by hand and audits it on the account.
pub(crate) fn post(
    tx: &Connection,
    creditor: CreditorId,
    payment: &NewPayment,
    order: &AllocationOrder,
    actor: &Actor,
) -> StoreResult<Payment> {
    let account = state_by_id(tx, creditor, payment.account)?
        .ok_or_else(|| StoreError::NotFound(format!("account {}", payment.account)))?;
    if reference_used(tx, creditor, &payment.data.reference)? {
        return Err(StoreError::Conflict(format!(
            "payment reference {:?} is already posted",
            payment.data.reference
        )));
    }
    let posted = apply(tx, creditor, &account, &payment.data, order)?;
    audit::write(
        tx,
        &NewAudit {
            creditor: Some(creditor),
            // The trait passes no clock; the entry records when the posting was written.
            at: Utc::now(),
            actor: actor.clone(),
            action: "payment.posted".into(),
            entity: EntityRef::new("account", account.id),
            detail: json!({
                "payment_id": posted.id.0,
                "reference": posted.reference,
                "amount": posted.amount.value(),
                "channel": posted.channel,
                "paid_at": posted.paid_at,
                "allocation": allocation_json(&posted.allocation),
                "instalments_cleared": posted.instalments_cleared,
            }),
        },
    )?;
    Ok(posted)
}

fn allocation_json(a: &Allocation) -> serde_json::Value {
    json!({
        "fees": a.fees.value(),
        "penalty": a.penalty.value(),
        "interest": a.interest.value(),
        "principal": a.principal.value(),
        "excess": a.excess.value(),
    })
}

const PAYMENT_SELECT: &str = "
    SELECT p.id, p.account_id, p.paid_at, p.amount, p.reference, p.channel, p.alloc_fees,
           p.alloc_penalty, p.alloc_interest, p.alloc_principal, p.alloc_excess,
           p.instalments_cleared, p.reverses, p.reason, r.id, p.oldest_unpaid_due_before,
           p.prepaid_principal
    FROM payments p LEFT JOIN payments r ON r.reverses = p.id";

/// A stored payment with what a reversal needs besides it.
struct Stored {
    payment: Payment,
    oldest_unpaid_due_before: Option<NaiveDate>,
    prepaid_principal: Rupiah,
}

fn decode_payment(row: &Row) -> StoreResult<Stored> {
    let payment = Payment {
        id: PaymentId(row.get(0)?),
        account: AccountId(row.get(1)?),
        paid_at: to_instant(row.get(2)?)?,
        amount: rupiah(row, 3)?,
        reference: row.get(4)?,
        channel: row.get(5)?,
        allocation: Allocation {
            fees: rupiah(row, 6)?,
            penalty: rupiah(row, 7)?,
            interest: rupiah(row, 8)?,
            principal: rupiah(row, 9)?,
            excess: rupiah(row, 10)?,
        },
        instalments_cleared: count(row, 11)?,
        reverses: row.get::<_, Option<i64>>(12)?.map(PaymentId),
        reason: row.get(13)?,
        reversed_by: row.get::<_, Option<i64>>(14)?.map(PaymentId),
    };
    Ok(Stored {
        payment,
        oldest_unpaid_due_before: to_opt_day(row.get(15)?)?,
        prepaid_principal: rupiah(row, 16)?,
    })
}

/// Reverses a payment with a negative entry that restores the balance; audited.
pub(crate) fn reverse(
    tx: &Connection,
    creditor: CreditorId,
    payment: PaymentId,
    reason: &str,
    at: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<Payment> {
    let mut stmt = tx.prepare_cached(&format!(
        "{PAYMENT_SELECT} WHERE p.creditor_id = ?1 AND p.id = ?2"
    ))?;
    let mut rows = stmt.query(params![creditor.0, payment.0])?;
    let Stored {
        payment: original,
        oldest_unpaid_due_before,
        prepaid_principal,
    } = rows
        .next()?
        .map(decode_payment)
        .transpose()?
        .ok_or_else(|| StoreError::NotFound(format!("payment {payment}")))?;
    drop(rows);
    if original.reverses.is_some() {
        return Err(StoreError::Conflict(format!(
            "payment {payment} is itself a reversal"
        )));
    }
    if let Some(by) = original.reversed_by {
        return Err(StoreError::Conflict(format!(
            "payment {payment} is already reversed by {by}"
        )));
    }
    let account = state_by_id(tx, creditor, original.account)?
        .ok_or_else(|| StoreError::NotFound(format!("account {}", original.account)))?;
    let restored = sepakat_domain::reverse_payment(
        &account.balance,
        &original.allocation,
        prepaid_principal,
        oldest_unpaid_due_before,
    );
    let a = original.allocation;
    let negated = Allocation {
        fees: -a.fees,
        penalty: -a.penalty,
        interest: -a.interest,
        principal: -a.principal,
        excess: -a.excess,
    };
    let id: i64 = tx
        .prepare_cached(
            "INSERT INTO payments (creditor_id, account_id, paid_at, amount, reference, channel,
                                   alloc_fees, alloc_penalty, alloc_interest, alloc_principal,
                                   alloc_excess, instalments_cleared, oldest_unpaid_due_before,
                                   prepaid_principal, reverses, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
             RETURNING id",
        )?
        .query_row(
            params![
                creditor.0,
                account.id.0,
                instant(at),
                -original.amount.value(),
                original.reference,
                original.channel,
                negated.fees.value(),
                negated.penalty.value(),
                negated.interest.value(),
                negated.principal.value(),
                negated.excess.value(),
                original.instalments_cleared,
                opt_day(account.balance.oldest_unpaid_due),
                -prepaid_principal.value(),
                payment.0,
                reason,
            ],
            |r| r.get(0),
        )
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict(format!("payment {payment} is already reversed"))
            }
            other => other,
        })?;
    let new_status = account.status.after_reversal(&restored);
    save_balance(tx, account.id, &restored, new_status)?;
    restore_last_payment(tx, &account)?;
    audit::write(
        tx,
        &NewAudit {
            creditor: Some(creditor),
            at,
            actor: actor.clone(),
            action: "payment.reversed".into(),
            entity: EntityRef::new("account", account.id),
            detail: json!({
                "payment_id": id,
                "reverses": payment.0,
                "reference": original.reference,
                "amount": -original.amount.value(),
                "reason": reason,
            }),
        },
    )?;
    Ok(Payment {
        id: PaymentId(id),
        account: account.id,
        paid_at: at,
        amount: -original.amount,
        reference: original.reference,
        channel: original.channel,
        allocation: negated,
        instalments_cleared: original.instalments_cleared,
        reverses: Some(payment),
        reason: Some(reason.to_string()),
        reversed_by: None,
    })
}

/// After a reversal the last payment is the latest payment still standing, if any; with
/// none left, the last payment known from the import stays.
fn restore_last_payment(tx: &Connection, account: &AccountState) -> StoreResult<()> {
    let latest: Option<(i64, i64)> = tx
        .prepare_cached(
            "SELECT p.paid_at, p.amount FROM payments p
             WHERE p.account_id = ?1 AND p.reverses IS NULL
               AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id)
             ORDER BY p.paid_at DESC, p.id DESC LIMIT 1",
        )?
        .query_row([account.id.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((paid_at, amount)) = latest {
        let on = day(local_day(to_instant(paid_at)?, account.province));
        tx.prepare_cached(
            "UPDATE accounts SET last_payment_on = ?2, last_payment_amount = ?3 WHERE id = ?1",
        )?
        .execute(params![account.id.0, on, amount])?;
    }
    Ok(())
}

/// Payments and reversals of an account of `creditor`, oldest first.
pub(crate) fn list(
    conn: &Connection,
    creditor: CreditorId,
    account: AccountId,
) -> StoreResult<Vec<Payment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{PAYMENT_SELECT} WHERE p.creditor_id = ?1 AND p.account_id = ?2 ORDER BY p.paid_at, p.id"
    ))?;
    let mut rows = stmt.query(params![creditor.0, account.0])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(decode_payment(row)?.payment);
    }
    Ok(out)
}
