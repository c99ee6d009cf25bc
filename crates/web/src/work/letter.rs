//! Letters from the web: choosing the accounts of a batch (a DPD bucket or minimum DPD of
//! the creditor's open accounts, or a pasted list of account numbers), printing them to
//! one PDF through `engine::document::batch` (the same code as `sepakat letter print`),
//! and recording delivery proof or a return. The UI (`ui::letter`) draws around it.

use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::compliance::Channel;
use sepakat_domain::evidence::EvidencePolicy;
use sepakat_domain::template::{Catalogue, Stage};
use sepakat_domain::{BucketSet, Dpd};
use sepakat_engine::document::batch;
use sepakat_engine::document::letter::{Letterhead, Signatory};
use sepakat_engine::document::LetterOptions;
use sepakat_engine::templates::template_in_force;
use sepakat_store::{
    AccountDetail, AccountQuery, Actor, Creditor, Letter, NewProof, Store, StoreError,
    LETTER_STAGES,
};

use crate::i18n::Lang;

/// The most letters one print makes (a post office run; a larger batch is split).
pub const LETTER_CAP: usize = 200;

/// Accounts read per page while scanning the portfolio.
const SCAN_PAGE: u32 = 500;

/// Which accounts a batch is for.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    /// A bucket label (`31-60`), or None for any.
    pub bucket: Option<String>,
    /// The lowest DPD, or None.
    pub min_dpd: Option<u32>,
    /// Account numbers pasted; when given, the filters above are ignored.
    pub numbers: Vec<String>,
}

impl Choice {
    /// Whether anything was chosen at all.
    pub fn is_empty(&self) -> bool {
        self.bucket.is_none() && self.min_dpd.is_none() && self.numbers.is_empty()
    }
}

/// Why a batch or a proof is refused; `message` says it in the user's language.
#[derive(Debug)]
pub enum LetterError {
    /// Not sp1, sp2, sp3 or somasi.
    Stage(String),
    /// Nothing chosen, or the choice matches no account.
    Empty,
    /// More accounts than `LETTER_CAP`.
    OverCap(usize),
    /// Pasted account numbers the creditor does not have.
    UnknownAccounts(Vec<String>),
    /// Accounts that get no letter (nothing overdue, a missing value).
    Refused(Vec<String>),
    /// A field that does not parse: (field label, value).
    Field(&'static str, String),
    /// A date that does not parse.
    Date(String),
    /// A proof dated after today.
    Future(NaiveDate),
    /// A proof dated before the letter was printed.
    BeforePrinting(NaiveDate),
    /// No such tracking number for the creditor.
    Tracking(String),
    /// Who received it is missing.
    ReceivedBy,
    /// The letter's proof is already recorded.
    Final(String),
    /// The proof file is refused (the store's words).
    File(String),
    /// Neither delivered nor returned.
    Outcome,
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for LetterError {
    fn from(e: StoreError) -> Self {
        LetterError::Store(e)
    }
}

impl LetterError {
    /// The message for the form.
    pub fn message(&self, lang: Lang) -> String {
        let t = lang.letters();
        let list = |v: &[String]| {
            let mut shown = v.iter().take(10).cloned().collect::<Vec<_>>().join(", ");
            if v.len() > 10 {
                shown.push_str(&format!(" (+{})", v.len() - 10));
            }
            shown
        };
        match self {
            LetterError::Stage(s) => format!("{} {s:?}", t.err_stage),
            LetterError::Empty => t.err_empty.to_string(),
            LetterError::OverCap(n) => format!("{} {LETTER_CAP} ({n})", t.err_cap),
            LetterError::UnknownAccounts(v) => format!("{} {}", t.err_account, list(v)),
            LetterError::Refused(v) => format!("{} {}", t.err_refused, list(v)),
            LetterError::Field(label, v) => format!("{label} {} {v:?}", t.err_number),
            LetterError::Date(v) => format!("{} {v:?}", t.err_date),
            LetterError::Future(d) => format!("{} {d}", t.err_future),
            LetterError::BeforePrinting(d) => format!("{} {d}", t.err_before),
            LetterError::Tracking(v) => format!("{} {v:?}", t.err_tracking),
            LetterError::ReceivedBy => t.err_received_by.to_string(),
            LetterError::Final(v) => format!("{} {v}", t.err_final),
            LetterError::File(v) => format!("{} {v}", t.err_file),
            LetterError::Outcome => t.err_outcome.to_string(),
            LetterError::Store(e) => e.to_string(),
        }
    }
}

/// Parses a letter stage.
pub fn parse_stage(text: &str) -> Result<Stage, LetterError> {
    Stage::parse(text.trim())
        .ok()
        .filter(|s| LETTER_STAGES.contains(s))
        .ok_or_else(|| LetterError::Stage(text.to_string()))
}

/// The accounts a choice matches, at most `LETTER_CAP + 1` read in full, with the count
/// of all that match.
pub fn select(
    store: &dyn Store,
    creditor: &Creditor,
    choice: &Choice,
    buckets: &BucketSet,
    today: NaiveDate,
) -> Result<(Vec<AccountDetail>, usize), LetterError> {
    if choice.is_empty() {
        return Err(LetterError::Empty);
    }
    if !choice.numbers.is_empty() {
        if choice.numbers.len() > LETTER_CAP {
            return Err(LetterError::OverCap(choice.numbers.len()));
        }
        let mut found = Vec::new();
        let mut unknown = Vec::new();
        for n in &choice.numbers {
            match store.account_by_number(creditor.id, n)? {
                Some(a) => found.push(a),
                None => unknown.push(n.clone()),
            }
        }
        if !unknown.is_empty() {
            return Err(LetterError::UnknownAccounts(unknown));
        }
        return Ok((found, choice.numbers.len()));
    }
    let min = choice.min_dpd.unwrap_or(0);
    let mut ids = Vec::new();
    let mut count = 0usize;
    let mut offset = 0u32;
    'scan: loop {
        let page = store.search_accounts(
            creditor.id,
            &AccountQuery {
                text: None,
                product: None,
                open_only: true,
                limit: SCAN_PAGE,
                offset,
            },
        )?;
        for item in &page {
            let dpd = Dpd::as_of(item.oldest_unpaid_due, today);
            // The list comes highest DPD first: below the minimum, nothing more matches.
            if dpd.days() < min {
                break 'scan;
            }
            let in_bucket = choice
                .bucket
                .as_deref()
                .is_none_or(|b| buckets.classify(dpd).label == b);
            if in_bucket && dpd.days() > 0 {
                count += 1;
                if ids.len() <= LETTER_CAP {
                    ids.push(item.id);
                }
            }
        }
        if page.len() < SCAN_PAGE as usize {
            break;
        }
        offset += SCAN_PAGE;
    }
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(a) = store.account(creditor.id, id)? {
            found.push(a);
        }
    }
    Ok((found, count))
}

/// What a print needs besides the accounts.
#[derive(Debug, Clone)]
pub struct PrintInput {
    /// The stage.
    pub stage: Stage,
    /// Days given to the debtor.
    pub deadline_days: u32,
}

/// A printed batch: the PDF and the letters recorded.
#[derive(Debug)]
pub struct Printed {
    /// The PDF's bytes.
    pub pdf: Vec<u8>,
    /// Its pages.
    pub pages: usize,
    /// The letters as recorded.
    pub letters: Vec<Letter>,
}

/// Prints the chosen accounts to one PDF and records every letter (all or nothing).
#[allow(clippy::too_many_arguments)]
pub fn print(
    store: &dyn Store,
    creditor: &Creditor,
    accounts: &[AccountDetail],
    count: usize,
    input: &PrintInput,
    today: NaiveDate,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Printed, LetterError> {
    if count == 0 || accounts.is_empty() {
        return Err(LetterError::Empty);
    }
    if count > LETTER_CAP || accounts.len() > LETTER_CAP {
        return Err(LetterError::OverCap(count.max(accounts.len())));
    }
    // The creditor's approved letter in force, else the shipped default.
    let template = template_in_force(
        store,
        creditor.id,
        &Catalogue::shipped(),
        input.stage,
        Channel::Letter,
    )?
    .ok_or_else(|| LetterError::Stage(input.stage.code().to_string()))?;
    let options = LetterOptions {
        date: today,
        deadline_days: input.deadline_days,
        signatory: Signatory {
            name: "Kepala Divisi Penagihan".into(),
            title: "Divisi Penagihan".into(),
        },
        official_contact: "layanan pelanggan resmi kami".into(),
    };
    let head = Letterhead {
        name: creditor.name.clone(),
        lines: Vec::new(),
        city: "Jakarta".into(),
    };
    let batch =
        batch::compose(creditor, accounts, &template, &options, &head, now).map_err(|refused| {
            LetterError::Refused(refused.into_iter().map(|r| r.account_no).collect())
        })?;
    let letters = batch.record(store, creditor, now, actor)?;
    Ok(Printed {
        pdf: batch.document.to_bytes(),
        pages: batch.document.pages(),
        letters,
    })
}

/// Records a proof after checking what the form can say in the user's words; the store
/// checks again in its transaction.
pub fn record_proof(
    store: &dyn Store,
    creditor: &Creditor,
    proof: &NewProof,
    today: NaiveDate,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Letter, LetterError> {
    let tracking = proof.tracking.trim();
    let Some(letter) = store.letter_by_tracking(creditor.id, tracking)? else {
        return Err(LetterError::Tracking(tracking.to_string()));
    };
    if letter.status.is_final() {
        return Err(LetterError::Final(format!(
            "{} ({})",
            letter.data.tracking,
            letter.status.code()
        )));
    }
    if proof.on > today {
        return Err(LetterError::Future(proof.on));
    }
    if proof.on < letter.printed_at.date_naive() {
        return Err(LetterError::BeforePrinting(proof.on));
    }
    if proof.received_by.trim().is_empty() {
        return Err(LetterError::ReceivedBy);
    }
    if let Some(f) = &proof.file {
        EvidencePolicy::default()
            .check(&f.file_name, &f.media_type, &f.bytes, None)
            .map_err(|e| LetterError::File(e.to_string()))?;
    }
    match store.record_letter_proof(creditor.id, proof, today, now, actor) {
        Ok(l) => Ok(l),
        // Everything above passed, so the store refused for a proof recorded meanwhile.
        Err(StoreError::Conflict(m)) => Err(LetterError::Final(m)),
        Err(StoreError::NotFound(_)) => Err(LetterError::Tracking(tracking.to_string())),
        Err(e) => Err(LetterError::Store(e)),
    }
}

/// Account numbers from pasted text: one per line (commas and spaces also separate),
/// each once, in order.
pub fn numbers(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    text.split(|c: char| c == '\n' || c == ',' || c == ';' || c.is_whitespace())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .filter(|n| seen.insert(n.to_string()))
        .map(String::from)
        .collect()
}
