//! The national holiday calendar: libur nasional and cuti bersama, as data.
//!
//! Holidays are set yearly by a joint decree of three ministers (SKB 3 Menteri) and moved
//! at times, so they are never computed: an admin loads and edits them as CSV text. The
//! calendar for 2024–2027 ships with the crate (`data/holidays_id.csv`, 2027 tentative).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The kind of non-working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// A national holiday (libur nasional): contact is always refused.
    LiburNasional,
    /// Collective leave (cuti bersama): refused unless the policy switches it off.
    CutiBersama,
}

impl HolidayKind {
    /// The CSV code: `libur_nasional` or `cuti_bersama`.
    pub const fn code(self) -> &'static str {
        match self {
            HolidayKind::LiburNasional => "libur_nasional",
            HolidayKind::CutiBersama => "cuti_bersama",
        }
    }

    fn parse(text: &str) -> Option<HolidayKind> {
        match text {
            "libur_nasional" => Some(HolidayKind::LiburNasional),
            "cuti_bersama" => Some(HolidayKind::CutiBersama),
            _ => None,
        }
    }
}

impl fmt::Display for HolidayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One non-working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// The local date in Indonesia.
    pub date: NaiveDate,
    /// The holiday's name, in Indonesian.
    pub name: String,
    /// National holiday or collective leave.
    pub kind: HolidayKind,
    /// True while no decree fixes the date (a prediction); the gate still blocks it.
    pub tentative: bool,
}

/// A CSV line the calendar cannot accept; `line` is 1-based and counts every line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("holiday calendar line {line}: {problem}")]
pub struct HolidayError {
    /// The 1-based line number in the CSV text.
    pub line: usize,
    /// What is wrong with it.
    pub problem: String,
}

/// The columns of the holiday CSV, in this order.
pub const CSV_HEADER: &str = "date,kind,name,tentative";

/// Non-working days by local date; a date may carry more than one holiday.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    days: BTreeMap<NaiveDate, Vec<Holiday>>,
}

const SHIPPED_CSV: &str = include_str!("../../data/holidays_id.csv");

impl HolidayCalendar {
    /// The calendar shipped with Sepakat: 2024–2026 from the SKBs, 2027 predicted.
    pub fn shipped() -> HolidayCalendar {
        // The shipped file is checked by a unit test, so a failure here is a build defect.
        HolidayCalendar::from_csv(SHIPPED_CSV).expect("the shipped holiday calendar parses")
    }

    /// The text of the shipped CSV file, for admins to start editing from.
    pub fn shipped_csv() -> &'static str {
        SHIPPED_CSV
    }

    /// An empty calendar: it covers no year, so a gate using it refuses every timed contact.
    pub fn empty() -> HolidayCalendar {
        HolidayCalendar::default()
    }

    /// Parses CSV text with the header `date,kind,name,tentative`.
    ///
    /// Blank lines and lines starting with `#` are ignored; a field may be double-quoted
    /// (a name with a comma). The same date and kind twice is refused as a likely slip.
    pub fn from_csv(text: &str) -> Result<HolidayCalendar, HolidayError> {
        let mut calendar = HolidayCalendar::default();
        let mut header_seen = false;
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let err = |problem: String| HolidayError { line, problem };
            let fields = split_csv_line(trimmed).map_err(err)?;
            if !header_seen {
                let header: Vec<String> = fields.iter().map(|f| f.to_ascii_lowercase()).collect();
                if header.join(",") != CSV_HEADER {
                    return Err(err(format!(
                        "expected the header {CSV_HEADER:?}, found {trimmed:?}"
                    )));
                }
                header_seen = true;
                continue;
            }
            let holiday = parse_row(&fields).map_err(err)?;
            calendar.insert(holiday).map_err(err)?;
        }
        if !header_seen {
            return Err(HolidayError {
                line: 0,
                problem: format!("no header line {CSV_HEADER:?}"),
            });
        }
        Ok(calendar)
    }

    /// Writes the calendar as CSV text that `from_csv` reads back.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(CSV_HEADER);
        out.push('\n');
        for h in self.iter() {
            let name = if h.name.contains([',', '"']) {
                format!("\"{}\"", h.name.replace('"', "\"\""))
            } else {
                h.name.clone()
            };
            out.push_str(&format!(
                "{},{},{},{}\n",
                h.date,
                h.kind.code(),
                name,
                h.tentative
            ));
        }
        out
    }

    /// Adds a holiday; refuses a second holiday of the same kind on the same date.
    pub fn insert(&mut self, holiday: Holiday) -> Result<(), String> {
        let day = self.days.entry(holiday.date).or_default();
        if let Some(existing) = day.iter().find(|h| h.kind == holiday.kind) {
            return Err(format!(
                "{} is already listed as {} ({:?})",
                holiday.date, existing.kind, existing.name
            ));
        }
        day.push(holiday);
        Ok(())
    }

    /// Removes every holiday on a date; returns how many were removed.
    pub fn remove(&mut self, date: NaiveDate) -> usize {
        self.days.remove(&date).map_or(0, |v| v.len())
    }

    /// Every holiday, by date.
    pub fn iter(&self) -> impl Iterator<Item = &Holiday> {
        self.days.values().flatten()
    }

    /// The number of holidays listed.
    pub fn len(&self) -> usize {
        self.days.values().map(Vec::len).sum()
    }

    /// Whether no holiday is listed.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    /// The holidays on a date (none on an ordinary day).
    pub fn on(&self, date: NaiveDate) -> &[Holiday] {
        self.days.get(&date).map_or(&[], Vec::as_slice)
    }

    /// The strongest kind on a date: a national holiday outranks collective leave.
    pub fn kind_on(&self, date: NaiveDate) -> Option<HolidayKind> {
        self.on(date).iter().map(|h| h.kind).min()
    }

    /// The years the calendar lists at least one holiday for.
    pub fn years(&self) -> BTreeSet<i32> {
        self.days.keys().map(|d| d.year()).collect()
    }

    /// Whether the calendar knows the year of `date`. A year with no rows is unknown,
    /// never "a year without holidays": the gate refuses rather than guesses.
    pub fn covers(&self, date: NaiveDate) -> bool {
        let year = date.year();
        self.days
            .range(NaiveDate::from_yo_opt(year, 1).unwrap_or(NaiveDate::MIN)..)
            .next()
            .is_some_and(|(d, _)| d.year() == year)
    }
}

fn parse_row(fields: &[String]) -> Result<Holiday, String> {
    let [date, kind, name, tentative] = fields else {
        return Err(format!(
            "expected 4 fields (date,kind,name,tentative), found {}",
            fields.len()
        ));
    };
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| format!("date {date:?} is not a YYYY-MM-DD date"))?;
    let kind = HolidayKind::parse(&kind.to_ascii_lowercase())
        .ok_or_else(|| format!("kind {kind:?} is not libur_nasional or cuti_bersama"))?;
    if name.is_empty() {
        return Err("the name is empty".to_string());
    }
    if name.chars().count() > 200 {
        return Err("the name is longer than 200 characters".to_string());
    }
    let tentative = match tentative.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => true,
        "false" | "no" | "0" | "" => false,
        other => return Err(format!("tentative {other:?} is not true or false")),
    };
    Ok(Holiday {
        date,
        name: name.clone(),
        kind,
        tentative,
    })
}

/// Splits one CSV line into trimmed fields; double quotes protect commas, `""` is a quote.
fn split_csv_line(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.trim().is_empty() && !was_quoted => {
                field.clear();
                quoted = true;
                was_quoted = true;
            }
            (false, '"') => return Err("a quote inside an unquoted field".to_string()),
            (false, ',') => {
                fields.push(finish(&field, was_quoted));
                field.clear();
                was_quoted = false;
            }
            (false, c) if was_quoted && !c.is_whitespace() => {
                return Err("text after a closing quote".to_string())
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".to_string());
    }
    fields.push(finish(&field, was_quoted));
    Ok(fields)
}

fn finish(field: &str, was_quoted: bool) -> String {
    if was_quoted {
        field.to_string()
    } else {
        field.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_shipped_calendar_parses_and_covers_2024_to_2027() {
        let cal = HolidayCalendar::shipped();
        assert_eq!(
            cal.years().into_iter().collect::<Vec<_>>(),
            vec![2024, 2025, 2026, 2027]
        );
        let count = |year: i32, kind: HolidayKind| {
            cal.iter()
                .filter(|h| h.date.year() == year && h.kind == kind)
                .count()
        };
        // 17 holidays per SKB, plus the 2024 election day (Keppres 10/2024).
        assert_eq!(count(2024, HolidayKind::LiburNasional), 18);
        assert_eq!(count(2024, HolidayKind::CutiBersama), 10);
        assert_eq!(count(2025, HolidayKind::LiburNasional), 17);
        // 10 in the SKB, plus 18 August 2025 added by its amendment.
        assert_eq!(count(2025, HolidayKind::CutiBersama), 11);
        assert_eq!(count(2026, HolidayKind::LiburNasional), 17);
        assert_eq!(count(2026, HolidayKind::CutiBersama), 8);
        assert_eq!(count(2027, HolidayKind::CutiBersama), 0);
        assert!(cal.iter().all(|h| h.tentative == (h.date.year() == 2027)));
    }

    #[test]
    fn the_shipped_calendar_knows_the_fixed_holidays_every_year() {
        let cal = HolidayCalendar::shipped();
        for year in 2024..=2027 {
            for (m, day) in [(1, 1), (5, 1), (6, 1), (8, 17), (12, 25)] {
                let date = NaiveDate::from_ymd_opt(year, m, day).unwrap();
                assert_eq!(
                    cal.kind_on(date),
                    Some(HolidayKind::LiburNasional),
                    "{date}"
                );
            }
        }
        assert_eq!(cal.kind_on(d("2026-03-20")), Some(HolidayKind::CutiBersama));
        assert_eq!(cal.kind_on(d("2026-03-25")), None);
        assert_eq!(cal.on(d("2024-09-16"))[0].name, "Maulid Nabi Muhammad SAW");
    }

    #[test]
    fn coverage_is_by_year_listed() {
        let cal = HolidayCalendar::shipped();
        assert!(cal.covers(d("2024-01-01")));
        assert!(cal.covers(d("2027-12-31")));
        assert!(!cal.covers(d("2023-12-31")));
        assert!(!cal.covers(d("2028-01-01")));
        assert!(!HolidayCalendar::empty().covers(d("2026-05-05")));
    }

    #[test]
    fn csv_round_trips_including_quoted_names() {
        let text = "date,kind,name,tentative\n\
                    2030-01-01,libur_nasional,\"Tahun Baru, Masehi\",false\n\
                    2030-01-02,cuti_bersama,\"Kata \"\"cuti\"\"\",true\n";
        let cal = HolidayCalendar::from_csv(text).unwrap();
        assert_eq!(cal.on(d("2030-01-01"))[0].name, "Tahun Baru, Masehi");
        assert_eq!(cal.on(d("2030-01-02"))[0].name, "Kata \"cuti\"");
        assert_eq!(HolidayCalendar::from_csv(&cal.to_csv()).unwrap(), cal);
        let shipped = HolidayCalendar::shipped();
        assert_eq!(
            HolidayCalendar::from_csv(&shipped.to_csv()).unwrap(),
            shipped
        );
    }

    #[test]
    fn a_national_holiday_outranks_collective_leave_on_the_same_date() {
        let text = "date,kind,name,tentative\n\
                    2030-05-01,cuti_bersama,Cuti,false\n\
                    2030-05-01,libur_nasional,Hari Buruh,false\n";
        let cal = HolidayCalendar::from_csv(text).unwrap();
        assert_eq!(
            cal.kind_on(d("2030-05-01")),
            Some(HolidayKind::LiburNasional)
        );
        assert_eq!(cal.len(), 2);
    }

    fn error_of(text: &str) -> HolidayError {
        HolidayCalendar::from_csv(text).unwrap_err()
    }

    #[test]
    fn bad_rows_are_refused_with_their_line_number() {
        let h = "# comment\ndate,kind,name,tentative\n";
        assert_eq!(
            error_of(&format!("{h}2030-02-30,libur_nasional,X,false\n")).to_string(),
            "holiday calendar line 3: date \"2030-02-30\" is not a YYYY-MM-DD date"
        );
        assert_eq!(
            error_of(&format!("{h}\n2030-02-03,libur,X,false\n")).to_string(),
            "holiday calendar line 4: kind \"libur\" is not libur_nasional or cuti_bersama"
        );
        assert_eq!(
            error_of(&format!("{h}2030-02-03,cuti_bersama,X,maybe\n")).line,
            3
        );
        assert_eq!(
            error_of(&format!("{h}2030-02-03,cuti_bersama,,false\n")).problem,
            "the name is empty"
        );
        assert_eq!(
            error_of(&format!("{h}2030-02-03,cuti_bersama,X\n")).problem,
            "expected 4 fields (date,kind,name,tentative), found 3"
        );
        assert_eq!(
            error_of(&format!("{h}2030-02-03,cuti_bersama,\"X,false\n")).problem,
            "a quoted field is not closed"
        );
        assert_eq!(
            error_of(&format!("{h}2030-02-03,cuti_bersama,X\"Y,false\n")).problem,
            "a quote inside an unquoted field"
        );
        let long = "N".repeat(201);
        assert_eq!(
            error_of(&format!("{h}2030-02-03,cuti_bersama,{long},false\n")).problem,
            "the name is longer than 200 characters"
        );
    }

    #[test]
    fn a_duplicate_date_of_the_same_kind_is_refused() {
        let err = error_of(
            "date,kind,name,tentative\n2030-01-01,libur_nasional,A,false\n2030-01-01,libur_nasional,B,false\n",
        );
        assert_eq!(err.line, 3);
        assert_eq!(
            err.problem,
            "2030-01-01 is already listed as libur_nasional (\"A\")"
        );
    }

    #[test]
    fn a_missing_or_wrong_header_is_refused() {
        assert_eq!(error_of("").line, 0);
        assert_eq!(error_of("# only comments\n").line, 0);
        assert_eq!(
            error_of("tanggal,jenis,nama\n").to_string(),
            "holiday calendar line 1: expected the header \"date,kind,name,tentative\", found \"tanggal,jenis,nama\""
        );
        // A data row in place of the header is caught, not silently skipped.
        assert_eq!(error_of("2030-01-01,libur_nasional,A,false\n").line, 1);
    }

    #[test]
    fn admins_can_edit_the_calendar() {
        let mut cal = HolidayCalendar::shipped();
        let n = cal.len();
        assert_eq!(cal.remove(d("2027-03-08")), 1);
        cal.insert(Holiday {
            date: d("2027-03-09"),
            name: "Hari Suci Nyepi".into(),
            kind: HolidayKind::LiburNasional,
            tentative: false,
        })
        .unwrap();
        assert_eq!(cal.len(), n);
        assert_eq!(cal.kind_on(d("2027-03-08")), None);
        assert_eq!(cal.remove(d("2027-03-08")), 0);
    }
}
