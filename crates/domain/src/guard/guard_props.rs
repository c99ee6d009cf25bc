//! Property tests: spelling games on a blocked word still block; polite text stays clean.

use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;

fn guard() -> &'static Guard {
    static GUARD: OnceLock<Guard> = OnceLock::new();
    GUARD.get_or_init(Guard::shipped)
}

const BLOCKED: [&str; 8] = [
    "anjing", "bangsat", "goblok", "tolol", "bajingan", "kontol", "penjara", "keparat",
];

/// Rewrites a word the way people dodge filters: per letter, maybe upper case, maybe a
/// leetspeak digit, maybe repeated; between letters maybe a space, dot, dash or asterisk
/// (never both a mask and a leet swap on every letter, so the word stays readable).
fn disguise(word: &'static str) -> impl Strategy<Value = String> {
    let n = word.len();
    (
        prop::collection::vec(0u8..6, n),
        prop::collection::vec(0u8..5, n),
        0u8..4,
    )
        .prop_map(move |(letter_moves, gap_moves, mode)| {
            let mut out = String::new();
            for (i, c) in word.chars().enumerate() {
                let mut s = match letter_moves[i] {
                    1 => c.to_ascii_uppercase().to_string(),
                    2 => match c {
                        'a' => "4".into(),
                        'o' => "0".into(),
                        'i' => "1".into(),
                        'e' => "3".into(),
                        's' => "5".into(),
                        _ => c.to_string(),
                    },
                    3 => format!("{c}{c}{c}"),
                    _ => c.to_string(),
                };
                // Mode 0: one masked inner letter; mode 1: every gap a space or a dot.
                if mode == 0 && i == n / 2 {
                    s = "*".into();
                }
                out.push_str(&s);
                if i + 1 < n {
                    match (mode, gap_moves[i]) {
                        (1, g) if g % 2 == 0 => out.push(' '),
                        (1, _) => out.push('.'),
                        (2, 0) => out.push('\u{200B}'),
                        _ => {}
                    }
                }
            }
            out
        })
}

proptest! {
    #[test]
    fn disguised_blocked_words_still_block(
        (word, text) in prop::sample::select(BLOCKED.to_vec())
            .prop_flat_map(|w| (Just(w), disguise(w)))
    ) {
        let message = format!("Yth. Bapak, {text} kamu");
        let verdict = guard().check(&message);
        prop_assert!(verdict.blocked, "{word} as {text:?}: {:?}", verdict.findings);
    }

    #[test]
    fn checking_never_panics_and_spans_are_char_boundaries(text in "\\PC{0,200}") {
        let verdict = guard().check(&text);
        for f in &verdict.findings {
            prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
            prop_assert_eq!(&text[f.span.clone()], f.matched.as_str());
        }
    }
}
