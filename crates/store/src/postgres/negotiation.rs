//! The negotiation tables on PostgreSQL (`migrations/postgres/0005_negotiation.sql`): the
//! same rules as SQLite (see `crate::negotiation`). State changes lock the offer or
//! arrangement row (`FOR UPDATE`) before checking it, so two sessions cannot both decide
//! or accept one offer; two acceptances racing on one account end in the one-active index,
//! reported as `Conflict`.

use ::postgres::types::ToSql;
use ::postgres::{GenericClient, Row, Transaction};
use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::negotiation::{Assessment, Declaration, Offer};
use sepakat_domain::{Role, Rupiah};
use serde_json::{json, Value};

use super::codec::{corrupt, get, get_parsed, get_u32};
use super::{audit, db_err, PostgresStore};
use crate::negotiation::{
    arrangement_action, check_acceptance, check_decision, check_new_offer, initial_status,
    instalment_action, parse_kind, parse_roles, paused_conflict, role_list, tracking_changes,
    AssessmentResult,
};
use crate::*;

fn audit_entry(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    at: DateTime<Utc>,
    actor: &Actor,
    action: &str,
    account: AccountId,
    detail: Value,
) -> StoreResult<()> {
    audit::record(
        tx,
        &NewAudit {
            creditor: Some(creditor),
            at,
            actor: actor.clone(),
            action: action.to_string(),
            entity: EntityRef::new("account", account),
            detail,
        },
    )
}

fn to_json<T: serde::Serialize>(what: &str, value: &T) -> StoreResult<Value> {
    serde_json::to_value(value).map_err(|e| StoreError::Other(format!("encoding {what}: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(row: &Row, column: &str) -> StoreResult<T> {
    let value: Value = get(row, column)?;
    serde_json::from_value(value).map_err(|e| corrupt(column, e))
}

fn to_i32(what: &str, value: u32) -> StoreResult<i32> {
    i32::try_from(value).map_err(|_| StoreError::Conflict(format!("{what} {value} is too large")))
}

fn query_all<T>(
    client: &mut impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    what: &str,
    f: impl Fn(&Row) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    client
        .query(sql, params)
        .map_err(db_err(what))?
        .iter()
        .map(f)
        .collect()
}

fn ensure_account(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    account: AccountId,
) -> StoreResult<()> {
    tx.query_opt(
        "SELECT 1 FROM accounts WHERE id = $1 AND creditor_id = $2",
        &[&account.0, &creditor.0],
    )
    .map_err(db_err("checking an account"))?
    .map(|_| ())
    .ok_or_else(|| StoreError::NotFound(format!("account {account}")))
}

fn paused(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    account: AccountId,
    today: NaiveDate,
) -> StoreResult<bool> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM account_pauses
             WHERE account_id = $1 AND creditor_id = $2 AND lifted_at IS NULL
               AND starts_on <= $3 AND (ends_on IS NULL OR ends_on >= $3)
             LIMIT 1",
            &[&account.0, &creditor.0, &today],
        )
        .map_err(db_err("checking pauses"))?
        .is_some())
}

fn insert_assessment(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    account: AccountId,
    assessment: &Assessment,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<AssessmentId> {
    let row = tx
        .query_one(
            "INSERT INTO assessments (creditor_id, account_id, declaration, result,
                                      recommended_monthly, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                &creditor.0,
                &account.0,
                &to_json("declaration", &assessment.declaration)?,
                &to_json("assessment", &AssessmentResult::of(assessment))?,
                &assessment.recommended_monthly.value(),
                &now,
                &actor.user.map(|u| u.0),
            ],
        )
        .map_err(db_err("saving an assessment"))?;
    let id = AssessmentId(get(&row, "id")?);
    audit_entry(
        tx,
        creditor,
        now,
        actor,
        "assessment.saved",
        account,
        json!({ "assessment": id,
                "recommended_monthly": assessment.recommended_monthly.value(),
                "flags": assessment.flags }),
    )?;
    Ok(id)
}

const OFFER_SELECT: &str = "SELECT o.id, o.account_id, o.assessment_id, o.as_of, o.options,
     o.chosen_rank, o.kind, o.total_paid, o.down_payment, o.instalment, o.tenor_months,
     o.created_role, o.approvers, o.status, o.expires_at, o.created_at, o.created_by,
     o.decided_by, o.decided_at, o.decision_reason, a.declaration, a.result
     FROM offers o JOIN assessments a ON a.id = o.assessment_id";

fn offer(row: &Row) -> StoreResult<StoredOffer> {
    let declaration: Declaration = from_json(row, "declaration")?;
    let result: AssessmentResult = from_json(row, "result")?;
    Ok(StoredOffer {
        id: OfferId(get(row, "id")?),
        assessment: AssessmentId(get(row, "assessment_id")?),
        data: NewOffer {
            account: AccountId(get(row, "account_id")?),
            assessment: result.with(declaration),
            as_of: get(row, "as_of")?,
            options: from_json::<Vec<Offer>>(row, "options")?,
            chosen_rank: get_u32(row, "chosen_rank")?,
            created_role: get_parsed(row, "created_role", Role::parse)?,
            approvers: get_parsed(row, "approvers", parse_roles)?,
            expires_at: get(row, "expires_at")?,
        },
        kind: get_parsed(row, "kind", parse_kind)?,
        total_paid: Rupiah::new(get(row, "total_paid")?),
        down_payment: Rupiah::new(get(row, "down_payment")?),
        instalment: Rupiah::new(get(row, "instalment")?),
        tenor_months: get_u32(row, "tenor_months")?,
        status: get_parsed(row, "status", OfferStatus::parse)?,
        created_at: get(row, "created_at")?,
        created_by: get::<Option<i64>>(row, "created_by")?.map(UserId),
        decided_by: get::<Option<i64>>(row, "decided_by")?.map(UserId),
        decided_at: get(row, "decided_at")?,
        decision_reason: get(row, "decision_reason")?,
    })
}

/// The offer, locked for the rest of the transaction.
fn offer_for_update(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    id: OfferId,
) -> StoreResult<StoredOffer> {
    let sql = format!("{OFFER_SELECT} WHERE o.id = $1 AND o.creditor_id = $2 FOR UPDATE OF o");
    let row = tx
        .query_opt(&sql, &[&id.0, &creditor.0])
        .map_err(db_err("reading an offer"))?
        .ok_or_else(|| StoreError::NotFound(format!("offer {id}")))?;
    offer(&row)
}

const ARRANGEMENT_SELECT: &str = "SELECT id, account_id, offer_id, kind, status, max_misses,
     created_at, created_by, ended_at FROM arrangements";

fn arrangement(row: &Row) -> StoreResult<Arrangement> {
    Ok(Arrangement {
        id: ArrangementId(get(row, "id")?),
        account: AccountId(get(row, "account_id")?),
        offer: OfferId(get(row, "offer_id")?),
        kind: get_parsed(row, "kind", parse_kind)?,
        status: get_parsed(row, "status", ArrangementStatus::parse)?,
        max_misses: get_u32(row, "max_misses")?,
        created_at: get(row, "created_at")?,
        created_by: get::<Option<i64>>(row, "created_by")?.map(UserId),
        ended_at: get(row, "ended_at")?,
        instalments: Vec::new(),
    })
}

/// Arrangements selected by `tail` (WHERE … ORDER BY …), each with its instalments.
fn arrangements_where(
    client: &mut impl GenericClient,
    tail: &str,
    params: &[&(dyn ToSql + Sync)],
) -> StoreResult<Vec<Arrangement>> {
    let context = "reading arrangements";
    let mut list = query_all(
        client,
        &format!("{ARRANGEMENT_SELECT} {tail}"),
        params,
        context,
        arrangement,
    )?;
    if list.is_empty() {
        return Ok(list);
    }
    let ids: Vec<i64> = list.iter().map(|a| a.id.0).collect();
    let rows = client
        .query(
            "SELECT arrangement_id, seq, due_on, amount, paid, status FROM instalments
             WHERE arrangement_id = ANY($1) ORDER BY arrangement_id, seq",
            &[&ids],
        )
        .map_err(db_err(context))?;
    for row in rows {
        let id: i64 = get(&row, "arrangement_id")?;
        let instalment = ArrangementInstalment {
            seq: get_u32(&row, "seq")?,
            due_on: get(&row, "due_on")?,
            amount: Rupiah::new(get(&row, "amount")?),
            paid: Rupiah::new(get(&row, "paid")?),
            status: get_parsed(&row, "status", InstalmentStatus::parse)?,
        };
        if let Some(a) = list.iter_mut().find(|a| a.id.0 == id) {
            a.instalments.push(instalment);
        }
    }
    Ok(list)
}

impl NegotiationStore for PostgresStore {
    fn save_assessment(
        &self,
        creditor: CreditorId,
        account: AccountId,
        assessment: &Assessment,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<AssessmentId> {
        let context = "saving an assessment";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        ensure_account(&mut tx, creditor, account)?;
        let id = insert_assessment(&mut tx, creditor, account, assessment, now, actor)?;
        tx.commit().map_err(db_err(context))?;
        Ok(id)
    }

    fn assessments(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<StoredAssessment>> {
        query_all(
            &mut *self.conn()?,
            "SELECT id, account_id, declaration, result, created_at, created_by
             FROM assessments WHERE creditor_id = $1 AND account_id = $2 ORDER BY id",
            &[&creditor.0, &account.0],
            "reading assessments",
            |r| {
                let declaration: Declaration = from_json(r, "declaration")?;
                let result: AssessmentResult = from_json(r, "result")?;
                Ok(StoredAssessment {
                    id: AssessmentId(get(r, "id")?),
                    account: AccountId(get(r, "account_id")?),
                    assessment: result.with(declaration),
                    created_at: get(r, "created_at")?,
                    created_by: get::<Option<i64>>(r, "created_by")?.map(UserId),
                })
            },
        )
    }

    fn create_offer(
        &self,
        creditor: CreditorId,
        new: &NewOffer,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<(AssessmentId, OfferId)> {
        let chosen = check_new_offer(new, now)?;
        let status = initial_status(chosen);
        let context = "creating an offer";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        ensure_account(&mut tx, creditor, new.account)?;
        if paused(&mut tx, creditor, new.account, today)? {
            return Err(paused_conflict(new.account, today));
        }
        let assessment =
            insert_assessment(&mut tx, creditor, new.account, &new.assessment, now, actor)?;
        let row = tx
            .query_one(
                "INSERT INTO offers (creditor_id, account_id, assessment_id, as_of, options,
                     chosen_rank, kind, total_paid, down_payment, instalment, tenor_months,
                     created_role, approvers, status, expires_at, created_at, created_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                         $16, $17)
                 RETURNING id",
                &[
                    &creditor.0,
                    &new.account.0,
                    &assessment.0,
                    &new.as_of,
                    &to_json("offer options", &new.options)?,
                    &to_i32("chosen_rank", new.chosen_rank)?,
                    &chosen.kind.code(),
                    &chosen.total_paid.value(),
                    &chosen.down_payment.value(),
                    &chosen.instalment.value(),
                    &to_i32("tenor_months", chosen.tenor_months)?,
                    &new.created_role.code(),
                    &role_list(&new.approvers),
                    &status.code(),
                    &new.expires_at,
                    &now,
                    &actor.user.map(|u| u.0),
                ],
            )
            .map_err(db_err(context))?;
        let id = OfferId(get(&row, "id")?);
        audit_entry(
            &mut tx,
            creditor,
            now,
            actor,
            "offer.created",
            new.account,
            json!({ "offer": id, "assessment": assessment, "rank": new.chosen_rank,
                    "kind": chosen.kind.code(), "total_paid": chosen.total_paid.value(),
                    "status": status.code(), "approvers": role_list(&new.approvers),
                    "expires_at": new.expires_at }),
        )?;
        tx.commit().map_err(db_err(context))?;
        Ok((assessment, id))
    }

    fn offer(&self, creditor: CreditorId, id: OfferId) -> StoreResult<Option<StoredOffer>> {
        let sql = format!("{OFFER_SELECT} WHERE o.id = $1 AND o.creditor_id = $2");
        self.conn()?
            .query_opt(&sql, &[&id.0, &creditor.0])
            .map_err(db_err("reading an offer"))?
            .map(|row| offer(&row))
            .transpose()
    }

    fn offers(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<StoredOffer>> {
        query_all(
            &mut *self.conn()?,
            &format!("{OFFER_SELECT} WHERE o.creditor_id = $1 AND o.account_id = $2 ORDER BY o.id"),
            &[&creditor.0, &account.0],
            "reading offers",
            offer,
        )
    }

    fn pending_approvals(&self, creditor: CreditorId) -> StoreResult<Vec<StoredOffer>> {
        query_all(
            &mut *self.conn()?,
            &format!(
                "{OFFER_SELECT} WHERE o.creditor_id = $1 AND o.status = 'pending_approval'
                 ORDER BY o.id"
            ),
            &[&creditor.0],
            "reading the approval queue",
            offer,
        )
    }

    fn decide_offer(
        &self,
        creditor: CreditorId,
        id: OfferId,
        decision: &OfferDecision,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<OfferStatus> {
        let context = "deciding an offer";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let o = offer_for_update(&mut tx, creditor, id)?;
        check_decision(
            id,
            o.status,
            o.data.expires_at,
            o.created_by,
            decision,
            now,
            actor,
        )?;
        let (status, action) = if decision.approve {
            (OfferStatus::Approved, "offer.approved")
        } else {
            (OfferStatus::Rejected, "offer.rejected")
        };
        tx.execute(
            "UPDATE offers SET status = $2, decided_by = $3, decided_at = $4,
                               decision_reason = $5
             WHERE id = $1",
            &[
                &id.0,
                &status.code(),
                &actor.user.map(|u| u.0),
                &now,
                &decision.reason.trim(),
            ],
        )
        .map_err(db_err(context))?;
        audit_entry(
            &mut tx,
            creditor,
            now,
            actor,
            action,
            o.data.account,
            json!({ "offer": id, "reason": decision.reason.trim(),
                    "created_by": o.created_by }),
        )?;
        tx.commit().map_err(db_err(context))?;
        Ok(status)
    }

    fn accept_offer(
        &self,
        creditor: CreditorId,
        id: OfferId,
        max_misses: u32,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<ArrangementId> {
        if max_misses == 0 {
            return Err(StoreError::Conflict(
                "max_misses: must be at least 1".to_string(),
            ));
        }
        let context = "accepting an offer";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let o = offer_for_update(&mut tx, creditor, id)?;
        check_acceptance(id, o.status, o.data.expires_at, now)?;
        let account = o.data.account;
        if paused(&mut tx, creditor, account, today)? {
            return Err(paused_conflict(account, today));
        }
        if let Some(row) = tx
            .query_opt(
                "SELECT id FROM arrangements WHERE account_id = $1 AND status = 'active'",
                &[&account.0],
            )
            .map_err(db_err(context))?
        {
            let existing: i64 = get(&row, "id")?;
            return Err(StoreError::Conflict(format!(
                "account {account} already has an active arrangement ({existing})"
            )));
        }
        let chosen = o
            .chosen()
            .ok_or_else(|| corrupt("chosen_rank", o.data.chosen_rank))?;
        tx.execute(
            "UPDATE offers SET status = 'accepted' WHERE id = $1",
            &[&id.0],
        )
        .map_err(db_err(context))?;
        let row = tx
            .query_one(
                "INSERT INTO arrangements (creditor_id, account_id, offer_id, kind, status,
                                           max_misses, created_at, created_by)
                 VALUES ($1, $2, $3, $4, 'active', $5, $6, $7) RETURNING id",
                &[
                    &creditor.0,
                    &account.0,
                    &id.0,
                    &chosen.kind.code(),
                    &to_i32("max_misses", max_misses)?,
                    &now,
                    &actor.user.map(|u| u.0),
                ],
            )
            .map_err(db_err(context))?;
        let arrangement = ArrangementId(get(&row, "id")?);
        for line in &chosen.schedule {
            tx.execute(
                "INSERT INTO instalments (arrangement_id, seq, due_on, amount)
                 VALUES ($1, $2, $3, $4)",
                &[
                    &arrangement.0,
                    &to_i32("seq", line.seq)?,
                    &line.due_date,
                    &line.amount.value(),
                ],
            )
            .map_err(db_err(context))?;
        }
        audit_entry(
            &mut tx,
            creditor,
            now,
            actor,
            "offer.accepted",
            account,
            json!({ "offer": id, "arrangement": arrangement }),
        )?;
        audit_entry(
            &mut tx,
            creditor,
            now,
            actor,
            "arrangement.created",
            account,
            json!({ "arrangement": arrangement, "offer": id, "kind": chosen.kind.code(),
                    "total_paid": chosen.total_paid.value(),
                    "instalments": chosen.schedule.len(), "max_misses": max_misses }),
        )?;
        tx.commit().map_err(db_err(context))?;
        Ok(arrangement)
    }

    fn expire_offers(
        &self,
        creditor: CreditorId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<u64> {
        let context = "expiring offers";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let due = query_all(
            &mut tx,
            "SELECT id, account_id, status FROM offers
             WHERE creditor_id = $1 AND expires_at <= $2
               AND status IN ('proposed', 'pending_approval', 'approved')
             ORDER BY id FOR UPDATE",
            &[&creditor.0, &now],
            context,
            |r| {
                Ok((
                    OfferId(get(r, "id")?),
                    AccountId(get(r, "account_id")?),
                    get::<String>(r, "status")?,
                ))
            },
        )?;
        for (id, account, was) in &due {
            tx.execute(
                "UPDATE offers SET status = 'expired' WHERE id = $1",
                &[&id.0],
            )
            .map_err(db_err(context))?;
            audit_entry(
                &mut tx,
                creditor,
                now,
                actor,
                "offer.expired",
                *account,
                json!({ "offer": id, "was": was }),
            )?;
        }
        tx.commit().map_err(db_err(context))?;
        Ok(due.len() as u64)
    }

    fn arrangements(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<Arrangement>> {
        arrangements_where(
            &mut *self.conn()?,
            "WHERE creditor_id = $1 AND account_id = $2 ORDER BY id",
            &[&creditor.0, &account.0],
        )
    }

    fn active_arrangements(&self, creditor: CreditorId) -> StoreResult<Vec<Arrangement>> {
        arrangements_where(
            &mut *self.conn()?,
            "WHERE creditor_id = $1 AND status = 'active' ORDER BY id",
            &[&creditor.0],
        )
    }

    fn record_tracking(
        &self,
        creditor: CreditorId,
        tracking: &ArrangementTracking,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TrackingOutcome> {
        let context = "recording arrangement tracking";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let stored = arrangements_where(
            &mut tx,
            "WHERE creditor_id = $1 AND id = $2 FOR UPDATE",
            &[&creditor.0, &tracking.arrangement.0],
        )?
        .pop()
        .ok_or_else(|| StoreError::NotFound(format!("arrangement {}", tracking.arrangement)))?;
        let changes = tracking_changes(&stored, tracking)?;
        let id = stored.id;
        for (seq, paid, status) in &changes {
            tx.execute(
                "UPDATE instalments SET paid = $3, status = $4
                 WHERE arrangement_id = $1 AND seq = $2",
                &[&id.0, &to_i32("seq", *seq)?, &paid.value(), &status.code()],
            )
            .map_err(db_err(context))?;
            let before = stored
                .instalments
                .iter()
                .find(|i| i.seq == *seq)
                .map(|i| i.status);
            audit_entry(
                &mut tx,
                creditor,
                now,
                actor,
                instalment_action(before, *status),
                stored.account,
                json!({ "arrangement": id, "seq": seq, "paid": paid.value(),
                        "status": status.code() }),
            )?;
        }
        let status_changed = tracking.status != stored.status;
        if status_changed {
            tx.execute(
                "UPDATE arrangements SET status = $2, ended_at = $3 WHERE id = $1",
                &[&id.0, &tracking.status.code(), &now],
            )
            .map_err(db_err(context))?;
            let misses = tracking
                .instalments
                .iter()
                .filter(|i| i.2 == InstalmentStatus::Missed)
                .count();
            audit_entry(
                &mut tx,
                creditor,
                now,
                actor,
                arrangement_action(tracking.status),
                stored.account,
                json!({ "arrangement": id, "missed": misses }),
            )?;
            if tracking.status == ArrangementStatus::Defaulted {
                audit_entry(
                    &mut tx,
                    creditor,
                    now,
                    actor,
                    "account.returned_to_collection",
                    stored.account,
                    json!({ "arrangement": id, "reason": "arrangement_defaulted" }),
                )?;
            }
        }
        tx.commit().map_err(db_err(context))?;
        Ok(TrackingOutcome {
            instalments_changed: changes.len() as u32,
            status_changed,
        })
    }
}
