//! Why a model scored an account as it did, in words a collector reads: each reason names
//! one feature with the account's own value ("3 janji bayar ditepati dalam 12 bulan
//! terakhir") and whether it raised or lowered the probability to pay.

use super::{Value, F, FEATURES};
use crate::interaction::Outcome;
use crate::product::ProductType;

/// Whether a reason raises or lowers the probability to pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Raises it.
    Up,
    /// Lowers it.
    Down,
}

/// One reason: a feature, the account's value of it, and its effect on the log-odds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reason {
    /// Which feature (index into [`FEATURES`]).
    pub feature: usize,
    /// The account's value.
    pub value: Value,
    /// The change in log-odds the feature made (positive raises the probability).
    pub effect: f64,
}

fn outcome_id(code: &str) -> &'static str {
    match Outcome::parse(code) {
        Ok(Outcome::RightPartyContact) => "bicara langsung dengan debitur",
        Ok(Outcome::ThirdParty) => "bicara dengan pihak ketiga",
        Ok(Outcome::NoAnswer) => "tidak diangkat",
        Ok(Outcome::Busy) => "nada sibuk",
        Ok(Outcome::WrongNumber) => "nomor salah",
        Ok(Outcome::PromiseToPay) => "janji bayar",
        Ok(Outcome::Refused) => "menolak membayar",
        Ok(Outcome::Dispute) => "sengketa",
        Ok(Outcome::CallBack) => "minta dihubungi lagi",
        Ok(Outcome::Paid) => "mengaku sudah membayar",
        Ok(Outcome::HardshipDeclared) => "menyatakan kesulitan keuangan",
        Err(_) => "lainnya",
    }
}

fn outcome_en(code: &str) -> &'static str {
    match Outcome::parse(code) {
        Ok(Outcome::RightPartyContact) => "spoke with the debtor",
        Ok(Outcome::ThirdParty) => "spoke with a third party",
        Ok(Outcome::NoAnswer) => "no answer",
        Ok(Outcome::Busy) => "busy",
        Ok(Outcome::WrongNumber) => "wrong number",
        Ok(Outcome::PromiseToPay) => "promise to pay",
        Ok(Outcome::Refused) => "refused to pay",
        Ok(Outcome::Dispute) => "dispute",
        Ok(Outcome::CallBack) => "asked to be called back",
        Ok(Outcome::Paid) => "says they paid",
        Ok(Outcome::HardshipDeclared) => "declared hardship",
        Err(_) => "other",
    }
}

/// `Rp1.250.000` without pulling a formatter in: thousands separated by dots.
fn rupiah(x: f64) -> String {
    crate::money::Rupiah::new(x.round() as i64).to_string()
}

fn percent(x: f64) -> String {
    format!("{:.0}%", (x * 100.0).clamp(0.0, 999.0))
}

impl Reason {
    /// The feature's stable name.
    pub fn name(&self) -> &'static str {
        FEATURES.get(self.feature).map_or("?", |f| f.name)
    }

    /// Whether it raised or lowered the probability.
    pub fn direction(&self) -> Direction {
        if self.effect >= 0.0 {
            Direction::Up
        } else {
            Direction::Down
        }
    }

    /// The reason in Bahasa Indonesia.
    pub fn text_id(&self) -> String {
        let n = self.value.number().unwrap_or(0.0);
        let k = n.round() as i64;
        match (self.feature, self.value) {
            (f, Value::Code(code)) if f == F::Product as usize => format!(
                "Produk {}",
                ProductType::parse(code).map_or(code, |p| p.label())
            ),
            (f, _) if f == F::Product as usize => "Produk tidak diketahui".into(),
            (f, Value::Code(code)) if f == F::LastOutcome as usize => {
                format!("Hasil kontak terakhir: {}", outcome_id(code))
            }
            (f, _) if f == F::LastOutcome as usize => "Belum pernah dihubungi".into(),
            (f, _) if f == F::Dpd as usize && k == 0 => "Belum lewat jatuh tempo".into(),
            (f, _) if f == F::Dpd as usize => format!("Sudah {k} hari lewat jatuh tempo"),
            (f, _) if f == F::Outstanding as usize => format!("Sisa kewajiban {}", rupiah(n)),
            (f, _) if f == F::Principal as usize => format!("Pokok pinjaman {}", rupiah(n)),
            (f, _) if f == F::OutstandingShare as usize => {
                format!("Sisa kewajiban {} dari pokok", percent(n))
            }
            (f, _) if f == F::TenureMonths as usize => format!("Nasabah sejak {k} bulan"),
            (f, _) if f == F::TenorMonths as usize => format!("Tenor {k} bulan"),
            (f, _) if f == F::InstalmentsDue as usize => {
                format!("{k} angsuran sudah jatuh tempo")
            }
            (f, _) if f == F::ArrearsInstalments as usize && k == 0 => {
                "Tidak ada angsuran tertunggak".into()
            }
            (f, _) if f == F::ArrearsInstalments as usize => format!("{k} angsuran tertunggak"),
            (f, Value::Missing) if f == F::PaidRatioShort as usize => {
                "Tidak ada tagihan dalam 3 bulan terakhir".into()
            }
            (f, _) if f == F::PaidRatioShort as usize => {
                format!("Membayar {} dari tagihan 3 bulan terakhir", percent(n))
            }
            (f, Value::Missing) if f == F::PaidRatioLong as usize => {
                "Tidak ada tagihan dalam 6 bulan terakhir".into()
            }
            (f, _) if f == F::PaidRatioLong as usize => {
                format!("Membayar {} dari tagihan 6 bulan terakhir", percent(n))
            }
            (f, Value::Missing) if f == F::DaysSincePayment as usize => {
                "Belum ada pembayaran tercatat".into()
            }
            (f, _) if f == F::DaysSincePayment as usize => {
                format!("Pembayaran terakhir {k} hari lalu")
            }
            (f, _) if f == F::LongestDpd as usize => {
                format!("Keterlambatan terpanjang 6 bulan terakhir {k} hari")
            }
            (f, _) if f == F::PromisesMade as usize => {
                format!("{k} janji bayar dalam 12 bulan terakhir")
            }
            (f, _) if f == F::PromisesKept as usize => {
                format!("{k} janji bayar ditepati dalam 12 bulan terakhir")
            }
            (f, _) if f == F::PromisesBroken as usize => {
                format!("{k} janji bayar tidak ditepati dalam 12 bulan terakhir")
            }
            (f, _) if f == F::AttemptsRecent as usize => {
                format!("{k} kali dihubungi dalam 30 hari terakhir")
            }
            (f, Value::Missing) if f == F::RightPartyRate as usize => {
                "Belum ada upaya kontak dalam 3 bulan terakhir".into()
            }
            (f, _) if f == F::RightPartyRate as usize => format!(
                "Berhasil bicara dengan debitur pada {} upaya kontak",
                percent(n)
            ),
            (f, Value::Missing) if f == F::DaysSinceContact as usize => {
                "Belum pernah dihubungi".into()
            }
            (f, _) if f == F::DaysSinceContact as usize => {
                format!("Kontak terakhir {k} hari lalu")
            }
            (f, _) if f == F::Arrangements as usize => format!("{k} program keringanan"),
            (f, _) if f == F::ArrangementsDefaulted as usize => {
                format!("{k} program keringanan gagal")
            }
            _ => self.name().to_string(),
        }
    }

    /// The reason in English.
    pub fn text_en(&self) -> String {
        let n = self.value.number().unwrap_or(0.0);
        let k = n.round() as i64;
        match (self.feature, self.value) {
            (f, Value::Code(code)) if f == F::Product as usize => format!(
                "Product {}",
                ProductType::parse(code).map_or(code, |p| p.label())
            ),
            (f, _) if f == F::Product as usize => "Unknown product".into(),
            (f, Value::Code(code)) if f == F::LastOutcome as usize => {
                format!("Last contact: {}", outcome_en(code))
            }
            (f, _) if f == F::LastOutcome as usize => "Never contacted".into(),
            (f, _) if f == F::Dpd as usize && k == 0 => "Not past due".into(),
            (f, _) if f == F::Dpd as usize => format!("{k} days past due"),
            (f, _) if f == F::Outstanding as usize => format!("Outstanding {}", rupiah(n)),
            (f, _) if f == F::Principal as usize => format!("Principal {}", rupiah(n)),
            (f, _) if f == F::OutstandingShare as usize => {
                format!("{} of the principal still owed", percent(n))
            }
            (f, _) if f == F::TenureMonths as usize => format!("Customer for {k} months"),
            (f, _) if f == F::TenorMonths as usize => format!("Tenor {k} months"),
            (f, _) if f == F::InstalmentsDue as usize => format!("{k} instalments fallen due"),
            (f, _) if f == F::ArrearsInstalments as usize => format!("{k} instalments in arrears"),
            (f, Value::Missing) if f == F::PaidRatioShort as usize => {
                "Nothing fell due in the last 3 months".into()
            }
            (f, _) if f == F::PaidRatioShort as usize => {
                format!("Paid {} of what fell due in the last 3 months", percent(n))
            }
            (f, Value::Missing) if f == F::PaidRatioLong as usize => {
                "Nothing fell due in the last 6 months".into()
            }
            (f, _) if f == F::PaidRatioLong as usize => {
                format!("Paid {} of what fell due in the last 6 months", percent(n))
            }
            (f, Value::Missing) if f == F::DaysSincePayment as usize => {
                "No payment on record".into()
            }
            (f, _) if f == F::DaysSincePayment as usize => format!("Last payment {k} days ago"),
            (f, _) if f == F::LongestDpd as usize => {
                format!("Longest delay in the last 6 months: {k} days")
            }
            (f, _) if f == F::PromisesMade as usize => {
                format!("{k} promises to pay in the last 12 months")
            }
            (f, _) if f == F::PromisesKept as usize => {
                format!("{k} promises kept in the last 12 months")
            }
            (f, _) if f == F::PromisesBroken as usize => {
                format!("{k} promises broken in the last 12 months")
            }
            (f, _) if f == F::AttemptsRecent as usize => {
                format!("{k} contact attempts in the last 30 days")
            }
            (f, Value::Missing) if f == F::RightPartyRate as usize => {
                "No contact attempts in the last 3 months".into()
            }
            (f, _) if f == F::RightPartyRate as usize => {
                format!("Reached the debtor on {} of attempts", percent(n))
            }
            (f, Value::Missing) if f == F::DaysSinceContact as usize => "Never contacted".into(),
            (f, _) if f == F::DaysSinceContact as usize => format!("Last contact {k} days ago"),
            (f, _) if f == F::Arrangements as usize => format!("{k} payment arrangements"),
            (f, _) if f == F::ArrangementsDefaulted as usize => {
                format!("{k} payment arrangements defaulted")
            }
            _ => self.name().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_plain_indonesian_with_the_accounts_values() {
        let r = |f: F, value: Value| Reason {
            feature: f as usize,
            value,
            effect: 0.4,
        };
        assert_eq!(
            r(F::PromisesKept, Value::Number(3.0)).text_id(),
            "3 janji bayar ditepati dalam 12 bulan terakhir"
        );
        assert_eq!(
            r(F::Dpd, Value::Number(95.0)).text_id(),
            "Sudah 95 hari lewat jatuh tempo"
        );
        assert_eq!(
            r(F::PaidRatioShort, Value::Number(0.5)).text_id(),
            "Membayar 50% dari tagihan 3 bulan terakhir"
        );
        assert_eq!(
            r(F::Outstanding, Value::Number(1_250_000.0)).text_id(),
            "Sisa kewajiban Rp1.250.000"
        );
        assert_eq!(
            r(F::LastOutcome, Value::Code("no_answer")).text_id(),
            "Hasil kontak terakhir: tidak diangkat"
        );
        assert_eq!(r(F::Product, Value::Code("kta")).text_en(), "Product KTA");
        assert_eq!(r(F::Dpd, Value::Number(0.0)).direction(), Direction::Up);
    }

    #[test]
    fn every_feature_has_its_own_sentence() {
        for (i, f) in FEATURES.iter().enumerate() {
            let value = match f.kind {
                super::super::Kind::Categorical => Value::Missing,
                super::super::Kind::Numeric => Value::Number(2.0),
            };
            let reason = Reason {
                feature: i,
                value,
                effect: -1.0,
            };
            assert_ne!(reason.text_id(), f.name, "{}", f.name);
            assert_ne!(reason.text_en(), f.name, "{}", f.name);
        }
    }
}
