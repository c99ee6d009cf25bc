//! The outbox tables on PostgreSQL (`migrations/postgres/0007_outbox.sql`); the rules are
//! in `crate::outbox`. Leasing picks due rows with `FOR UPDATE SKIP LOCKED`, so several
//! dispatchers (instances) lease disjoint batches without waiting on each other; every
//! later change locks the row (`FOR UPDATE`) and checks the lease owner first. A repeated
//! idempotency key, also when two enqueues race, is `ON CONFLICT DO NOTHING` and returns
//! the first message.

use ::postgres::{GenericClient, Row, Transaction};
use chrono::{DateTime, Utc};
use sepakat_domain::compliance::{Channel, Party};
use serde_json::json;

use super::codec::{corrupt, get, get_u32};
use super::{audit, db_err, PostgresStore};
use crate::outbox::{check_new_message, check_settle, decode_recipient, receipt_status, Intake};
use crate::*;

const COLUMNS: &str = "id, creditor_id, account_id, channel, party, recipient, template_key,
    subject, body, idempotency_key, created_by, status, rule, rule_detail, not_before,
    attempts, attempted_at, lease_owner, lease_until, provider_id, last_error, created_at,
    updated_at";

fn decode(r: &Row) -> StoreResult<Message> {
    let channel_code: &str = get(r, "channel")?;
    let channel = Channel::parse(channel_code).map_err(|_| corrupt("channel", channel_code))?;
    let party_code: &str = get(r, "party")?;
    let status_code: &str = get(r, "status")?;
    let rule: Option<String> = get(r, "rule")?;
    let lease_owner: Option<String> = get(r, "lease_owner")?;
    let lease_until: Option<DateTime<Utc>> = get(r, "lease_until")?;
    let recipient: &str = get(r, "recipient")?;
    Ok(Message {
        id: MessageId(get(r, "id")?),
        creditor: CreditorId(get(r, "creditor_id")?),
        data: NewMessage {
            account: AccountId(get(r, "account_id")?),
            channel,
            party: Party::parse(party_code).map_err(|_| corrupt("party", party_code))?,
            recipient: decode_recipient(channel, recipient)?,
            template: get(r, "template_key")?,
            subject: get(r, "subject")?,
            body: get(r, "body")?,
            idempotency_key: get(r, "idempotency_key")?,
            user: get::<Option<i64>>(r, "created_by")?.map(UserId),
            not_before: get(r, "not_before")?,
        },
        status: MessageStatus::parse(status_code).ok_or_else(|| corrupt("status", status_code))?,
        refusal: match rule {
            Some(rule) => Some(Refusal {
                rule,
                detail: get::<Option<String>>(r, "rule_detail")?.unwrap_or_default(),
            }),
            None => None,
        },
        attempts: get_u32(r, "attempts")?,
        attempted_at: get(r, "attempted_at")?,
        lease: lease_owner.zip(lease_until),
        provider_id: get(r, "provider_id")?,
        last_error: get(r, "last_error")?,
        created_at: get(r, "created_at")?,
        updated_at: get(r, "updated_at")?,
    })
}

fn load(
    client: &mut impl GenericClient,
    id: MessageId,
    lock: bool,
) -> StoreResult<Option<Message>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM messages WHERE id = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    client
        .query_opt(&sql, &[&id.0])
        .map_err(db_err("reading a message"))?
        .as_ref()
        .map(decode)
        .transpose()
}

fn reload(tx: &mut Transaction<'_>, id: MessageId) -> StoreResult<Message> {
    load(tx, id, false)?.ok_or_else(|| StoreError::NotFound(format!("message {id}")))
}

/// Appends the event and the account's audit entry for a status change.
fn record_change(
    tx: &mut Transaction<'_>,
    m: &Message,
    action: &str,
    detail: Option<&str>,
    at: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO message_events (creditor_id, message_id, at, status, detail)
         VALUES ($1, $2, $3, $4, $5)",
        &[&m.creditor.0, &m.id.0, &at, &m.status.code(), &detail],
    )
    .map_err(db_err("recording a message event"))?;
    audit::record(
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

/// The message locked, if `owner` holds its lease.
fn owned(tx: &mut Transaction<'_>, id: MessageId, owner: &str) -> StoreResult<Message> {
    let m = load(tx, id, true)?.ok_or_else(|| StoreError::NotFound(format!("message {id}")))?;
    match &m.lease {
        Some((holder, _)) if holder == owner => Ok(m),
        _ => Err(StoreError::Conflict(format!(
            "message {id} is not leased to {owner}"
        ))),
    }
}

impl OutboxStore for PostgresStore {
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
        let context = "queuing a message";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        tx.query_opt(
            "SELECT 1 FROM accounts WHERE id = $1 AND creditor_id = $2",
            &[&new.account.0, &creditor.0],
        )
        .map_err(db_err(context))?
        .ok_or_else(|| StoreError::NotFound(format!("account {}", new.account)))?;
        let inserted = tx
            .query_opt(
                "INSERT INTO messages (creditor_id, account_id, channel, party, recipient,
                     template_key, subject, body, idempotency_key, created_by, status, rule,
                     rule_detail, not_before, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
                 ON CONFLICT (creditor_id, idempotency_key) DO NOTHING
                 RETURNING id",
                &[
                    &creditor.0,
                    &new.account.0,
                    &new.channel.code(),
                    &new.party.code(),
                    &new.recipient.as_str(),
                    &new.template,
                    &new.subject,
                    &new.body,
                    &new.idempotency_key,
                    &new.user.map(|u| u.0),
                    &intake.status.code(),
                    &intake.rule,
                    &intake.rule_detail,
                    &new.not_before,
                    &now,
                ],
            )
            .map_err(db_err(context))?;
        let m = match inserted {
            Some(row) => {
                let m = reload(&mut tx, MessageId(get(&row, "id")?))?;
                record_change(
                    &mut tx,
                    &m,
                    intake.action,
                    intake.detail.as_deref(),
                    now,
                    actor,
                )?;
                m
            }
            None => {
                let sql = format!(
                    "SELECT {COLUMNS} FROM messages WHERE creditor_id = $1 AND idempotency_key = $2"
                );
                let row = tx
                    .query_one(&sql, &[&creditor.0, &new.idempotency_key])
                    .map_err(db_err(context))?;
                decode(&row)?
            }
        };
        tx.commit().map_err(db_err(context))?;
        Ok(m)
    }

    fn lease_messages(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Message>> {
        let context = "leasing messages";
        let sql = format!(
            "UPDATE messages SET lease_owner = $1, lease_until = $2
             WHERE id IN (SELECT id FROM messages
                          WHERE status IN ('queued', 'sending') AND not_before <= $3
                            AND (lease_until IS NULL OR lease_until <= $3)
                          ORDER BY not_before, id LIMIT $4
                          FOR UPDATE SKIP LOCKED)
             RETURNING {COLUMNS}"
        );
        let rows = self
            .conn()?
            .query(&sql, &[&owner, &until, &now, &i64::from(limit)])
            .map_err(db_err(context))?;
        let mut out = rows.iter().map(decode).collect::<StoreResult<Vec<_>>>()?;
        out.sort_by_key(|m| (m.data.not_before, m.id));
        Ok(out)
    }

    fn start_attempt(
        &self,
        id: MessageId,
        owner: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Message> {
        let context = "starting a send";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let m = owned(&mut tx, id, owner)?;
        let live = m.lease.as_ref().is_some_and(|(_, until)| *until > now);
        if !live || !matches!(m.status, MessageStatus::Queued | MessageStatus::Sending) {
            return Err(StoreError::Conflict(format!(
                "message {id} ({}) has no live lease of {owner}",
                m.status.code()
            )));
        }
        tx.execute(
            "UPDATE messages SET status = 'sending', attempts = attempts + 1,
                 attempted_at = $2, updated_at = $2 WHERE id = $1",
            &[&id.0, &now],
        )
        .map_err(db_err(context))?;
        let m = reload(&mut tx, id)?;
        record_change(&mut tx, &m, "message.sending", None, now, actor)?;
        tx.commit().map_err(db_err(context))?;
        Ok(m)
    }

    fn finish_message(
        &self,
        id: MessageId,
        owner: &str,
        settle: &Settle,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Message> {
        let context = "finishing a send";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let m = owned(&mut tx, id, owner)?;
        check_settle(id, m.status, settle)?;
        let none = None::<&String>;
        let (not_before, rule, rule_detail, provider_id, error) = match settle {
            Settle::Sent { provider_id } => (None, none, none, Some(provider_id), none),
            Settle::Retry { error, not_before } => {
                (Some(*not_before), none, none, none, Some(error))
            }
            Settle::Failed { error } => (None, none, none, none, Some(error)),
            Settle::Deferred { rule, not_before } => {
                (Some(*not_before), Some(rule), none, none, none)
            }
            Settle::Blocked(r) => (None, Some(&r.rule), Some(&r.detail), none, none),
        };
        tx.execute(
            "UPDATE messages SET status = $2, not_before = COALESCE($3, not_before),
                 rule = COALESCE($4, rule), rule_detail = COALESCE($5, rule_detail),
                 provider_id = COALESCE($6, provider_id), last_error = COALESCE($7, last_error),
                 lease_owner = NULL, lease_until = NULL, updated_at = $8
             WHERE id = $1",
            &[
                &id.0,
                &settle.status().code(),
                &not_before,
                &rule,
                &rule_detail,
                &provider_id,
                &error,
                &now,
            ],
        )
        .map_err(db_err(context))?;
        let m = reload(&mut tx, id)?;
        record_change(
            &mut tx,
            &m,
            settle.action(),
            Some(&settle.detail()),
            now,
            actor,
        )?;
        tx.commit().map_err(db_err(context))?;
        Ok(m)
    }

    fn record_receipt(&self, receipt: &Receipt, actor: &Actor) -> StoreResult<Option<Message>> {
        let context = "recording a delivery receipt";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let by_provider = match &receipt.provider_id {
            Some(pid) => tx
                .query_opt(
                    "SELECT id FROM messages WHERE channel = $1 AND provider_id = $2 FOR UPDATE",
                    &[&receipt.channel.code(), pid],
                )
                .map_err(db_err(context))?
                .map(|r| get::<i64>(&r, "id"))
                .transpose()?,
            None => None,
        };
        let by_reference = match receipt.referenced() {
            Some((creditor, id)) => load(&mut tx, id, true)?
                .filter(|m| m.creditor == creditor && m.data.channel == receipt.channel)
                .map(|m| m.id.0),
            None => None,
        };
        let Some(id) = by_provider.or(by_reference) else {
            return Ok(None);
        };
        let m = reload(&mut tx, MessageId(id))?;
        let Some(next) = receipt_status(m.status, receipt.delivered) else {
            return Ok(Some(m));
        };
        let error = (!receipt.delivered).then_some(receipt.detail.as_str());
        tx.execute(
            "UPDATE messages SET status = $2, updated_at = $3,
                 provider_id = COALESCE(provider_id, $4),
                 last_error = COALESCE($5, last_error),
                 lease_owner = NULL, lease_until = NULL
             WHERE id = $1",
            &[&id, &next.code(), &receipt.at, &receipt.provider_id, &error],
        )
        .map_err(db_err(context))?;
        let m = reload(&mut tx, MessageId(id))?;
        let action = if receipt.delivered {
            "message.delivered"
        } else {
            "message.failed"
        };
        record_change(
            &mut tx,
            &m,
            action,
            Some(&receipt.detail),
            receipt.at,
            actor,
        )?;
        tx.commit().map_err(db_err(context))?;
        Ok(Some(m))
    }

    fn messages(
        &self,
        creditor: CreditorId,
        account: Option<AccountId>,
    ) -> StoreResult<Vec<Message>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM messages
             WHERE creditor_id = $1 AND ($2::BIGINT IS NULL OR account_id = $2) ORDER BY id"
        );
        self.conn()?
            .query(&sql, &[&creditor.0, &account.map(|a| a.0)])
            .map_err(db_err("reading messages"))?
            .iter()
            .map(decode)
            .collect()
    }

    fn message_events(
        &self,
        creditor: CreditorId,
        message: MessageId,
    ) -> StoreResult<Vec<MessageEvent>> {
        let context = "reading message events";
        let mut client = self.conn()?;
        client
            .query_opt(
                "SELECT 1 FROM messages WHERE id = $1 AND creditor_id = $2",
                &[&message.0, &creditor.0],
            )
            .map_err(db_err(context))?
            .ok_or_else(|| StoreError::NotFound(format!("message {message}")))?;
        client
            .query(
                "SELECT at, status, detail FROM message_events
                 WHERE message_id = $1 AND creditor_id = $2 ORDER BY id",
                &[&message.0, &creditor.0],
            )
            .map_err(db_err(context))?
            .iter()
            .map(|r| {
                let code: &str = get(r, "status")?;
                Ok(MessageEvent {
                    message,
                    at: get(r, "at")?,
                    status: MessageStatus::parse(code).ok_or_else(|| corrupt("status", code))?,
                    detail: get(r, "detail")?,
                })
            })
            .collect()
    }
}
