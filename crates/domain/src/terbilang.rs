//! Amounts in words, as Indonesian letters and agreements write them:
//! 1.250.000 → "satu juta dua ratus lima puluh ribu rupiah".

/// The words for a whole number of rupiah, ending in "rupiah" ("minus" first if negative,
/// "nol rupiah" for zero). Uses "se-" forms: seribu, seratus, sebelas, sepuluh.
pub fn terbilang_rupiah(value: i64) -> String {
    todo!("helper: implement terbilang for {value}")
}
