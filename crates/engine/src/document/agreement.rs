//! The payment agreement (Surat Pernyataan Kesanggupan Pembayaran) a debtor signs when an
//! option is accepted: who, which account, the schedule with amounts in figures and in
//! words, what happens when a payment is missed (in polite, true terms), place and date,
//! and signature fields. The seeds ask for a written commitment; this is it.

use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::negotiation::wire::OptionView;
use sepakat_domain::template::long_date;
use sepakat_domain::{Nik, Npwp, Rupiah};
use serde::Deserialize;

use super::flow::{Flow, LEADING, MARGIN, SIZE};
use super::pdf::{text_width, wrap, Document, Font, PAGE_WIDTH};

const BOTTOM: f32 = 72.0;

/// The parties to an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parties {
    /// The creditor's name.
    pub creditor: String,
    /// The account number.
    pub account_no: String,
    /// The debtor's name.
    pub debtor_name: String,
    /// The debtor's NIK (a person); printed masked.
    #[serde(default)]
    pub nik: Option<Nik>,
    /// The debtor's NPWP (a company, when there is no NIK); printed in full, as the tax
    /// number of a business is no personal data.
    #[serde(default)]
    pub npwp: Option<Npwp>,
    /// The debtor's address.
    pub address: String,
    /// Where the agreement is signed.
    pub city: String,
}

/// Why no agreement can be made for an option.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgreementError {
    /// The option is beyond the user's authority and not yet approved.
    #[error("option {rank} needs approval{by}; no agreement before it is approved")]
    NeedsApproval {
        /// The option's rank.
        rank: u32,
        /// ` by <role>` when known.
        by: String,
    },
    /// The option has no payments.
    #[error("option {0} has no payments")]
    Empty(u32),
    /// Neither a NIK nor an NPWP identifies the debtor.
    #[error("the debtor has neither a NIK nor an NPWP: the agreement must identify them")]
    NoIdentity,
}

impl Parties {
    /// The debtor's identity line: the masked NIK of a person, else a company's NPWP.
    fn identity(&self) -> Result<(&'static str, String), AgreementError> {
        match (&self.nik, &self.npwp) {
            (Some(nik), _) => Ok(("NIK", nik.masked())),
            (None, Some(npwp)) => Ok(("NPWP", npwp.formatted())),
            (None, None) => Err(AgreementError::NoIdentity),
        }
    }
}

/// The agreement for an accepted option, as a one- or two-page PDF.
pub fn agreement_pdf(
    parties: &Parties,
    option: &OptionView,
    signed_on: NaiveDate,
    created: DateTime<Utc>,
) -> Result<Document, AgreementError> {
    if option.needs_approval {
        let by = option
            .approver
            .map(|r| format!(" by {}", r.code()))
            .unwrap_or_default();
        return Err(AgreementError::NeedsApproval {
            rank: option.rank,
            by,
        });
    }
    if option.schedule.is_empty() {
        return Err(AgreementError::Empty(option.rank));
    }
    let (id_label, id_value) = parties.identity()?;
    let mut w = Flow::new(BOTTOM);
    centered(
        &mut w,
        Font::Bold,
        13.0,
        "SURAT PERNYATAAN KESANGGUPAN PEMBAYARAN",
    );
    w.gap(LEADING);
    w.paragraph(Font::Regular, "Yang bertanda tangan di bawah ini:");
    for (label, value) in [
        ("Nama", parties.debtor_name.as_str()),
        (id_label, id_value.as_str()),
        ("Alamat", parties.address.as_str()),
        ("Nomor akun", parties.account_no.as_str()),
    ] {
        field(&mut w, label, value);
    }
    w.gap(6.0);
    let total = option.total_paid;
    w.paragraph(
        Font::Regular,
        &format!(
            "selaku debitur {} menyatakan sanggup menyelesaikan kewajiban atas akun tersebut \
             melalui {} dengan jumlah seluruhnya {} ({}), sesuai jadwal berikut:",
            parties.creditor,
            option.kind_label.to_lowercase(),
            total,
            total.terbilang()
        ),
    );
    w.gap(4.0);
    schedule(&mut w, option);
    w.gap(8.0);
    for text in [
        "Pembayaran dilakukan ke rekening resmi kreditur atau melalui kanal pembayaran resmi yang \
         tercantum pada tagihan, bukan melalui perorangan.",
        "Apabila saya tidak dapat membayar pada tanggal yang disepakati, saya akan menghubungi \
         kreditur sebelum tanggal tersebut. Saya memahami bahwa bila pembayaran tidak dilakukan \
         sesuai jadwal, kesepakatan ini dapat berakhir, tunggakan kembali ditagih sesuai \
         perjanjian kredit semula, dan status kredit dilaporkan ke SLIK OJK sesuai ketentuan.",
        "Demikian surat pernyataan ini saya buat dengan sadar, dalam keadaan sehat, dan tanpa \
         paksaan dari pihak mana pun.",
    ] {
        w.paragraph(Font::Regular, text);
        w.gap(6.0);
    }
    signatures(&mut w, parties, signed_on);
    let mut doc = Document::new(
        &format!(
            "Surat Pernyataan Kesanggupan Pembayaran {}",
            parties.account_no
        ),
        created,
    );
    for page in w.finish(|page, number, count| {
        let footer = format!("Halaman {number} dari {count}");
        page.text(MARGIN, 36.0, Font::Regular, 8.0, &footer);
    }) {
        doc.push(page);
    }
    Ok(doc)
}

fn centered(w: &mut Flow, font: Font, size: f32, text: &str) {
    w.room(LEADING);
    let x = (PAGE_WIDTH - text_width(text, font, size)) / 2.0;
    w.page.text(x, w.y, font, size, text);
    w.y -= LEADING * size / SIZE;
}

fn field(w: &mut Flow, label: &str, value: &str) {
    let x = MARGIN + 20.0;
    let value_x = x + 80.0;
    let lines = wrap(
        value,
        Font::Regular,
        SIZE,
        PAGE_WIDTH - MARGIN - value_x - 8.0,
    );
    w.room(LEADING * lines.len() as f32);
    w.page.text(x, w.y, Font::Regular, SIZE, label);
    for line in lines {
        w.page
            .text(value_x, w.y, Font::Regular, SIZE, &format!(": {line}"));
        w.y -= LEADING;
    }
}

fn schedule(w: &mut Flow, option: &OptionView) {
    let columns = [MARGIN + 20.0, MARGIN + 70.0, PAGE_WIDTH - MARGIN - 20.0];
    let header = |w: &mut Flow| {
        w.page.text(columns[0], w.y, Font::Bold, SIZE, "Ke-");
        w.page
            .text(columns[1], w.y, Font::Bold, SIZE, "Tanggal jatuh tempo");
        w.page
            .text_right(columns[2], w.y, Font::Bold, SIZE, "Jumlah");
        w.y -= 4.0;
        w.page.rule((columns[0], w.y), (columns[2], w.y), 0.5);
        w.y -= LEADING - 2.0;
    };
    w.room(2.0 * LEADING);
    header(w);
    for line in &option.schedule {
        if w.y - LEADING < BOTTOM {
            w.break_page();
            header(w);
        }
        w.page
            .text(columns[0], w.y, Font::Regular, SIZE, &line.seq.to_string());
        w.page.text(
            columns[1],
            w.y,
            Font::Regular,
            SIZE,
            &long_date(line.due_date),
        );
        w.page.text_right(
            columns[2],
            w.y,
            Font::Regular,
            SIZE,
            &line.amount.to_string(),
        );
        w.y -= LEADING;
    }
    w.y += LEADING - 4.0;
    w.page.rule((columns[0], w.y), (columns[2], w.y), 0.5);
    w.y -= LEADING;
    let total: Rupiah = option.schedule.iter().map(|l| l.amount).sum();
    w.page.text(columns[1], w.y, Font::Bold, SIZE, "Jumlah");
    w.page
        .text_right(columns[2], w.y, Font::Bold, SIZE, &total.to_string());
    w.y -= LEADING;
}

fn signatures(w: &mut Flow, parties: &Parties, signed_on: NaiveDate) {
    w.room(8.5 * LEADING);
    w.gap(LEADING);
    let right = PAGE_WIDTH / 2.0 + 30.0;
    w.page.text(
        right,
        w.y,
        Font::Regular,
        SIZE,
        &format!("{}, {}", parties.city, long_date(signed_on)),
    );
    w.y -= LEADING;
    w.page.text(MARGIN, w.y, Font::Regular, SIZE, "Mengetahui,");
    w.page
        .text(right, w.y, Font::Regular, SIZE, "Yang membuat pernyataan,");
    w.y -= LEADING;
    w.page
        .text(MARGIN, w.y, Font::Regular, SIZE, &parties.creditor);
    w.y -= 2.2 * LEADING;
    w.page
        .text(right, w.y, Font::Regular, 8.0, "Meterai Rp10.000");
    w.y -= 2.2 * LEADING;
    let line_end = |x: f32| x + 170.0;
    w.page.rule((MARGIN, w.y), (line_end(MARGIN), w.y), 0.5);
    w.page.rule((right, w.y), (line_end(right), w.y), 0.5);
    w.y -= LEADING;
    w.page
        .text(MARGIN, w.y, Font::Regular, SIZE, "Nama dan jabatan");
    w.page
        .text(right, w.y, Font::Bold, SIZE, &parties.debtor_name);
    w.y -= LEADING;
}
