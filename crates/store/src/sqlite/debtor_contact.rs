//! A debtor's other contacts on SQLite (`debtor_contacts`, migration 0008); the rules are
//! in `crate::debtor_contact`.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};

use sepakat_domain::compliance::Party;

use super::codec::{corrupt, instant, phone, to_instant};
use super::collection::{audit_entry, collect};
use super::SqliteStore;
use crate::debtor_contact::{added_detail, check_contact, replace_refusal};
use crate::*;

fn contact(row: &Row) -> StoreResult<DebtorContact> {
    let party: String = row.get(2)?;
    Ok(DebtorContact {
        id: DebtorContactId(row.get(0)?),
        data: NewDebtorContact {
            debtor: DebtorId(row.get(1)?),
            party: Party::parse(&party).map_err(|_| corrupt("contact party", &party))?,
            name: row.get(3)?,
            relation: row.get(4)?,
            phone: phone(row.get(5)?)?,
            note: row.get(6)?,
            replaces: row.get::<_, Option<i64>>(7)?.map(DebtorContactId),
        },
        created_at: to_instant(row.get(8)?)?,
        created_by: row.get::<_, Option<i64>>(9)?.map(UserId),
        replaced_by: row.get::<_, Option<i64>>(10)?.map(DebtorContactId),
    })
}

fn insert(
    tx: &Transaction,
    creditor: CreditorId,
    c: &NewDebtorContact,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<DebtorContactId> {
    check_contact(c)?;
    tx.prepare_cached("SELECT 1 FROM debtors WHERE id = ?1 AND creditor_id = ?2")?
        .query_row(params![c.debtor.0, creditor.0], |_| Ok(()))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("debtor {}", c.debtor)))?;
    if let Some(old) = c.replaces {
        let replaceable = tx
            .prepare_cached(
                "SELECT NOT EXISTS (SELECT 1 FROM debtor_contacts n WHERE n.replaces = o.id)
                 FROM debtor_contacts o
                 WHERE o.id = ?1 AND o.creditor_id = ?2 AND o.debtor_id = ?3",
            )?
            .query_row(params![old.0, creditor.0, c.debtor.0], |r| {
                r.get::<_, bool>(0)
            })
            .optional()?;
        if let Some(refusal) = replace_refusal(old, c.debtor, replaceable) {
            return Err(refusal);
        }
    }
    tx.prepare_cached(
        "INSERT INTO debtor_contacts (creditor_id, debtor_id, party, name, relation, phone,
             note, replaces, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        creditor.0,
        c.debtor.0,
        c.party.code(),
        c.name.trim(),
        c.relation.trim(),
        c.phone.as_ref().map(|p| p.as_str()),
        c.note.trim(),
        c.replaces.map(|r| r.0),
        instant(now),
        actor.user.map(|u| u.0)
    ])?;
    let id = DebtorContactId(tx.last_insert_rowid());
    audit_entry(
        tx,
        creditor,
        now,
        actor,
        "debtor_contact.added",
        "debtor",
        c.debtor,
        added_detail(id, c),
    )?;
    Ok(id)
}

impl DebtorContactStore for SqliteStore {
    fn add_debtor_contact(
        &self,
        creditor: CreditorId,
        contact: &NewDebtorContact,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<DebtorContactId> {
        self.write(|tx| insert(tx, creditor, contact, now, actor))
    }

    fn debtor_contacts(
        &self,
        creditor: CreditorId,
        debtor: DebtorId,
    ) -> StoreResult<Vec<DebtorContact>> {
        self.read(|c| {
            collect(
                c,
                "SELECT o.id, o.debtor_id, o.party, o.name, o.relation, o.phone, o.note,
                        o.replaces, o.created_at, o.created_by,
                        (SELECT n.id FROM debtor_contacts n WHERE n.replaces = o.id)
                 FROM debtor_contacts o
                 WHERE o.creditor_id = ?1 AND o.debtor_id = ?2 ORDER BY o.id",
                params![creditor.0, debtor.0],
                contact,
            )
        })
    }
}
