//! Printed letters on SQLite (`migrations/sqlite/0012_letters.sql`); the rules are in
//! `crate::letter`. Every change runs in the store's one `BEGIN IMMEDIATE` write
//! transaction with its audit entry.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use sepakat_domain::template::Stage;

use super::codec::{corrupt, day, instant, to_day, to_instant};
use super::collection::audit_entry;
use super::SqliteStore;
use crate::letter::{audit_detail, check_new_letter, check_proof, proof_action};
use crate::workbench::sha256_hex;
use crate::*;

const COLUMNS: &str = "id, creditor_id, account_id, stage, number, tracking, template_key,
    status, printed_at, printed_by, printed_by_user, sent_at, proof_on, proof_received_by,
    proof_note, proof_recorded_at, proof_recorded_by, proof_sha256, proof_media_type,
    proof_file_name, proof_size_bytes";

fn decode(r: &Row) -> StoreResult<Letter> {
    let stage: String = r.get(3)?;
    let status: String = r.get(7)?;
    let proof_on: Option<i64> = r.get(12)?;
    let proof = match proof_on {
        None => None,
        Some(on) => {
            let sha: Option<String> = r.get(17)?;
            let file = match sha {
                None => None,
                Some(sha256) => {
                    let size: i64 = r.get(20)?;
                    Some(ProofFile {
                        sha256,
                        media_type: r.get(18)?,
                        file_name: r.get(19)?,
                        size: u64::try_from(size).map_err(|_| corrupt("proof size", size))?,
                    })
                }
            };
            Some(DeliveryProof {
                delivered: status == "delivered",
                on: to_day(on)?,
                received_by: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
                note: r.get::<_, Option<String>>(14)?.unwrap_or_default(),
                file,
                recorded_at: to_instant(r.get(15)?)?,
                recorded_by: r.get::<_, Option<String>>(16)?.unwrap_or_default(),
            })
        }
    };
    Ok(Letter {
        id: LetterId(r.get(0)?),
        creditor: CreditorId(r.get(1)?),
        data: NewLetter {
            account: AccountId(r.get(2)?),
            stage: Stage::parse(&stage).map_err(|_| corrupt("letter stage", &stage))?,
            number: r.get(4)?,
            tracking: r.get(5)?,
            template: r.get(6)?,
        },
        status: LetterStatus::parse(&status).ok_or_else(|| corrupt("letter status", &status))?,
        printed_at: to_instant(r.get(8)?)?,
        printed_by: r.get(9)?,
        printed_by_user: r.get::<_, Option<i64>>(10)?.map(UserId),
        sent_at: r.get::<_, Option<i64>>(11)?.map(to_instant).transpose()?,
        proof,
    })
}

fn by_tracking(
    c: &Connection,
    creditor: CreditorId,
    tracking: &str,
) -> StoreResult<Option<Letter>> {
    let sql = format!("SELECT {COLUMNS} FROM letters WHERE creditor_id = ?1 AND tracking = ?2");
    let mut stmt = c.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![creditor.0, tracking])?;
    rows.next()?.map(decode).transpose()
}

fn found(c: &Connection, creditor: CreditorId, tracking: &str) -> StoreResult<Letter> {
    by_tracking(c, creditor, tracking)?
        .ok_or_else(|| StoreError::NotFound(format!("letter with tracking number {tracking:?}")))
}

fn audit(
    tx: &Transaction,
    l: &Letter,
    action: &str,
    at: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<()> {
    audit_entry(
        tx,
        l.creditor,
        at,
        actor,
        action,
        "account",
        l.data.account,
        audit_detail(l),
    )
}

impl LetterStore for SqliteStore {
    fn record_letters(
        &self,
        creditor: CreditorId,
        letters: &[NewLetter],
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Vec<Letter>> {
        for l in letters {
            check_new_letter(l)?;
        }
        self.write(|tx| {
            let mut out = Vec::with_capacity(letters.len());
            for new in letters {
                if let Some(known) = by_tracking(tx, creditor, &new.tracking)? {
                    if known.data.account != new.account {
                        return Err(StoreError::Conflict(format!(
                            "tracking: {} is another account's letter",
                            new.tracking
                        )));
                    }
                    audit(tx, &known, "letter.reprinted", now, actor)?;
                    out.push(known);
                    continue;
                }
                tx.prepare_cached("SELECT 1 FROM accounts WHERE id = ?1 AND creditor_id = ?2")?
                    .query_row(params![new.account.0, creditor.0], |_| Ok(()))
                    .optional()?
                    .ok_or_else(|| StoreError::NotFound(format!("account {}", new.account)))?;
                tx.prepare_cached(
                    "INSERT INTO letters (creditor_id, account_id, stage, number, tracking,
                         template_key, status, printed_at, printed_by, printed_by_user)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'printed', ?7, ?8, ?9)",
                )?
                .execute(params![
                    creditor.0,
                    new.account.0,
                    new.stage.code(),
                    new.number,
                    new.tracking,
                    new.template,
                    instant(now),
                    actor.name,
                    actor.user.map(|u| u.0),
                ])?;
                let l = found(tx, creditor, &new.tracking)?;
                audit(tx, &l, "letter.printed", now, actor)?;
                out.push(l);
            }
            Ok(out)
        })
    }

    fn mark_letter_sent(
        &self,
        creditor: CreditorId,
        tracking: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Letter> {
        self.write(|tx| {
            let l = found(tx, creditor, tracking)?;
            if l.status != LetterStatus::Printed {
                return Err(StoreError::Conflict(format!(
                    "letter {tracking} is {}; only a printed letter can be sent",
                    l.status.code()
                )));
            }
            tx.prepare_cached("UPDATE letters SET status = 'sent', sent_at = ?2 WHERE id = ?1")?
                .execute(params![l.id.0, instant(now)])?;
            let l = found(tx, creditor, tracking)?;
            audit(tx, &l, "letter.sent", now, actor)?;
            Ok(l)
        })
    }

    fn record_letter_proof(
        &self,
        creditor: CreditorId,
        proof: &NewProof,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Letter> {
        self.write(|tx| {
            let l = found(tx, creditor, proof.tracking.trim())?;
            check_proof(&l, proof, today)?;
            let file = proof.file.as_ref().map(|f| (sha256_hex(&f.bytes), f));
            if let Some((sha, f)) = &file {
                tx.prepare_cached(
                    "INSERT INTO evidence_blobs (creditor_id, sha256, size_bytes, content)
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                )?
                .execute(params![
                    creditor.0,
                    sha,
                    f.bytes.len() as i64,
                    f.bytes
                ])?;
            }
            tx.prepare_cached(
                "UPDATE letters SET status = ?2, proof_on = ?3, proof_received_by = ?4,
                     proof_note = ?5, proof_recorded_at = ?6, proof_recorded_by = ?7,
                     proof_sha256 = ?8, proof_media_type = ?9, proof_file_name = ?10,
                     proof_size_bytes = ?11
                 WHERE id = ?1",
            )?
            .execute(params![
                l.id.0,
                if proof.delivered {
                    "delivered"
                } else {
                    "returned"
                },
                day(proof.on),
                proof.received_by.trim(),
                proof.note.trim(),
                instant(now),
                actor.name,
                file.as_ref().map(|(sha, _)| sha),
                file.as_ref()
                    .map(|(_, f)| f.media_type.trim().to_ascii_lowercase()),
                file.as_ref().map(|(_, f)| f.file_name.clone()),
                file.as_ref().map(|(_, f)| f.bytes.len() as i64),
            ])?;
            let l = found(tx, creditor, &l.data.tracking)?;
            audit(tx, &l, proof_action(proof), now, actor)?;
            Ok(l)
        })
    }

    fn letters(
        &self,
        creditor: CreditorId,
        account: Option<AccountId>,
        limit: u32,
    ) -> StoreResult<Vec<Letter>> {
        self.read(|c| {
            let sql = format!(
                "SELECT {COLUMNS} FROM letters
                 WHERE creditor_id = ?1 AND (?2 IS NULL OR account_id = ?2)
                 ORDER BY id DESC LIMIT ?3"
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let mut rows = stmt.query(params![creditor.0, account.map(|a| a.0), limit])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(decode(r)?);
            }
            Ok(out)
        })
    }

    fn letter_by_tracking(
        &self,
        creditor: CreditorId,
        tracking: &str,
    ) -> StoreResult<Option<Letter>> {
        self.read(|c| by_tracking(c, creditor, tracking.trim()))
    }

    fn letter_proof_file(
        &self,
        creditor: CreditorId,
        letter: LetterId,
    ) -> StoreResult<Option<(ProofFile, Vec<u8>)>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT l.proof_sha256, l.proof_media_type, l.proof_file_name,
                        l.proof_size_bytes, b.content
                 FROM letters l
                 JOIN evidence_blobs b ON b.creditor_id = l.creditor_id
                                      AND b.sha256 = l.proof_sha256
                 WHERE l.id = ?1 AND l.creditor_id = ?2",
            )?
            .query_row(params![letter.0, creditor.0], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Vec<u8>>(4)?,
                ))
            })
            .optional()?
            .map(|(sha256, media_type, file_name, size, bytes)| {
                Ok((
                    ProofFile {
                        sha256,
                        media_type,
                        file_name,
                        size: u64::try_from(size).map_err(|_| corrupt("proof size", size))?,
                    },
                    bytes,
                ))
            })
            .transpose()
        })
    }
}
