//! Amounts in words, as Indonesian letters and agreements write them:
//! 1.250.000 → "satu juta dua ratus lima puluh ribu rupiah".

/// The words for 1–9; index 0 is never spoken on its own.
const DIGITS: [&str; 10] = [
    "", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
];

/// Scale words for each group of three digits, lowest first. `u64::MAX` (≈1,8 × 10^19) needs
/// seven groups, so every `i64` (including `i64::MIN`) has a name.
const SCALES: [&str; 7] = [
    "",
    "ribu",
    "juta",
    "miliar",
    "triliun",
    "kuadriliun",
    "kuintiliun",
];

/// The words for a whole number of rupiah, ending in "rupiah" ("minus" first if negative,
/// "nol rupiah" for zero). Uses "se-" forms: seribu, seratus, sebelas, sepuluh.
pub fn terbilang_rupiah(value: i64) -> String {
    let mut words = Vec::new();
    if value < 0 {
        words.push("minus".to_string());
    }
    // unsigned_abs: i64::MIN has no positive i64 counterpart.
    let magnitude = value.unsigned_abs();
    if magnitude == 0 {
        words.push("nol".to_string());
    } else {
        words.extend(number_words(magnitude));
    }
    words.push("rupiah".to_string());
    words.join(" ")
}

/// The words for a number above zero, without the currency.
fn number_words(mut n: u64) -> Vec<String> {
    let mut groups = Vec::new();
    while n > 0 {
        groups.push((n % 1000) as u16);
        n /= 1000;
    }
    let mut words = Vec::new();
    for (scale, &group) in groups.iter().enumerate().rev() {
        if group == 0 {
            continue;
        }
        // Only the thousands take the "se-" form: "seribu", but "satu juta".
        if scale == 1 && group == 1 {
            words.push("seribu".to_string());
            continue;
        }
        words.extend(group_words(group));
        if !SCALES[scale].is_empty() {
            words.push(SCALES[scale].to_string());
        }
    }
    words
}

/// The words for 1–999.
fn group_words(n: u16) -> Vec<String> {
    let mut words = Vec::new();
    let hundreds = usize::from(n / 100);
    let rest = n % 100;
    match hundreds {
        0 => {}
        1 => words.push("seratus".to_string()),
        h => words.push(format!("{} ratus", DIGITS[h])),
    }
    let tens = usize::from(rest / 10);
    let units = usize::from(rest % 10);
    match (tens, units) {
        (0, 0) => {}
        (0, u) => words.push(DIGITS[u].to_string()),
        (1, 0) => words.push("sepuluh".to_string()),
        (1, 1) => words.push("sebelas".to_string()),
        (1, u) => words.push(format!("{} belas", DIGITS[u])),
        (t, 0) => words.push(format!("{} puluh", DIGITS[t])),
        (t, u) => words.push(format!("{} puluh {}", DIGITS[t], DIGITS[u])),
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn small_numbers_use_se_forms() {
        let cases = [
            (0, "nol rupiah"),
            (1, "satu rupiah"),
            (9, "sembilan rupiah"),
            (10, "sepuluh rupiah"),
            (11, "sebelas rupiah"),
            (12, "dua belas rupiah"),
            (19, "sembilan belas rupiah"),
            (20, "dua puluh rupiah"),
            (21, "dua puluh satu rupiah"),
            (99, "sembilan puluh sembilan rupiah"),
            (100, "seratus rupiah"),
            (101, "seratus satu rupiah"),
            (110, "seratus sepuluh rupiah"),
            (111, "seratus sebelas rupiah"),
            (200, "dua ratus rupiah"),
            (999, "sembilan ratus sembilan puluh sembilan rupiah"),
        ];
        for (n, words) in cases {
            assert_eq!(terbilang_rupiah(n), words, "{n}");
        }
    }

    #[test]
    fn thousands_say_seribu_but_millions_say_satu_juta() {
        let cases = [
            (1_000, "seribu rupiah"),
            (1_001, "seribu satu rupiah"),
            (1_011, "seribu sebelas rupiah"),
            (2_000, "dua ribu rupiah"),
            (11_000, "sebelas ribu rupiah"),
            (100_000, "seratus ribu rupiah"),
            (101_000, "seratus satu ribu rupiah"),
            (1_000_000, "satu juta rupiah"),
            (1_001_000, "satu juta seribu rupiah"),
            (1_100_000, "satu juta seratus ribu rupiah"),
            (1_250_000, "satu juta dua ratus lima puluh ribu rupiah"),
            (1_000_000_000, "satu miliar rupiah"),
            (2_500_000_000, "dua miliar lima ratus juta rupiah"),
            (1_000_000_000_000, "satu triliun rupiah"),
        ];
        for (n, words) in cases {
            assert_eq!(terbilang_rupiah(n), words, "{n}");
        }
    }

    #[test]
    fn long_amounts_name_every_group() {
        assert_eq!(
            terbilang_rupiah(1_234_567_890_123),
            "satu triliun dua ratus tiga puluh empat miliar lima ratus enam puluh tujuh juta \
             delapan ratus sembilan puluh ribu seratus dua puluh tiga rupiah"
        );
        assert_eq!(
            terbilang_rupiah(1_000_000_000_000_001),
            "satu kuadriliun satu rupiah"
        );
    }

    #[test]
    fn negatives_say_minus() {
        assert_eq!(terbilang_rupiah(-5_000), "minus lima ribu rupiah");
        assert_eq!(terbilang_rupiah(-1), "minus satu rupiah");
    }

    #[test]
    fn the_extremes_of_i64_have_names() {
        assert_eq!(
            terbilang_rupiah(i64::MIN),
            "minus sembilan kuintiliun dua ratus dua puluh tiga kuadriliun tiga ratus tujuh \
             puluh dua triliun tiga puluh enam miliar delapan ratus lima puluh empat juta tujuh \
             ratus tujuh puluh lima ribu delapan ratus delapan rupiah"
        );
        assert!(terbilang_rupiah(i64::MAX).ends_with("delapan ratus tujuh rupiah"));
    }

    proptest! {
        #[test]
        fn never_panics_and_never_doubles_spaces(n in any::<i64>()) {
            let words = terbilang_rupiah(n);
            prop_assert!(!words.contains("  "), "{words:?}");
            prop_assert!(!words.starts_with(' '));
            prop_assert!(words.ends_with(" rupiah"));
            prop_assert_eq!(words.starts_with("minus "), n < 0);
            prop_assert!(!words.contains("satu ratus"));
            let thousands_group = n.unsigned_abs() / 1_000 % 1_000;
            prop_assert_eq!(words.contains("seribu"), thousands_group == 1);
        }
    }
}
