//! The negotiation tables on SQLite (`migrations/sqlite/0005_negotiation.sql`); the rules
//! are in `crate::negotiation`. Every statement names the creditor, so a row of another
//! creditor is simply not found. Writes run in the store's one `BEGIN IMMEDIATE`
//! transaction, so a state check and the change it allows cannot interleave with another
//! writer.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use sepakat_domain::negotiation::{Assessment, Declaration, Offer};
use sepakat_domain::Rupiah;
use serde_json::{json, Value};

use super::audit;
use super::codec::{corrupt, day, instant, to_day, to_instant};
use super::SqliteStore;
use crate::negotiation::{
    arrangement_action, check_acceptance, check_decision, check_new_offer, initial_status,
    instalment_action, parse_kind, parse_roles, paused_conflict, role_list, tracking_changes,
    AssessmentResult,
};
use crate::*;

fn audit_entry(
    tx: &Transaction,
    creditor: CreditorId,
    at: DateTime<Utc>,
    actor: &Actor,
    action: &str,
    account: AccountId,
    detail: Value,
) -> StoreResult<()> {
    audit::write(
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

fn to_json<T: serde::Serialize>(what: &str, value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(format!("encoding {what}: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| corrupt(what, e.to_string()))
}

fn u32_of(what: &str, value: i64) -> StoreResult<u32> {
    u32::try_from(value).map_err(|_| corrupt(what, value))
}

fn collect<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    f: impl Fn(&Row) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(f(row)?);
    }
    Ok(out)
}

fn ensure_account(conn: &Connection, creditor: CreditorId, account: AccountId) -> StoreResult<()> {
    conn.prepare_cached("SELECT 1 FROM accounts WHERE id = ?1 AND creditor_id = ?2")?
        .query_row(params![account.0, creditor.0], |_| Ok(()))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("account {account}")))
}

fn paused(
    conn: &Connection,
    creditor: CreditorId,
    account: AccountId,
    today: NaiveDate,
) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM account_pauses
             WHERE account_id = ?1 AND creditor_id = ?2 AND lifted_at IS NULL
               AND starts_on <= ?3 AND (ends_on IS NULL OR ends_on >= ?3)
             LIMIT 1",
        )?
        .query_row(params![account.0, creditor.0, day(today)], |_| Ok(()))
        .optional()?
        .is_some())
}

fn insert_assessment(
    tx: &Transaction,
    creditor: CreditorId,
    account: AccountId,
    assessment: &Assessment,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<AssessmentId> {
    tx.prepare_cached(
        "INSERT INTO assessments (creditor_id, account_id, declaration, result,
                                  recommended_monthly, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        creditor.0,
        account.0,
        to_json("declaration", &assessment.declaration)?,
        to_json("assessment", &AssessmentResult::of(assessment))?,
        assessment.recommended_monthly.value(),
        instant(now),
        actor.user.map(|u| u.0)
    ])?;
    let id = AssessmentId(tx.last_insert_rowid());
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

const OFFER_COLUMNS: &str = "o.id, o.account_id, o.assessment_id, o.as_of, o.options,
     o.chosen_rank, o.kind, o.total_paid, o.down_payment, o.instalment, o.tenor_months,
     o.created_role, o.approvers, o.status, o.expires_at, o.created_at, o.created_by,
     o.decided_by, o.decided_at, o.decision_reason, a.declaration, a.result";

fn offer(row: &Row) -> StoreResult<StoredOffer> {
    let options: String = row.get(4)?;
    let kind: String = row.get(6)?;
    let role: String = row.get(11)?;
    let approvers: String = row.get(12)?;
    let status: String = row.get(13)?;
    let declaration: String = row.get(20)?;
    let result: String = row.get(21)?;
    let declaration: Declaration = from_json("assessment declaration", &declaration)?;
    let result: AssessmentResult = from_json("assessment result", &result)?;
    Ok(StoredOffer {
        id: OfferId(row.get(0)?),
        assessment: AssessmentId(row.get(2)?),
        data: NewOffer {
            account: AccountId(row.get(1)?),
            assessment: result.with(declaration),
            as_of: to_day(row.get(3)?)?,
            options: from_json::<Vec<Offer>>("offer options", &options)?,
            chosen_rank: u32_of("chosen rank", row.get(5)?)?,
            created_role: sepakat_domain::Role::parse(&role)
                .ok_or_else(|| corrupt("offer role", &role))?,
            approvers: parse_roles(&approvers).ok_or_else(|| corrupt("approvers", &approvers))?,
            expires_at: to_instant(row.get(14)?)?,
        },
        kind: parse_kind(&kind).ok_or_else(|| corrupt("offer kind", &kind))?,
        total_paid: Rupiah::new(row.get(7)?),
        down_payment: Rupiah::new(row.get(8)?),
        instalment: Rupiah::new(row.get(9)?),
        tenor_months: u32_of("tenor", row.get(10)?)?,
        status: OfferStatus::parse(&status).ok_or_else(|| corrupt("offer status", &status))?,
        created_at: to_instant(row.get(15)?)?,
        created_by: row.get::<_, Option<i64>>(16)?.map(UserId),
        decided_by: row.get::<_, Option<i64>>(17)?.map(UserId),
        decided_at: row.get::<_, Option<i64>>(18)?.map(to_instant).transpose()?,
        decision_reason: row.get(19)?,
    })
}

fn offer_by_id(conn: &Connection, creditor: CreditorId, id: OfferId) -> StoreResult<StoredOffer> {
    let sql = format!(
        "SELECT {OFFER_COLUMNS} FROM offers o JOIN assessments a ON a.id = o.assessment_id
         WHERE o.id = ?1 AND o.creditor_id = ?2"
    );
    let mut found = collect(conn, &sql, params![id.0, creditor.0], offer)?;
    found
        .pop()
        .ok_or_else(|| StoreError::NotFound(format!("offer {id}")))
}

const ARRANGEMENT_COLUMNS: &str =
    "id, account_id, offer_id, kind, status, max_misses, created_at, created_by, ended_at";

fn arrangement(row: &Row) -> StoreResult<Arrangement> {
    let kind: String = row.get(3)?;
    let status: String = row.get(4)?;
    Ok(Arrangement {
        id: ArrangementId(row.get(0)?),
        account: AccountId(row.get(1)?),
        offer: OfferId(row.get(2)?),
        kind: parse_kind(&kind).ok_or_else(|| corrupt("arrangement kind", &kind))?,
        status: ArrangementStatus::parse(&status)
            .ok_or_else(|| corrupt("arrangement status", &status))?,
        max_misses: u32_of("max misses", row.get(5)?)?,
        created_at: to_instant(row.get(6)?)?,
        created_by: row.get::<_, Option<i64>>(7)?.map(UserId),
        ended_at: row.get::<_, Option<i64>>(8)?.map(to_instant).transpose()?,
        instalments: Vec::new(),
    })
}

/// Arrangements matching `filter` (binding `params`), each with its instalments.
fn arrangements_where(
    conn: &Connection,
    filter: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<Arrangement>> {
    let mut list = collect(
        conn,
        &format!("SELECT {ARRANGEMENT_COLUMNS} FROM arrangements WHERE {filter} ORDER BY id"),
        params,
        arrangement,
    )?;
    for a in &mut list {
        a.instalments = collect(
            conn,
            "SELECT seq, due_on, amount, paid, status FROM instalments
             WHERE arrangement_id = ?1 ORDER BY seq",
            [a.id.0],
            |r| {
                let status: String = r.get(4)?;
                Ok(ArrangementInstalment {
                    seq: u32_of("instalment seq", r.get(0)?)?,
                    due_on: to_day(r.get(1)?)?,
                    amount: Rupiah::new(r.get(2)?),
                    paid: Rupiah::new(r.get(3)?),
                    status: InstalmentStatus::parse(&status)
                        .ok_or_else(|| corrupt("instalment status", &status))?,
                })
            },
        )?;
    }
    Ok(list)
}

impl NegotiationStore for SqliteStore {
    fn save_assessment(
        &self,
        creditor: CreditorId,
        account: AccountId,
        assessment: &Assessment,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<AssessmentId> {
        self.write(|tx| {
            ensure_account(tx, creditor, account)?;
            insert_assessment(tx, creditor, account, assessment, now, actor)
        })
    }

    fn assessments(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<StoredAssessment>> {
        self.read(|c| {
            collect(
                c,
                "SELECT id, account_id, declaration, result, created_at, created_by
                 FROM assessments WHERE creditor_id = ?1 AND account_id = ?2 ORDER BY id",
                params![creditor.0, account.0],
                |r| {
                    let declaration: String = r.get(2)?;
                    let result: String = r.get(3)?;
                    let declaration: Declaration = from_json("declaration", &declaration)?;
                    let result: AssessmentResult = from_json("assessment result", &result)?;
                    Ok(StoredAssessment {
                        id: AssessmentId(r.get(0)?),
                        account: AccountId(r.get(1)?),
                        assessment: result.with(declaration),
                        created_at: to_instant(r.get(4)?)?,
                        created_by: r.get::<_, Option<i64>>(5)?.map(UserId),
                    })
                },
            )
        })
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
        self.write(|tx| {
            ensure_account(tx, creditor, new.account)?;
            if paused(tx, creditor, new.account, today)? {
                return Err(paused_conflict(new.account, today));
            }
            let assessment =
                insert_assessment(tx, creditor, new.account, &new.assessment, now, actor)?;
            tx.prepare_cached(
                "INSERT INTO offers (creditor_id, account_id, assessment_id, as_of, options,
                     chosen_rank, kind, total_paid, down_payment, instalment, tenor_months,
                     created_role, approvers, status, expires_at, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                         ?16, ?17)",
            )?
            .execute(params![
                creditor.0,
                new.account.0,
                assessment.0,
                day(new.as_of),
                to_json("offer options", &new.options)?,
                new.chosen_rank,
                chosen.kind.code(),
                chosen.total_paid.value(),
                chosen.down_payment.value(),
                chosen.instalment.value(),
                chosen.tenor_months,
                new.created_role.code(),
                role_list(&new.approvers),
                status.code(),
                instant(new.expires_at),
                instant(now),
                actor.user.map(|u| u.0)
            ])?;
            let id = OfferId(tx.last_insert_rowid());
            audit_entry(
                tx,
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
            Ok((assessment, id))
        })
    }

    fn offer(&self, creditor: CreditorId, id: OfferId) -> StoreResult<Option<StoredOffer>> {
        self.read(|c| match offer_by_id(c, creditor, id) {
            Ok(o) => Ok(Some(o)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        })
    }

    fn offers(&self, creditor: CreditorId, account: AccountId) -> StoreResult<Vec<StoredOffer>> {
        self.read(|c| {
            collect(
                c,
                &format!(
                    "SELECT {OFFER_COLUMNS} FROM offers o
                     JOIN assessments a ON a.id = o.assessment_id
                     WHERE o.creditor_id = ?1 AND o.account_id = ?2 ORDER BY o.id"
                ),
                params![creditor.0, account.0],
                offer,
            )
        })
    }

    fn pending_approvals(&self, creditor: CreditorId) -> StoreResult<Vec<StoredOffer>> {
        self.read(|c| {
            collect(
                c,
                &format!(
                    "SELECT {OFFER_COLUMNS} FROM offers o
                     JOIN assessments a ON a.id = o.assessment_id
                     WHERE o.creditor_id = ?1 AND o.status = 'pending_approval' ORDER BY o.id"
                ),
                [creditor.0],
                offer,
            )
        })
    }

    fn decide_offer(
        &self,
        creditor: CreditorId,
        id: OfferId,
        decision: &OfferDecision,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<OfferStatus> {
        self.write(|tx| {
            let o = offer_by_id(tx, creditor, id)?;
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
            tx.prepare_cached(
                "UPDATE offers SET status = ?2, decided_by = ?3, decided_at = ?4,
                                   decision_reason = ?5
                 WHERE id = ?1",
            )?
            .execute(params![
                id.0,
                status.code(),
                actor.user.map(|u| u.0),
                instant(now),
                decision.reason.trim()
            ])?;
            audit_entry(
                tx,
                creditor,
                now,
                actor,
                action,
                o.data.account,
                json!({ "offer": id, "reason": decision.reason.trim(),
                        "created_by": o.created_by }),
            )?;
            Ok(status)
        })
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
        self.write(|tx| {
            let o = offer_by_id(tx, creditor, id)?;
            check_acceptance(id, o.status, o.data.expires_at, now)?;
            let account = o.data.account;
            if paused(tx, creditor, account, today)? {
                return Err(paused_conflict(account, today));
            }
            let active = tx
                .prepare_cached(
                    "SELECT id FROM arrangements WHERE account_id = ?1 AND status = 'active'",
                )?
                .query_row([account.0], |r| r.get::<_, i64>(0))
                .optional()?;
            if let Some(existing) = active {
                return Err(StoreError::Conflict(format!(
                    "account {account} already has an active arrangement ({existing})"
                )));
            }
            let chosen = o
                .chosen()
                .ok_or_else(|| corrupt("chosen rank", o.data.chosen_rank))?;
            tx.prepare_cached("UPDATE offers SET status = 'accepted' WHERE id = ?1")?
                .execute([id.0])?;
            tx.prepare_cached(
                "INSERT INTO arrangements (creditor_id, account_id, offer_id, kind, status,
                                           max_misses, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?6, ?7)",
            )?
            .execute(params![
                creditor.0,
                account.0,
                id.0,
                chosen.kind.code(),
                max_misses,
                instant(now),
                actor.user.map(|u| u.0)
            ])?;
            let arrangement = ArrangementId(tx.last_insert_rowid());
            let mut insert = tx.prepare_cached(
                "INSERT INTO instalments (arrangement_id, seq, due_on, amount)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for line in &chosen.schedule {
                insert.execute(params![
                    arrangement.0,
                    line.seq,
                    day(line.due_date),
                    line.amount.value()
                ])?;
            }
            audit_entry(
                tx,
                creditor,
                now,
                actor,
                "offer.accepted",
                account,
                json!({ "offer": id, "arrangement": arrangement }),
            )?;
            audit_entry(
                tx,
                creditor,
                now,
                actor,
                "arrangement.created",
                account,
                json!({ "arrangement": arrangement, "offer": id, "kind": chosen.kind.code(),
                        "total_paid": chosen.total_paid.value(),
                        "instalments": chosen.schedule.len(), "max_misses": max_misses }),
            )?;
            Ok(arrangement)
        })
    }

    fn expire_offers(
        &self,
        creditor: CreditorId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<u64> {
        self.write(|tx| {
            let due = collect(
                tx,
                "SELECT id, account_id, status FROM offers
                 WHERE creditor_id = ?1 AND expires_at <= ?2
                   AND status IN ('proposed', 'pending_approval', 'approved')
                 ORDER BY id",
                params![creditor.0, instant(now)],
                |r| {
                    Ok((
                        OfferId(r.get(0)?),
                        AccountId(r.get(1)?),
                        r.get::<_, String>(2)?,
                    ))
                },
            )?;
            for (id, account, was) in &due {
                tx.prepare_cached("UPDATE offers SET status = 'expired' WHERE id = ?1")?
                    .execute([id.0])?;
                audit_entry(
                    tx,
                    creditor,
                    now,
                    actor,
                    "offer.expired",
                    *account,
                    json!({ "offer": id, "was": was }),
                )?;
            }
            Ok(due.len() as u64)
        })
    }

    fn arrangements(
        &self,
        creditor: CreditorId,
        account: AccountId,
    ) -> StoreResult<Vec<Arrangement>> {
        self.read(|c| {
            arrangements_where(
                c,
                "creditor_id = ?1 AND account_id = ?2",
                params![creditor.0, account.0],
            )
        })
    }

    fn active_arrangements(&self, creditor: CreditorId) -> StoreResult<Vec<Arrangement>> {
        self.read(|c| arrangements_where(c, "creditor_id = ?1 AND status = 'active'", [creditor.0]))
    }

    fn record_tracking(
        &self,
        creditor: CreditorId,
        tracking: &ArrangementTracking,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<TrackingOutcome> {
        self.write(|tx| {
            let stored = arrangements_where(
                tx,
                "creditor_id = ?1 AND id = ?2",
                params![creditor.0, tracking.arrangement.0],
            )?
            .pop()
            .ok_or_else(|| StoreError::NotFound(format!("arrangement {}", tracking.arrangement)))?;
            let changes = tracking_changes(&stored, tracking)?;
            let id = stored.id;
            for (seq, paid, status) in &changes {
                tx.prepare_cached(
                    "UPDATE instalments SET paid = ?3, status = ?4
                     WHERE arrangement_id = ?1 AND seq = ?2",
                )?
                .execute(params![id.0, seq, paid.value(), status.code()])?;
                let before = stored
                    .instalments
                    .iter()
                    .find(|i| i.seq == *seq)
                    .map(|i| i.status);
                audit_entry(
                    tx,
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
                tx.prepare_cached(
                    "UPDATE arrangements SET status = ?2, ended_at = ?3 WHERE id = ?1",
                )?
                .execute(params![id.0, tracking.status.code(), instant(now)])?;
                let misses = tracking
                    .instalments
                    .iter()
                    .filter(|i| i.2 == InstalmentStatus::Missed)
                    .count();
                audit_entry(
                    tx,
                    creditor,
                    now,
                    actor,
                    arrangement_action(tracking.status),
                    stored.account,
                    json!({ "arrangement": id, "missed": misses }),
                )?;
                if tracking.status == ArrangementStatus::Defaulted {
                    audit_entry(
                        tx,
                        creditor,
                        now,
                        actor,
                        "account.returned_to_collection",
                        stored.account,
                        json!({ "arrangement": id, "reason": "arrangement_defaulted" }),
                    )?;
                }
            }
            Ok(TrackingOutcome {
                instalments_changed: changes.len() as u32,
                status_changed,
            })
        })
    }
}
