//! How domain values become SQLite values and back, and how driver errors become
//! `StoreError`. Reading never panics: a value that does not parse is `StoreError::Other`.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{ErrorCode, Row};
use sepakat_domain::{
    Email, Gender, Nik, Npwp, Phone, ProductType, Province, Regime, Role, Rupiah, ScheduleMethod,
};

use crate::{AccountStatus, DebtorKind, StoreError, StoreResult};

impl From<rusqlite::Error> for StoreError {
    /// Constraint violations are conflicts (a duplicate key, or a reference to a row that
    /// does not exist); everything else is a storage failure.
    fn from(error: rusqlite::Error) -> StoreError {
        match &error {
            rusqlite::Error::SqliteFailure(e, message)
                if e.code == ErrorCode::ConstraintViolation =>
            {
                StoreError::Conflict(message.clone().unwrap_or_else(|| error.to_string()))
            }
            _ => StoreError::Other(format!("sqlite: {error}")),
        }
    }
}

/// A value read back from the database that does not parse.
pub(crate) fn corrupt(what: &str, value: impl std::fmt::Debug) -> StoreError {
    StoreError::Other(format!("sqlite: stored {what} {value:?} does not parse"))
}

/// Days between 0001-01-01 (chrono's day 1) and 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// A date as days since 1970-01-01.
pub(crate) fn day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE)
}

/// An optional date as days since 1970-01-01.
pub(crate) fn opt_day(date: Option<NaiveDate>) -> Option<i64> {
    date.map(day)
}

/// Days since 1970-01-01 back to a date.
pub(crate) fn to_day(days: i64) -> StoreResult<NaiveDate> {
    i32::try_from(days)
        .ok()
        .and_then(|d| d.checked_add(UNIX_EPOCH_DAYS_FROM_CE))
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| corrupt("date", days))
}

/// An optional stored date.
pub(crate) fn to_opt_day(days: Option<i64>) -> StoreResult<Option<NaiveDate>> {
    days.map(to_day).transpose()
}

/// An instant as microseconds since the Unix epoch (PostgreSQL's precision too).
pub(crate) fn instant(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// Microseconds since the epoch back to an instant.
pub(crate) fn to_instant(micros: i64) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| corrupt("instant", micros))
}

/// Column `i` as whole rupiah.
pub(crate) fn rupiah(row: &Row, i: usize) -> StoreResult<Rupiah> {
    Ok(Rupiah::new(row.get(i)?))
}

/// Column `i` as an unsigned count.
pub(crate) fn count(row: &Row, i: usize) -> StoreResult<u32> {
    let v: i64 = row.get(i)?;
    u32::try_from(v).map_err(|_| corrupt("count", v))
}

/// A stored product code.
pub(crate) fn product(code: &str) -> StoreResult<ProductType> {
    ProductType::parse(code).ok_or_else(|| corrupt("product", code))
}

/// A stored account status code.
pub(crate) fn status(code: &str) -> StoreResult<AccountStatus> {
    AccountStatus::parse(code).ok_or_else(|| corrupt("status", code))
}

/// A stored schedule method code.
pub(crate) fn method(code: &str) -> StoreResult<ScheduleMethod> {
    ScheduleMethod::parse(code).ok_or_else(|| corrupt("schedule method", code))
}

/// A stored role code.
pub(crate) fn role(code: &str) -> StoreResult<Role> {
    Role::parse(code).ok_or_else(|| corrupt("role", code))
}

/// A stored province code.
pub(crate) fn province(code: i64) -> StoreResult<Province> {
    u8::try_from(code)
        .ok()
        .and_then(Province::from_code)
        .ok_or_else(|| corrupt("province", code))
}

/// The code a debtor kind is stored as.
pub(crate) fn kind_code(kind: DebtorKind) -> &'static str {
    match kind {
        DebtorKind::Person => "person",
        DebtorKind::Company => "company",
    }
}

/// A stored debtor kind.
pub(crate) fn kind(code: &str) -> StoreResult<DebtorKind> {
    match code {
        "person" => Ok(DebtorKind::Person),
        "company" => Ok(DebtorKind::Company),
        _ => Err(corrupt("debtor kind", code)),
    }
}

/// A stored gender code (`L`/`P`).
pub(crate) fn gender(code: Option<String>) -> StoreResult<Option<Gender>> {
    code.map(|c| Gender::parse(&c).ok_or_else(|| corrupt("gender", c)))
        .transpose()
}

/// A stored NIK.
pub(crate) fn nik(text: Option<String>) -> StoreResult<Option<Nik>> {
    text.map(|t| Nik::parse(&t).map_err(|_| corrupt("NIK", "(hidden)")))
        .transpose()
}

/// A stored NPWP.
pub(crate) fn npwp(text: Option<String>) -> StoreResult<Option<Npwp>> {
    text.map(|t| Npwp::parse(&t).map_err(|_| corrupt("NPWP", t)))
        .transpose()
}

/// A stored phone number.
pub(crate) fn phone(text: Option<String>) -> StoreResult<Option<Phone>> {
    text.map(|t| Phone::parse(&t).map_err(|_| corrupt("phone", "(hidden)")))
        .transpose()
}

/// A stored e-mail address.
pub(crate) fn email(text: Option<String>) -> StoreResult<Option<Email>> {
    text.map(|t| Email::parse(&t).map_err(|_| corrupt("e-mail", "(hidden)")))
        .transpose()
}

/// A stored regime.
pub(crate) fn regime(name: String, upper: [i64; 4]) -> StoreResult<Regime> {
    let mut bounds = [0u32; 4];
    for (slot, value) in bounds.iter_mut().zip(upper) {
        *slot = u32::try_from(value).map_err(|_| corrupt("regime bound", value))?;
    }
    Regime::new(name, bounds).map_err(|e| StoreError::Other(format!("sqlite: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_day_numbers() {
        for text in [
            "1970-01-01",
            "1969-12-31",
            "2026-11-24",
            "0001-01-01",
            "9999-12-31",
        ] {
            let date: NaiveDate = text.parse().expect("date");
            assert_eq!(to_day(day(date)).expect("back"), date);
        }
        assert_eq!(day("1970-01-02".parse().expect("date")), 1);
        assert!(to_day(i64::MAX).is_err());
    }

    #[test]
    fn bad_stored_codes_are_errors_not_panics() {
        assert!(product("saham").is_err());
        assert!(status("closed").is_err());
        assert!(province(99).is_err());
        assert!(province(-1).is_err());
        assert!(kind("robot").is_err());
        assert!(nik(Some("123".into())).is_err());
        assert!(regime("x".into(), [0, 10, 5, 20]).is_err());
        assert!(to_instant(i64::MAX).is_err());
    }
}
