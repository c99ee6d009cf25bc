//! How an account import writes its rows: row by row as upserts (the general path), or,
//! for a creditor that has no debtors and no accounts yet, as plain multi-row inserts with
//! the debtors deduplicated in memory (the fresh-load path, several times faster).
//!
//! Both paths bind the same columns through `bind_debtor` and `bind_account`, so a column
//! added to one cannot be forgotten in the other.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{DateTime, Utc};
use rusqlite::{CachedStatement, Connection, ErrorCode, OptionalExtension, Statement};

use super::codec::{day, kind_code, opt_day};
use super::contact_import::ContactImport;
use crate::{AccountUpsert, Actor, CreditorId, DebtorUpsert, StoreError, StoreResult};

// Upserts are written as "update the row with this key if there is one, else insert"
// rather than `INSERT … ON CONFLICT DO UPDATE … RETURNING`: with SQLite 3.46 RETURNING made
// the import about three times slower (measured), and the number of rows the update
// changed tells an update from an insert for free. The general path serves creditors that
// already have a portfolio, whose files (monthly refreshes) are mostly rows that exist:
// an existing account costs one statement, an existing debtor one lookup by key and one
// update by id. A first load of new rows takes the fresh-load path below instead.

/// The debtor columns in parameter order (`?1` … `?14`).
const DEBTOR_COLUMNS: &str = "creditor_id, debtor_key, kind, name, nik, npwp, gender, \
     birth_date, phone, email, address, city, province, employer";
/// Parameters `bind_debtor` fills.
const DEBTOR_PARAMS: usize = 14;

/// The account columns in parameter order (`?1` … `?21`).
const ACCOUNT_COLUMNS: &str = "creditor_id, account_no, debtor_id, product, principal, \
     annual_rate_ppm, tenor_months, first_due, method, instalment, opened_on, \
     outstanding_principal, arrears_principal, arrears_interest, penalty, fees, \
     oldest_unpaid_due, total_outstanding, last_payment_on, last_payment_amount, status";
/// Parameters `bind_account` fills.
const ACCOUNT_PARAMS: usize = 21;

const DEBTOR_FIND: &str = "SELECT id FROM debtors WHERE creditor_id = ?1 AND debtor_key = ?2";

const DEBTOR_INSERT: &str = "
    INSERT INTO debtors (creditor_id, debtor_key, kind, name, nik, npwp, gender, birth_date,
                         phone, email, address, city, province, employer)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

/// Same parameters as the insert, `?15` the id (the key `?2` is the one it already has).
/// A row that already holds these values is left alone (no page written, no index
/// touched): a monthly refresh repeats most debtors unchanged.
const DEBTOR_UPDATE_BY_ID: &str = "
    UPDATE debtors
    SET kind = ?3, name = ?4, nik = ?5, npwp = ?6, gender = ?7, birth_date = ?8, phone = ?9,
        email = ?10, address = ?11, city = ?12, province = ?13, employer = ?14
    WHERE id = ?15 AND creditor_id = ?1
      AND (kind IS NOT ?3 OR name IS NOT ?4 OR nik IS NOT ?5 OR npwp IS NOT ?6
           OR gender IS NOT ?7 OR birth_date IS NOT ?8 OR phone IS NOT ?9 OR email IS NOT ?10
           OR address IS NOT ?11 OR city IS NOT ?12 OR province IS NOT ?13
           OR employer IS NOT ?14)";

const ACCOUNT_INSERT: &str = "
    INSERT INTO accounts (creditor_id, account_no, debtor_id, product, principal,
                          annual_rate_ppm, tenor_months, first_due, method, instalment,
                          opened_on, outstanding_principal, arrears_principal,
                          arrears_interest, penalty, fees, oldest_unpaid_due,
                          total_outstanding, last_payment_on, last_payment_amount, status)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21)
    ON CONFLICT (creditor_id, account_no) DO NOTHING";

/// Same parameters as the insert; `?1`/`?2` name the row by its key. Changes nothing (and
/// reports no change) when the row already holds these values; the insert that follows
/// then tells "unchanged" from "missing".
const ACCOUNT_UPDATE: &str = "
    UPDATE accounts
    SET debtor_id = ?3, product = ?4, principal = ?5, annual_rate_ppm = ?6,
        tenor_months = ?7, first_due = ?8, method = ?9, instalment = ?10, opened_on = ?11,
        outstanding_principal = ?12, arrears_principal = ?13, arrears_interest = ?14,
        penalty = ?15, fees = ?16, oldest_unpaid_due = ?17, total_outstanding = ?18,
        last_payment_on = ?19, last_payment_amount = ?20, status = ?21
    WHERE creditor_id = ?1 AND account_no = ?2
      AND (debtor_id IS NOT ?3 OR product IS NOT ?4 OR principal IS NOT ?5
           OR annual_rate_ppm IS NOT ?6 OR tenor_months IS NOT ?7 OR first_due IS NOT ?8
           OR method IS NOT ?9 OR instalment IS NOT ?10 OR opened_on IS NOT ?11
           OR outstanding_principal IS NOT ?12 OR arrears_principal IS NOT ?13
           OR arrears_interest IS NOT ?14 OR penalty IS NOT ?15 OR fees IS NOT ?16
           OR oldest_unpaid_due IS NOT ?17 OR total_outstanding IS NOT ?18
           OR last_payment_on IS NOT ?19 OR last_payment_amount IS NOT ?20
           OR status IS NOT ?21)";

/// Binds a debtor's columns to parameters `at + 1` … `at + 14`.
fn bind_debtor(
    st: &mut Statement<'_>,
    at: usize,
    creditor: CreditorId,
    d: &DebtorUpsert,
) -> rusqlite::Result<()> {
    st.raw_bind_parameter(at + 1, creditor.0)?;
    st.raw_bind_parameter(at + 2, d.key.as_str())?;
    st.raw_bind_parameter(at + 3, kind_code(d.kind))?;
    st.raw_bind_parameter(at + 4, d.name.as_str())?;
    st.raw_bind_parameter(at + 5, d.nik.as_ref().map(|n| n.as_str()))?;
    st.raw_bind_parameter(at + 6, d.npwp.as_ref().map(|n| n.as_str()))?;
    st.raw_bind_parameter(at + 7, d.gender.map(|g| g.code()))?;
    st.raw_bind_parameter(at + 8, opt_day(d.birth_date))?;
    st.raw_bind_parameter(at + 9, d.phone.as_ref().map(|p| p.as_str()))?;
    st.raw_bind_parameter(at + 10, d.email.as_ref().map(|e| e.as_str()))?;
    st.raw_bind_parameter(at + 11, d.address.as_deref())?;
    st.raw_bind_parameter(at + 12, d.city.as_deref())?;
    st.raw_bind_parameter(at + 13, d.province.code())?;
    st.raw_bind_parameter(at + 14, d.employer.as_deref())
}

/// Binds an account's columns to parameters `at + 1` … `at + 21`.
fn bind_account(
    st: &mut Statement<'_>,
    at: usize,
    creditor: CreditorId,
    debtor_id: i64,
    row: &AccountUpsert,
) -> rusqlite::Result<()> {
    let b = &row.balance;
    st.raw_bind_parameter(at + 1, creditor.0)?;
    st.raw_bind_parameter(at + 2, row.account_no.as_str())?;
    st.raw_bind_parameter(at + 3, debtor_id)?;
    st.raw_bind_parameter(at + 4, row.product.code())?;
    st.raw_bind_parameter(at + 5, row.terms.principal.value())?;
    st.raw_bind_parameter(at + 6, row.terms.annual_rate.ppm())?;
    st.raw_bind_parameter(at + 7, row.terms.tenor_months)?;
    st.raw_bind_parameter(at + 8, day(row.terms.first_due))?;
    st.raw_bind_parameter(at + 9, row.terms.method.code())?;
    st.raw_bind_parameter(at + 10, row.instalment.value())?;
    st.raw_bind_parameter(at + 11, day(row.opened_on))?;
    st.raw_bind_parameter(at + 12, b.outstanding_principal.value())?;
    st.raw_bind_parameter(at + 13, b.arrears_principal.value())?;
    st.raw_bind_parameter(at + 14, b.arrears_interest.value())?;
    st.raw_bind_parameter(at + 15, b.penalty.value())?;
    st.raw_bind_parameter(at + 16, b.fees.value())?;
    st.raw_bind_parameter(at + 17, opt_day(b.oldest_unpaid_due))?;
    st.raw_bind_parameter(at + 18, b.total_outstanding().value())?;
    st.raw_bind_parameter(at + 19, row.last_payment.map(|(on, _)| day(on)))?;
    st.raw_bind_parameter(at + 20, row.last_payment.map(|(_, amount)| amount.value()))?;
    st.raw_bind_parameter(at + 21, row.status.code())
}

/// Whether the creditor already has a debtor or an account (else an import may take the
/// fresh-load path).
pub(super) fn creditor_has_portfolio(conn: &Connection, creditor: CreditorId) -> StoreResult<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM debtors WHERE creditor_id = ?1)
             OR EXISTS (SELECT 1 FROM accounts WHERE creditor_id = ?1)",
        [creditor.0],
        |r| r.get(0),
    )?)
}

/// Rows written so far: `(inserted, updated)` accounts.
pub(super) type Counts = (u64, u64);

/// The general path: each row upserted by its keys.
pub(super) struct Upserts<'c> {
    conn: &'c Connection,
    creditor: CreditorId,
    debtor_find: CachedStatement<'c>,
    debtor_insert: CachedStatement<'c>,
    debtor_update: CachedStatement<'c>,
    account_insert: CachedStatement<'c>,
    account_update: CachedStatement<'c>,
    /// Files usually list a debtor's accounts together: the upsert is skipped when a row
    /// repeats the previous row's debtor exactly.
    previous: Option<(DebtorUpsert, i64)>,
    contacts: ContactImport<'c>,
    counts: Counts,
    /// Accounts actually written (inserted, or updated to different values).
    written: u64,
}

impl<'c> Upserts<'c> {
    /// Prepares the statements of the general path; contacts are recorded as added at
    /// `now` by `actor`.
    pub(super) fn new(
        conn: &'c Connection,
        creditor: CreditorId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<Upserts<'c>> {
        Ok(Upserts {
            conn,
            creditor,
            debtor_find: conn.prepare_cached(DEBTOR_FIND)?,
            debtor_insert: conn.prepare_cached(DEBTOR_INSERT)?,
            debtor_update: conn.prepare_cached(DEBTOR_UPDATE_BY_ID)?,
            account_insert: conn.prepare_cached(ACCOUNT_INSERT)?,
            account_update: conn.prepare_cached(ACCOUNT_UPDATE)?,
            previous: None,
            contacts: ContactImport::new(conn, creditor, now, actor),
            counts: (0, 0),
            written: 0,
        })
    }

    /// Upserts a row's debtor and the contacts it names, then its account.
    pub(super) fn write(&mut self, row: AccountUpsert) -> StoreResult<()> {
        let debtor_id = match &self.previous {
            Some((debtor, id)) if *debtor == row.debtor => *id,
            _ => self.debtor(&row.debtor)?,
        };
        self.contacts.keep(debtor_id, &row.contacts)?;
        self.account(debtor_id, &row)?;
        self.previous = Some((row.debtor, debtor_id));
        Ok(())
    }

    /// Writes the contacts the rows named; returns the accounts inserted and updated, and
    /// the contacts added.
    pub(super) fn finish(self) -> StoreResult<(Counts, u64)> {
        let counts = self.counts;
        Ok((counts, self.contacts.finish()?))
    }

    /// The accounts written so far: inserted, or updated to different values (an import
    /// that writes few rows gains nothing from deferring the indexes).
    pub(super) fn written(&self) -> u64 {
        self.written
    }

    /// Updates or inserts a debtor by key; returns its id.
    fn debtor(&mut self, d: &DebtorUpsert) -> StoreResult<i64> {
        let found: Option<i64> = self
            .debtor_find
            .query_row((self.creditor.0, d.key.as_str()), |r| r.get(0))
            .optional()?;
        match found {
            Some(id) => {
                bind_debtor(&mut self.debtor_update, 0, self.creditor, d)?;
                self.debtor_update
                    .raw_bind_parameter(DEBTOR_PARAMS + 1, id)?;
                self.debtor_update.raw_execute()?;
                Ok(id)
            }
            None => {
                bind_debtor(&mut self.debtor_insert, 0, self.creditor, d)?;
                self.debtor_insert.raw_execute()?;
                Ok(self.conn.last_insert_rowid())
            }
        }
    }

    /// Updates or inserts an account by number, counting which. An account that already
    /// holds the row's values counts as updated (it is the row's account) but is not
    /// written.
    fn account(&mut self, debtor_id: i64, row: &AccountUpsert) -> StoreResult<()> {
        bind_account(&mut self.account_update, 0, self.creditor, debtor_id, row)?;
        if self.account_update.raw_execute()? == 1 {
            self.counts.1 += 1;
            self.written += 1;
            return Ok(());
        }
        bind_account(&mut self.account_insert, 0, self.creditor, debtor_id, row)?;
        if self.account_insert.raw_execute()? == 1 {
            self.counts.0 += 1;
            self.written += 1;
        } else {
            self.counts.1 += 1;
        }
        Ok(())
    }
}

/// Rows per multi-row `INSERT` of the fresh-load path: enough to spread the cost of a
/// statement (cursors, FK and schema checks, reset) over many rows, few enough that a
/// statement stays small (64 × 21 parameters).
const ROWS_PER_STATEMENT: usize = 64;

/// The fresh-load path: the creditor had nothing, so no key can exist in the database
/// except those this import wrote. Debtors are deduplicated by key in memory and get
/// consecutive ids; rows go in as plain multi-row inserts. An account number repeated in
/// the source fails its batch's insert (the unique index still guards it), and that batch
/// is written again row by row as upserts, so the counts stay exact.
pub(super) struct FreshLoad<'c> {
    conn: &'c Connection,
    creditor: CreditorId,
    /// Debtor key → id, of every debtor this import created.
    debtor_ids: HashMap<String, i64, BuildHasherDefault<KeyHasher>>,
    /// Rows waiting for the next statement, with their debtor's id.
    pending: Vec<(AccountUpsert, i64)>,
    /// For each debtor not inserted yet (ids `first_new_id` … in order), the pending
    /// row whose data it takes: the last row that named it.
    new_debtors: Vec<usize>,
    /// The id of `new_debtors[0]`.
    first_new_id: i64,
    /// `INSERT` statements by number of rows, prepared when first needed.
    debtor_inserts: Vec<Option<Statement<'c>>>,
    account_inserts: Vec<Option<Statement<'c>>>,
    debtor_update: Statement<'c>,
    /// The general path, for batches that hit a repeated account number.
    upserts: Upserts<'c>,
    counts: Counts,
}

impl<'c> FreshLoad<'c> {
    /// Starts a fresh load; new debtor ids follow the highest existing one.
    pub(super) fn new(
        conn: &'c Connection,
        creditor: CreditorId,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> StoreResult<FreshLoad<'c>> {
        let max_id: i64 =
            conn.query_row("SELECT COALESCE(MAX(id), 0) FROM debtors", [], |r| r.get(0))?;
        Ok(FreshLoad {
            conn,
            creditor,
            debtor_ids: HashMap::default(),
            pending: Vec::with_capacity(ROWS_PER_STATEMENT),
            new_debtors: Vec::with_capacity(ROWS_PER_STATEMENT),
            first_new_id: max_id + 1,
            debtor_inserts: (0..=ROWS_PER_STATEMENT).map(|_| None).collect(),
            account_inserts: (0..=ROWS_PER_STATEMENT).map(|_| None).collect(),
            debtor_update: conn.prepare(DEBTOR_UPDATE_BY_ID)?,
            upserts: Upserts::new(conn, creditor, now, actor)?,
            counts: (0, 0),
        })
    }

    /// Queues a row, writing a batch when one is full.
    pub(super) fn write(&mut self, row: AccountUpsert) -> StoreResult<()> {
        let at = self.pending.len();
        let debtor_id = match self.debtor_ids.get(&row.debtor.key) {
            None => {
                let id = self.first_new_id + self.new_debtors.len() as i64;
                self.debtor_ids.insert(row.debtor.key.clone(), id);
                self.new_debtors.push(at);
                id
            }
            Some(&id) if id >= self.first_new_id => {
                // Not inserted yet: the insert takes this (later) row's data.
                self.new_debtors[(id - self.first_new_id) as usize] = at;
                id
            }
            Some(&id) => {
                let same_as_previous = self
                    .pending
                    .last()
                    .is_some_and(|(prev, prev_id)| *prev_id == id && prev.debtor == row.debtor);
                if !same_as_previous {
                    bind_debtor(&mut self.debtor_update, 0, self.creditor, &row.debtor)?;
                    self.debtor_update
                        .raw_bind_parameter(DEBTOR_PARAMS + 1, id)?;
                    self.debtor_update.raw_execute()?;
                }
                id
            }
        };
        self.upserts.contacts.keep(debtor_id, &row.contacts)?;
        self.pending.push((row, debtor_id));
        if self.pending.len() == ROWS_PER_STATEMENT {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes what is pending; returns the accounts inserted and updated, and the
    /// contacts written.
    pub(super) fn finish(mut self) -> StoreResult<(Counts, u64)> {
        self.flush()?;
        let ((inserted, updated), contacts) = self.upserts.finish()?;
        Ok((
            (self.counts.0 + inserted, self.counts.1 + updated),
            contacts,
        ))
    }

    /// Inserts the pending new debtors, then the pending accounts (which refer to them).
    fn flush(&mut self) -> StoreResult<()> {
        let creditor = self.creditor;
        let debtors = self.new_debtors.len();
        if debtors > 0 {
            let st = statement(
                &mut self.debtor_inserts,
                self.conn,
                debtors,
                "debtors",
                &format!("{DEBTOR_COLUMNS}, id"),
                DEBTOR_PARAMS + 1,
            )?;
            for (i, &at) in self.new_debtors.iter().enumerate() {
                let base = i * (DEBTOR_PARAMS + 1);
                bind_debtor(st, base, creditor, &self.pending[at].0.debtor)?;
                st.raw_bind_parameter(base + DEBTOR_PARAMS + 1, self.first_new_id + i as i64)?;
            }
            st.raw_execute()?;
            self.first_new_id += debtors as i64;
            self.new_debtors.clear();
        }
        let rows = self.pending.len();
        if rows == 0 {
            return Ok(());
        }
        let st = statement(
            &mut self.account_inserts,
            self.conn,
            rows,
            "accounts",
            ACCOUNT_COLUMNS,
            ACCOUNT_PARAMS,
        )?;
        for (i, (row, debtor_id)) in self.pending.iter().enumerate() {
            bind_account(st, i * ACCOUNT_PARAMS, creditor, *debtor_id, row)?;
        }
        match st.raw_execute() {
            Ok(_) => self.counts.0 += rows as u64,
            // The statement was rolled back as a whole; its rows go again one by one.
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == ErrorCode::ConstraintViolation =>
            {
                for (row, debtor_id) in &self.pending {
                    self.upserts.account(*debtor_id, row)?;
                }
            }
            Err(e) => return Err(e.into()),
        }
        self.pending.clear();
        Ok(())
    }
}

/// The `INSERT` of `rows` rows into `table`, from `cache` or prepared now.
fn statement<'s, 'c>(
    cache: &'s mut [Option<Statement<'c>>],
    conn: &'c Connection,
    rows: usize,
    table: &str,
    columns: &str,
    params: usize,
) -> StoreResult<&'s mut Statement<'c>> {
    let slot = &mut cache[rows];
    if slot.is_none() {
        let one = format!("({})", vec!["?"; params].join(", "));
        let sql = format!(
            "INSERT INTO {table} ({columns}) VALUES {}",
            vec![one; rows].join(", ")
        );
        *slot = Some(conn.prepare(&sql)?);
    }
    slot.as_mut()
        .ok_or_else(|| StoreError::Other("sqlite: insert statement not prepared".into()))
}

/// A fast hasher for the debtor keys of one import (FxHash's multiply-rotate, eight bytes
/// at a time). SipHash, the default, resists keys chosen to collide, which matters for
/// maps fed by strangers; this map holds one file's keys for one import, and hashing them
/// was a visible share of a fresh load's profile.
#[derive(Default)]
pub(super) struct KeyHasher(u64);

impl KeyHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
