//! Maker-checker reversals on SQLite (`reversal_requests`); the rules are in
//! `crate::reversal`.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use sepakat_domain::Rupiah;

use super::codec::{corrupt, instant, to_instant};
use super::collection::{audit_entry, collect};
use super::{payment, SqliteStore};
use crate::reversal::{
    check_decision, check_request, decided_detail, decision_codes, payment_refusal,
    requested_detail,
};
use crate::*;

const SELECT: &str = "SELECT r.id, r.payment_id, p.account_id, p.amount, r.reason,
        r.requested_at, r.requested_by, r.status, r.decided_at, r.decided_by,
        r.decision_note, r.reversal_id
    FROM reversal_requests r JOIN payments p ON p.id = r.payment_id";

fn request(row: &Row) -> StoreResult<ReversalRequest> {
    let status: String = row.get(7)?;
    Ok(ReversalRequest {
        id: ReversalRequestId(row.get(0)?),
        payment: PaymentId(row.get(1)?),
        account: AccountId(row.get(2)?),
        amount: Rupiah::new(row.get(3)?),
        reason: row.get(4)?,
        requested_at: to_instant(row.get(5)?)?,
        requested_by: UserId(row.get(6)?),
        status: ReversalStatus::parse(&status)
            .ok_or_else(|| corrupt("reversal status", &status))?,
        decided_at: row.get::<_, Option<i64>>(8)?.map(to_instant).transpose()?,
        decided_by: row.get::<_, Option<i64>>(9)?.map(UserId),
        decision_note: row.get(10)?,
        reversal: row.get::<_, Option<i64>>(11)?.map(PaymentId),
    })
}

fn by_id(
    conn: &Connection,
    creditor: CreditorId,
    id: ReversalRequestId,
) -> StoreResult<ReversalRequest> {
    conn.prepare_cached(&format!("{SELECT} WHERE r.id = ?1 AND r.creditor_id = ?2"))?
        .query_row(params![id.0, creditor.0], |row| Ok(request(row)))
        .optional()?
        .transpose()?
        .ok_or_else(|| StoreError::NotFound(format!("reversal request {id}")))
}

fn insert(
    tx: &Transaction,
    creditor: CreditorId,
    payment: PaymentId,
    reason: &str,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<ReversalRequestId> {
    let user = check_request(reason, actor)?;
    let found = tx
        .prepare_cached(
            "SELECT p.account_id, p.reverses IS NOT NULL,
                    EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id),
                    EXISTS (SELECT 1 FROM reversal_requests q
                            WHERE q.payment_id = p.id AND q.status = 'pending')
             FROM payments p WHERE p.id = ?1 AND p.creditor_id = ?2",
        )?
        .query_row(params![payment.0, creditor.0], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })
        .optional()?;
    let (account, is_reversal, reversed, pending) =
        found.ok_or_else(|| StoreError::NotFound(format!("payment {payment}")))?;
    if let Some(refusal) = payment_refusal(payment, is_reversal, reversed, pending) {
        return Err(refusal);
    }
    tx.prepare_cached(
        "INSERT INTO reversal_requests (creditor_id, payment_id, reason, requested_at, requested_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        creditor.0,
        payment.0,
        reason.trim(),
        instant(now),
        user.0
    ])?;
    let id = ReversalRequestId(tx.last_insert_rowid());
    audit_entry(
        tx,
        creditor,
        now,
        actor,
        "reversal.requested",
        "account",
        account,
        requested_detail(id, payment, reason),
    )?;
    Ok(id)
}

fn decide(
    tx: &Transaction,
    creditor: CreditorId,
    id: ReversalRequestId,
    approve: bool,
    note: &str,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<Option<Payment>> {
    let found = by_id(tx, creditor, id)?;
    let decider = check_decision(&found, actor)?;
    let reversal = if approve {
        Some(payment::reverse(
            tx,
            creditor,
            found.payment,
            &found.reason,
            now,
            actor,
        )?)
    } else {
        None
    };
    let (status, action) = decision_codes(approve);
    tx.prepare_cached(
        "UPDATE reversal_requests SET status = ?2, decided_at = ?3, decided_by = ?4,
             decision_note = ?5, reversal_id = ?6
         WHERE id = ?1 AND status = 'pending'",
    )?
    .execute(params![
        id.0,
        status.code(),
        instant(now),
        decider.0,
        note.trim(),
        reversal.as_ref().map(|p| p.id.0)
    ])?;
    audit_entry(
        tx,
        creditor,
        now,
        actor,
        action,
        "account",
        found.account,
        decided_detail(&found, note, reversal.as_ref()),
    )?;
    Ok(reversal)
}

impl ReversalStore for SqliteStore {
    fn request_reversal(
        &self,
        creditor: CreditorId,
        payment: PaymentId,
        reason: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<ReversalRequestId> {
        self.write(|tx| insert(tx, creditor, payment, reason, now, actor))
    }

    fn reversal_requests(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<ReversalRequest>> {
        self.read(|c| {
            collect(
                c,
                &format!("{SELECT} WHERE r.creditor_id = ?1 AND p.account_id = ?2 ORDER BY r.id"),
                params![creditor.0, account.0],
                request,
            )
        })
    }

    fn decide_reversal(
        &self,
        creditor: CreditorId,
        request: ReversalRequestId,
        approve: bool,
        note: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Option<Payment>> {
        self.write(|tx| decide(tx, creditor, request, approve, note, now, actor))
    }
}
