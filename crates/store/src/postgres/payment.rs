//! Payments and reversals: each moves an account's balance in one transaction with its
//! audit entry. A reversal is a new negative entry pointing at its payment, never an edit.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::{Client, GenericClient, Row, Statement, Transaction};
use sepakat_domain::{Allocation, AllocationOrder, Balance, Province, Rupiah};

use super::account::decode_balance;
use super::audit;
use super::codec::{get, get_parsed, get_province, get_u32, parse_status, to_i32};
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
    /// Balance before the movement.
    pub balance: Balance,
    /// Contractual instalment.
    pub instalment: Rupiah,
    /// Status before the movement.
    pub status: AccountStatus,
    /// The debtor's province: its time zone decides the calendar day of a payment.
    pub province: Province,
}

pub(super) const LOCK_COLUMNS: &str = "a.id, a.outstanding_principal, a.arrears_principal,
    a.arrears_interest, a.penalty, a.fees, a.oldest_unpaid_due, a.instalment, a.status,
    d.province";

/// The accounts-with-debtor join the lock statements read; only the account row is locked.
const LOCK_FROM: &str = "accounts a JOIN debtors d ON d.id = a.debtor_id";

/// Locks an account of the creditor by id (None if it is not theirs or does not exist).
pub(super) fn lock_by_id(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    id: AccountId,
) -> StoreResult<Option<LockedAccount>> {
    let sql = format!(
        "SELECT {LOCK_COLUMNS} FROM {LOCK_FROM}
         WHERE a.creditor_id = $1 AND a.id = $2 FOR UPDATE OF a"
    );
    tx.query_opt(&sql, &[&creditor.0, &id.0])
        .map_err(db_err("locking an account"))?
        .map(|row| decode_locked(&row))
        .transpose()
}

/// A row of `LOCK_COLUMNS`.
pub(super) fn decode_locked(row: &Row) -> StoreResult<LockedAccount> {
    Ok(LockedAccount {
        id: AccountId(get(row, "id")?),
        balance: decode_balance(row)?,
        instalment: Rupiah::new(get(row, "instalment")?),
        status: get_parsed(row, "status", parse_status)?,
        province: get_province(row, "province")?,
    })
}

/// Whether the creditor already used a payment reference (reversals repeat theirs).
const REFERENCE_USED: &str = "SELECT 1 FROM payments
    WHERE creditor_id = $1 AND reference = $2 AND reverses IS NULL";

/// Posts one payment by hand and audits it on the account.
pub(super) fn post(
    client: &mut Client,
    creditor: CreditorId,
    payment: &NewPayment,
    order: &AllocationOrder,
    actor: &Actor,
) -> StoreResult<Payment> {
    let data = &payment.data;
    let context = format!("payment {}", data.reference);
    let mut tx = client.transaction().map_err(db_err(&context))?;
    let account = lock_by_id(&mut tx, creditor, payment.account)?
        .ok_or_else(|| StoreError::NotFound(format!("account {}", payment.account)))?;
    let used = tx
        .query_opt(REFERENCE_USED, &[&creditor.0, &data.reference])
        .map_err(db_err(&context))?;
    if used.is_some() {
        return Err(already_posted(&data.reference));
    }
    let posted = Posting::prepare(&mut tx)?.apply(&mut tx, creditor, &account, data, order)?;
    audit::record(
        &mut tx,
        &NewAudit {
            creditor: Some(creditor),
            // The trait passes no clock; the entry records when the posting was written.
            at: Utc::now(),
            actor: actor.clone(),
            action: "payment.posted".into(),
            entity: EntityRef::new("account", account.id),
            detail: serde_json::json!({
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
    tx.commit().map_err(db_err(&context))?;
    Ok(posted)
}

fn already_posted(reference: &str) -> StoreError {
    StoreError::Conflict(format!("payment reference {reference:?} is already posted"))
}

fn allocation_json(a: &Allocation) -> serde_json::Value {
    serde_json::json!({
        "fees": a.fees.value(),
        "penalty": a.penalty.value(),
        "interest": a.interest.value(),
        "principal": a.principal.value(),
        "excess": a.excess.value(),
    })
}

/// Stores a new balance and status.
fn save_balance(
    tx: &mut Transaction<'_>,
    account: AccountId,
    balance: &Balance,
    status: AccountStatus,
    context: &str,
) -> StoreResult<()> {
    tx.execute(
        "UPDATE accounts SET outstanding_principal = $2, arrears_principal = $3,
             arrears_interest = $4, penalty = $5, fees = $6, oldest_unpaid_due = $7,
             status = $8
         WHERE id = $1",
        &[
            &account.0,
            &balance.outstanding_principal.value(),
            &balance.arrears_principal.value(),
            &balance.arrears_interest.value(),
            &balance.penalty.value(),
            &balance.fees.value(),
            &balance.oldest_unpaid_due,
            &status.code(),
        ],
    )
    .map_err(db_err(context))?;
    Ok(())
}

/// The calendar day of an instant in the debtor's time zone.
pub(super) fn local_day(at: DateTime<Utc>, province: Province) -> NaiveDate {
    province.zone().local(at).date()
}

/// Stores a payment and the account's new balance in one round trip: the statement
/// inserts the payment, then updates the account (balance, status, last payment).
const POST_SQL: &str = "
    WITH p AS (
        INSERT INTO payments
            (creditor_id, account_id, paid_at, amount, reference, channel, alloc_fees,
             alloc_penalty, alloc_interest, alloc_principal, alloc_excess,
             instalments_cleared, oldest_unpaid_due_before, prepaid_principal)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
        RETURNING id
    )
    UPDATE accounts a SET
        outstanding_principal = $15, arrears_principal = $16, arrears_interest = $17,
        penalty = $18, fees = $19, oldest_unpaid_due = $20, status = $21,
        last_payment_amount = CASE WHEN a.last_payment_on IS NULL OR $22 >= a.last_payment_on
                                   THEN $4 ELSE a.last_payment_amount END,
        last_payment_on = GREATEST(a.last_payment_on, $22)
    FROM p
    WHERE a.id = $2
    RETURNING p.id";

/// The posting statement, prepared in the posting's transaction.
pub(super) struct Posting {
    statement: Statement,
}

impl Posting {
    /// Prepares the posting statement in `tx`.
    pub(super) fn prepare(tx: &mut Transaction<'_>) -> StoreResult<Posting> {
        Ok(Posting {
            statement: tx
                .prepare(POST_SQL)
                .map_err(db_err("preparing a payment posting"))?,
        })
    }

    /// Allocates and stores a payment to a locked account, unaudited (the caller audits:
    /// per payment when posted by hand, once per file when imported). The caller has
    /// checked that the reference is new.
    pub(super) fn apply(
        &self,
        tx: &mut Transaction<'_>,
        creditor: CreditorId,
        account: &LockedAccount,
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
        let status = account.status.after_payment(&effect.after);
        let a = &effect.allocation;
        let after = &effect.after;
        let context = format!("payment {}", data.reference);
        let id: i64 = tx
            .query_one(
                &self.statement,
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
                    &effect.prepaid_principal.value(),
                    &after.outstanding_principal.value(),
                    &after.arrears_principal.value(),
                    &after.arrears_interest.value(),
                    &after.penalty.value(),
                    &after.fees.value(),
                    &after.oldest_unpaid_due,
                    &status.code(),
                    &local_day(data.paid_at, account.province),
                ],
            )
            .map_err(|e| match db_err(&context)(e) {
                // A concurrent posting of the same reference won the race.
                StoreError::Conflict(_) => already_posted(&data.reference),
                other => other,
            })
            .and_then(|row| get(&row, "id"))?;
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
}

/// Reverses a payment with a negative entry, restores the balance, audits on the account.
pub(super) fn reverse(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    payment: PaymentId,
    reason: &str,
    at: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<Payment> {
    let context = format!("reversal of payment {payment}");
    let mut tx = client.transaction().map_err(db_err(&context))?;
    let sql = format!(
        "SELECT {PAYMENT_COLUMNS}, p.oldest_unpaid_due_before, p.prepaid_principal
         FROM payments p LEFT JOIN payments r ON r.reverses = p.id
         WHERE p.creditor_id = $1 AND p.id = $2
         FOR UPDATE OF p"
    );
    let row = tx
        .query_opt(&sql, &[&creditor.0, &payment.0])
        .map_err(db_err(&context))?
        .ok_or_else(|| StoreError::NotFound(format!("payment {payment}")))?;
    let original = decode(&row)?;
    let due_before: Option<NaiveDate> = get(&row, "oldest_unpaid_due_before")?;
    let prepaid = Rupiah::new(get(&row, "prepaid_principal")?);
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
    let account = lock_by_id(&mut tx, creditor, original.account)?
        .ok_or_else(|| StoreError::NotFound(format!("account {}", original.account)))?;
    let restored = sepakat_domain::reverse_payment(
        &account.balance,
        &original.allocation,
        prepaid,
        due_before,
    );
    let o = original.allocation;
    let negated = Allocation {
        fees: -o.fees,
        penalty: -o.penalty,
        interest: -o.interest,
        principal: -o.principal,
        excess: -o.excess,
    };
    let id: i64 = tx
        .query_one(
            "INSERT INTO payments
                 (creditor_id, account_id, paid_at, amount, reference, channel, alloc_fees,
                  alloc_penalty, alloc_interest, alloc_principal, alloc_excess,
                  instalments_cleared, oldest_unpaid_due_before, prepaid_principal,
                  reverses, reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
             RETURNING id",
            &[
                &creditor.0,
                &account.id.0,
                &at,
                &(-original.amount).value(),
                &original.reference,
                &original.channel,
                &negated.fees.value(),
                &negated.penalty.value(),
                &negated.interest.value(),
                &negated.principal.value(),
                &negated.excess.value(),
                &to_i32("instalments cleared", original.instalments_cleared)?,
                &account.balance.oldest_unpaid_due,
                &(-prepaid).value(),
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
    let status = account.status.after_reversal(&restored);
    save_balance(&mut tx, account.id, &restored, status, &context)?;
    restore_last_payment(&mut tx, &account, &context)?;
    audit::record(
        &mut tx,
        &NewAudit {
            creditor: Some(creditor),
            at,
            actor: actor.clone(),
            action: "payment.reversed".into(),
            entity: EntityRef::new("account", account.id),
            detail: serde_json::json!({
                "payment_id": id,
                "reverses": payment.0,
                "reference": original.reference,
                "amount": (-original.amount).value(),
                "reason": reason,
            }),
        },
    )?;
    tx.commit().map_err(db_err(&context))?;
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
fn restore_last_payment(
    tx: &mut Transaction<'_>,
    account: &LockedAccount,
    context: &str,
) -> StoreResult<()> {
    let latest = tx
        .query_opt(
            "SELECT p.paid_at, p.amount FROM payments p
             WHERE p.account_id = $1 AND p.reverses IS NULL
               AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id)
             ORDER BY p.paid_at DESC, p.id DESC LIMIT 1",
            &[&account.id.0],
        )
        .map_err(db_err(context))?;
    if let Some(row) = latest {
        let paid_at: DateTime<Utc> = get(&row, "paid_at")?;
        let amount: i64 = get(&row, "amount")?;
        tx.execute(
            "UPDATE accounts SET last_payment_on = $2, last_payment_amount = $3 WHERE id = $1",
            &[
                &account.id.0,
                &local_day(paid_at, account.province),
                &amount,
            ],
        )
        .map_err(db_err(context))?;
    }
    Ok(())
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
