//! Turning database rows into domain values: every column read is checked, so a bad value
//! in the database is an `Other` error naming the column, never a panic.

use postgres::types::FromSql;
use postgres::Row;
use sepakat_domain::{
    Email, Gender, Nik, Npwp, Phone, ProductType, Province, Role, ScheduleMethod,
};

use crate::{AccountStatus, DebtorKind, StoreError, StoreResult};

/// Reads a column, naming it in the error.
pub(super) fn get<'a, T: FromSql<'a>>(row: &'a Row, column: &str) -> StoreResult<T> {
    row.try_get(column)
        .map_err(|e| StoreError::Other(format!("reading column {column}: {e}")))
}

/// A stored value that no longer parses (a bug or a hand edit), as an error.
pub(super) fn corrupt(column: &str, value: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("column {column} holds invalid value {value}"))
}

/// A non-negative count stored as INTEGER.
pub(super) fn get_u32(row: &Row, column: &str) -> StoreResult<u32> {
    let value: i32 = get(row, column)?;
    u32::try_from(value).map_err(|_| corrupt(column, value))
}

/// A text column decoded with a domain parser.
pub(super) fn get_parsed<T>(
    row: &Row,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> StoreResult<T> {
    let text: &str = get(row, column)?;
    parse(text).ok_or_else(|| corrupt(column, text))
}

/// A nullable text column decoded with a domain parser.
pub(super) fn get_parsed_opt<T>(
    row: &Row,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> StoreResult<Option<T>> {
    let text: Option<&str> = get(row, column)?;
    text.map(|t| parse(t).ok_or_else(|| corrupt(column, t)))
        .transpose()
}

/// `person` or `company`.
pub(super) fn kind_code(kind: DebtorKind) -> &'static str {
    match kind {
        DebtorKind::Person => "person",
        DebtorKind::Company => "company",
    }
}

/// Parses a debtor kind code.
pub(super) fn parse_kind(text: &str) -> Option<DebtorKind> {
    match text {
        "person" => Some(DebtorKind::Person),
        "company" => Some(DebtorKind::Company),
        _ => None,
    }
}

/// Parses a role code.
pub(super) fn parse_role(text: &str) -> Option<Role> {
    Role::parse(text)
}

/// Parses a product code.
pub(super) fn parse_product(text: &str) -> Option<ProductType> {
    ProductType::parse(text)
}

/// Parses a schedule method code.
pub(super) fn parse_method(text: &str) -> Option<ScheduleMethod> {
    ScheduleMethod::parse(text)
}

/// Parses an account status code.
pub(super) fn parse_status(text: &str) -> Option<AccountStatus> {
    AccountStatus::parse(text)
}

/// Parses a gender code (`L`/`P`).
pub(super) fn parse_gender(text: &str) -> Option<Gender> {
    Gender::parse(text)
}

/// Parses stored NIK digits.
pub(super) fn parse_nik(text: &str) -> Option<Nik> {
    Nik::parse(text).ok()
}

/// Parses stored NPWP digits.
pub(super) fn parse_npwp(text: &str) -> Option<Npwp> {
    Npwp::parse(text).ok()
}

/// Parses a stored E.164 phone.
pub(super) fn parse_phone(text: &str) -> Option<Phone> {
    Phone::parse(text).ok()
}

/// Parses a stored e-mail address.
pub(super) fn parse_email(text: &str) -> Option<Email> {
    Email::parse(text).ok()
}

/// A province stored as its two-digit code.
pub(super) fn get_province(row: &Row, column: &str) -> StoreResult<Province> {
    let code: i16 = get(row, column)?;
    u8::try_from(code)
        .ok()
        .and_then(Province::from_code)
        .ok_or_else(|| corrupt(column, code))
}

/// A `u32` for an INTEGER column, refusing values PostgreSQL cannot hold.
pub(super) fn to_i32(what: &str, value: u32) -> StoreResult<i32> {
    i32::try_from(value).map_err(|_| StoreError::Other(format!("{what} {value} is too large")))
}
