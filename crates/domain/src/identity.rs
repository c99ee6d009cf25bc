//! Who a debtor is: NIK, NPWP, phone and e-mail, parsed once at the edge and masked for
//! display (UU PDP 27/2022: lists and logs never show a full NIK or phone number).

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::region::Province;

/// Sex as encoded in a NIK (day of birth + 40 for women).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    /// Laki-laki: addressed as "Bapak".
    Male,
    /// Perempuan: addressed as "Ibu".
    Female,
}

impl Gender {
    /// The formal address used in messages and letters: `Bapak` or `Ibu`.
    pub const fn honorific(self) -> &'static str {
        match self {
            Gender::Male => "Bapak",
            Gender::Female => "Ibu",
        }
    }

    /// `L` or `P`, as on Indonesian forms.
    pub const fn code(self) -> &'static str {
        match self {
            Gender::Male => "L",
            Gender::Female => "P",
        }
    }

    /// Parses `L`/`P`, `M`/`F`, `laki-laki`, `perempuan`, `male`, `female`, `pria`, `wanita`.
    pub fn parse(text: &str) -> Option<Gender> {
        match text.trim().to_lowercase().as_str() {
            "l" | "m" | "laki-laki" | "laki laki" | "pria" | "male" => Some(Gender::Male),
            "p" | "f" | "w" | "perempuan" | "wanita" | "female" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// Nomor Induk Kependudukan: 16 digits — province (2), regency (2), district (2),
/// birth date DDMMYY (day + 40 for women), serial (4).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nik(String);

/// Why a text is not a NIK.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NikError {
    /// Not exactly 16 digits long.
    #[error("{0:?} is not 16 digits")]
    Length(String),
    /// Holds a character other than a digit.
    #[error("{0:?} holds a character that is not a digit")]
    NotDigits(String),
    /// The first two digits name no province.
    #[error("{0:?} starts with {1:02}, which is no province code")]
    Region(String, u8),
    /// Digits 7–12 are no date (day 1–31 or 41–71, month 1–12).
    #[error("{0:?} has no valid birth date in digits 7-12")]
    BirthDate(String),
    /// The serial number (last four digits) is 0000.
    #[error("{0:?} ends in serial 0000")]
    Serial(String),
}

impl Nik {
    /// Parses a NIK; spaces and dots between digits are ignored.
    pub fn parse(text: &str) -> Result<Nik, NikError> {
        let digits: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if digits.chars().any(|c| !c.is_ascii_digit()) {
            return Err(NikError::NotDigits(text.to_string()));
        }
        if digits.len() != 16 {
            return Err(NikError::Length(text.to_string()));
        }
        let region = two(&digits, 0);
        if Province::from_code(region).is_none() {
            return Err(NikError::Region(text.to_string(), region));
        }
        let nik = Nik(digits);
        if nik.birth_date_with(2000).is_none() && nik.birth_date_with(1900).is_none() {
            return Err(NikError::BirthDate(text.to_string()));
        }
        if &nik.0[12..] == "0000" {
            return Err(NikError::Serial(text.to_string()));
        }
        Ok(nik)
    }

    /// The 16 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The province of registration (digits 1–2).
    pub fn province(&self) -> Province {
        Province::from_code(two(&self.0, 0)).expect("checked in parse")
    }

    /// The six-digit region code (province, regency, district).
    pub fn region_code(&self) -> &str {
        &self.0[..6]
    }

    /// Sex from the day digits (over 40 means female).
    pub fn gender(&self) -> Gender {
        if two(&self.0, 6) > 40 {
            Gender::Female
        } else {
            Gender::Male
        }
    }

    /// The birth date, choosing the century so the person is not born after `today`.
    pub fn birth_date(&self, today: NaiveDate) -> Option<NaiveDate> {
        use chrono::Datelike;
        let yy = i32::from(two(&self.0, 10));
        let century = if 2000 + yy > today.year() { 1900 } else { 2000 };
        self.birth_date_with(century)
    }

    fn birth_date_with(&self, century: i32) -> Option<NaiveDate> {
        let mut day = two(&self.0, 6);
        if day > 40 {
            day -= 40;
        }
        let month = two(&self.0, 8);
        let year = century + i32::from(two(&self.0, 10));
        NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))
    }

    /// `3201********0003`: region and serial visible, the birth date hidden.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..4], &self.0[12..])
    }
}

fn two(digits: &str, at: usize) -> u8 {
    digits.as_bytes()[at..at + 2]
        .iter()
        .fold(0, |acc, b| acc * 10 + (b - b'0'))
}

impl TryFrom<String> for Nik {
    type Error = NikError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Nik::parse(&value)
    }
}

impl From<Nik> for String {
    fn from(value: Nik) -> String {
        value.0
    }
}

impl fmt::Display for Nik {
    /// Shows the masked form: a NIK is never printed whole by accident.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Nomor Pokok Wajib Pajak: 15 digits (`01.234.567.8-901.000`) or the 16-digit form
/// used since 2024.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Npwp(String);

/// Why a text is not an NPWP.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an NPWP (15 or 16 digits)")]
pub struct NpwpError(pub String);

impl Npwp {
    /// Parses an NPWP; dots, dashes and spaces are ignored.
    pub fn parse(text: &str) -> Result<Npwp, NpwpError> {
        let digits: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if !(digits.len() == 15 || digits.len() == 16)
            || !digits.chars().all(|c| c.is_ascii_digit())
        {
            return Err(NpwpError(text.to_string()));
        }
        Ok(Npwp(digits))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The conventional layout: `01.234.567.8-901.000` for 15 digits, plain for 16.
    pub fn formatted(&self) -> String {
        let d = &self.0;
        if d.len() == 15 {
            format!(
                "{}.{}.{}.{}-{}.{}",
                &d[0..2],
                &d[2..5],
                &d[5..8],
                &d[8..9],
                &d[9..12],
                &d[12..]
            )
        } else {
            d.clone()
        }
    }
}

impl TryFrom<String> for Npwp {
    type Error = NpwpError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Npwp::parse(&value)
    }
}

impl From<Npwp> for String {
    fn from(value: Npwp) -> String {
        value.0
    }
}

/// An Indonesian phone number in E.164 form (`+62812…`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

/// Why a text is not an Indonesian phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an Indonesian phone number (e.g. 0812-3456-7890 or +62 812 3456 7890)")]
pub struct PhoneError(pub String);

impl Phone {
    /// Accepts `0812…`, `62812…`, `+62 812…`, `(021) 555-1234`; stores `+62…`.
    ///
    /// After the country code an Indonesian number has 7 to 12 digits and does not start
    /// with 0.
    pub fn parse(text: &str) -> Result<Phone, PhoneError> {
        let err = || PhoneError(text.to_string());
        let trimmed = text.trim();
        let plus = trimmed.starts_with('+');
        let digits: String = trimmed
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '+'))
            .collect();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(err());
        }
        let national = if let Some(rest) = digits.strip_prefix("62") {
            rest
        } else if plus {
            return Err(err());
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest
        } else {
            return Err(err());
        };
        if !(7..=12).contains(&national.len()) || national.starts_with('0') {
            return Err(err());
        }
        Ok(Phone(format!("+62{national}")))
    }

    /// The E.164 form, `+62812…`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for a mobile number (national part starting with 8).
    pub fn is_mobile(&self) -> bool {
        self.0.starts_with("+628")
    }

    /// `+62812****7890`: the operator prefix and the last four digits.
    pub fn masked(&self) -> String {
        let n = self.0.len();
        let hidden = n.saturating_sub(6 + 4);
        format!("{}{}{}", &self.0[..6], "*".repeat(hidden), &self.0[n - 4..])
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Phone::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> String {
        value.0
    }
}

impl fmt::Display for Phone {
    /// Shows the masked form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// An e-mail address, lower-cased domain, checked for a plausible shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// Why a text is not an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an e-mail address")]
pub struct EmailError(pub String);

impl Email {
    /// Parses `name@domain.tld`: one `@`, a dotted domain, no spaces, at most 254 chars.
    pub fn parse(text: &str) -> Result<Email, EmailError> {
        let err = || EmailError(text.to_string());
        let t = text.trim();
        let (local, domain) = t.split_once('@').ok_or_else(err)?;
        let ok_local = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._%+-'".contains(c));
        let ok_domain = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !ok_local || !ok_domain || t.len() > 254 {
            return Err(err());
        }
        Ok(Email(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `bu***@example.co.id`.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.split_once('@').expect("checked in parse");
        let shown: String = local.chars().take(2).collect();
        format!("{shown}***@{domain}")
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> String {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn nik_reads_region_birth_date_and_gender() {
        let man = Nik::parse("3201011503850001").unwrap();
        assert_eq!(man.province(), Province::JawaBarat);
        assert_eq!(man.region_code(), "320101");
        assert_eq!(man.gender(), Gender::Male);
        assert_eq!(man.birth_date(d(2026, 11, 28)), Some(d(1985, 3, 15)));
        let woman = Nik::parse("3175 0655 0102 0002").unwrap();
        assert_eq!(woman.gender(), Gender::Female);
        assert_eq!(woman.birth_date(d(2026, 11, 28)), Some(d(2002, 1, 15)));
    }

    #[test]
    fn nik_errors_are_typed() {
        assert!(matches!(Nik::parse("3201xx"), Err(NikError::NotDigits(_))));
        assert!(matches!(
            Nik::parse("32010115038500"),
            Err(NikError::Length(_))
        ));
        assert!(matches!(
            Nik::parse("9901011503850001"),
            Err(NikError::Region(_, 99))
        ));
        assert!(matches!(
            Nik::parse("3201013213850001"),
            Err(NikError::BirthDate(_))
        ));
        assert!(matches!(
            Nik::parse("3201017203850001"),
            Err(NikError::BirthDate(_))
        ));
        assert!(matches!(
            Nik::parse("3201011503850000"),
            Err(NikError::Serial(_))
        ));
        assert_eq!(
            Nik::parse("3201xx").unwrap_err().to_string(),
            "\"3201xx\" holds a character that is not a digit"
        );
    }

    #[test]
    fn nik_is_masked_when_shown() {
        let nik = Nik::parse("3201011503850001").unwrap();
        assert_eq!(nik.masked(), "3201********0001");
        assert_eq!(format!("{nik}"), "3201********0001");
    }

    #[test]
    fn phones_normalise_to_plus_62() {
        for t in [
            "0812-3456-7890",
            "6281234567890",
            "+62 812 3456 7890",
            "(0812) 34567890",
        ] {
            assert_eq!(Phone::parse(t).unwrap().as_str(), "+6281234567890", "{t}");
        }
        assert_eq!(
            Phone::parse("(021) 555-1234").unwrap().as_str(),
            "+62215551234"
        );
        assert!(Phone::parse("+1 415 555 1234").is_err());
        assert!(Phone::parse("12345").is_err());
        assert!(Phone::parse("08abc").is_err());
        assert_eq!(
            Phone::parse("081234567890").unwrap().masked(),
            "+62812****7890"
        );
    }

    #[test]
    fn npwp_and_email() {
        assert_eq!(
            Npwp::parse("01.234.567.8-901.000").unwrap().as_str(),
            "012345678901000"
        );
        assert_eq!(
            Npwp::parse("012345678901000").unwrap().formatted(),
            "01.234.567.8-901.000"
        );
        assert!(Npwp::parse("1234").is_err());
        assert_eq!(
            Email::parse(" Budi@Example.CO.ID ").unwrap().as_str(),
            "Budi@example.co.id"
        );
        assert!(Email::parse("budi@").is_err());
        assert!(Email::parse("budi example.com").is_err());
        assert_eq!(
            Email::parse("budi@mail.id").unwrap().masked(),
            "bu***@mail.id"
        );
    }

    proptest! {
        #[test]
        fn any_valid_nik_masks_to_16_chars_and_round_trips(
            prov in 0usize..38, day in 1u32..=28, female in any::<bool>(), month in 1u32..=12,
            yy in 0u32..100, serial in 1u32..10000)
        {
            let p = Province::ALL[prov];
            let dd = if female { day + 40 } else { day };
            let text = format!("{:02}0101{dd:02}{month:02}{yy:02}{serial:04}", p.code());
            let nik = Nik::parse(&text).unwrap();
            prop_assert_eq!(nik.masked().len(), 16);
            prop_assert_eq!(nik.province(), p);
            prop_assert_eq!(nik.gender() == Gender::Female, female);
        }

        #[test]
        fn phone_parse_is_idempotent(n in 7usize..=12, seed in any::<u64>()) {
            let digits: String = (0..n).map(|i| char::from(b'1' + ((seed >> (i % 60)) % 9) as u8)).collect();
            let p = Phone::parse(&format!("0{digits}")).unwrap();
            prop_assert_eq!(Phone::parse(p.as_str()).unwrap(), p);
        }
    }
}
