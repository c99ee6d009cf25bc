//! The debtor contacts an accounts import names, on PostgreSQL (rules in
//! `crate::debtor_contact::plan_contacts`). Each merged batch keeps its rows' contacts in a
//! temporary table by debtor key and party, a later row's replacing an earlier one's;
//! after the last batch the debtors' contacts are compared with those in force, a few
//! thousand debtors at a time (one query for their contacts, one insert of what the plan
//! writes). So the outcome depends only on the file, and importing it again adds nothing.

use std::collections::HashMap;

use ::postgres::Transaction;
use chrono::{DateTime, Utc};

use sepakat_domain::compliance::Party;

use super::codec::{corrupt, get, parse_phone};
use super::db_err;
use crate::debtor_contact::{
    merge_contacts, plan_contacts, ContactInForce, ContactWrite, ImportedContact,
};
use crate::{Actor, CreditorId, StoreResult};

const CONTEXT: &str = "importing debtor contacts";

/// Debtors compared per round trip at the end of the import.
const DEBTORS_PER_ROUND: i64 = 5_000;

const CREATE_WANTED: &str = "
    CREATE TEMP TABLE IF NOT EXISTS import_contacts (
        debtor_key TEXT COLLATE \"C\" NOT NULL,
        party      TEXT NOT NULL,
        name       TEXT NOT NULL,
        relation   TEXT NOT NULL,
        phone      TEXT,
        PRIMARY KEY (debtor_key, party)
    ) ON COMMIT DROP";

/// The contacts a batch names, by debtor key (one per party, the later row's winning).
#[derive(Default)]
pub(super) struct BatchContacts {
    by_key: HashMap<String, Vec<ImportedContact>>,
    /// The temporary table exists (made at the first batch that names a contact).
    staging: bool,
}

impl BatchContacts {
    /// Adds a row's contacts.
    pub(super) fn push(&mut self, debtor_key: &str, contacts: &[ImportedContact]) {
        if !contacts.is_empty() {
            merge_contacts(
                self.by_key.entry(debtor_key.to_string()).or_default(),
                contacts,
            );
        }
    }

    /// Moves the batch's contacts into the temporary table.
    pub(super) fn keep(&mut self, tx: &mut Transaction<'_>) -> StoreResult<()> {
        if self.by_key.is_empty() {
            return Ok(());
        }
        if !self.staging {
            tx.batch_execute(CREATE_WANTED).map_err(db_err(CONTEXT))?;
            self.staging = true;
        }
        let mut columns = Columns::default();
        for (key, contacts) in &self.by_key {
            for c in contacts {
                columns.key.push(key);
                columns.party.push(c.party.code());
                columns.name.push(c.name.trim());
                columns.relation.push(c.relation.trim());
                columns.phone.push(c.phone.as_ref().map(|p| p.as_str()));
            }
        }
        tx.execute(
            "INSERT INTO pg_temp.import_contacts (debtor_key, party, name, relation, phone)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
             ON CONFLICT (debtor_key, party) DO UPDATE
             SET name = EXCLUDED.name, relation = EXCLUDED.relation, phone = EXCLUDED.phone",
            &[
                &columns.key,
                &columns.party,
                &columns.name,
                &columns.relation,
                &columns.phone,
            ],
        )
        .map_err(db_err(CONTEXT))?;
        self.by_key.clear();
        Ok(())
    }

    /// Writes what the kept contacts need; returns how many contacts it added.
    pub(super) fn finish(
        &self,
        tx: &mut Transaction<'_>,
        creditor: CreditorId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<u64> {
        if !self.staging {
            return Ok(0);
        }
        let mut added = 0;
        let mut after = 0i64;
        loop {
            let wanted = wanted_after(tx, creditor, after)?;
            let Some(last) = wanted.last().map(|(id, _)| *id) else {
                return Ok(added);
            };
            let ids: Vec<i64> = wanted.iter().map(|(id, _)| *id).collect();
            let mut in_force = in_force(tx, creditor, &ids)?;
            let mut inserts = Inserts::default();
            for (debtor, contacts) in &wanted {
                let current = in_force.remove(debtor).unwrap_or_default();
                for write in plan_contacts(contacts, &current) {
                    inserts.push(*debtor, write);
                }
            }
            added += inserts.run(tx, creditor, now, actor)?;
            after = last;
        }
    }
}

/// The next debtors (by id, after `after`) with the contacts the file named for them.
fn wanted_after(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    after: i64,
) -> StoreResult<Vec<(i64, Vec<ImportedContact>)>> {
    let rows = tx
        .query(
            "WITH next AS (
                 SELECT d.id, d.debtor_key FROM debtors d
                 WHERE d.creditor_id = $1 AND d.id > $2
                   AND d.debtor_key IN (SELECT debtor_key FROM pg_temp.import_contacts)
                 ORDER BY d.id LIMIT $3)
             SELECT n.id, w.party, w.name, w.relation, w.phone
             FROM next n JOIN pg_temp.import_contacts w ON w.debtor_key = n.debtor_key
             ORDER BY n.id",
            &[&creditor.0, &after, &DEBTORS_PER_ROUND],
        )
        .map_err(db_err(CONTEXT))?;
    let mut wanted: Vec<(i64, Vec<ImportedContact>)> = Vec::new();
    for row in &rows {
        let id: i64 = get(row, "id")?;
        let contact = contact(row)?;
        match wanted.last_mut() {
            Some((last, contacts)) if *last == id => contacts.push(contact),
            _ => wanted.push((id, vec![contact])),
        }
    }
    Ok(wanted)
}

fn contact(row: &::postgres::Row) -> StoreResult<ImportedContact> {
    let party: String = get(row, "party")?;
    let phone: Option<String> = get(row, "phone")?;
    Ok(ImportedContact {
        party: Party::parse(&party).map_err(|_| corrupt("contact party", &party))?,
        name: get(row, "name")?,
        relation: get(row, "relation")?,
        phone: match phone {
            Some(p) => Some(parse_phone(&p).ok_or_else(|| corrupt("phone", "(hidden)"))?),
            None => None,
        },
    })
}

/// The contacts in force of `debtors`, by debtor id.
fn in_force(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    debtors: &[i64],
) -> StoreResult<HashMap<i64, Vec<ContactInForce>>> {
    let rows = tx
        .query(
            "SELECT o.id, o.debtor_id, o.party, o.name, o.relation, o.phone, o.imported
             FROM debtor_contacts o
             WHERE o.creditor_id = $1 AND o.debtor_id = ANY($2)
               AND NOT EXISTS (SELECT 1 FROM debtor_contacts n WHERE n.replaces = o.id)",
            &[&creditor.0, &debtors],
        )
        .map_err(db_err(CONTEXT))?;
    let mut found: HashMap<i64, Vec<ContactInForce>> = HashMap::new();
    for row in &rows {
        let contact = ContactInForce {
            id: get(row, "id")?,
            contact: contact(row)?,
            imported: get(row, "imported")?,
        };
        found
            .entry(get(row, "debtor_id")?)
            .or_default()
            .push(contact);
    }
    Ok(found)
}

/// Contact columns for one `INSERT … SELECT FROM unnest(…)`.
#[derive(Default)]
struct Columns<'a> {
    key: Vec<&'a str>,
    party: Vec<&'static str>,
    name: Vec<&'a str>,
    relation: Vec<&'a str>,
    phone: Vec<Option<&'a str>>,
}

/// The contacts to insert.
#[derive(Default)]
struct Inserts<'a> {
    debtor: Vec<i64>,
    party: Vec<&'static str>,
    name: Vec<&'a str>,
    relation: Vec<&'a str>,
    phone: Vec<Option<&'a str>>,
    replaces: Vec<Option<i64>>,
}

impl<'a> Inserts<'a> {
    fn push(&mut self, debtor: i64, w: ContactWrite<'a>) {
        self.debtor.push(debtor);
        self.party.push(w.contact.party.code());
        self.name.push(&w.contact.name);
        self.relation.push(&w.contact.relation);
        self.phone
            .push(w.contact.phone.as_ref().map(|p| p.as_str()));
        self.replaces.push(w.replaces);
    }

    fn run(
        &self,
        tx: &mut Transaction<'_>,
        creditor: CreditorId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<u64> {
        if self.debtor.is_empty() {
            return Ok(0);
        }
        let created_by = actor.user.map(|u| u.0);
        tx.execute(
            "INSERT INTO debtor_contacts (creditor_id, debtor_id, party, name, relation, phone,
                                          note, replaces, created_at, created_by, imported)
             SELECT $1, c.debtor, c.party, c.name, c.relation, c.phone, '', c.replaces, $2, $3,
                    true
             FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[],
                         $9::bigint[])
                  AS c(debtor, party, name, relation, phone, replaces)",
            &[
                &creditor.0,
                &now,
                &created_by,
                &self.debtor,
                &self.party,
                &self.name,
                &self.relation,
                &self.phone,
                &self.replaces,
            ],
        )
        .map_err(db_err(CONTEXT))
    }
}
