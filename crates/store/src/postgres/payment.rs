//! Payments and reversals: each moves an account's balance in one transaction with its
//! audit entry. A reversal is a new negative entry pointing at its payment, never an edit.

use chrono::{DateTime, Utc};
use postgres::{Client, GenericClient, Row, Transaction};
use sepakat_domain::{Allocation, AllocationOrder, Balance, Rupiah};

use super::account::decode_balance;
use super::audit;
use super::codec::{get, get_parsed, get_u32, parse_status, to_i32};
use super::db_err;
use crate::{
    AccountId, AccountStatus, Actor, CreditorId, EntityRef, NewAudit, NewPayment, NewPaymentData,
    Payment, PaymentId, StoreError, StoreResult,
};

/// The payment columns `decode` reads, for `payments p LEFT JOIN payments r` (the reversal).
const PAYMENT_COLUMNS: &str = "p.id, p.account_id, p.paid_at, p.amount, p.reference, p.channel,
    p.alloc_fees, p.alloc_penalty, p.alloc_interest, p.alloc_principal, p.alloc_excess,
    p.instalments_cleared, p.reverses, p.reason, r.id AS reversed_by";

/// An account locked for a money movement.
pub(super) struct LockedAccount {
    /// Id.
    pub id: AccountId,
    /// Account number (for audit details).
    pub account_no: String,
    /// Balance before the movement.
    pub balance: Balance,
    /// Contractual instalment.
    pub instalment: Rupiah,
    /// Status before the movement.
    pub status: AccountStatus,
}

const LOCK_COLUMNS: &str = "a.id, a.account_no, a.outstanding_principal, a.arrears_principal,
    a.arrears_interest, a.penalty, a.fees, a.oldest_unpaid_due, a.instalment, a.status";

/// Locks an account of the creditor by id (None if it is not theirs or does not exist).
pub(super) fn lock_by_id(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    id: AccountId,
) -> StoreResult<Option<LockedAccount>> {
    let sql = format!(
        "SELECT {LOCK_COLUMNS} FROM accounts a WHERE a.creditor_id = $1 AND a.id = $2 FOR UPDATE"
    );
    tx.query_opt(&sql, &[&creditor.0, &id.0])
        .map_err(db_err("locking an account"))?
        .map(|row| decode_locked(&row))
        .transpose()
}

/// The statement that locks an account of a creditor by number (prepared once per import).
pub(super) fn lock_by_number_sql() -> String {
    format!(
        "SELECT {LOCK_COLUMNS} FROM accounts a
         WHERE a.creditor_id = $1 AND a.account_no = $2 FOR UPDATE"
    )
}

/// A row of `LOCK_COLUMNS`.
pub(super) fn decode_locked(row: &Row) -> StoreResult<LockedAccount> {
    Ok(LockedAccount {
        id: AccountId(get(row, "id")?),
        account_no: get(row, "account_no")?,
        balance: decode_balance(row)?,
        instalment: Rupiah::new(get(row, "instalment")?),
        status: get_parsed(row, "status", parse_status)?,
    })
}

/// Posts one payment by hand.
pub(super) fn post(
    client: &mut Client,
    creditor: CreditorId,
    payment: &NewPayment,
    order: &AllocationOrder,
    actor: &Actor,
) -> StoreResult<Payment> {
    check_amount(&payment.data)?;
    let context = format!("payment {}", payment.data.reference);
    let mut tx = client.transaction().map_err(db_err(&context))?;
    let account = lock_by_id(&mut tx, creditor, payment.account)?
        .ok_or_else(|| StoreError::NotFound(format!("account {}", payment.account)))?;
    let posted = apply(&mut tx, creditor, &account, &payment.data, order, actor)?;
    tx.commit().map_err(db_err(&context))?;
    Ok(posted)
}

/// Refuses an amount that is not positive.
pub(super) fn check_amount(data: &NewPaymentData) -> StoreResult<()> {
    if data.amount.is_positive() {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!(
            "payment {}: amount must be positive, got {}",
            data.reference,
            data.amount.value()
        )))
    }
}

/// Applies a payment to a locked account: inserts it, moves the balance, audits.
/// `Conflict` if the reference is already used by this creditor.
pub(super) fn apply(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    account: &LockedAccount,
    data: &NewPaymentData,
    order: &AllocationOrder,
    actor: &Actor,
) -> StoreResult<Payment> {
    let effect =
        sepakat_domain::apply_payment(&account.balance, data.amount, account.instalment, order);
    let status =
        if account.status == AccountStatus::Open && effect.after.total_outstanding().is_zero() {
            AccountStatus::PaidOff
        } else {
            account.status
        };
    let context = format!("payment {}", data.reference);
    let a = &effect.allocation;
    let id: i64 = tx
        .query_one(
            "INSERT INTO payments
                 (creditor_id, account_id, paid_at, amount, reference, channel, alloc_fees,
                  alloc_penalty, alloc_interest, alloc_principal, alloc_excess,
                  instalments_cleared, oldest_unpaid_due_before)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             RETURNING id",
            &[
                &creditor.0,
                &account.id.0,
                &data.paid_at,
                &data.amount.value(),
                &data.reference,
                &data.channel,
                &a.fees.value(),
                &a.penalty.value(),
                &a.interest.value(),
                &a.principal.value(),
                &a.excess.value(),
                &to_i32("instalments cleared", effect.instalments_cleared)?,
                &account.balance.oldest_unpaid_due,
            ],
        )
        .map_err(|e| match db_err(&context)(e) {
            StoreError::Conflict(_) => StoreError::Conflict(format!(
                "payment reference {} is already used",
                data.reference
            )),
            other => other,
        })
        .and_then(|row| get(&row, "id"))?;
    let paid_on = data.paid_at.date_naive();
    tx.execute(
        "UPDATE accounts SET outstanding_principal = $2, arrears_principal = $3,
             arrears_interest = $4, penalty = $5, fees = $6, oldest_unpaid_due = $7,
             status = $8,
             last_payment_amount = CASE WHEN last_payment_on IS NULL OR last_payment_on <= $9
                                        THEN $10 ELSE last_payment_amount END,
             last_payment_on = GREATEST(last_payment_on, $9)
         WHERE id = $1",
        &[
            &account.id.0,
            &effect.after.outstanding_principal.value(),
            &effect.after.arrears_principal.value(),
            &effect.after.arrears_interest.value(),
            &effect.after.penalty.value(),
            &effect.after.fees.value(),
            &effect.after.oldest_unpaid_due,
            &status.code(),
            &paid_on,
            &data.amount.value(),
        ],
    )
    .map_err(db_err(&context))?;
    audit::record(
        tx,
        &NewAudit {
            creditor: Some(creditor),
            at: data.paid_at,
            actor: actor.clone(),
            action: "payment.posted".into(),
            entity: EntityRef::new("payment", id),
            detail: serde_json::json!({
                "account_id": account.id.0,
                "account_no": account.account_no,
                "amount": data.amount.value(),
                "reference": data.reference,
                "channel": data.channel,
                "allocation": effect.allocation,
                "instalments_cleared": effect.instalments_cleared,
            }),
        },
    )?;
    Ok(Payment {
        id: PaymentId(id),
        account: account.id,
        paid_at: data.paid_at,
        amount: data.amount,
        reference: data.reference.clone(),
        channel: data.channel.clone(),
        allocation: effect.allocation,
        instalments_cleared: effect.instalments_cleared,
        reverses: None,
        reason: None,
        reversed_by: None,
    })
}

/// Reverses a payment with a negative entry and restores the balance.
pub(super) fn reverse(
    client: &mut Client,
    creditor: CreditorId,
    payment: PaymentId,
    reason: &str,
    at: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<Payment> {
    let context = format!("reversal of payment {payment}");
    let mut tx = client.transaction().map_err(db_err(&context))?;
    let row = tx
        .query_opt(
            "SELECT p.account_id, p.amount, p.reference, p.channel, p.alloc_fees,
                    p.alloc_penalty, p.alloc_interest, p.alloc_principal, p.alloc_excess,
                    p.instalments_cleared, p.oldest_unpaid_due_before, p.reverses,
                    EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id) AS reversed
             FROM payments p WHERE p.creditor_id = $1 AND p.id = $2 FOR UPDATE",
            &[&creditor.0, &payment.0],
        )
        .map_err(db_err(&context))?
        .ok_or_else(|| StoreError::NotFound(format!("payment {payment}")))?;
    if get::<Option<i64>>(&row, "reverses")?.is_some() {
        return Err(StoreError::Conflict(format!(
            "payment {payment} is itself a reversal"
        )));
    }
    if get::<bool>(&row, "reversed")? {
        return Err(StoreError::Conflict(format!(
            "payment {payment} is already reversed"
        )));
    }
    let original = decode_allocation(&row)?;
    let cleared = get_u32(&row, "instalments_cleared")?;
    let due_before = get(&row, "oldest_unpaid_due_before")?;
    let amount = Rupiah::new(get(&row, "amount")?);
    let reference: String = get(&row, "reference")?;
    let channel: String = get(&row, "channel")?;
    let account = lock_by_id(&mut tx, creditor, AccountId(get(&row, "account_id")?))?
        .ok_or_else(|| StoreError::NotFound(format!("account of payment {payment}")))?;
    let after = sepakat_domain::reverse_payment(&account.balance, &original, cleared, due_before);
    let status = if account.status == AccountStatus::PaidOff && !after.total_outstanding().is_zero()
    {
        AccountStatus::Open
    } else {
        account.status
    };
    let negated = Allocation {
        fees: -original.fees,
        penalty: -original.penalty,
        interest: -original.interest,
        principal: -original.principal,
        excess: -original.excess,
    };
    let id: i64 = tx
        .query_one(
            "INSERT INTO payments
                 (creditor_id, account_id, paid_at, amount, reference, channel, alloc_fees,
                  alloc_penalty, alloc_interest, alloc_principal, alloc_excess,
                  instalments_cleared, oldest_unpaid_due_before, reverses, reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             RETURNING id",
            &[
                &creditor.0,
                &account.id.0,
                &at,
                &(-amount).value(),
                &reference,
                &channel,
                &negated.fees.value(),
                &negated.penalty.value(),
                &negated.interest.value(),
                &negated.principal.value(),
                &negated.excess.value(),
                &to_i32("instalments cleared", cleared)?,
                &account.balance.oldest_unpaid_due,
                &payment.0,
                &reason,
            ],
        )
        .map_err(|e| match db_err(&context)(e) {
            // Two reversals raced; the unique `reverses` column let only one through.
            StoreError::Conflict(_) => {
                StoreError::Conflict(format!("payment {payment} is already reversed"))
            }
            other => other,
        })
        .and_then(|row| get(&row, "id"))?;
    tx.execute(
        "UPDATE accounts SET outstanding_principal = $2, arrears_principal = $3,
             arrears_interest = $4, penalty = $5, fees = $6, oldest_unpaid_due = $7,
             status = $8
         WHERE id = $1",
        &[
            &account.id.0,
            &after.outstanding_principal.value(),
            &after.arrears_principal.value(),
            &after.arrears_interest.value(),
            &after.penalty.value(),
            &after.fees.value(),
            &after.oldest_unpaid_due,
            &status.code(),
        ],
    )
    .map_err(db_err(&context))?;
    audit::record(
        &mut tx,
        &NewAudit {
            creditor: Some(creditor),
            at,
            actor: actor.clone(),
            action: "payment.reversed".into(),
            entity: EntityRef::new("payment", payment),
            detail: serde_json::json!({
                "reversal_id": id,
                "account_id": account.id.0,
                "account_no": account.account_no,
                "amount": amount.value(),
                "reference": reference,
                "reason": reason,
            }),
        },
    )?;
    tx.commit().map_err(db_err(&context))?;
    Ok(Payment {
        id: PaymentId(id),
        account: account.id,
        paid_at: at,
        amount: -amount,
        reference,
        channel,
        allocation: negated,
        instalments_cleared: cleared,
        reverses: Some(payment),
        reason: Some(reason.to_string()),
        reversed_by: None,
    })
}

/// Payments of an account, oldest first, with reversals.
pub(super) fn of_account(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    account: AccountId,
) -> StoreResult<Vec<Payment>> {
    let sql = format!(
        "SELECT {PAYMENT_COLUMNS}
         FROM payments p LEFT JOIN payments r ON r.reverses = p.id
         WHERE p.creditor_id = $1 AND p.account_id = $2
         ORDER BY p.paid_at, p.id"
    );
    client
        .query(&sql, &[&creditor.0, &account.0])
        .map_err(db_err("listing payments"))?
        .iter()
        .map(decode)
        .collect()
}

fn decode_allocation(row: &Row) -> StoreResult<Allocation> {
    Ok(Allocation {
        fees: Rupiah::new(get(row, "alloc_fees")?),
        penalty: Rupiah::new(get(row, "alloc_penalty")?),
        interest: Rupiah::new(get(row, "alloc_interest")?),
        principal: Rupiah::new(get(row, "alloc_principal")?),
        excess: Rupiah::new(get(row, "alloc_excess")?),
    })
}

fn decode(row: &Row) -> StoreResult<Payment> {
    Ok(Payment {
        id: PaymentId(get(row, "id")?),
        account: AccountId(get(row, "account_id")?),
        paid_at: get(row, "paid_at")?,
        amount: Rupiah::new(get(row, "amount")?),
        reference: get(row, "reference")?,
        channel: get(row, "channel")?,
        allocation: decode_allocation(row)?,
        instalments_cleared: get_u32(row, "instalments_cleared")?,
        reverses: get::<Option<i64>>(row, "reverses")?.map(PaymentId),
        reason: get(row, "reason")?,
        reversed_by: get::<Option<i64>>(row, "reversed_by")?.map(PaymentId),
    })
}
