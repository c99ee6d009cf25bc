//! Contacts on PostgreSQL: an interaction with its promise, evidence and follow-ups in the
//! caller's transaction; evidence and follow-up reads; the team view's counts. Rules in
//! `crate::workbench`.

use ::postgres::{GenericClient, Row, Transaction};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use super::codec::{corrupt, get, get_province};
use super::collection::{audit_entry, ensure_user, query_all, write_interaction, write_promise};
use super::db_err;
use crate::workbench::{paused_conflict, reminder_due, sha256_hex};
use crate::*;

/// The ids stored for the contact whose interaction is `id`.
fn stored_ids(client: &mut impl GenericClient, id: InteractionId) -> StoreResult<ContactIds> {
    let context = "reading a contact";
    let promise = client
        .query_opt(
            "SELECT id FROM promises WHERE interaction_id = $1 ORDER BY id LIMIT 1",
            &[&id.0],
        )
        .map_err(db_err(context))?
        .map(|r| get::<i64>(&r, "id").map(PromiseId))
        .transpose()?;
    let evidence = query_all(
        client,
        "SELECT id FROM evidence WHERE interaction_id = $1 ORDER BY id",
        &[&id.0],
        context,
        |r| Ok(EvidenceId(get(r, "id")?)),
    )?;
    let follow_ups = query_all(
        client,
        "SELECT id FROM follow_ups WHERE interaction_id = $1 ORDER BY id",
        &[&id.0],
        context,
        |r| Ok(FollowUpId(get(r, "id")?)),
    )?;
    Ok(ContactIds {
        interaction: id,
        promise,
        evidence,
        follow_ups,
    })
}

/// The contact stored under an idempotency key, if any.
pub(super) fn by_key(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    key: &str,
) -> StoreResult<Option<ContactIds>> {
    let known = client
        .query_opt(
            "SELECT id FROM interactions WHERE creditor_id = $1 AND idempotency_key = $2",
            &[&creditor.0, &key],
        )
        .map_err(db_err("reading a contact"))?;
    match known {
        Some(row) => Ok(Some(stored_ids(client, InteractionId(get(&row, "id")?))?)),
        None => Ok(None),
    }
}

/// Logs a contact (the caller has checked its evidence and follow-up account).
pub(super) fn record(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    new: &NewContact,
    today: NaiveDate,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<ContactIds> {
    let context = "recording a contact";
    let interaction = &new.interaction;
    if let Some(key) = &interaction.idempotency_key {
        if let Some(ids) = by_key(tx, creditor, key)? {
            return Ok(ids);
        }
    }
    let account = interaction.account;
    let row = tx
        .query_opt(
            "SELECT d.province FROM accounts a JOIN debtors d ON d.id = a.debtor_id
             WHERE a.id = $1 AND a.creditor_id = $2",
            &[&account.0, &creditor.0],
        )
        .map_err(db_err(context))?
        .ok_or_else(|| StoreError::NotFound(format!("account {account}")))?;
    let zone = get_province(&row, "province")?.zone();
    let paused = tx
        .query_opt(
            "SELECT reason FROM account_pauses
             WHERE account_id = $1 AND lifted_at IS NULL AND starts_on <= $2
               AND (ends_on IS NULL OR ends_on >= $2)
             ORDER BY starts_on LIMIT 1",
            &[&account.0, &today],
        )
        .map_err(db_err(context))?;
    if let Some(row) = paused {
        let reason: String = get(&row, "reason")?;
        return Err(paused_conflict(account, &reason, today));
    }
    let id = write_interaction(tx, creditor, interaction, now, actor)?;
    let done = tx
        .query(
            "UPDATE follow_ups SET done_at = $3, done_by = $4
             WHERE account_id = $1 AND creditor_id = $2 AND done_at IS NULL AND due_at <= $3
             RETURNING id",
            &[&account.0, &creditor.0, &now, &actor.user.map(|u| u.0)],
        )
        .map_err(db_err(context))?;
    for row in done {
        let follow_up: i64 = get(&row, "id")?;
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

fn insert_evidence(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    account: AccountId,
    interaction: InteractionId,
    e: &NewEvidence,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<EvidenceId> {
    let context = "storing evidence";
    let sha = sha256_hex(&e.bytes);
    let size = e.bytes.len() as i64;
    tx.execute(
        "INSERT INTO evidence_blobs (creditor_id, sha256, size_bytes, content)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        &[&creditor.0, &sha, &size, &e.bytes],
    )
    .map_err(db_err(context))?;
    let row = tx
        .query_one(
            "INSERT INTO evidence (creditor_id, account_id, interaction_id, sha256, media_type,
                                   file_name, size_bytes, gps_lat, gps_lon, captured_at,
                                   created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            &[
                &creditor.0,
                &account.0,
                &interaction.0,
                &sha,
                &e.media_type.trim().to_ascii_lowercase(),
                &e.file_name,
                &size,
                &e.gps.map(|g| g.0),
                &e.gps.map(|g| g.1),
                &e.captured_at,
                &now,
            ],
        )
        .map_err(db_err(context))?;
    let id = EvidenceId(get(&row, "id")?);
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
    tx: &mut Transaction<'_>,
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
    let row = tx
        .query_one(
            "INSERT INTO follow_ups (creditor_id, account_id, kind, due_at, user_id, note,
                                     promise_id, interaction_id, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            &[
                &creditor.0,
                &f.account.0,
                &f.kind.code(),
                &f.due_at,
                &f.user.map(|u| u.0),
                &f.note,
                &promise.map(|p| p.0),
                &interaction.map(|i| i.0),
                &now,
                &actor.user.map(|u| u.0),
            ],
        )
        .map_err(db_err("creating a follow-up"))?;
    let id = FollowUpId(get(&row, "id")?);
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
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    id: FollowUpId,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<()> {
    let context = "completing a follow-up";
    let row = tx
        .query_opt(
            "SELECT account_id, done_at FROM follow_ups
             WHERE id = $1 AND creditor_id = $2 FOR UPDATE",
            &[&id.0, &creditor.0],
        )
        .map_err(db_err(context))?
        .ok_or_else(|| StoreError::NotFound(format!("follow-up {id}")))?;
    let account: i64 = get(&row, "account_id")?;
    if let Some(done) = get::<Option<DateTime<Utc>>>(&row, "done_at")? {
        return Err(StoreError::Conflict(format!(
            "follow-up {id} is already done (at {done})"
        )));
    }
    tx.execute(
        "UPDATE follow_ups SET done_at = $2, done_by = $3 WHERE id = $1",
        &[&id.0, &now, &actor.user.map(|u| u.0)],
    )
    .map_err(db_err(context))?;
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
    let kind: String = get(r, "kind")?;
    Ok(FollowUp {
        id: FollowUpId(get(r, "id")?),
        kind: FollowUpKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        account: AccountId(get(r, "account_id")?),
        due_at: get(r, "due_at")?,
        user: get::<Option<i64>>(r, "user_id")?.map(UserId),
        note: get(r, "note")?,
        promise: get::<Option<i64>>(r, "promise_id")?.map(PromiseId),
        interaction: get::<Option<i64>>(r, "interaction_id")?.map(InteractionId),
        created_at: get(r, "created_at")?,
        done_at: get(r, "done_at")?,
    })
}

/// An account's follow-ups by due time.
pub(super) fn follow_ups(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    account: AccountId,
) -> StoreResult<Vec<FollowUp>> {
    query_all(
        client,
        "SELECT id, kind, account_id, due_at, user_id, note, promise_id, interaction_id,
                created_at, done_at
         FROM follow_ups WHERE creditor_id = $1 AND account_id = $2 ORDER BY due_at, id",
        &[&creditor.0, &account.0],
        "reading follow-ups",
        follow_up,
    )
}

const EVIDENCE_COLUMNS: &str = "e.id, e.account_id, e.interaction_id, e.sha256, e.media_type,
     e.file_name, e.size_bytes, e.gps_lat, e.gps_lon, e.captured_at, e.created_at";

fn evidence_info(r: &Row) -> StoreResult<EvidenceInfo> {
    let size: i64 = get(r, "size_bytes")?;
    let lat: Option<f64> = get(r, "gps_lat")?;
    let lon: Option<f64> = get(r, "gps_lon")?;
    Ok(EvidenceInfo {
        id: EvidenceId(get(r, "id")?),
        account: AccountId(get(r, "account_id")?),
        interaction: InteractionId(get(r, "interaction_id")?),
        sha256: get(r, "sha256")?,
        media_type: get(r, "media_type")?,
        file_name: get(r, "file_name")?,
        size: u64::try_from(size).map_err(|_| corrupt("size_bytes", size))?,
        gps: lat.zip(lon),
        captured_at: get(r, "captured_at")?,
        created_at: get(r, "created_at")?,
    })
}

/// An account's evidence, oldest first.
pub(super) fn evidence(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    account: AccountId,
) -> StoreResult<Vec<EvidenceInfo>> {
    query_all(
        client,
        &format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence e
             WHERE e.creditor_id = $1 AND e.account_id = $2 ORDER BY e.id"
        ),
        &[&creditor.0, &account.0],
        "reading evidence",
        evidence_info,
    )
}

/// One evidence file with its content.
pub(super) fn evidence_content(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    id: EvidenceId,
) -> StoreResult<Option<(EvidenceInfo, Vec<u8>)>> {
    let mut found = query_all(
        client,
        &format!(
            "SELECT {EVIDENCE_COLUMNS}, b.content FROM evidence e
             JOIN evidence_blobs b ON b.creditor_id = e.creditor_id AND b.sha256 = e.sha256
             WHERE e.creditor_id = $1 AND e.id = $2"
        ),
        &[&creditor.0, &id.0],
        "reading evidence",
        |r| Ok((evidence_info(r)?, get::<Vec<u8>>(r, "content")?)),
    )?;
    Ok(found.pop())
}

/// Per collector membership: the period's counts (worklist size filled in by the caller).
pub(super) fn activity(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<CollectorActivity>> {
    let rpc = crate::workbench::right_party_codes();
    query_all(
        client,
        &format!(
            "SELECT c.user_id, u.username, c.team_id,
                (SELECT COUNT(*) FROM interactions i WHERE i.creditor_id = $1
                    AND i.user_id = c.user_id AND i.at >= $2 AND i.at < $3) AS contacts,
                (SELECT COUNT(*) FROM interactions i WHERE i.creditor_id = $1
                    AND i.user_id = c.user_id AND i.at >= $2 AND i.at < $3
                    AND i.outcome IN ({rpc})) AS rpc,
                (SELECT COUNT(*) FROM promises p WHERE p.creditor_id = $1
                    AND p.created_by = c.user_id AND p.created_at >= $2
                    AND p.created_at < $3) AS made,
                (SELECT COUNT(*) FROM promises p WHERE p.creditor_id = $1
                    AND p.created_by = c.user_id AND p.status = 'kept'
                    AND p.resolved_at >= $2 AND p.resolved_at < $3) AS kept
             FROM collectors c JOIN users u ON u.id = c.user_id
             WHERE c.creditor_id = $1
             ORDER BY u.username, c.team_id"
        ),
        &[&creditor.0, &from, &to],
        "reading the team view",
        |r| {
            let n = |column: &str| -> StoreResult<u64> {
                let v: i64 = get(r, column)?;
                Ok(u64::try_from(v).unwrap_or_default())
            };
            Ok(CollectorActivity {
                user: UserId(get(r, "user_id")?),
                username: get(r, "username")?,
                team: TeamId(get(r, "team_id")?),
                worklist_size: 0,
                contacts: n("contacts")?,
                right_party_contacts: n("rpc")?,
                promises_made: n("made")?,
                promises_kept: n("kept")?,
            })
        },
    )
}
