//! How values are shown: dates as `24 Nov 2026`, times with their zone (`14.30 WIB`),
//! money as `Rp1.250.000`, shares as `12,34%`. All integer arithmetic.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use sepakat_domain::{Rupiah, Zone};

use crate::i18n::Lang;

/// `24 Nov 2026` (Indonesian month names in Indonesian).
pub fn date(lang: Lang, d: NaiveDate) -> String {
    let month = lang.strings().months_short[d.month0() as usize];
    format!("{} {} {}", d.day(), month, d.year())
}

/// `24 Nov 2026 14.30 WIB`: the instant in a zone, with the zone named.
pub fn date_time(lang: Lang, at: DateTime<Utc>, zone: Zone) -> String {
    let local = zone.local(at);
    format!(
        "{} {:02}.{:02} {}",
        date(lang, local.date()),
        local.hour(),
        local.minute(),
        zone.label()
    )
}

/// `Rp1.250.000`.
pub fn rupiah(r: Rupiah) -> String {
    r.to_string()
}

/// `part ÷ whole` as a percentage with two decimals and a decimal comma (`12,34%`),
/// rounded half up; `0%` when the whole is zero.
pub fn share(part: Rupiah, whole: Rupiah) -> String {
    if whole.value() <= 0 {
        return "0%".to_string();
    }
    let basis_points = (i128::from(part.value()) * 10_000 * 2 + i128::from(whole.value()))
        / (2 * i128::from(whole.value()));
    format!("{},{:02}%", basis_points / 100, basis_points % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_use_the_language_month_names() {
        let d = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
        assert_eq!(date(Lang::Id, d), "4 Mei 2026");
        assert_eq!(date(Lang::En, d), "4 May 2026");
    }

    #[test]
    fn times_show_local_wall_clock_and_zone() {
        let at = "2026-11-24T07:30:00Z".parse().unwrap();
        assert_eq!(
            date_time(Lang::Id, at, Zone::Wita),
            "24 Nov 2026 15.30 WITA"
        );
        assert_eq!(date_time(Lang::Id, at, Zone::Wib), "24 Nov 2026 14.30 WIB");
    }

    #[test]
    fn shares_round_to_two_decimals_and_survive_zero() {
        assert_eq!(share(Rupiah::new(1), Rupiah::new(3)), "33,33%");
        assert_eq!(share(Rupiah::new(2), Rupiah::new(3)), "66,67%");
        assert_eq!(share(Rupiah::new(5), Rupiah::ZERO), "0%");
        assert_eq!(share(Rupiah::new(3), Rupiah::new(3)), "100,00%");
    }

    #[test]
    fn rupiah_uses_dots_for_thousands() {
        assert_eq!(rupiah(Rupiah::new(1_250_000)), "Rp1.250.000");
    }
}
