//! Printed letters on PostgreSQL (`migrations/postgres/0012_letters.sql`); the rules are in
//! `crate::letter`. A change locks the letter's row (`FOR UPDATE`) before checking its
//! status, so two proofs for one letter racing each other record one and refuse the other;
//! two batches printing the same tracking number at once insert it once
//! (`ON CONFLICT DO NOTHING`).

use ::postgres::{GenericClient, Row, Transaction};
use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::template::Stage;

use super::codec::{corrupt, get};
use super::{audit, db_err, PostgresStore};
use crate::letter::{audit_detail, check_new_letter, check_proof, proof_action};
use crate::workbench::sha256_hex;
use crate::*;

const COLUMNS: &str = "id, creditor_id, account_id, stage, number, tracking, template_key,
    status, printed_at, printed_by, printed_by_user, sent_at, proof_on, proof_received_by,
    proof_note, proof_recorded_at, proof_recorded_by, proof_sha256, proof_media_type,
    proof_file_name, proof_size_bytes";

fn decode(r: &Row) -> StoreResult<Letter> {
    let stage: &str = get(r, "stage")?;
    let status: &str = get(r, "status")?;
    let proof_on: Option<NaiveDate> = get(r, "proof_on")?;
    let proof = match proof_on {
        None => None,
        Some(on) => {
            let sha: Option<String> = get(r, "proof_sha256")?;
            let file = match sha {
                None => None,
                Some(sha256) => {
                    let size: i64 = get(r, "proof_size_bytes")?;
                    Some(ProofFile {
                        sha256,
                        media_type: get(r, "proof_media_type")?,
                        file_name: get(r, "proof_file_name")?,
                        size: u64::try_from(size).map_err(|_| corrupt("proof_size_bytes", size))?,
                    })
                }
            };
            Some(DeliveryProof {
                delivered: status == "delivered",
                on,
                received_by: get::<Option<String>>(r, "proof_received_by")?.unwrap_or_default(),
                note: get::<Option<String>>(r, "proof_note")?.unwrap_or_default(),
                file,
                recorded_at: get(r, "proof_recorded_at")?,
                recorded_by: get::<Option<String>>(r, "proof_recorded_by")?.unwrap_or_default(),
            })
        }
    };
    Ok(Letter {
        id: LetterId(get(r, "id")?),
        creditor: CreditorId(get(r, "creditor_id")?),
        data: NewLetter {
            account: AccountId(get(r, "account_id")?),
            stage: Stage::parse(stage).map_err(|_| corrupt("stage", stage))?,
            number: get(r, "number")?,
            tracking: get(r, "tracking")?,
            template: get(r, "template_key")?,
        },
        status: LetterStatus::parse(status).ok_or_else(|| corrupt("status", status))?,
        printed_at: get(r, "printed_at")?,
        printed_by: get(r, "printed_by")?,
        printed_by_user: get::<Option<i64>>(r, "printed_by_user")?.map(UserId),
        sent_at: get(r, "sent_at")?,
        proof,
    })
}

fn by_tracking(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    tracking: &str,
    lock: bool,
) -> StoreResult<Option<Letter>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM letters WHERE creditor_id = $1 AND tracking = $2{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    client
        .query_opt(&sql, &[&creditor.0, &tracking])
        .map_err(db_err("reading a letter"))?
        .as_ref()
        .map(decode)
        .transpose()
}

fn found(
    client: &mut impl GenericClient,
    creditor: CreditorId,
    tracking: &str,
    lock: bool,
) -> StoreResult<Letter> {
    by_tracking(client, creditor, tracking, lock)?
        .ok_or_else(|| StoreError::NotFound(format!("letter with tracking number {tracking:?}")))
}

fn record(
    tx: &mut Transaction<'_>,
    l: &Letter,
    action: &str,
    at: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<()> {
    audit::record(
        tx,
        &NewAudit {
            creditor: Some(l.creditor),
            at,
            actor: actor.clone(),
            action: action.to_string(),
            entity: EntityRef::new("account", l.data.account),
            detail: audit_detail(l),
        },
    )
}

impl LetterStore for PostgresStore {
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
        let context = "recording printed letters";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let mut out = Vec::with_capacity(letters.len());
        for new in letters {
            tx.query_opt(
                "SELECT 1 FROM accounts WHERE id = $1 AND creditor_id = $2",
                &[&new.account.0, &creditor.0],
            )
            .map_err(db_err(context))?
            .ok_or_else(|| StoreError::NotFound(format!("account {}", new.account)))?;
            let inserted = tx
                .query_opt(
                    "INSERT INTO letters (creditor_id, account_id, stage, number, tracking,
                         template_key, status, printed_at, printed_by, printed_by_user)
                     VALUES ($1, $2, $3, $4, $5, $6, 'printed', $7, $8, $9)
                     ON CONFLICT (creditor_id, tracking) DO NOTHING
                     RETURNING id",
                    &[
                        &creditor.0,
                        &new.account.0,
                        &new.stage.code(),
                        &new.number,
                        &new.tracking,
                        &new.template,
                        &now,
                        &actor.name,
                        &actor.user.map(|u| u.0),
                    ],
                )
                .map_err(db_err(context))?;
            let l = found(&mut tx, creditor, &new.tracking, false)?;
            if inserted.is_some() {
                record(&mut tx, &l, "letter.printed", now, actor)?;
            } else if l.data.account != new.account {
                return Err(StoreError::Conflict(format!(
                    "tracking: {} is another account's letter",
                    new.tracking
                )));
            } else {
                record(&mut tx, &l, "letter.reprinted", now, actor)?;
            }
            out.push(l);
        }
        tx.commit().map_err(db_err(context))?;
        Ok(out)
    }

    fn mark_letter_sent(
        &self,
        creditor: CreditorId,
        tracking: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Letter> {
        let context = "marking a letter sent";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let l = found(&mut tx, creditor, tracking, true)?;
        if l.status != LetterStatus::Printed {
            return Err(StoreError::Conflict(format!(
                "letter {tracking} is {}; only a printed letter can be sent",
                l.status.code()
            )));
        }
        tx.execute(
            "UPDATE letters SET status = 'sent', sent_at = $2 WHERE id = $1",
            &[&l.id.0, &now],
        )
        .map_err(db_err(context))?;
        let l = found(&mut tx, creditor, tracking, false)?;
        record(&mut tx, &l, "letter.sent", now, actor)?;
        tx.commit().map_err(db_err(context))?;
        Ok(l)
    }

    fn record_letter_proof(
        &self,
        creditor: CreditorId,
        proof: &NewProof,
        today: NaiveDate,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Letter> {
        let context = "recording a letter's proof";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let l = found(&mut tx, creditor, proof.tracking.trim(), true)?;
        check_proof(&l, proof, today)?;
        let file = proof.file.as_ref().map(|f| (sha256_hex(&f.bytes), f));
        if let Some((sha, f)) = &file {
            tx.execute(
                "INSERT INTO evidence_blobs (creditor_id, sha256, size_bytes, content)
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[&creditor.0, sha, &(f.bytes.len() as i64), &f.bytes],
            )
            .map_err(db_err(context))?;
        }
        let status = if proof.delivered {
            "delivered"
        } else {
            "returned"
        };
        tx.execute(
            "UPDATE letters SET status = $2, proof_on = $3, proof_received_by = $4,
                 proof_note = $5, proof_recorded_at = $6, proof_recorded_by = $7,
                 proof_sha256 = $8, proof_media_type = $9, proof_file_name = $10,
                 proof_size_bytes = $11
             WHERE id = $1",
            &[
                &l.id.0,
                &status,
                &proof.on,
                &proof.received_by.trim(),
                &proof.note.trim(),
                &now,
                &actor.name,
                &file.as_ref().map(|(sha, _)| sha.clone()),
                &file
                    .as_ref()
                    .map(|(_, f)| f.media_type.trim().to_ascii_lowercase()),
                &file.as_ref().map(|(_, f)| f.file_name.clone()),
                &file.as_ref().map(|(_, f)| f.bytes.len() as i64),
            ],
        )
        .map_err(db_err(context))?;
        let l = found(&mut tx, creditor, &l.data.tracking, false)?;
        record(&mut tx, &l, proof_action(proof), now, actor)?;
        tx.commit().map_err(db_err(context))?;
        Ok(l)
    }

    fn letters(
        &self,
        creditor: CreditorId,
        account: Option<AccountId>,
        limit: u32,
    ) -> StoreResult<Vec<Letter>> {
        let mut client = self.conn()?;
        let sql = format!(
            "SELECT {COLUMNS} FROM letters
             WHERE creditor_id = $1 AND ($2::BIGINT IS NULL OR account_id = $2)
             ORDER BY id DESC LIMIT $3"
        );
        client
            .query(
                &sql,
                &[&creditor.0, &account.map(|a| a.0), &i64::from(limit)],
            )
            .map_err(db_err("reading letters"))?
            .iter()
            .map(decode)
            .collect()
    }

    fn letter_by_tracking(
        &self,
        creditor: CreditorId,
        tracking: &str,
    ) -> StoreResult<Option<Letter>> {
        let mut client = self.conn()?;
        by_tracking(&mut *client, creditor, tracking.trim(), false)
    }

    fn letter_proof_file(
        &self,
        creditor: CreditorId,
        letter: LetterId,
    ) -> StoreResult<Option<(ProofFile, Vec<u8>)>> {
        let mut client = self.conn()?;
        let row = client
            .query_opt(
                "SELECT l.proof_sha256, l.proof_media_type, l.proof_file_name,
                        l.proof_size_bytes, b.content
                 FROM letters l
                 JOIN evidence_blobs b ON b.creditor_id = l.creditor_id
                                      AND b.sha256 = l.proof_sha256
                 WHERE l.id = $1 AND l.creditor_id = $2",
                &[&letter.0, &creditor.0],
            )
            .map_err(db_err("reading a letter's proof file"))?;
        row.map(|r| {
            let size: i64 = get(&r, "proof_size_bytes")?;
            Ok((
                ProofFile {
                    sha256: get(&r, "proof_sha256")?,
                    media_type: get(&r, "proof_media_type")?,
                    file_name: get(&r, "proof_file_name")?,
                    size: u64::try_from(size).map_err(|_| corrupt("proof_size_bytes", size))?,
                },
                get(&r, "content")?,
            ))
        })
        .transpose()
    }
}
