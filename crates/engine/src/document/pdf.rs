//! A small PDF 1.4 writer for Sepakat's documents (letters, agreements): A4 pages of text
//! in the two standard Helvetica faces, and rules. No dependency, deterministic output
//! (the same document gives the same bytes), and every reader can open it: the fonts are
//! the standard 14 that need no embedding.
//!
//! Text is encoded as WinAnsi (Latin-1 plus typographic quotes and dashes); a character
//! outside it is written as `?`. Widths come from the fonts' published metrics, so text can
//! be wrapped to a measure.

use std::fmt::Write as _;

/// A4 width in points.
pub const PAGE_WIDTH: f32 = 595.28;
/// A4 height in points.
pub const PAGE_HEIGHT: f32 = 841.89;

/// The two faces a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// Helvetica.
    Regular,
    /// Helvetica-Bold.
    Bold,
}

impl Font {
    fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
        }
    }

    /// Advance width of one WinAnsi byte, in 1/1000 em.
    fn width(self, byte: u8) -> u16 {
        let table = match self {
            Font::Regular => &REGULAR_WIDTHS,
            Font::Bold => &BOLD_WIDTHS,
        };
        match byte {
            32..=126 => table[(byte - 32) as usize],
            0x93 | 0x94 => 333,
            0x91 | 0x92 => 222,
            0x96 => 556,
            0x97 => 1000,
            0x85 => 1000,
            _ => 556,
        }
    }
}

/// Helvetica advance widths for ASCII 32–126 (Adobe's core-font metrics).
const REGULAR_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // space–/
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0–?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @–O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P–_
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `–o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p–~
];

/// Helvetica-Bold advance widths for ASCII 32–126.
const BOLD_WIDTHS: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278,
    278, // space–/
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0–?
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // @–O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // P–_
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // `–o
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // p–~
];

/// One character as a WinAnsi byte (`?` when it has none).
fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201c}' => 0x93,
        '\u{201d}' => 0x94,
        '\u{2013}' => 0x96,
        '\u{2014}' => 0x97,
        '\u{2026}' => 0x85,
        '\u{2022}' => 0x95,
        '\t' => b' ',
        _ => b'?',
    }
}

/// The width of `text` set in `font` at `size` points.
pub fn text_width(text: &str, font: Font, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| u32::from(font.width(win_ansi(c))))
        .sum();
    units as f32 * size / 1000.0
}

/// Breaks `text` into lines no wider than `measure` at spaces; a single word wider than
/// the measure stands on its own line. Newlines in `text` are kept as line breaks.
pub fn wrap(text: &str, font: Font, size: f32, measure: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if line.is_empty() || text_width(&candidate, font, size) <= measure {
                line = candidate;
            } else {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            }
        }
        lines.push(line);
    }
    lines
}

/// One page's drawing operations.
#[derive(Debug, Clone, Default)]
pub struct Page {
    ops: String,
}

impl Page {
    /// An empty page.
    pub fn new() -> Page {
        Page::default()
    }

    /// Writes one line of text with its baseline starting at (`x`, `y`), from the bottom
    /// left of the page.
    pub fn text(&mut self, x: f32, y: f32, font: Font, size: f32, text: &str) {
        let _ = write!(
            self.ops,
            "BT /{} {size:.2} Tf {x:.2} {y:.2} Td (",
            font.resource()
        );
        push_pdf_string(&mut self.ops, text);
        self.ops.push_str(") Tj ET\n");
    }

    /// Writes text so that it ends at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, font: Font, size: f32, text: &str) {
        let x = right - text_width(text, font, size);
        self.text(x, y, font, size, text);
    }

    /// Draws a straight rule.
    pub fn rule(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        let _ = writeln!(
            self.ops,
            "{width:.2} w {:.2} {:.2} m {:.2} {:.2} l S",
            from.0, from.1, to.0, to.1
        );
    }
}

/// A document: metadata and pages.
#[derive(Debug, Clone)]
pub struct Document {
    title: String,
    /// `D:YYYYMMDDHHmmSSZ`.
    created: String,
    pages: Vec<Page>,
}

impl Document {
    /// An empty document; `created` is the instant it describes (kept in the metadata, so
    /// the same inputs give the same bytes).
    pub fn new(title: &str, created: chrono::DateTime<chrono::Utc>) -> Document {
        Document {
            title: title.to_string(),
            created: created.format("D:%Y%m%d%H%M%SZ").to_string(),
            pages: Vec::new(),
        }
    }

    /// Adds a page.
    pub fn push(&mut self, page: Page) {
        self.pages.push(page);
    }

    /// Number of pages.
    pub fn pages(&self) -> usize {
        self.pages.len()
    }

    /// The PDF file.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Objects: 1 catalog, 2 page tree, 3-4 fonts, 5 info, then a page and its content
        // stream per page.
        let mut objects: Vec<Vec<u8>> = Vec::with_capacity(5 + 2 * self.pages.len());
        let kids: Vec<String> = (0..self.pages.len())
            .map(|i| format!("{} 0 R", 6 + 2 * i))
            .collect();
        objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
        objects.push(
            format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                self.pages.len()
            )
            .into_bytes(),
        );
        for name in ["Helvetica", "Helvetica-Bold"] {
            objects.push(
                format!(
                    "<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>"
                )
                .into_bytes(),
            );
        }
        let mut title = String::new();
        push_pdf_string(&mut title, &self.title);
        objects.push(
            format!(
                "<< /Title ({title}) /Producer (Sepakat) /CreationDate ({}) >>",
                self.created
            )
            .into_bytes(),
        );
        for (i, page) in self.pages.iter().enumerate() {
            objects.push(
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
                     /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                    7 + 2 * i
                )
                .into_bytes(),
            );
            let mut stream = format!("<< /Length {} >>\nstream\n", page.ops.len()).into_bytes();
            stream.extend_from_slice(page.ops.as_bytes());
            stream.extend_from_slice(b"\nendstream");
            objects.push(stream);
        }

        let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::with_capacity(objects.len());
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for offset in offsets {
            out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }
}

/// Appends `text` as the inside of a PDF string literal: WinAnsi, with parentheses and
/// backslashes escaped and every byte outside ASCII as an octal escape, so content streams
/// stay pure ASCII.
fn push_pdf_string(out: &mut String, text: &str) {
    for c in text.chars() {
        match win_ansi(c) {
            b'(' => out.push_str("\\("),
            b')' => out.push_str("\\)"),
            b'\\' => out.push_str("\\\\"),
            b @ 32..=126 => out.push(b as char),
            b => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_font_metrics() {
        assert_eq!(text_width("i", Font::Regular, 1000.0), 222.0);
        assert_eq!(text_width("i", Font::Bold, 1000.0), 278.0);
        assert_eq!(text_width("Rp 10", Font::Regular, 10.0), 26.68);
    }

    #[test]
    fn wrapping_keeps_lines_within_the_measure_and_every_word() {
        let text = "Melalui surat ini kami mengingatkan Bapak/Ibu untuk melunasi tunggakan tersebut paling lambat 9 Desember 2026.";
        let lines = wrap(text, Font::Regular, 10.5, 200.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(text_width(line, Font::Regular, 10.5) <= 200.0 || !line.contains(' '));
        }
        assert_eq!(lines.join(" "), text);
        assert_eq!(
            wrap("a\n\nb", Font::Regular, 10.0, 100.0),
            vec!["a", "", "b"]
        );
    }

    #[test]
    fn text_is_escaped_and_encoded_as_win_ansi() {
        let mut page = Page::new();
        page.text(10.0, 20.0, Font::Bold, 12.0, "(a) \\ “é” – ✓");
        assert_eq!(
            page.ops,
            "BT /F2 12.00 Tf 10.00 20.00 Td (\\(a\\) \\\\ \\223\\351\\224 \\226 ?) Tj ET\n"
        );
    }

    #[test]
    fn the_cross_reference_table_points_at_every_object() {
        let mut doc = Document::new("Uji", chrono::DateTime::UNIX_EPOCH);
        let mut page = Page::new();
        page.text(72.0, 720.0, Font::Regular, 11.0, "Halo");
        doc.push(page.clone());
        doc.push(page);
        let bytes = doc.to_bytes();
        // Everything after the binary marker comment on line 2 is ASCII.
        let body = bytes.iter().position(|&b| b == b'\n').unwrap() + 7;
        let text = std::str::from_utf8(&bytes[body..]).unwrap();
        let xref_at: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!(bytes[xref_at..].starts_with(b"xref\n0 10\n"));
        let table = std::str::from_utf8(&bytes[xref_at..]).unwrap();
        for (i, line) in table.lines().skip(3).take(9).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(
                bytes[offset..].starts_with(format!("{} 0 obj", i + 1).as_bytes()),
                "object {}",
                i + 1
            );
        }
        assert!(text.contains("/Count 2"));
        assert_eq!(bytes, doc.to_bytes(), "deterministic");
    }
}
