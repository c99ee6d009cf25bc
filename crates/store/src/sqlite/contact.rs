//! Contacts on SQLite: an interaction with its promise, evidence and follow-ups in the
//! caller's transaction; evidence and follow-up reads; the team view's counts. Rules in
//! `crate::workbench`.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde_json::json;

use super::codec::{corrupt, day, instant, province, to_instant};
use super::collection::{audit_entry, collect, ensure_user, write_interaction, write_promise};
use crate::workbench::{paused_conflict, reminder_due, sha256_hex};
use crate::*;

/// The ids stored for the contact whose interaction is `id`.
fn stored_ids(conn: &Connection, id: InteractionId) -> StoreResult<ContactIds> {
    let promise = conn
        .prepare_cached("SELECT id FROM promises WHERE interaction_id = ?1 ORDER BY id LIMIT 1")?
        .query_row([id.0], |r| r.get::<_, i64>(0))
        .optional()?
        .map(PromiseId);
    let evidence = collect(
        conn,
        "SELECT id FROM evidence WHERE interaction_id = ?1 ORDER BY id",
        [id.0],
        |r| Ok(EvidenceId(r.get(0)?)),
    )?;
    let follow_ups = collect(
        conn,
        "SELECT id FROM follow_ups WHERE interaction_id = ?1 ORDER BY id",
        [id.0],
        |r| Ok(FollowUpId(r.get(0)?)),
    )?;
    Ok(ContactIds {
        interaction: id,
        promise,
        evidence,
        follow_ups,
    })
}

/// Logs a contact (the caller has checked its evidence and follow-up account).
pub(super) fn record(
    tx: &Transaction,
    creditor: CreditorId,
    new: &NewContact,
    today: NaiveDate,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<ContactIds> {
    let interaction = &new.interaction;
    if let Some(key) = &interaction.idempotency_key {
        let known = tx
            .prepare_cached(
                "SELECT id FROM interactions WHERE creditor_id = ?1 AND idempotency_key = ?2",
            )?
            .query_row(params![creditor.0, key], |r| r.get::<_, i64>(0))
            .optional()?;
        if let Some(id) = known {
            return stored_ids(tx, InteractionId(id));
        }
    }
    let account = interaction.account;
    let province_code: i64 = tx
        .prepare_cached(
            "SELECT d.province FROM accounts a JOIN debtors d ON d.id = a.debtor_id
             WHERE a.id = ?1 AND a.creditor_id = ?2",
        )?
        .query_row(params![account.0, creditor.0], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("account {account}")))?;
    let zone = province(province_code)?.zone();
    let paused: Option<String> = tx
        .prepare_cached(
            "SELECT reason FROM account_pauses
             WHERE account_id = ?1 AND lifted_at IS NULL AND starts_on <= ?2
               AND (ends_on IS NULL OR ends_on >= ?2)
             ORDER BY starts_on LIMIT 1",
        )?
        .query_row(params![account.0, day(today)], |r| r.get(0))
        .optional()?;
    if let Some(reason) = paused {
        return Err(paused_conflict(account, &reason, today));
    }
    let id = write_interaction(tx, creditor, interaction, now, actor)?;
    let done = collect(
        tx,
        "UPDATE follow_ups SET done_at = ?3, done_by = ?4
         WHERE account_id = ?1 AND creditor_id = ?2 AND done_at IS NULL AND due_at <= ?3
         RETURNING id",
        params![account.0, creditor.0, instant(now), actor.user.map(|u| u.0)],
        |r| Ok(r.get::<_, i64>(0)?),
    )?;
    for follow_up in done {
        audit_entry(
            tx,
            creditor,
            now,
            actor,
            "follow_up.completed",
            "account",
            account,
            json!({ "follow_up": follow_up, "interaction": id }),
        )?;
    }
    let mut ids = ContactIds {
        interaction: id,
        promise: None,
        evidence: Vec::new(),
        follow_ups: Vec::new(),
    };
    if let Some(p) = &new.promise {
        let promise = NewPromise {
            account,
            interaction: Some(id),
            amount: p.amount,
            promised_on: p.promised_on,
            channel: p.channel,
        };
        let promise_id = write_promise(tx, creditor, &promise, today, now, actor)?;
        ids.promise = Some(promise_id);
        let due = reminder_due(p.promised_on, zone);
        if due > now {
            let reminder = NewFollowUp {
                kind: FollowUpKind::PromiseReminder,
                account,
                due_at: due,
                user: interaction.user,
                note: format!(
                    "Pengingat janji bayar {} tanggal {}",
                    p.amount, p.promised_on
                ),
            };
            ids.follow_ups.push(insert_follow_up(
                tx,
                creditor,
                &reminder,
                Some(promise_id),
                Some(id),
                now,
                actor,
            )?);
        }
    }
    for e in &new.evidence {
        ids.evidence
            .push(insert_evidence(tx, creditor, account, id, e, now, actor)?);
    }
    if let Some(f) = &new.follow_up {
        ids.follow_ups.push(insert_follow_up(
            tx,
            creditor,
            f,
            None,
            Some(id),
            now,
            actor,
        )?);
    }
    Ok(ids)
}

#[allow(clippy::too_many_arguments)]
fn insert_evidence(
    tx: &Transaction,
    creditor: CreditorId,
    account: AccountId,
    interaction: InteractionId,
    e: &NewEvidence,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<EvidenceId> {
    let sha = sha256_hex(&e.bytes);
    let size = e.bytes.len() as i64;
    tx.prepare_cached(
        "INSERT INTO evidence_blobs (creditor_id, sha256, size_bytes, content)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
    )?
    .execute(params![creditor.0, sha, size, e.bytes])?;
    tx.prepare_cached(
        "INSERT INTO evidence (creditor_id, account_id, interaction_id, sha256, media_type,
                               file_name, size_bytes, gps_lat, gps_lon, captured_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        creditor.0,
        account.0,
        interaction.0,
        sha,
        e.media_type.trim().to_ascii_lowercase(),
        e.file_name,
        size,
        e.gps.map(|g| g.0),
        e.gps.map(|g| g.1),
        e.captured_at.map(instant),
        instant(now)
    ])?;
    let id = EvidenceId(tx.last_insert_rowid());
    audit_entry(
        tx,
        creditor,
        now,
        actor,
        "evidence.stored",
        "account",
        account,
        json!({ "evidence": id, "interaction": interaction, "sha256": sha,
                "media_type": e.media_type, "size": size }),
    )?;
    Ok(id)
}

/// Inserts a follow-up on an account already checked to be the creditor's; audited.
pub(super) fn insert_follow_up(
    tx: &Transaction,
    creditor: CreditorId,
    f: &NewFollowUp,
    promise: Option<PromiseId>,
    interaction: Option<InteractionId>,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<FollowUpId> {
    if let Some(user) = f.user {
        ensure_user(tx, creditor, user)?;
    }
    tx.prepare_cached(
        "INSERT INTO follow_ups (creditor_id, account_id, kind, due_at, user_id, note,
                                 promise_id, interaction_id, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        creditor.0,
        f.account.0,
        f.kind.code(),
        instant(f.due_at),
        f.user.map(|u| u.0),
        f.note,
        promise.map(|p| p.0),
        interaction.map(|i| i.0),
        instant(now),
        actor.user.map(|u| u.0)
    ])?;
    let id = FollowUpId(tx.last_insert_rowid());
    audit_entry(
        tx,
        creditor,
        now,
        actor,
        "follow_up.created",
        "account",
        f.account,
        json!({ "follow_up": id, "kind": f.kind.code(), "due_at": f.due_at,
                "user": f.user, "promise": promise }),
    )?;
    Ok(id)
}

/// Marks a follow-up done; `Conflict` if it already is.
pub(super) fn complete_follow_up(
    tx: &Transaction,
    creditor: CreditorId,
    id: FollowUpId,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<()> {
    let (account, done): (i64, Option<i64>) = tx
        .prepare_cached(
            "SELECT account_id, done_at FROM follow_ups WHERE id = ?1 AND creditor_id = ?2",
        )?
        .query_row(params![id.0, creditor.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("follow-up {id}")))?;
    if let Some(done) = done {
        return Err(StoreError::Conflict(format!(
            "follow-up {id} is already done (at {})",
            to_instant(done)?
        )));
    }
    tx.prepare_cached("UPDATE follow_ups SET done_at = ?2, done_by = ?3 WHERE id = ?1")?
        .execute(params![id.0, instant(now), actor.user.map(|u| u.0)])?;
    audit_entry(
        tx,
        creditor,
        now,
        actor,
        "follow_up.completed",
        "account",
        account,
        json!({ "follow_up": id }),
    )
}

fn follow_up(r: &Row) -> StoreResult<FollowUp> {
    let kind: String = r.get(1)?;
    Ok(FollowUp {
        id: FollowUpId(r.get(0)?),
        kind: FollowUpKind::parse(&kind).ok_or_else(|| corrupt("follow-up kind", &kind))?,
        account: AccountId(r.get(2)?),
        due_at: to_instant(r.get(3)?)?,
        user: r.get::<_, Option<i64>>(4)?.map(UserId),
        note: r.get(5)?,
        promise: r.get::<_, Option<i64>>(6)?.map(PromiseId),
        interaction: r.get::<_, Option<i64>>(7)?.map(InteractionId),
        created_at: to_instant(r.get(8)?)?,
        done_at: r.get::<_, Option<i64>>(9)?.map(to_instant).transpose()?,
    })
}

/// An account's follow-ups by due time.
pub(super) fn follow_ups(
    conn: &Connection,
    creditor: CreditorId,
    account: AccountId,
) -> StoreResult<Vec<FollowUp>> {
    collect(
        conn,
        "SELECT id, kind, account_id, due_at, user_id, note, promise_id, interaction_id,
                created_at, done_at
         FROM follow_ups WHERE creditor_id = ?1 AND account_id = ?2 ORDER BY due_at, id",
        params![creditor.0, account.0],
        follow_up,
    )
}

const EVIDENCE_COLUMNS: &str = "e.id, e.account_id, e.interaction_id, e.sha256, e.media_type,
     e.file_name, e.size_bytes, e.gps_lat, e.gps_lon, e.captured_at, e.created_at";

fn evidence_info(r: &Row) -> StoreResult<EvidenceInfo> {
    let size: i64 = r.get(6)?;
    let gps = match (r.get::<_, Option<f64>>(7)?, r.get::<_, Option<f64>>(8)?) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        _ => None,
    };
    Ok(EvidenceInfo {
        id: EvidenceId(r.get(0)?),
        account: AccountId(r.get(1)?),
        interaction: InteractionId(r.get(2)?),
        sha256: r.get(3)?,
        media_type: r.get(4)?,
        file_name: r.get(5)?,
        size: u64::try_from(size).map_err(|_| corrupt("evidence size", size))?,
        gps,
        captured_at: r.get::<_, Option<i64>>(9)?.map(to_instant).transpose()?,
        created_at: to_instant(r.get(10)?)?,
    })
}

/// An account's evidence, oldest first.
pub(super) fn evidence(
    conn: &Connection,
    creditor: CreditorId,
    account: AccountId,
) -> StoreResult<Vec<EvidenceInfo>> {
    collect(
        conn,
        &format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence e
             WHERE e.creditor_id = ?1 AND e.account_id = ?2 ORDER BY e.id"
        ),
        params![creditor.0, account.0],
        evidence_info,
    )
}

/// One evidence file with its content.
pub(super) fn evidence_content(
    conn: &Connection,
    creditor: CreditorId,
    id: EvidenceId,
) -> StoreResult<Option<(EvidenceInfo, Vec<u8>)>> {
    let mut found = collect(
        conn,
        &format!(
            "SELECT {EVIDENCE_COLUMNS}, b.content FROM evidence e
             JOIN evidence_blobs b ON b.creditor_id = e.creditor_id AND b.sha256 = e.sha256
             WHERE e.creditor_id = ?1 AND e.id = ?2"
        ),
        params![creditor.0, id.0],
        |r| Ok((evidence_info(r)?, r.get::<_, Vec<u8>>(11)?)),
    )?;
    Ok(found.pop())
}

/// Per collector membership: the period's counts (worklist size filled in by the caller).
pub(super) fn activity(
    conn: &Connection,
    creditor: CreditorId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<CollectorActivity>> {
    let rpc = crate::workbench::right_party_codes();
    collect(
        conn,
        &format!(
            "SELECT c.user_id, u.username, c.team_id,
                (SELECT COUNT(*) FROM interactions i WHERE i.creditor_id = ?1
                    AND i.user_id = c.user_id AND i.at >= ?2 AND i.at < ?3),
                (SELECT COUNT(*) FROM interactions i WHERE i.creditor_id = ?1
                    AND i.user_id = c.user_id AND i.at >= ?2 AND i.at < ?3
                    AND i.outcome IN ({rpc})),
                (SELECT COUNT(*) FROM promises p WHERE p.creditor_id = ?1
                    AND p.created_by = c.user_id AND p.created_at >= ?2 AND p.created_at < ?3),
                (SELECT COUNT(*) FROM promises p WHERE p.creditor_id = ?1
                    AND p.created_by = c.user_id AND p.status = 'kept'
                    AND p.resolved_at >= ?2 AND p.resolved_at < ?3)
             FROM collectors c JOIN users u ON u.id = c.user_id
             WHERE c.creditor_id = ?1
             ORDER BY u.username, c.team_id"
        ),
        params![creditor.0, instant(from), instant(to)],
        |r| {
            let n = |i: usize| -> StoreResult<u64> {
                let v: i64 = r.get(i)?;
                Ok(u64::try_from(v).unwrap_or_default())
            };
            Ok(CollectorActivity {
                user: UserId(r.get(0)?),
                username: r.get(1)?,
                team: TeamId(r.get(2)?),
                worklist_size: 0,
                contacts: n(3)?,
                right_party_contacts: n(4)?,
                promises_made: n(5)?,
                promises_kept: n(6)?,
            })
        },
    )
}
