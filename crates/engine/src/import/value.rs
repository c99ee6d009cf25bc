//! Parsers for single cells that the domain does not own: dates, date-times, whole
//! numbers, and the generic checks every cell passes (length, spreadsheet formulas).
//!
//! Each returns the message that follows `row N, column C: ` in a row error.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use sepakat_domain::{Rupiah, Zone};

use super::column::{Col, Text};

/// Refuses cells longer than the column allows and free text a spreadsheet would run as
/// a formula. Runs before any other parser, so an error message never quotes a huge value.
pub(crate) fn check_cell(col: Col, value: &str) -> Result<(), String> {
    let max = col.max_chars();
    // Byte length bounds the character count from above; count only when it might matter.
    if value.len() > max {
        let chars = value.chars().count();
        if chars > max {
            return Err(format!(
                "value is {chars} characters long; at most {max} are allowed"
            ));
        }
    }
    if col.text() == Text::Free {
        if let Some(first) = value.trim_start().chars().next() {
            if matches!(first, '=' | '+' | '-' | '@') {
                return Err(format!(
                    "{value:?} starts with {first:?} and could run as a spreadsheet formula"
                ));
            }
        }
    }
    Ok(())
}

/// Refuses cells longer than the generic limit in columns the importer does not read.
pub(crate) fn check_len(value: &str, max: usize) -> Result<(), String> {
    if value.len() > max && value.chars().count() > max {
        return Err(format!(
            "value is {} characters long; at most {max} are allowed",
            value.chars().count()
        ));
    }
    Ok(())
}

/// A date as `YYYY-MM-DD`, `DD/MM/YYYY` or `DD-MM-YYYY` (day and month may have one
/// digit). A spreadsheet date serial is accepted only from XLSX files.
pub(crate) fn parse_date(text: &str, xlsx: bool) -> Result<NaiveDate, String> {
    let t = text.trim();
    let bad = || format!("{t:?} is not a date (use YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY)");
    // XLSX cells that hold a date-time come through as `YYYY-MM-DD HH:MM:SS`.
    let t_date = match t.split_once(' ') {
        Some((d, time)) if xlsx && time == "00:00:00" => d,
        _ => t,
    };
    if xlsx && t_date.bytes().all(|b| b.is_ascii_digit()) && (1..=6).contains(&t_date.len()) {
        let serial: i64 = t_date.parse().map_err(|_| bad())?;
        return excel_serial(serial).ok_or_else(bad);
    }
    let parts: Vec<&str> = if t_date.contains('/') {
        t_date.split('/').collect()
    } else {
        t_date.split('-').collect()
    };
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let num = |s: &str| s.parse::<u32>().map_err(|_| bad());
    let (y, m, d) = if parts[0].len() == 4 && !t_date.contains('/') {
        (num(parts[0])?, num(parts[1])?, num(parts[2])?)
    } else if parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2 {
        (num(parts[2])?, num(parts[1])?, num(parts[0])?)
    } else {
        return Err(bad());
    };
    let year = i32::try_from(y).map_err(|_| bad())?;
    NaiveDate::from_ymd_opt(year, m, d).ok_or_else(bad)
}

/// Days since 1899-12-30, the epoch of Excel's 1900 date system (past its leap-year bug).
fn excel_serial(serial: i64) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_signed(chrono::Duration::days(serial))
}

/// An instant: a date-time with an optional offset (`2026-11-24 14:30`, `2026-11-24T14:30:00+08:00`,
/// `24/11/2026 14.30`), or a bare date meaning 12:00 WIB. Times without an offset are WIB.
pub(crate) fn parse_instant(text: &str, xlsx: bool) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    let bad = || {
        format!("{t:?} is not a date or date-time (use YYYY-MM-DD, DD/MM/YYYY or YYYY-MM-DD HH:MM)")
    };
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.to_utc());
    }
    let (date_part, time_part) = match t.split_once(['T', ' ']) {
        Some((d, rest)) => (d, Some(rest.trim())),
        None => (t, None),
    };
    let date = parse_date(date_part, xlsx).map_err(|_| bad())?;
    let time = match time_part {
        None => NaiveTime::from_hms_opt(12, 0, 0).ok_or_else(bad)?,
        Some(tp) => {
            let tp = tp.replace('.', ":");
            NaiveTime::parse_from_str(&tp, "%H:%M:%S")
                .or_else(|_| NaiveTime::parse_from_str(&tp, "%H:%M"))
                .map_err(|_| bad())?
        }
    };
    let local = NaiveDateTime::new(date, time);
    Zone::Wib
        .offset()
        .from_local_datetime(&local)
        .single()
        .map(|dt| dt.to_utc())
        .ok_or_else(bad)
}

/// A whole number within `range`, e.g. a tenor or a DPD.
pub(crate) fn parse_count(text: &str, min: u32, max: u32) -> Result<u32, String> {
    let t = text.trim();
    // Spreadsheets export whole numbers as `12.0` at times.
    let digits = t.strip_suffix(".0").unwrap_or(t);
    let n: u32 = digits
        .parse()
        .map_err(|_| format!("{t:?} is not a whole number"))?;
    if n < min || n > max {
        return Err(format!("{n} is outside {min}..{max}"));
    }
    Ok(n)
}

/// An amount of rupiah that must not be negative.
pub(crate) fn parse_amount(text: &str) -> Result<Rupiah, String> {
    let amount = Rupiah::parse(text).map_err(|e| e.to_string())?;
    if amount.is_negative() {
        return Err(format!("{:?} must not be negative", text.trim()));
    }
    Ok(amount)
}

/// Checks that a date lies between 1900 and 50 years after today.
pub(crate) fn plausible(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    if date.year() < 1900 || date.year() > today.year() + 50 {
        return Err(format!("{date} is not a plausible date"));
    }
    Ok(date)
}

/// Checks that a date is not after `today`.
pub(crate) fn not_future(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    if date > today {
        return Err(format!("{date} is in the future (today is {today})"));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_parse_in_the_three_documented_forms() {
        assert_eq!(parse_date("2026-11-24", false), Ok(d(2026, 11, 24)));
        assert_eq!(parse_date("24/11/2026", false), Ok(d(2026, 11, 24)));
        assert_eq!(parse_date("24-11-2026", false), Ok(d(2026, 11, 24)));
        assert_eq!(parse_date("4/1/2026", false), Ok(d(2026, 1, 4)));
        assert_eq!(
            parse_date("31/02/2026", false).unwrap_err(),
            "\"31/02/2026\" is not a date (use YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY)"
        );
        assert!(parse_date("2026/11/24", false).is_err());
        assert!(parse_date("45000", false).is_err());
        assert_eq!(parse_date("45000", true), Ok(d(2023, 3, 15)));
    }

    #[test]
    fn instants_default_to_noon_wib() {
        let at = parse_instant("2026-11-24", false).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-24T05:00:00+00:00");
        let at = parse_instant("24/11/2026 14.30", false).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-24T07:30:00+00:00");
        let at = parse_instant("2026-11-24T14:30:00+08:00", false).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-24T06:30:00+00:00");
        assert!(parse_instant("kemarin", false).is_err());
    }

    #[test]
    fn formula_like_free_text_is_refused_but_typed_cells_are_not() {
        assert!(check_cell(Col::Name, "=1+1").is_err());
        assert!(check_cell(Col::Address, " @SUM(A1)").is_err());
        assert!(check_cell(Col::Phone, "+62 812 3456 7890").is_ok());
        assert_eq!(
            check_cell(Col::Name, &"a".repeat(201)).unwrap_err(),
            "value is 201 characters long; at most 200 are allowed"
        );
    }

    #[test]
    fn counts_and_amounts() {
        assert_eq!(parse_count("12", 1, 600), Ok(12));
        assert_eq!(parse_count("0", 1, 600).unwrap_err(), "0 is outside 1..600");
        assert_eq!(
            parse_amount("-5000").unwrap_err(),
            "\"-5000\" must not be negative"
        );
    }
}
