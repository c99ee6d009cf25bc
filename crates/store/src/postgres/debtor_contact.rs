//! A debtor's other contacts on PostgreSQL (`debtor_contacts`, migration 0008); the rules
//! are in `crate::debtor_contact`. The replaced contact is locked while it is replaced,
//! and a unique index lets each be replaced once.

use ::postgres::{Row, Transaction};
use chrono::{DateTime, Utc};

use sepakat_domain::compliance::Party;
use sepakat_domain::Phone;

use super::codec::{corrupt, get};
use super::collection::{audit_entry, query_all};
use super::{db_err, PostgresStore};
use crate::debtor_contact::{added_detail, check_contact, replace_refusal};
use crate::*;

fn contact(row: &Row) -> StoreResult<DebtorContact> {
    let party: String = get(row, "party")?;
    let phone: Option<String> = get(row, "phone")?;
    Ok(DebtorContact {
        id: DebtorContactId(get(row, "id")?),
        data: NewDebtorContact {
            debtor: DebtorId(get(row, "debtor_id")?),
            party: Party::parse(&party).map_err(|_| corrupt("contact party", &party))?,
            name: get(row, "name")?,
            relation: get(row, "relation")?,
            phone: phone
                .map(|p| Phone::parse(&p).map_err(|_| corrupt("phone", "(hidden)")))
                .transpose()?,
            note: get(row, "note")?,
            replaces: get::<Option<i64>>(row, "replaces")?.map(DebtorContactId),
        },
        created_at: get(row, "created_at")?,
        created_by: get::<Option<i64>>(row, "created_by")?.map(UserId),
        replaced_by: get::<Option<i64>>(row, "replaced_by")?.map(DebtorContactId),
    })
}

fn insert(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    c: &NewDebtorContact,
    now: DateTime<Utc>,
    actor: &Actor,
) -> StoreResult<DebtorContactId> {
    let context = "adding a debtor contact";
    check_contact(c)?;
    tx.query_opt(
        "SELECT 1 FROM debtors WHERE id = $1 AND creditor_id = $2",
        &[&c.debtor.0, &creditor.0],
    )
    .map_err(db_err(context))?
    .ok_or_else(|| StoreError::NotFound(format!("debtor {}", c.debtor)))?;
    if let Some(old) = c.replaces {
        let row = tx
            .query_opt(
                "SELECT NOT EXISTS (SELECT 1 FROM debtor_contacts n WHERE n.replaces = o.id)
                 FROM debtor_contacts o
                 WHERE o.id = $1 AND o.creditor_id = $2 AND o.debtor_id = $3 FOR UPDATE OF o",
                &[&old.0, &creditor.0, &c.debtor.0],
            )
            .map_err(db_err(context))?;
        if let Some(refusal) = replace_refusal(old, c.debtor, row.map(|r| r.get::<_, bool>(0))) {
            return Err(refusal);
        }
    }
    let id: i64 = tx
        .query_one(
            "INSERT INTO debtor_contacts (creditor_id, debtor_id, party, name, relation, phone,
                 note, replaces, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            &[
                &creditor.0,
                &c.debtor.0,
                &c.party.code(),
                &c.name.trim(),
                &c.relation.trim(),
                &c.phone.as_ref().map(|p| p.as_str()),
                &c.note.trim(),
                &c.replaces.map(|r| r.0),
                &now,
                &actor.user.map(|u| u.0),
            ],
        )
        .map_err(db_err(context))?
        .get(0);
    let id = DebtorContactId(id);
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

impl DebtorContactStore for PostgresStore {
    fn add_debtor_contact(
        &self,
        creditor: CreditorId,
        contact: &NewDebtorContact,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<DebtorContactId> {
        let context = "adding a debtor contact";
        let mut client = self.conn()?;
        let mut tx = client.transaction().map_err(db_err(context))?;
        let id = insert(&mut tx, creditor, contact, now, actor)?;
        tx.commit().map_err(db_err(context))?;
        Ok(id)
    }

    fn debtor_contacts(
        &self,
        creditor: CreditorId,
        debtor: DebtorId,
    ) -> StoreResult<Vec<DebtorContact>> {
        query_all(
            &mut *self.conn()?,
            "SELECT o.id, o.debtor_id, o.party, o.name, o.relation, o.phone, o.note,
                    o.replaces, o.created_at, o.created_by,
                    (SELECT n.id FROM debtor_contacts n WHERE n.replaces = o.id) AS replaced_by
             FROM debtor_contacts o
             WHERE o.creditor_id = $1 AND o.debtor_id = $2 ORDER BY o.id",
            &[&creditor.0, &debtor.0],
            "reading debtor contacts",
            contact,
        )
    }
}
