//! Why a work action was refused, in words for the collector (Bahasa Indonesia or
//! English) and as a field and message for the API. Each refusal names the field, the
//! value or the rule, and nothing is stored when one is returned.

use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::compliance::Rule;
use sepakat_domain::evidence::EvidenceError;
use sepakat_domain::interaction::PauseReason;
use sepakat_domain::negotiation::wire::InputError;
use sepakat_domain::{Rupiah, Zone};
use sepakat_store::StoreError;

use crate::format;
use crate::i18n::Lang;

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Left empty.
    Required,
    /// Not one of the accepted codes.
    Unknown {
        /// What was given.
        value: String,
        /// The accepted codes, comma-separated.
        expected: String,
    },
    /// Not an amount of rupiah.
    NotAnAmount(String),
    /// Zero or negative.
    NotPositive,
    /// Below zero.
    Negative,
    /// More than the account owes.
    AboveOutstanding(Rupiah),
    /// Not a whole number.
    NotAWholeNumber(String),
    /// Not an Indonesian phone number.
    NotAPhone(String),
    /// The debtor has no address on the channel.
    NoAddress,
    /// Not a percentage (`20`, `12,5%`).
    NotAPercentage(String),
    /// Not a date (`YYYY-MM-DD`).
    NotADate(String),
    /// Not a local date and time (`YYYY-MM-DDTHH:MM`).
    NotATime(String),
    /// A date before the debtor's today.
    DateInPast(NaiveDate),
    /// An instant that has passed.
    TimeInPast,
    /// The compliance gate refuses a contact at that time.
    NotAllowedAt {
        /// The rule.
        rule: Rule,
        /// The next allowed time, if any.
        next: Option<DateTime<Utc>>,
        /// The debtor's zone, for showing it.
        zone: Zone,
    },
    /// Filled although the outcome does not call for it, or missing although it does.
    Mismatch(&'static str),
    /// Not two numbers `latitude, longitude`.
    NotGps(String),
    /// Longer than allowed.
    TooLong(usize),
    /// An evidence file is refused.
    Evidence(EvidenceError),
}

/// A refused work action.
#[derive(Debug)]
pub enum WorkError {
    /// The role may not do this at all.
    Forbidden,
    /// The account is not held by (claimed by, assigned or allocated to) this collector.
    NotYours,
    /// Someone else holds a live claim on the account.
    HeldBy {
        /// Their name.
        name: String,
        /// Until when.
        until: DateTime<Utc>,
        /// The debtor's zone, for showing the time.
        zone: Zone,
    },
    /// Collection on the account is paused.
    Paused {
        /// Why.
        reason: PauseReason,
        /// Until when (None: until lifted).
        until: Option<NaiveDate>,
    },
    /// The compliance gate refuses the contact now.
    Refused {
        /// The rule.
        rule: Rule,
        /// The next allowed time.
        next: Option<DateTime<Utc>>,
        /// The debtor's zone.
        zone: Zone,
    },
    /// A field is wrong.
    Invalid {
        /// The field (the API's name for it).
        field: &'static str,
        /// What is wrong.
        problem: Problem,
    },
    /// Negotiation terms the desk refuses (its message is English; the field is the
    /// path of `sepakat negotiate`'s input, e.g. `request.tenor_months`).
    Terms(InputError),
    /// The desk refuses the user this step (its message is English), e.g. approving an
    /// offer beyond their own authority.
    Denied(String),
    /// The store refused the change (its message is English).
    Conflict(String),
    /// No such thing for the active creditor.
    NotFound,
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for WorkError {
    fn from(e: StoreError) -> WorkError {
        match e {
            StoreError::NotFound(_) => WorkError::NotFound,
            StoreError::Conflict(message) => WorkError::Conflict(message),
            other => WorkError::Store(other),
        }
    }
}

impl WorkError {
    /// A field error.
    pub fn invalid(field: &'static str, problem: Problem) -> WorkError {
        WorkError::Invalid { field, problem }
    }

    /// The refusal in `lang`, naming the field or the rule.
    pub fn message(&self, lang: Lang) -> String {
        let id = lang == Lang::Id;
        let pick = |i: &str, e: &str| if id { i.to_string() } else { e.to_string() };
        match self {
            WorkError::Forbidden => pick(
                "Peran Anda tidak boleh melakukan ini.",
                "Your role may not do this.",
            ),
            WorkError::NotYours => pick(
                "Akun ini tidak ditugaskan kepada Anda. Ambil dari daftar kerja Anda atau minta supervisor mengalihkannya.",
                "This account is not assigned to you. Take it from your worklist or ask a supervisor to reassign it.",
            ),
            WorkError::HeldBy { name, until, zone } => {
                let until = format::date_time(lang, *until, *zone);
                if id {
                    format!("Akun ini sedang dikerjakan oleh {name} sampai {until}.")
                } else {
                    format!("{name} is working this account until {until}.")
                }
            }
            WorkError::Paused { reason, until } => {
                let until = until.map(|d| format::date(lang, d));
                match (id, until) {
                    (true, Some(u)) => format!(
                        "Penagihan akun ini dihentikan sementara ({}) sampai {u}: tidak boleh ada kontak.",
                        lang.name(*reason)
                    ),
                    (true, None) => format!(
                        "Penagihan akun ini dihentikan sementara ({}): tidak boleh ada kontak.",
                        lang.name(*reason)
                    ),
                    (false, Some(u)) => format!(
                        "Collection on this account is paused ({}) until {u}: no contact is allowed.",
                        lang.name(*reason)
                    ),
                    (false, None) => format!(
                        "Collection on this account is paused ({}): no contact is allowed.",
                        lang.name(*reason)
                    ),
                }
            }
            WorkError::Refused { rule, next, zone } => {
                let next = next.map(|t| format::date_time(lang, t, *zone));
                let rule = lang.name(*rule);
                match (id, next) {
                    (true, Some(n)) => format!("Kontak tidak diizinkan sekarang: {rule}. Waktu berikutnya yang diizinkan: {n}."),
                    (true, None) => format!("Kontak tidak diizinkan: {rule}."),
                    (false, Some(n)) => format!("Contact is not allowed now: {rule}. Next allowed time: {n}."),
                    (false, None) => format!("Contact is not allowed: {rule}."),
                }
            }
            WorkError::Invalid { field, problem } => {
                format!("{}: {}", field_name(lang, field), problem_text(lang, problem))
            }
            WorkError::Terms(e) => match field_name(lang, &e.field) {
                "" => pick(
                    &format!("Syarat negosiasi ditolak: {e}"),
                    &format!("Negotiation terms refused: {e}"),
                ),
                label => format!("{label}: {}", e.message),
            },
            WorkError::Denied(message) => pick(
                &format!("Tidak diizinkan: {message}"),
                &format!("Not allowed: {message}"),
            ),
            WorkError::Conflict(message) => message.clone(),
            WorkError::NotFound => pick("Tidak ditemukan.", "Not found."),
            WorkError::Store(_) => pick(
                "Sistem sedang bermasalah; silakan coba lagi.",
                "The system ran into an error; please try again.",
            ),
        }
    }
}

/// A field's name as the form labels it.
fn field_name(lang: Lang, field: &str) -> &'static str {
    let w = lang.work();
    let s = lang.strings();
    match field {
        "channel" => s.channel,
        "direction" => w.direction,
        "party" => w.party,
        "outcome" => w.outcome,
        "reason" => w.reason,
        "notes" | "note" => w.notes,
        "promise.amount" => w.promise_amount,
        "promise.date" => w.promise_date,
        "call_back_at" => w.call_back_at,
        "evidence" => w.evidence,
        "gps" => w.gps,
        "amount" => s.amount,
        "reference" => s.reference,
        "until" => w.pause_until,
        "reversal_reason" => w.reverse_reason,
        "decision_note" => w.decision_note,
        "text" => w.message_text,
        "subject" => w.message_subject,
        "contact_name" => w.contact_name,
        "contact_relation" => w.contact_relation,
        "contact_phone" => w.contact_phone,
        "accounts" => w.reassign_accounts,
        "collector" => w.reassign_to,
        other => negotiation_field(lang, other),
    }
}

fn problem_text(lang: Lang, problem: &Problem) -> String {
    let id = lang == Lang::Id;
    match problem {
        Problem::Required => if id { "wajib diisi" } else { "is required" }.to_string(),
        Problem::Unknown { value, expected } => {
            if id {
                format!("\"{value}\" tidak dikenal (pilihan: {expected})")
            } else {
                format!("\"{value}\" is not known (one of: {expected})")
            }
        }
        Problem::NotAnAmount(v) => {
            if id {
                format!("\"{v}\" bukan jumlah rupiah (contoh: 1.250.000)")
            } else {
                format!("\"{v}\" is not an amount of rupiah (e.g. 1.250.000)")
            }
        }
        Problem::NotPositive => if id {
            "harus lebih dari nol"
        } else {
            "must be more than zero"
        }
        .to_string(),
        Problem::Negative => if id {
            "tidak boleh negatif"
        } else {
            "may not be negative"
        }
        .to_string(),
        Problem::AboveOutstanding(max) => {
            if id {
                format!("melebihi total kewajiban {}", format::rupiah(*max))
            } else {
                format!("is more than the total owed, {}", format::rupiah(*max))
            }
        }
        Problem::NotAWholeNumber(v) => {
            if id {
                format!("\"{v}\" bukan bilangan bulat")
            } else {
                format!("\"{v}\" is not a whole number")
            }
        }
        Problem::NotAPhone(v) => {
            if id {
                format!("\"{v}\" bukan nomor telepon Indonesia (contoh: 0812 3456 7890)")
            } else {
                format!("\"{v}\" is not an Indonesian phone number (e.g. 0812 3456 7890)")
            }
        }
        Problem::NoAddress => if id {
            "debitur tidak punya alamat untuk saluran ini"
        } else {
            "the debtor has no address on this channel"
        }
        .to_string(),
        Problem::NotAPercentage(v) => {
            if id {
                format!("\"{v}\" bukan persentase (contoh: 20 atau 12,5%)")
            } else {
                format!("\"{v}\" is not a percentage (e.g. 20 or 12.5%)")
            }
        }
        Problem::NotADate(v) => {
            if id {
                format!("\"{v}\" bukan tanggal (TTTT-BB-HH)")
            } else {
                format!("\"{v}\" is not a date (YYYY-MM-DD)")
            }
        }
        Problem::NotATime(v) => {
            if id {
                format!("\"{v}\" bukan tanggal dan jam")
            } else {
                format!("\"{v}\" is not a date and time")
            }
        }
        Problem::DateInPast(today) => {
            let today = format::date(lang, *today);
            if id {
                format!("tidak boleh sebelum hari ini ({today}, waktu debitur)")
            } else {
                format!("may not be before today ({today}, debtor's time)")
            }
        }
        Problem::TimeInPast => if id {
            "waktunya sudah lewat"
        } else {
            "that time has passed"
        }
        .to_string(),
        Problem::NotAllowedAt { rule, next, zone } => {
            let rule = lang.name(*rule);
            match (id, next) {
                (true, Some(n)) => format!(
                    "kontak pada waktu itu tidak diizinkan ({rule}); paling cepat {}",
                    format::date_time(lang, *n, *zone)
                ),
                (true, None) => format!("kontak pada waktu itu tidak diizinkan ({rule})"),
                (false, Some(n)) => format!(
                    "a contact then is not allowed ({rule}); the earliest is {}",
                    format::date_time(lang, *n, *zone)
                ),
                (false, None) => format!("a contact then is not allowed ({rule})"),
            }
        }
        Problem::Mismatch(what) => what.to_string(),
        Problem::NotGps(v) => {
            if id {
                format!("\"{v}\" bukan lintang, bujur (contoh: -6.2088, 106.8456)")
            } else {
                format!("\"{v}\" is not latitude, longitude (e.g. -6.2088, 106.8456)")
            }
        }
        Problem::TooLong(max) => {
            if id {
                format!("paling banyak {max} karakter")
            } else {
                format!("at most {max} characters")
            }
        }
        Problem::Evidence(e) => evidence_text(lang, e),
    }
}

fn evidence_text(lang: Lang, e: &EvidenceError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    let mb = |bytes: u64| format!("{} MB", bytes / (1024 * 1024));
    match e {
        EvidenceError::TypeNotAccepted {
            file, media_type, ..
        } => format!("berkas \"{file}\": jenis {media_type} tidak diterima"),
        EvidenceError::TooLarge {
            file, size, limit, ..
        } => format!(
            "berkas \"{file}\" berukuran {} bytes, melebihi batas {}",
            size,
            mb(*limit)
        ),
        EvidenceError::Empty { file } => format!("berkas \"{file}\" kosong"),
        EvidenceError::ContentMismatch { file, media_type } => {
            format!("isi berkas \"{file}\" bukan {media_type}")
        }
        EvidenceError::GpsOutOfRange { file, lat, lon } => {
            format!("berkas \"{file}\": lokasi GPS ({lat}, {lon}) tidak valid")
        }
    }
}

/// A negotiation field's name as the desk's form labels it; "" for none.
fn negotiation_field(lang: Lang, field: &str) -> &'static str {
    let n = lang.desk();
    match field {
        "assessment.monthly_income" => n.income,
        "assessment.essential_expenses" => n.expenses,
        "assessment.other_debt_payments" => n.other_debt,
        "assessment.dependants" => n.dependants,
        "assessment.hardship.reason" => n.hardship,
        "assessment.hardship.evidence" => n.evidence,
        "request.tenor_months" => n.tenor,
        "request.down_payment" => n.down_payment,
        "request.first_payment" => n.first_payment,
        "chosen_rank" => n.option,
        "place" => n.place,
        "decision_reason" => n.decision_reason,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_name_the_field_in_the_users_language() {
        let e = WorkError::invalid("promise.amount", Problem::NotPositive);
        assert_eq!(e.message(Lang::Id), "Jumlah janji: harus lebih dari nol");
        assert_eq!(
            e.message(Lang::En),
            "Amount promised: must be more than zero"
        );
    }

    #[test]
    fn a_gate_refusal_names_the_rule_and_the_next_time() {
        let next = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 3, 0, 0, 0).unwrap();
        let e = WorkError::Refused {
            rule: Rule::OutsideHours,
            next: Some(next),
            zone: Zone::Wita,
        };
        let text = e.message(Lang::Id);
        assert!(text.contains("Di luar jam kontak"), "{text}");
        assert!(text.contains("08.00 WITA"), "{text}");
    }
}
