//! Collection letters (SP1, SP2, SP3, somasi) as PDF pages: letterhead, number, date,
//! addressee, subject, the approved template's text, signature, and a tracking number in
//! the footer of every page. A batch is one PDF with each letter starting on a new page,
//! for printing and posting in one go.

use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::template::{long_date, RenderedMessage, Stage};

use super::flow::{Flow, LEADING, MARGIN, SIZE as BODY_SIZE};
use super::pdf::{text_width, Document, Font, Page, PAGE_WIDTH};

const FOOTER_Y: f32 = 36.0;
/// Body text stops above this line; the rest flows to the next page.
const BOTTOM: f32 = 80.0;

/// The sender, printed at the top of every letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letterhead {
    /// Company name (`PT Bank Sejahtera Nusantara`).
    pub name: String,
    /// Address and contact lines under the name.
    pub lines: Vec<String>,
    /// The city letters are dated from (`Jakarta, 2 Desember 2026`).
    pub city: String,
}

/// Who signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signatory {
    /// Name.
    pub name: String,
    /// Position (`Kepala Divisi Penagihan`).
    pub title: String,
}

/// One letter, ready to lay out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// Which letter in the cycle.
    pub stage: Stage,
    /// The letter's number (`SP1/BSN/2026/12/KPR-000123`).
    pub number: String,
    /// Tracking number for the post and the delivery proof.
    pub tracking: String,
    /// Issue date.
    pub date: NaiveDate,
    /// Addressee lines: `Bapak Budi Santoso`, street, city.
    pub to: Vec<String>,
    /// Subject and text, from the approved template.
    pub message: RenderedMessage,
    /// Who signs.
    pub signatory: Signatory,
}

/// The pages of one letter.
pub fn letter_pages(head: &Letterhead, letter: &Letter) -> Vec<Page> {
    let mut l = Flow::new(BOTTOM);
    l.line(Font::Bold, 15.0, &head.name);
    for line in &head.lines {
        l.line(Font::Regular, 9.0, line);
    }
    l.gap(2.0);
    let rule_y = l.y + 6.0;
    l.page
        .rule((MARGIN, rule_y), (PAGE_WIDTH - MARGIN, rule_y), 1.2);
    l.gap(14.0);

    let dated = format!("{}, {}", head.city, long_date(letter.date));
    l.page
        .text_right(PAGE_WIDTH - MARGIN, l.y, Font::Regular, BODY_SIZE, &dated);
    let subject = letter.message.subject.as_deref().unwrap_or_default();
    for (label, value) in [("Nomor", letter.number.as_str()), ("Perihal", subject)] {
        l.page.text(MARGIN, l.y, Font::Regular, BODY_SIZE, label);
        let x = MARGIN + text_width("Perihal", Font::Regular, BODY_SIZE) + 8.0;
        l.page
            .text(x, l.y, Font::Bold, BODY_SIZE, &format!(": {value}"));
        l.gap(LEADING);
    }
    l.gap(LEADING);
    l.line(Font::Regular, BODY_SIZE, "Kepada Yth.");
    for (i, line) in letter.to.iter().enumerate() {
        let font = if i == 0 { Font::Bold } else { Font::Regular };
        l.paragraph(font, line);
    }
    l.line(Font::Regular, BODY_SIZE, "di tempat");
    l.gap(LEADING);

    for paragraph in letter.message.body.split("\n\n") {
        l.paragraph(Font::Regular, paragraph.trim());
        l.gap(7.0);
    }

    l.gap(LEADING);
    if l.y < BOTTOM + 5.0 * LEADING {
        l.break_page();
    }
    l.line(Font::Regular, BODY_SIZE, "Hormat kami,");
    l.line(Font::Regular, BODY_SIZE, &head.name);
    l.gap(3.0 * LEADING);
    l.line(Font::Bold, BODY_SIZE, &letter.signatory.name);
    l.line(Font::Regular, BODY_SIZE, &letter.signatory.title);
    l.finish(|page, number, count| {
        let footer = format!(
            "No. lacak {} - halaman {number} dari {count}",
            letter.tracking
        );
        page.rule(
            (MARGIN, FOOTER_Y + 12.0),
            (PAGE_WIDTH - MARGIN, FOOTER_Y + 12.0),
            0.4,
        );
        page.text(MARGIN, FOOTER_Y, Font::Regular, 8.0, &footer);
    })
}

/// One PDF holding every letter, each from a new page.
pub fn batch_pdf(head: &Letterhead, letters: &[Letter], created: DateTime<Utc>) -> Document {
    let title = match letters.first() {
        Some(first) if letters.len() == 1 => format!("{} {}", first.stage, first.number),
        _ => format!("{} surat {}", letters.len(), head.name),
    };
    let mut doc = Document::new(&title, created);
    for letter in letters {
        for page in letter_pages(head, letter) {
            doc.push(page);
        }
    }
    doc
}

/// A tracking number that identifies one letter: the same creditor, account, stage and
/// date always give the same number (re-printing a batch does not invent new ones), and a
/// check character catches a mistyped digit when the delivery proof is recorded.
pub fn tracking_number(creditor: &str, account_no: &str, stage: Stage, date: NaiveDate) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("{creditor}\u{1f}{account_no}\u{1f}{stage}\u{1f}{date}").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let mut code = String::with_capacity(14);
    let mut sum = 0u32;
    for i in 0..11 {
        let digit = ((hash >> (i * 5)) & 31) as usize;
        sum += (i as u32 + 1) * digit as u32;
        code.push(ALPHABET[digit] as char);
    }
    code.push(ALPHABET[(sum % 31) as usize] as char);
    format!("SPK{code}")
}

/// Whether a tracking number's check character matches.
pub fn tracking_number_is_valid(text: &str) -> bool {
    const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let Some(code) = text.strip_prefix("SPK") else {
        return false;
    };
    let digits: Option<Vec<usize>> = code.chars().map(|c| ALPHABET.find(c)).collect();
    match digits.as_deref() {
        Some([body @ .., check]) if body.len() == 11 => {
            let sum: usize = body.iter().enumerate().map(|(i, d)| (i + 1) * d).sum();
            sum % 31 == *check
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_numbers_are_stable_distinct_and_checked() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let a = tracking_number("BSN", "KPR-1", Stage::Sp1, day);
        assert_eq!(a, tracking_number("BSN", "KPR-1", Stage::Sp1, day));
        assert_ne!(a, tracking_number("BSN", "KPR-1", Stage::Sp2, day));
        assert_ne!(a, tracking_number("BSN", "KPR-2", Stage::Sp1, day));
        assert_eq!(a.len(), 15);
        assert!(tracking_number_is_valid(&a));
        let mut typo: Vec<char> = a.chars().collect();
        typo[5] = if typo[5] == '7' { '8' } else { '7' };
        assert!(!tracking_number_is_valid(
            &typo.into_iter().collect::<String>()
        ));
        assert!(!tracking_number_is_valid("XYZ123"));
    }
}
