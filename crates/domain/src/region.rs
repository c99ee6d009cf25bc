//! Indonesia's 38 provinces and their time zones (Keppres 41/1987; no daylight saving).
//!
//! A debtor's local time decides when contact is allowed, so every province maps to one
//! zone: WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9).

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// An Indonesian time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Zone {
    /// Waktu Indonesia Barat, UTC+7.
    Wib,
    /// Waktu Indonesia Tengah, UTC+8.
    Wita,
    /// Waktu Indonesia Timur, UTC+9.
    Wit,
}

impl Zone {
    /// Hours ahead of UTC.
    pub const fn utc_offset_hours(self) -> i32 {
        match self {
            Zone::Wib => 7,
            Zone::Wita => 8,
            Zone::Wit => 9,
        }
    }

    /// The fixed offset of this zone.
    pub fn offset(self) -> FixedOffset {
        FixedOffset::east_opt(self.utc_offset_hours() * 3600).expect("offset within a day")
    }

    /// `WIB`, `WITA`, `WIT`.
    pub const fn label(self) -> &'static str {
        match self {
            Zone::Wib => "WIB",
            Zone::Wita => "WITA",
            Zone::Wit => "WIT",
        }
    }

    /// The wall-clock time in this zone at an instant.
    pub fn local(self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.offset()).naive_local()
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

macro_rules! provinces {
    ($($variant:ident => $name:literal, $code:literal, $zone:ident, [$($alias:literal),*];)*) => {
        /// One of Indonesia's 38 provinces.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Province { $($variant,)* }

        impl Province {
            /// Every province, in BPS code order.
            pub const ALL: &'static [Province] = &[$(Province::$variant,)*];

            /// The official name, e.g. `DKI Jakarta`.
            pub const fn name(self) -> &'static str {
                match self { $(Province::$variant => $name,)* }
            }

            /// The two-digit BPS/Kemendagri code (also the first two digits of a NIK).
            pub const fn code(self) -> u8 {
                match self { $(Province::$variant => $code,)* }
            }

            /// The time zone of the province.
            pub const fn zone(self) -> Zone {
                match self { $(Province::$variant => Zone::$zone,)* }
            }

            fn aliases(self) -> &'static [&'static str] {
                match self { $(Province::$variant => &[$($alias),*],)* }
            }
        }
    };
}

provinces! {
    Aceh => "Aceh", 11, Wib, ["nad", "nanggroe aceh darussalam"];
    SumateraUtara => "Sumatera Utara", 12, Wib, ["sumut"];
    SumateraBarat => "Sumatera Barat", 13, Wib, ["sumbar"];
    Riau => "Riau", 14, Wib, [];
    Jambi => "Jambi", 15, Wib, [];
    SumateraSelatan => "Sumatera Selatan", 16, Wib, ["sumsel"];
    Bengkulu => "Bengkulu", 17, Wib, [];
    Lampung => "Lampung", 18, Wib, [];
    BangkaBelitung => "Kepulauan Bangka Belitung", 19, Wib, ["bangka belitung", "babel"];
    KepulauanRiau => "Kepulauan Riau", 21, Wib, ["kepri"];
    DkiJakarta => "DKI Jakarta", 31, Wib, ["jakarta", "dki"];
    JawaBarat => "Jawa Barat", 32, Wib, ["jabar"];
    JawaTengah => "Jawa Tengah", 33, Wib, ["jateng"];
    DiYogyakarta => "DI Yogyakarta", 34, Wib, ["yogyakarta", "diy", "daerah istimewa yogyakarta", "jogja"];
    JawaTimur => "Jawa Timur", 35, Wib, ["jatim"];
    Banten => "Banten", 36, Wib, [];
    Bali => "Bali", 51, Wita, [];
    NusaTenggaraBarat => "Nusa Tenggara Barat", 52, Wita, ["ntb"];
    NusaTenggaraTimur => "Nusa Tenggara Timur", 53, Wita, ["ntt"];
    KalimantanBarat => "Kalimantan Barat", 61, Wib, ["kalbar"];
    KalimantanTengah => "Kalimantan Tengah", 62, Wib, ["kalteng"];
    KalimantanSelatan => "Kalimantan Selatan", 63, Wita, ["kalsel"];
    KalimantanTimur => "Kalimantan Timur", 64, Wita, ["kaltim"];
    KalimantanUtara => "Kalimantan Utara", 65, Wita, ["kaltara"];
    SulawesiUtara => "Sulawesi Utara", 71, Wita, ["sulut"];
    SulawesiTengah => "Sulawesi Tengah", 72, Wita, ["sulteng"];
    SulawesiSelatan => "Sulawesi Selatan", 73, Wita, ["sulsel"];
    SulawesiTenggara => "Sulawesi Tenggara", 74, Wita, ["sultra"];
    Gorontalo => "Gorontalo", 75, Wita, [];
    SulawesiBarat => "Sulawesi Barat", 76, Wita, ["sulbar"];
    Maluku => "Maluku", 81, Wit, [];
    MalukuUtara => "Maluku Utara", 82, Wit, ["malut"];
    Papua => "Papua", 91, Wit, [];
    PapuaBarat => "Papua Barat", 92, Wit, ["irian jaya barat"];
    PapuaSelatan => "Papua Selatan", 93, Wit, [];
    PapuaTengah => "Papua Tengah", 94, Wit, [];
    PapuaPegunungan => "Papua Pegunungan", 95, Wit, [];
    PapuaBaratDaya => "Papua Barat Daya", 96, Wit, [];
}

/// A text that names no province.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an Indonesian province")]
pub struct ProvinceError(pub String);

impl Province {
    /// Parses a province name, case- and space-insensitive, with common abbreviations
    /// (`DKI Jakarta`, `jakarta`, `Jabar`, `Prov. Jawa Timur`) or its two-digit code.
    pub fn parse(text: &str) -> Result<Province, ProvinceError> {
        let norm = normalise(text);
        let norm = norm
            .strip_prefix("provinsi ")
            .or_else(|| norm.strip_prefix("prov "))
            .unwrap_or(&norm);
        lookup_table()
            .get(norm)
            .copied()
            .ok_or_else(|| ProvinceError(text.to_string()))
    }

    /// The province whose code begins a NIK, if any.
    pub fn from_code(code: u8) -> Option<Province> {
        Province::ALL.iter().copied().find(|p| p.code() == code)
    }
}

/// Every accepted spelling (normalised name, alias, two-digit code) → province, built once:
/// imports parse a province on every row.
fn lookup_table() -> &'static HashMap<String, Province> {
    static TABLE: OnceLock<HashMap<String, Province>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::new();
        for &p in Province::ALL {
            table.insert(normalise(p.name()), p);
            table.insert(p.code().to_string(), p);
            for alias in p.aliases() {
                table.insert((*alias).to_string(), p);
            }
        }
        table
    })
}

fn normalise(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .replace(['.', '_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for Province {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_38_provinces_with_unique_codes() {
        assert_eq!(Province::ALL.len(), 38);
        let mut codes: Vec<u8> = Province::ALL.iter().map(|p| p.code()).collect();
        codes.dedup();
        assert_eq!(codes.len(), 38);
    }

    #[test]
    fn zones_follow_keppres_41_1987() {
        assert_eq!(
            Province::parse("Kalimantan Barat").unwrap().zone(),
            Zone::Wib
        );
        assert_eq!(Province::parse("kaltim").unwrap().zone(), Zone::Wita);
        assert_eq!(Province::parse("Bali").unwrap().zone(), Zone::Wita);
        assert_eq!(
            Province::parse("Papua Barat Daya").unwrap().zone(),
            Zone::Wit
        );
        assert_eq!(Province::parse("Maluku Utara").unwrap().zone(), Zone::Wit);
        let counts = |z| Province::ALL.iter().filter(|p| p.zone() == z).count();
        assert_eq!(
            (counts(Zone::Wib), counts(Zone::Wita), counts(Zone::Wit)),
            (18, 12, 8)
        );
    }

    #[test]
    fn parses_names_aliases_and_codes() {
        assert_eq!(Province::parse(" dki  JAKARTA "), Ok(Province::DkiJakarta));
        assert_eq!(Province::parse("Prov. Jawa Timur"), Ok(Province::JawaTimur));
        assert_eq!(Province::parse("32"), Ok(Province::JawaBarat));
        assert!(Province::parse("Atlantis").is_err());
    }

    #[test]
    fn local_time_uses_the_zone_offset() {
        let at = DateTime::parse_from_rfc3339("2026-11-24T01:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(Zone::Wita.local(at).to_string(), "2026-11-24 09:00:00");
    }
}
