//! Bulk imports in one transaction each.
//!
//! Accounts stream from the source into a temporary staging table with `COPY … FROM STDIN`
//! in batches; each batch is then merged by one statement of set-based upserts (debtors,
//! then accounts), which is what makes a million-row file take seconds, not minutes.
//! Payments are imported by `payment_import`.

use std::collections::HashSet;
use std::io::Write;

use chrono::Utc;
use postgres::{Client, Statement, Transaction};

use super::audit;
use super::codec::{get, kind_code};
use super::contact_import::BatchContacts;
use super::db_err;
use crate::{
    AccountUpsert, Actor, CreditorId, EntityRef, ImportOutcome, ImportSource, NewAudit, StoreError,
    StoreResult,
};

/// Rows staged per COPY before they are merged: large enough to amortise the merge
/// statements, small enough to keep the staging table and the client buffer modest.
const BATCH_ROWS: usize = 20_000;

/// The staging table, private to the connection and dropped at the end of the transaction.
const CREATE_STAGE: &str = "
    CREATE TEMP TABLE stage_accounts (
        seq                    BIGINT NOT NULL,
        account_no             TEXT COLLATE \"C\" NOT NULL,
        debtor_key             TEXT COLLATE \"C\" NOT NULL,
        kind                   TEXT NOT NULL,
        name                   TEXT NOT NULL,
        nik                    TEXT,
        npwp                   TEXT,
        gender                 TEXT,
        birth_date             DATE,
        phone                  TEXT,
        email                  TEXT,
        address                TEXT,
        city                   TEXT,
        province               SMALLINT NOT NULL,
        employer               TEXT,
        product                TEXT NOT NULL,
        principal              BIGINT NOT NULL,
        annual_rate_ppm        INTEGER NOT NULL,
        tenor_months           INTEGER NOT NULL,
        first_due              DATE NOT NULL,
        method                 TEXT NOT NULL,
        instalment             BIGINT NOT NULL,
        opened_on              DATE NOT NULL,
        outstanding_principal  BIGINT NOT NULL,
        arrears_principal      BIGINT NOT NULL,
        arrears_interest       BIGINT NOT NULL,
        penalty                BIGINT NOT NULL,
        fees                   BIGINT NOT NULL,
        oldest_unpaid_due      DATE,
        last_payment_on        DATE,
        last_payment_amount    BIGINT,
        status                 TEXT NOT NULL
    ) ON COMMIT DROP";

const COPY_STAGE: &str = "COPY pg_temp.stage_accounts FROM STDIN";

/// Merges the staged batch in one statement: upserts its debtors (one row per key; when
/// several rows share a key the last row's data wins, as if applied one by one), then its
/// accounts (numbers are unique within a batch) with the debtor ids the first upsert
/// returned, and counts inserted against updated accounts (`xmax = 0` marks a row the
/// statement inserted).
///
/// Every existence check goes through a unique index (the `ON CONFLICT` arbiters), and
/// the only join is between the batch and its own debtors, so the cost per batch does
/// not grow with the size of the portfolio, whatever the planner's statistics say.
const MERGE_BATCH: &str = "
    WITH batch_debtors AS (
        INSERT INTO debtors (creditor_id, debtor_key, kind, name, nik, npwp, gender,
                             birth_date, phone, email, address, city, province, employer)
        SELECT DISTINCT ON (debtor_key)
               $1, debtor_key, kind, name, nik, npwp, gender, birth_date, phone, email,
               address, city, province, employer
        FROM pg_temp.stage_accounts
        ORDER BY debtor_key, seq DESC
        ON CONFLICT (creditor_id, debtor_key) DO UPDATE SET
            kind = EXCLUDED.kind, name = EXCLUDED.name, nik = EXCLUDED.nik,
            npwp = EXCLUDED.npwp, gender = EXCLUDED.gender, birth_date = EXCLUDED.birth_date,
            phone = EXCLUDED.phone, email = EXCLUDED.email, address = EXCLUDED.address,
            city = EXCLUDED.city, province = EXCLUDED.province, employer = EXCLUDED.employer
        RETURNING id, debtor_key
    ), merged AS (
        INSERT INTO accounts (creditor_id, account_no, debtor_id, product, principal,
                              annual_rate_ppm, tenor_months, first_due, method, instalment,
                              opened_on, outstanding_principal, arrears_principal,
                              arrears_interest, penalty, fees, oldest_unpaid_due,
                              last_payment_on, last_payment_amount, status)
        SELECT $1, s.account_no, d.id, s.product, s.principal, s.annual_rate_ppm,
               s.tenor_months, s.first_due, s.method, s.instalment, s.opened_on,
               s.outstanding_principal, s.arrears_principal, s.arrears_interest, s.penalty,
               s.fees, s.oldest_unpaid_due, s.last_payment_on, s.last_payment_amount, s.status
        FROM pg_temp.stage_accounts s
        JOIN batch_debtors d ON d.debtor_key = s.debtor_key
        ON CONFLICT (creditor_id, account_no) DO UPDATE SET
            debtor_id = EXCLUDED.debtor_id, product = EXCLUDED.product,
            principal = EXCLUDED.principal, annual_rate_ppm = EXCLUDED.annual_rate_ppm,
            tenor_months = EXCLUDED.tenor_months, first_due = EXCLUDED.first_due,
            method = EXCLUDED.method, instalment = EXCLUDED.instalment,
            opened_on = EXCLUDED.opened_on,
            outstanding_principal = EXCLUDED.outstanding_principal,
            arrears_principal = EXCLUDED.arrears_principal,
            arrears_interest = EXCLUDED.arrears_interest, penalty = EXCLUDED.penalty,
            fees = EXCLUDED.fees, oldest_unpaid_due = EXCLUDED.oldest_unpaid_due,
            last_payment_on = EXCLUDED.last_payment_on,
            last_payment_amount = EXCLUDED.last_payment_amount, status = EXCLUDED.status
        RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted) AS inserted,
           count(*) FILTER (WHERE NOT inserted) AS updated
    FROM merged";

/// Imports accounts (and their debtors) in one transaction.
pub(super) fn accounts(
    client: &mut Client,
    creditor: CreditorId,
    actor: &Actor,
    source: &mut dyn ImportSource<AccountUpsert>,
) -> StoreResult<ImportOutcome> {
    let context = "importing accounts";
    let mut tx = client.transaction().map_err(db_err(context))?;
    ensure_creditor(&mut tx, creditor)?;
    // One account import per creditor at a time: two would lock the same rows in
    // different orders and deadlock.
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('sepakat.import.accounts'), $1::int4)",
        &[&i32::try_from(creditor.0 % i64::from(i32::MAX)).unwrap_or_default()],
    )
    .map_err(db_err(context))?;
    // Room to sort and hash a batch in memory, and no JIT: compiling the merge for every
    // batch costs more than it saves on 20 000 rows.
    tx.batch_execute("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off")
        .map_err(db_err(context))?;
    tx.batch_execute(CREATE_STAGE).map_err(db_err(context))?;
    let mut outcome = ImportOutcome::default();
    let mut batch = Batch::default();
    let merge = Merge {
        creditor,
        statement: tx.prepare(MERGE_BATCH).map_err(db_err(context))?,
    };
    while let Some(row) = source.next_valid() {
        if let Err((column, message)) = check_account(&row) {
            source.reject(row.row, column, message);
            outcome.rejected += 1;
            continue;
        }
        // One INSERT … ON CONFLICT may touch a row only once, so a number repeated in
        // the file ends the batch: the repeat then updates what the batch inserted.
        if batch.account_nos.contains(&row.account_no) {
            merge.flush(&mut tx, &mut batch, &mut outcome)?;
        }
        batch.push(&row);
        if batch.rows >= BATCH_ROWS {
            merge.flush(&mut tx, &mut batch, &mut outcome)?;
        }
    }
    merge.flush(&mut tx, &mut batch, &mut outcome)?;
    // The trait passes no clock: contacts record when the import wrote them.
    outcome.contacts_added = batch
        .contacts
        .finish(&mut tx, creditor, Utc::now(), actor)?;
    audit_import(&mut tx, creditor, actor, "accounts", &outcome)?;
    finish(tx, source.commit_wanted(), outcome, context)
}

/// The prepared merge statement of one account import.
struct Merge {
    creditor: CreditorId,
    statement: Statement,
}

impl Merge {
    /// Copies the batch into the staging table, merges it, and empties both.
    fn flush(
        &self,
        tx: &mut Transaction<'_>,
        batch: &mut Batch,
        outcome: &mut ImportOutcome,
    ) -> StoreResult<()> {
        if batch.rows == 0 {
            return Ok(());
        }
        let context = "importing accounts";
        let started = std::time::Instant::now();
        let mut writer = tx.copy_in(COPY_STAGE).map_err(db_err(context))?;
        writer
            .write_all(&batch.buf)
            .map_err(|e| StoreError::Other(format!("{context}: staging rows: {e}")))?;
        writer.finish().map_err(db_err(context))?;
        let copied = std::time::Instant::now();
        let counts = tx
            .query_one(&self.statement, &[&self.creditor.0])
            .map_err(db_err(context))?;
        let inserted: i64 = get(&counts, "inserted")?;
        let updated: i64 = get(&counts, "updated")?;
        outcome.inserted += u64::try_from(inserted).unwrap_or_default();
        outcome.updated += u64::try_from(updated).unwrap_or_default();
        batch.contacts.keep(tx)?;
        tx.batch_execute("TRUNCATE pg_temp.stage_accounts")
            .map_err(db_err(context))?;
        tracing::debug!(
            rows = batch.rows,
            copy = ?(copied - started),
            merge = ?copied.elapsed(),
            "merged an import batch"
        );
        batch.clear();
        Ok(())
    }
}

pub(super) fn ensure_creditor(tx: &mut Transaction<'_>, creditor: CreditorId) -> StoreResult<()> {
    tx.query_opt("SELECT 1 FROM creditors WHERE id = $1", &[&creditor.0])
        .map_err(db_err("reading the creditor"))?
        .map(|_| ())
        .ok_or_else(|| StoreError::NotFound(format!("creditor {creditor}")))
}

/// One summary entry per import; the detail holds counts only, never personal data.
pub(super) fn audit_import(
    tx: &mut Transaction<'_>,
    creditor: CreditorId,
    actor: &Actor,
    what: &str,
    outcome: &ImportOutcome,
) -> StoreResult<()> {
    audit::record(
        tx,
        &NewAudit {
            creditor: Some(creditor),
            at: Utc::now(),
            actor: actor.clone(),
            action: format!("import.{what}"),
            entity: EntityRef::new("import", what),
            detail: serde_json::json!({
                "inserted": outcome.inserted,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "rejected": outcome.rejected,
                "contacts_added": outcome.contacts_added,
            }),
        },
    )
}

pub(super) fn finish(
    tx: Transaction<'_>,
    commit: bool,
    mut outcome: ImportOutcome,
    context: &str,
) -> StoreResult<ImportOutcome> {
    if commit {
        tx.commit().map_err(db_err(context))?;
    } else {
        tx.rollback().map_err(db_err(context))?;
    }
    outcome.committed = commit;
    Ok(outcome)
}

/// Refuses values the columns cannot hold (the importer's types allow more than SQL).
fn check_account(row: &AccountUpsert) -> Result<(), (&'static str, String)> {
    if i32::try_from(row.terms.tenor_months).is_err() {
        return Err((
            "tenor_months",
            format!("tenor of {} months is too long", row.terms.tenor_months),
        ));
    }
    if i32::try_from(row.terms.annual_rate.ppm()).is_err() {
        return Err((
            "annual_rate",
            format!("rate {} is too high", row.terms.annual_rate),
        ));
    }
    Ok(())
}

/// Rows encoded for `COPY … FROM STDIN` in text format.
#[derive(Default)]
struct Batch {
    buf: Vec<u8>,
    rows: usize,
    account_nos: HashSet<String>,
    contacts: BatchContacts,
}

impl Batch {
    fn clear(&mut self) {
        self.buf.clear();
        self.rows = 0;
        self.account_nos.clear();
    }

    fn push(&mut self, row: &AccountUpsert) {
        let d = &row.debtor;
        let b = &row.balance;
        let seq = self.rows.to_string();
        let province = d.province.code().to_string();
        let last_on = row.last_payment.map(|(on, _)| on.to_string());
        let last_amount = row
            .last_payment
            .map(|(_, amount)| amount.value().to_string());
        let birth_date = d.birth_date.map(|x| x.to_string());
        let oldest_unpaid_due = b.oldest_unpaid_due.map(|x| x.to_string());
        let numbers = [
            row.terms.principal.value().to_string(),
            row.terms.annual_rate.ppm().to_string(),
            row.terms.tenor_months.to_string(),
            row.terms.first_due.to_string(),
            row.instalment.value().to_string(),
            row.opened_on.to_string(),
            b.outstanding_principal.value().to_string(),
            b.arrears_principal.value().to_string(),
            b.arrears_interest.value().to_string(),
            b.penalty.value().to_string(),
            b.fees.value().to_string(),
        ];
        let fields: [Option<&str>; 32] = [
            Some(&seq),
            Some(&row.account_no),
            Some(&d.key),
            Some(kind_code(d.kind)),
            Some(&d.name),
            d.nik.as_ref().map(|n| n.as_str()),
            d.npwp.as_ref().map(|n| n.as_str()),
            d.gender.map(|g| g.code()),
            birth_date.as_deref(),
            d.phone.as_ref().map(|p| p.as_str()),
            d.email.as_ref().map(|e| e.as_str()),
            d.address.as_deref(),
            d.city.as_deref(),
            Some(&province),
            d.employer.as_deref(),
            Some(row.product.code()),
            Some(&numbers[0]),
            Some(&numbers[1]),
            Some(&numbers[2]),
            Some(&numbers[3]),
            Some(row.terms.method.code()),
            Some(&numbers[4]),
            Some(&numbers[5]),
            Some(&numbers[6]),
            Some(&numbers[7]),
            Some(&numbers[8]),
            Some(&numbers[9]),
            Some(&numbers[10]),
            oldest_unpaid_due.as_deref(),
            last_on.as_deref(),
            last_amount.as_deref(),
            Some(row.status.code()),
        ];
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                self.buf.push(b'\t');
            }
            match field {
                None => self.buf.extend_from_slice(b"\\N"),
                Some(text) => escape_into(&mut self.buf, text),
            }
        }
        self.buf.push(b'\n');
        self.rows += 1;
        self.account_nos.insert(row.account_no.clone());
        self.contacts.push(&d.key, &row.contacts);
    }
}

/// COPY text format: backslash, tab, newline and carriage return are escaped.
pub(super) fn escape_into(buf: &mut Vec<u8>, text: &str) {
    for &byte in text.as_bytes() {
        match byte {
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            other => buf.push(other),
        }
    }
}
