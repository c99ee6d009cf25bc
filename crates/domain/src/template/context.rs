//! The values a template is filled with, and how each is written in Bahasa Indonesia.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::variable::Variable;
use crate::identity::Gender;
use crate::money::Rupiah;

/// How the debtor is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Salutation {
    /// `Bapak …`.
    Bapak,
    /// `Ibu …`.
    Ibu,
    /// `Bapak/Ibu …` when the gender is not known (or for a company's representative).
    BapakIbu,
}

impl Salutation {
    /// From a gender when known (a NIK gives one), else `Bapak/Ibu`.
    pub fn from_gender(gender: Option<Gender>) -> Salutation {
        match gender {
            Some(Gender::Male) => Salutation::Bapak,
            Some(Gender::Female) => Salutation::Ibu,
            None => Salutation::BapakIbu,
        }
    }

    /// The word written before the name.
    pub const fn word(self) -> &'static str {
        match self {
            Salutation::Bapak => "Bapak",
            Salutation::Ibu => "Ibu",
            Salutation::BapakIbu => "Bapak/Ibu",
        }
    }
}

/// Everything a message may say about one debtor and account. A value left `None` is not
/// known for this message; a template that uses it cannot be rendered (never a blank).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageContext {
    /// How to address the debtor.
    pub salutation: Option<Salutation>,
    /// The debtor's name.
    pub name: Option<String>,
    /// The creditor's name.
    pub creditor: Option<String>,
    /// The account or contract number.
    pub account_no: Option<String>,
    /// Overdue amount.
    pub overdue: Option<Rupiah>,
    /// Everything owed.
    pub total_due: Option<Rupiah>,
    /// The due date the message is about.
    pub due_date: Option<NaiveDate>,
    /// Days past due.
    pub dpd: Option<u32>,
    /// The deadline this message sets.
    pub deadline: Option<NaiveDate>,
    /// Promise amount.
    pub promise_amount: Option<Rupiah>,
    /// Promise date.
    pub promise_date: Option<NaiveDate>,
    /// Payment link.
    pub payment_link: Option<String>,
    /// Collector's name.
    pub collector: Option<String>,
    /// The creditor's official contact.
    pub official_contact: Option<String>,
    /// Letter number.
    pub letter_no: Option<String>,
    /// Issue date.
    pub date: Option<NaiveDate>,
}

impl MessageContext {
    /// Sample data for previews and for checking a template at approval: every variable set.
    pub fn sample(today: NaiveDate) -> MessageContext {
        let due = today - chrono::Duration::days(12);
        MessageContext {
            salutation: Some(Salutation::Bapak),
            name: Some("Budi Santoso".into()),
            creditor: Some("PT Bank Sejahtera Nusantara".into()),
            account_no: Some("KPR-000123".into()),
            overdue: Some(Rupiah::new(1_250_000)),
            total_due: Some(Rupiah::new(18_400_000)),
            due_date: Some(due),
            dpd: Some(12),
            deadline: Some(today + chrono::Duration::days(7)),
            promise_amount: Some(Rupiah::new(1_250_000)),
            promise_date: Some(today + chrono::Duration::days(3)),
            payment_link: Some("https://bayar.contoh.id/KPR-000123".into()),
            collector: Some("Rina Wulandari".into()),
            official_contact: Some("1500-123".into()),
            letter_no: Some("SP1/BSN/2026/000123".into()),
            date: Some(today),
        }
    }

    /// The text a variable stands for, or None when this context does not know it.
    pub fn value(&self, variable: Variable) -> Option<String> {
        let money = |r: Option<Rupiah>| r.map(|r| r.to_string());
        let words = |r: Option<Rupiah>| r.map(|r| r.terbilang());
        match variable {
            Variable::Sapaan => {
                let name = self.name.as_deref()?;
                Some(format!("{} {}", self.salutation?.word(), name))
            }
            Variable::Nama => self.name.clone(),
            Variable::Kreditur => self.creditor.clone(),
            Variable::NomorAkun => self.account_no.clone(),
            Variable::Tunggakan => money(self.overdue),
            Variable::TunggakanTerbilang => words(self.overdue),
            Variable::TotalKewajiban => money(self.total_due),
            Variable::TotalKewajibanTerbilang => words(self.total_due),
            Variable::JatuhTempo => self.due_date.map(long_date),
            Variable::HariTunggakan => self.dpd.map(|d| d.to_string()),
            Variable::BatasWaktu => self.deadline.map(long_date),
            Variable::JumlahJanji => money(self.promise_amount),
            Variable::TanggalJanji => self.promise_date.map(long_date),
            Variable::TautanPembayaran => self.payment_link.clone(),
            Variable::Petugas => self.collector.clone(),
            Variable::KontakResmi => self.official_contact.clone(),
            Variable::NomorSurat => self.letter_no.clone(),
            Variable::Tanggal => self.date.map(long_date),
        }
    }
}

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// A date as written in Indonesian letters: `5 Desember 2026`.
pub fn long_date(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}
