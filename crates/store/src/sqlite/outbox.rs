//! The outbox tables on SQLite (`migrations/sqlite/0007_outbox.sql`); the rules are in
//! `crate::outbox`. Leasing and every status change run in the store's one `BEGIN
//! IMMEDIATE` write transaction, so two dispatchers (threads or processes on one file)
//! never lease the same row: the second waits for the writer lock and then sees the
//! first one's lease.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use sepakat_domain::compliance::{Channel, Party};
use serde_json::json;

use super::audit;
use super::codec::{corrupt, instant, to_instant};
use super::SqliteStore;
use crate::outbox::{check_new_message, check_settle, decode_recipient, receipt_status, Intake};
use crate::*;

const COLUMNS: &str = "id, creditor_id, account_id, channel, party, recipient, template_key,
    subject, body, idempotency_key, created_by, status, rule, rule_detail, not_before,
    attempts, attempted_at, lease_owner, lease_until, provider_id, last_error, created_at,
    updated_at";

fn opt_instant(value: Option<i64>) -> StoreResult<Option<DateTime<Utc>>> {
    value.map(to_instant).transpose()
}

fn decode(r: &Row) -> StoreResult<Message> {
    let channel_code: String = r.get(3)?;
    let channel = Channel::parse(&channel_code).map_err(|_| corrupt("channel", &channel_code))?;
    let party_code: String = r.get(4)?;
    let status_code: String = r.get(11)?;
    let rule: Option<String> = r.get(12)?;
    let lease_owner: Option<String> = r.get(17)?;
    let lease_until = opt_instant(r.get(18)?)?;
    Ok(Message {
        id: MessageId(r.get(0)?),
        creditor: CreditorId(r.get(1)?),
        data: NewMessage {
            account: AccountId(r.get(2)?),
            channel,
            party: Party::parse(&party_code).map_err(|_| corrupt("party", &party_code))?,
            recipient: decode_recipient(channel, &r.get::<_, String>(5)?)?,
            template: r.get(6)?,
            subject: r.get(7)?,
            body: r.get(8)?,
            idempotency_key: r.get(9)?,
            user: r.get::<_, Option<i64>>(10)?.map(UserId),
            not_before: to_instant(r.get(14)?)?,
        },
        status: MessageStatus::parse(&status_code)
            .ok_or_else(|| corrupt("message status", &status_code))?,
        refusal: rule
            .map(|rule| -> rusqlite::Result<Refusal> {
                Ok(Refusal {
                    rule,
                    detail: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
                })
            })
            .transpose()?,
        attempts: u32::try_from(r.get::<_, i64>(15)?).map_err(|e| corrupt("attempts", e))?,
        attempted_at: opt_instant(r.get(16)?)?,
        lease: lease_owner.zip(lease_until),
        provider_id: r.get(19)?,
        last_error: r.get(20)?,
        created_at: to_instant(r.get(21)?)?,
        updated_at: to_instant(r.get(22)?)?,
    })
}

fn load(conn: &Connection, id: MessageId) -> StoreResult<Option<Message>> {
    let sql = format!("SELECT {COLUMNS} FROM messages WHERE id = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([id.0])?;
    rows.next()?.map(decode).transpose()
}

fn load_many(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<Message>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(decode(row)?);
    }
    Ok(out)
}

/// Appends the event and the account's audit entry for a status change.
fn record_change(
    tx: &Transaction,
    m: &Message,
    action: &str,
    detail: Option<&str>,
    at: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO message_events (creditor_id, message_id, at, status, detail)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        m.creditor.0,
        m.id.0,
        instant(at),
        m.status.code(),
        detail
    ])?;
    audit::write(
        tx,
        &NewAudit {
            creditor: Some(m.creditor),
            at,
            actor: actor.clone(),
            action: action.to_string(),
            entity: EntityRef::new("account", m.data.account),
            detail: json!({
                "message": m.id.0,
                "channel": m.data.channel.code(),
                "recipient": m.data.recipient.masked(),
                "status": m.status.code(),
                "attempts": m.attempts,
                "detail": detail,
            }),
        },
    )
}

fn owned(tx: &Transaction, id: MessageId, owner: &str) -> StoreResult<Message> {
    let m = load(tx, id)?.ok_or_else(|| StoreError::NotFound(format!("message {id}")))?;
    match &m.lease {
        Some((holder, _)) if holder == owner => Ok(m),
        _ => Err(StoreError::Conflict(format!(
            "message {id} is not leased to {owner}"
        ))),
    }
}

fn reload(tx: &Transaction, id: MessageId) -> StoreResult<Message> {
    load(tx, id)?.ok_or_else(|| StoreError::NotFound(format!("message {id}")))
}

impl OutboxStore for SqliteStore {
    fn enqueue_message(
        &self,
        creditor: CreditorId,
        new: &NewMessage,
        hold: Option<&Hold>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Message> {
        check_new_message(new)?;
        let intake = Intake::of(hold, new.not_before);
        self.write(|tx| {
            let known: Option<i64> = tx
                .prepare_cached(
                    "SELECT id FROM messages WHERE creditor_id = ?1 AND idempotency_key = ?2",
                )?
                .query_row(params![creditor.0, new.idempotency_key], |r| r.get(0))
                .optional()?;
            if let Some(id) = known {
                return reload(tx, MessageId(id));
            }
            tx.prepare_cached("SELECT 1 FROM accounts WHERE id = ?1 AND creditor_id = ?2")?
                .query_row(params![new.account.0, creditor.0], |_| Ok(()))
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("account {}", new.account)))?;
            tx.prepare_cached(
                "INSERT INTO messages (creditor_id, account_id, channel, party, recipient,
                     template_key, subject, body, idempotency_key, created_by, status, rule,
                     rule_detail, not_before, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
            )?
            .execute(params![
                creditor.0,
                new.account.0,
                new.channel.code(),
                new.party.code(),
                new.recipient.as_str(),
                new.template,
                new.subject,
                new.body,
                new.idempotency_key,
                new.user.map(|u| u.0),
                intake.status.code(),
                intake.rule,
                intake.rule_detail,
                instant(new.not_before),
                instant(now),
            ])?;
            let m = reload(tx, MessageId(tx.last_insert_rowid()))?;
            record_change(tx, &m, intake.action, intake.detail.as_deref(), now, actor)?;
            Ok(m)
        })
    }

    fn lease_messages(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Message>> {
        self.write(|tx| {
            let ids: Vec<i64> = {
                let mut stmt = tx.prepare_cached(
                    "SELECT id FROM messages
                     WHERE status IN ('queued', 'sending') AND not_before <= ?1
                       AND (lease_until IS NULL OR lease_until <= ?1)
                     ORDER BY not_before, id LIMIT ?2",
                )?;
                let rows = stmt.query_map(params![instant(now), limit], |r| r.get(0))?;
                rows.collect::<Result<_, _>>()?
            };
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                tx.prepare_cached(
                    "UPDATE messages SET lease_owner = ?2, lease_until = ?3 WHERE id = ?1",
                )?
                .execute(params![id, owner, instant(until)])?;
                out.push(reload(tx, MessageId(id))?);
            }
            Ok(out)
        })
    }

    fn start_attempt(
        &self,
        id: MessageId,
        owner: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Message> {
        self.write(|tx| {
            let m = owned(tx, id, owner)?;
            let live = m.lease.as_ref().is_some_and(|(_, until)| *until > now);
            if !live || !matches!(m.status, MessageStatus::Queued | MessageStatus::Sending) {
                return Err(StoreError::Conflict(format!(
                    "message {id} ({}) has no live lease of {owner}",
                    m.status.code()
                )));
            }
            tx.prepare_cached(
                "UPDATE messages SET status = 'sending', attempts = attempts + 1,
                     attempted_at = ?2, updated_at = ?2 WHERE id = ?1",
            )?
            .execute(params![id.0, instant(now)])?;
            let m = reload(tx, id)?;
            record_change(tx, &m, "message.sending", None, now, actor)?;
            Ok(m)
        })
    }

    fn finish_message(
        &self,
        id: MessageId,
        owner: &str,
        settle: &Settle,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Message> {
        self.write(|tx| {
            let m = owned(tx, id, owner)?;
            check_settle(id, m.status, settle)?;
            let (not_before, rule, rule_detail, provider_id, error) = match settle {
                Settle::Sent { provider_id } => (None, None, None, Some(provider_id), None),
                Settle::Retry { error, not_before } => {
                    (Some(*not_before), None, None, None, Some(error))
                }
                Settle::Failed { error } => (None, None, None, None, Some(error)),
                Settle::Deferred { rule, not_before } => {
                    (Some(*not_before), Some(rule), None, None, None)
                }
                Settle::Blocked(r) => (None, Some(&r.rule), Some(&r.detail), None, None),
            };
            tx.prepare_cached(
                "UPDATE messages SET status = ?2, not_before = COALESCE(?3, not_before),
                     rule = COALESCE(?4, rule), rule_detail = COALESCE(?5, rule_detail),
                     provider_id = COALESCE(?6, provider_id),
                     last_error = COALESCE(?7, last_error),
                     lease_owner = NULL, lease_until = NULL, updated_at = ?8
                 WHERE id = ?1",
            )?
            .execute(params![
                id.0,
                settle.status().code(),
                not_before.map(instant),
                rule,
                rule_detail,
                provider_id,
                error,
                instant(now),
            ])?;
            let m = reload(tx, id)?;
            record_change(tx, &m, settle.action(), Some(&settle.detail()), now, actor)?;
            Ok(m)
        })
    }

    fn record_receipt(&self, receipt: &Receipt, actor: &Actor) -> StoreResult<Option<Message>> {
        self.write(|tx| {
            let by_provider: Option<i64> = match &receipt.provider_id {
                Some(pid) => tx
                    .prepare_cached(
                        "SELECT id FROM messages WHERE channel = ?1 AND provider_id = ?2",
                    )?
                    .query_row(params![receipt.channel.code(), pid], |r| r.get(0))
                    .optional()?,
                None => None,
            };
            let by_reference = receipt.referenced().and_then(|(creditor, id)| {
                let m = load(tx, id).ok().flatten()?;
                (m.creditor == creditor && m.data.channel == receipt.channel).then_some(m.id.0)
            });
            let Some(id) = by_provider.or(by_reference) else {
                return Ok(None);
            };
            let m = reload(tx, MessageId(id))?;
            let Some(next) = receipt_status(m.status, receipt.delivered) else {
                return Ok(Some(m));
            };
            tx.prepare_cached(
                "UPDATE messages SET status = ?2, updated_at = ?3,
                     provider_id = COALESCE(provider_id, ?4),
                     last_error = CASE WHEN ?5 THEN last_error ELSE ?6 END,
                     lease_owner = NULL, lease_until = NULL
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                next.code(),
                instant(receipt.at),
                receipt.provider_id,
                receipt.delivered,
                receipt.detail,
            ])?;
            let m = reload(tx, MessageId(id))?;
            let action = if receipt.delivered {
                "message.delivered"
            } else {
                "message.failed"
            };
            record_change(tx, &m, action, Some(&receipt.detail), receipt.at, actor)?;
            Ok(Some(m))
        })
    }

    fn messages(
        &self,
        creditor: CreditorId,
        account: Option<AccountId>,
    ) -> StoreResult<Vec<Message>> {
        self.read(|c| {
            let sql = format!(
                "SELECT {COLUMNS} FROM messages
                 WHERE creditor_id = ?1 AND (?2 IS NULL OR account_id = ?2) ORDER BY id"
            );
            load_many(c, &sql, params![creditor.0, account.map(|a| a.0)])
        })
    }

    fn message_events(
        &self,
        creditor: CreditorId,
        message: MessageId,
    ) -> StoreResult<Vec<MessageEvent>> {
        self.read(|c| {
            c.prepare_cached("SELECT 1 FROM messages WHERE id = ?1 AND creditor_id = ?2")?
                .query_row(params![message.0, creditor.0], |_| Ok(()))
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("message {message}")))?;
            let mut stmt = c.prepare_cached(
                "SELECT at, status, detail FROM message_events
                 WHERE message_id = ?1 AND creditor_id = ?2 ORDER BY id",
            )?;
            let mut rows = stmt.query(params![message.0, creditor.0])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                let code: String = r.get(1)?;
                out.push(MessageEvent {
                    message,
                    at: to_instant(r.get(0)?)?,
                    status: MessageStatus::parse(&code).ok_or_else(|| corrupt("status", &code))?,
                    detail: r.get(2)?,
                });
            }
            Ok(out)
        })
    }
}
