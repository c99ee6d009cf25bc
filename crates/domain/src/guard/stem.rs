//! Candidate roots of an Indonesian word under common affixes, so the lexicon lists roots
//! (`sebar`, `penjara`) and still catches `disebarkan`, `menyebarkan`, `dipenjarakan`,
//! `penjaranya`, `bayarin`.
//!
//! This is not a full stemmer: it proposes every plausible root and the caller keeps only
//! those in the lexicon, so a wrong guess costs nothing unless it is itself a listed word.
//! Matching whole words this way (never substrings) is what keeps `memasukkan`, `babinsa`
//! or `jasa` clear of the words hidden inside them.

/// Prefixes with the consonants a nasal prefix may have replaced (`menyebar` ← `sebar`,
/// `memukul` ← `pukul`, `menusuk` ← `tusuk`, `mengejar` ← `kejar`), including the
/// Jakarta-slang nasal forms (`nyebar`, `ngancem`, `ngebunuh`).
const PREFIXES: &[(&str, &[&str])] = &[
    ("memper", &[""]),
    ("diper", &[""]),
    ("menge", &[""]),
    ("meny", &["s", "c"]),
    ("meng", &["", "k"]),
    ("mem", &["", "p"]),
    ("men", &["", "t"]),
    ("me", &[""]),
    ("penge", &[""]),
    ("peny", &["s", "c"]),
    ("peng", &["", "k"]),
    ("pem", &["", "p"]),
    ("pen", &["", "t"]),
    ("per", &[""]),
    ("pe", &[""]),
    ("ber", &[""]),
    ("di", &[""]),
    ("ter", &[""]),
    ("ke", &[""]),
    ("se", &[""]),
    ("kau", &[""]),
    ("ku", &[""]),
    ("nge", &[""]),
    ("ng", &["", "k"]),
    ("ny", &["s", "c"]),
];

/// Particles and possessives that close a word (`-nya`, `-lah`, `-mu`), peeled first.
const OUTER_SUFFIXES: &[&str] = &["nya", "lah", "kah", "pun", "mu", "ku", "nye", "tuh"];

/// Derivational suffixes (`-kan`, `-an`, `-i`, and slang `-in`), peeled second.
const INNER_SUFFIXES: &[&str] = &["kan", "an", "i", "in"];

/// The shortest root worth proposing; shorter remainders are noise.
const MIN_ROOT: usize = 3;

/// Calls `f` with each candidate root of `word` (not `word` itself); may repeat one.
pub(crate) fn for_each_root(word: &str, mut f: impl FnMut(&str)) {
    if word.len() < MIN_ROOT + 1 || !word.is_ascii() {
        return;
    }
    let mut scratch = String::with_capacity(word.len() + 1);
    with_suffixes_peeled(word, &mut f, false);
    for &(prefix, restores) in PREFIXES {
        let Some(rest) = word.strip_prefix(prefix) else {
            continue;
        };
        for &restore in restores {
            if rest.len() + restore.len() < MIN_ROOT {
                continue;
            }
            scratch.clear();
            scratch.push_str(restore);
            scratch.push_str(rest);
            with_suffixes_peeled(&scratch, &mut f, true);
        }
    }
}

/// Calls `f` with `word` (when `include_self`) and with `word` minus one outer and/or
/// one inner suffix.
fn with_suffixes_peeled(word: &str, f: &mut impl FnMut(&str), include_self: bool) {
    if include_self {
        f(word);
    }
    let mut outer_peeled: Option<&str> = None;
    for suffix in OUTER_SUFFIXES {
        if let Some(root) = word.strip_suffix(suffix) {
            if root.len() >= MIN_ROOT {
                f(root);
                outer_peeled = Some(root);
                break;
            }
        }
    }
    for base in [Some(word), outer_peeled].into_iter().flatten() {
        for suffix in INNER_SUFFIXES {
            if let Some(root) = base.strip_suffix(suffix) {
                if root.len() >= MIN_ROOT {
                    f(root);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(word: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_root(word, |r| out.push(r.to_string()));
        out
    }

    #[test]
    fn prefixes_and_suffixes_are_peeled_with_nasal_consonants_restored() {
        assert!(roots("disebarkan").contains(&"sebar".to_string()));
        assert!(roots("menyebarkan").contains(&"sebar".to_string()));
        assert!(roots("memukulnya").contains(&"pukul".to_string()));
        assert!(roots("dipenjarakan").contains(&"penjara".to_string()));
        assert!(roots("penjaranya").contains(&"penjara".to_string()));
        assert!(roots("bayarin").contains(&"bayar".to_string()));
        assert!(roots("ngancem").contains(&"ancem".to_string()));
        assert!(roots("dipermalukan").contains(&"malu".to_string()));
    }

    #[test]
    fn short_words_propose_nothing() {
        assert!(roots("tai").is_empty());
        assert!(roots("mau").is_empty());
    }

    #[test]
    fn roots_are_never_shorter_than_three_letters() {
        for word in ["dian", "kemana", "pantai", "memasukkan", "diamkan"] {
            assert!(roots(word).iter().all(|r| r.len() >= 3), "{word}");
        }
    }
}
