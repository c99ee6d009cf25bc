//! The debtor contacts an accounts import names (rules in
//! `crate::debtor_contact::plan_contacts`). While the rows stream in, each row's contacts
//! are kept in a temporary table by debtor and party, a later row's replacing an earlier
//! one's; after the last row each debtor's are compared with its contacts in force and
//! added, or written as corrections of earlier imported ones. So the outcome depends only
//! on the file, whatever the order of its rows, and importing it again adds nothing.

use chrono::{DateTime, Utc};
use rusqlite::{CachedStatement, Connection};

use sepakat_domain::compliance::Party;

use super::codec::{corrupt, instant, phone};
use crate::debtor_contact::{plan_contacts, ContactInForce, ImportedContact};
use crate::{Actor, CreditorId, StoreResult};

const CREATE_WANTED: &str = "
    DROP TABLE IF EXISTS temp.import_contacts;
    CREATE TEMP TABLE import_contacts (
        debtor_id INTEGER NOT NULL,
        party     TEXT    NOT NULL,
        name      TEXT    NOT NULL,
        relation  TEXT    NOT NULL,
        phone     TEXT,
        PRIMARY KEY (debtor_id, party)
    ) WITHOUT ROWID;";

const KEEP_WANTED: &str = "
    INSERT INTO temp.import_contacts (debtor_id, party, name, relation, phone)
    VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT (debtor_id, party) DO UPDATE
    SET name = excluded.name, relation = excluded.relation, phone = excluded.phone";

const WANTED: &str = "
    SELECT debtor_id, party, name, relation, phone FROM temp.import_contacts
    ORDER BY debtor_id";

const IN_FORCE: &str = "
    SELECT o.id, o.party, o.name, o.relation, o.phone, o.imported
    FROM debtor_contacts o
    WHERE o.creditor_id = ?1 AND o.debtor_id = ?2
      AND NOT EXISTS (SELECT 1 FROM debtor_contacts n WHERE n.replaces = o.id)";

const INSERT: &str = "
    INSERT INTO debtor_contacts (creditor_id, debtor_id, party, name, relation, phone, note,
                                 replaces, created_at, created_by, imported)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', ?7, ?8, ?9, 1)";

/// The contacts of one import.
pub(super) struct ContactImport<'c> {
    conn: &'c Connection,
    creditor: CreditorId,
    created_at: i64,
    created_by: Option<i64>,
    /// The temporary table exists (made at the first row that names a contact).
    staging: bool,
}

impl<'c> ContactImport<'c> {
    /// Contacts will be recorded as made at `now` by `actor`.
    pub(super) fn new(
        conn: &'c Connection,
        creditor: CreditorId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> ContactImport<'c> {
        ContactImport {
            conn,
            creditor,
            created_at: instant(now),
            created_by: actor.user.map(|u| u.0),
            staging: false,
        }
    }

    /// Keeps the contacts a row names for its debtor.
    pub(super) fn keep(&mut self, debtor_id: i64, contacts: &[ImportedContact]) -> StoreResult<()> {
        if contacts.is_empty() {
            return Ok(());
        }
        if !self.staging {
            self.conn.execute_batch(CREATE_WANTED)?;
            self.staging = true;
        }
        let mut keep = self.conn.prepare_cached(KEEP_WANTED)?;
        for c in contacts {
            keep.execute((
                debtor_id,
                c.party.code(),
                c.name.trim(),
                c.relation.trim(),
                c.phone.as_ref().map(|p| p.as_str()),
            ))?;
        }
        Ok(())
    }

    /// Writes what the kept contacts need; returns how many contacts it added.
    pub(super) fn finish(self) -> StoreResult<u64> {
        if !self.staging {
            return Ok(0);
        }
        let mut wanted = self.conn.prepare(WANTED)?;
        let mut in_force = self.conn.prepare_cached(IN_FORCE)?;
        let mut insert = self.conn.prepare_cached(INSERT)?;
        let mut rows = wanted.query([])?;
        let mut debtor: Option<i64> = None;
        let mut contacts: Vec<ImportedContact> = Vec::new();
        let mut added = 0u64;
        let mut write = |debtor_id: i64, contacts: &[ImportedContact]| -> StoreResult<()> {
            let current = read_in_force(&mut in_force, self.creditor, debtor_id)?;
            for w in plan_contacts(contacts, &current) {
                let c = w.contact;
                insert.execute((
                    self.creditor.0,
                    debtor_id,
                    c.party.code(),
                    &c.name,
                    &c.relation,
                    c.phone.as_ref().map(|p| p.as_str()),
                    w.replaces,
                    self.created_at,
                    self.created_by,
                ))?;
                added += 1;
            }
            Ok(())
        };
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            if debtor.is_some_and(|d| d != id) {
                write(debtor.unwrap_or(id), &contacts)?;
                contacts.clear();
            }
            debtor = Some(id);
            contacts.push(contact(row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)?);
        }
        if let Some(id) = debtor {
            write(id, &contacts)?;
        }
        drop(rows);
        drop(wanted);
        self.conn.execute_batch("DROP TABLE temp.import_contacts")?;
        Ok(added)
    }
}

fn contact(
    party: String,
    name: String,
    relation: String,
    phone_text: Option<String>,
) -> StoreResult<ImportedContact> {
    Ok(ImportedContact {
        party: Party::parse(&party).map_err(|_| corrupt("contact party", &party))?,
        name,
        relation,
        phone: phone(phone_text)?,
    })
}

fn read_in_force(
    st: &mut CachedStatement<'_>,
    creditor: CreditorId,
    debtor_id: i64,
) -> StoreResult<Vec<ContactInForce>> {
    let mut rows = st.query((creditor.0, debtor_id))?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        found.push(ContactInForce {
            id: row.get(0)?,
            contact: contact(row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)?,
            imported: row.get(5)?,
        });
    }
    Ok(found)
}
