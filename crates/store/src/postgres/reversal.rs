//! Maker-checker reversals on PostgreSQL (`reversal_requests`); the rules are in
//! `crate::reversal`. The request row is locked (`FOR UPDATE`) while it is decided, so two
//! deciders cannot both act on it; the unique index on pending requests per payment keeps
//! a second request out.

use ::postgres::{Row, Transaction};
use chrono::{DateTime, Utc};

use sepakat_domain::Rupiah;

use super::codec::{corrupt, get};
use super::collection::{audit_entry, query_all};
use super::{db_err, payment, PostgresStore};
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
    let status: String = get(row, "status")?;
    Ok(ReversalRequest {
        id: ReversalRequestId(get(row, "id")?),
        payment: PaymentId(get(row, "payment_id")?),
        account: AccountId(get(row, "account_id")?),
        amount: Rupiah::new(get(row, "amount")?),
        reason: get(row, "reason")?,
        requested_at: get(row, "requested_at")?,
        requested_by: UserId(get(row, "requested_by")?),
        status: ReversalStatus::parse(&status)
            .ok_or_else(|| corrupt("reversal status", &status))?,
        decided_at: get(row, "decided_at")?,
        decided_by: get::<Option<i64>>(row, "decided_by")?.map(UserId),
        decision_note: get(row, "decision_note")?,
        reversal: get::<Option<i64>>(row, "reversal_id")?.map(PaymentId),
    })
}

fn insert(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    payment: PaymentId,
    reason: &str,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<ReversalRequestId> {
    let context = "requesting a reversal";
    let user = check_request(reason, actor)?;
    let row = tx
        .query_opt(
            "SELECT p.account_id, p.reverses IS NOT NULL AS is_reversal,
                    EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id) AS reversed,
                    EXISTS (SELECT 1 FROM reversal_requests q
                            WHERE q.payment_id = p.id AND q.status = 'pending') AS pending
             FROM payments p WHERE p.id = $1 AND p.creditor_id = $2 FOR UPDATE OF p",
            &[&payment.0, &creditor.0],
        )
        .map_err(db_err(context))?
        .ok_or_else(|| StoreError::NotFound(format!("payment {payment}")))?;
    let account: i64 = get(&row, "account_id")?;
    let (is_reversal, reversed, pending): (bool, bool, bool) = (
        get(&row, "is_reversal")?,
        get(&row, "reversed")?,
        get(&row, "pending")?,
    );
    if let Some(refusal) = payment_refusal(payment, is_reversal, reversed, pending) {
        return Err(refusal);
    }
    let id: i64 = tx
        .query_one(
            "INSERT INTO reversal_requests (creditor_id, payment_id, reason, requested_at, requested_by)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[&creditor.0, &payment.0, &reason.trim(), &now, &user.0],
        )
        .map_err(db_err(context))?
        .get(0);
    let id = ReversalRequestId(id);
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
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    id: ReversalRequestId,
    approve: bool,
    note: &str,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<Option<Payment>> {
    let context = "deciding a reversal";
    let row = tx
        .query_opt(
            &format!("{SELECT} WHERE r.id = $1 AND r.creditor_id = $2 FOR UPDATE OF r"),
            &[&id.0, &creditor.0],
        )
        .map_err(db_err(context))?
        .ok_or_else(|| StoreError::NotFound(format!("reversal request {id}")))?;
    let found = request(&row)?;
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
    tx.execute(
        "UPDATE reversal_requests SET status = $2, decided_at = $3, decided_by = $4,
             decision_note = $5, reversal_id = $6
         WHERE id = $1 AND status = 'pending'",
        &[
            &id.0,
            &status.code(),
            &now,
            &decider.0,
            &note.trim(),
            &reversal.as_ref().map(|p| p.id.0),
        ],
    )
    .map_err(db_err(context))?;
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

impl ReversalStore for PostgresStore {
    fn request_reversal(
        &self,
        creditor: CreditorId,
        payment: PaymentId,
        reason: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<ReversalRequestId> {
        let mut client = self.conn()?;
        let mut tx = client
            .transaction()
            .map_err(db_err("requesting a reversal"))?;
        let id = insert(&mut tx, creditor, payment, reason, now, actor)?;
        tx.commit().map_err(db_err("requesting a reversal"))?;
        Ok(id)
    }

    fn reversal_requests(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<ReversalRequest>> {
        query_all(
            &mut *self.conn()?,
            &format!("{SELECT} WHERE r.creditor_id = $1 AND p.account_id = $2 ORDER BY r.id"),
            &[&creditor.0, &account.0],
            "reading reversal requests",
            request,
        )
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
        let mut client = self.conn()?;
        let mut tx = client
            .transaction()
            .map_err(db_err("deciding a reversal"))?;
        let reversal = decide(&mut tx, creditor, request, approve, note, now, actor)?;
        tx.commit().map_err(db_err("deciding a reversal"))?;
        Ok(reversal)
    }
}
