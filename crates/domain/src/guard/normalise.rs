//! Turns a message into a stream of normalised tokens, once, so every rule matches words
//! rather than substrings and no spelling game has to be handled rule by rule.
//!
//! Per token: lower case; accents and look-alike Cyrillic letters folded to a–z; leetspeak
//! digits and `@ $ !` read as letters inside words that have letters (`b4yar`, `b@ngsat`);
//! the Indonesian reduplication digit read as a repeat (`hati2` → `hati hati`); masking symbols inside a word
//! (`anj*ng`, `f#ck`, emoji) kept as `*` for wildcard matching, but stripped at the edges
//! (WhatsApp bold `*…*`); an emoji standing alone for a word read as it (`🐒` → `monyet`); zero-width characters removed; runs of a repeated letter
//! collapsed (`anjiiing` → `anjing`). Words spelled out letter by letter (`a n j i n g`,
//! `a.n.j.i.n.g`) are merged back into one token. Each token keeps its byte span in the
//! original text and the number of its sentence.

/// One word of the message after normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// The normalised form: a–z (or other letters), digits only in numbers, `*` for a mask.
    pub norm: String,
    /// Byte offset of the first character in the original text.
    pub start: usize,
    /// Byte offset just past the last character in the original text.
    pub end: usize,
    /// Sentence number, counted from 0; co-occurrence rules stay inside one sentence.
    pub sentence: u32,
}

impl Token {
    /// A number (`2026`, `378`): never read as leetspeak.
    pub fn is_number(&self) -> bool {
        self.norm.bytes().all(|b| b.is_ascii_digit())
    }

    /// Holds a masked letter (`anj*ng`).
    pub fn is_masked(&self) -> bool {
        self.norm.contains('*')
    }

    fn single_char(&self) -> Option<char> {
        let mut chars = self.norm.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    }

    fn is_single_letter(&self) -> bool {
        self.single_char().is_some_and(char::is_alphabetic)
    }

    /// A letter, or a digit that may be a leetspeak letter in a spelled-out word.
    fn is_spelling_piece(&self) -> bool {
        self.single_char()
            .is_some_and(|c| c.is_alphabetic() || (c.is_ascii_digit() && c != '2'))
    }
}

/// Characters that separate words inside a run of non-space characters.
fn is_splitter(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | '_'
            | ';'
            | ':'
            | '-'
            | '/'
            | '\\'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '?'
            | '<'
            | '>'
            | '='
            | '+'
            | '~'
            | '^'
            | '&'
            | '|'
            | '“'
            | '”'
            | '‘'
            | '«'
            | '»'
            | '…'
            | '–'
            | '—'
    )
}

/// Characters that end a sentence when they end a run of non-space characters.
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ';' | '…')
}

/// Characters that vanish without splitting a word: zero-width and soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Folds accented Latin and look-alike Cyrillic/Greek letters to ASCII, lower case.
fn fold(c: char) -> char {
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'а' | 'α' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'е' | 'ε' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'і' | 'ι' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ō' | 'о' | 'ο' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'υ' => 'u',
        'ç' | 'с' => 'c',
        'ñ' | 'η' => 'n',
        'р' | 'ρ' => 'p',
        'х' | 'χ' => 'x',
        'у' | 'ý' | 'ÿ' => 'y',
        'к' | 'κ' => 'k',
        'м' | 'μ' => 'm',
        'т' | 'τ' => 't',
        'в' | 'β' => 'b',
        'н' => 'h',
        other => other,
    }
}

/// The letter a leetspeak character stands for inside a word; `None` for the
/// reduplication digit `2`, which is dropped.
fn leet(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '6' => 'g',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        '@' => 'a',
        '$' => 's',
        '!' => 'i',
        '2' => return None,
        other => other,
    })
}

/// The word an emoji stands for when it replaces one (`🐒 lu`).
fn emoji_word(c: char) -> Option<&'static str> {
    Some(match c {
        '🐒' | '🐵' | '🦍' | '🦧' => "monyet",
        '🐷' | '🐖' | '🐽' => "babi",
        '🐶' | '🐕' => "anjing",
        '💩' => "tai",
        '🖕' => "fuck",
        '🔪' | '🗡' => "pisau",
        '🔫' => "pistol",
        '💣' => "bom",
        _ => return None,
    })
}

/// Normalises `text` into tokens (see the module documentation).
pub(crate) fn tokenise(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let mut sentence = 0u32;
    let mut chunk_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(start) = chunk_start.take() {
                if chunk(text, start, i, sentence, &mut tokens) {
                    sentence += 1;
                }
            }
            if c == '\n' {
                sentence += 1;
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(start) = chunk_start {
        chunk(text, start, text.len(), sentence, &mut tokens);
    }
    merge_spelled_out(tokens)
}

/// Splits one run of non-space characters into tokens; true if it ends a sentence.
fn chunk(text: &str, start: usize, end: usize, sentence: u32, out: &mut Vec<Token>) -> bool {
    let s = &text[start..end];
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let is_wordish = |k: usize| {
        chars
            .get(k)
            .is_some_and(|&(_, c)| c.is_alphanumeric() || c == '*')
    };
    let mut part_start: Option<usize> = None;
    let mut k = 0;
    while k < chars.len() {
        let (offset, c) = chars[k];
        // `!` and `'` join a word only between word characters (`b!tch`, `ma'af`).
        let inner = k > 0 && is_wordish(k - 1) && is_wordish(k + 1);
        let splits = is_splitter(c) || ((c == '!' || c == '\'' || c == '’') && !inner);
        if splits {
            if let Some(p) = part_start.take() {
                push_part(text, start + p, start + offset, sentence, out);
            }
        } else if part_start.is_none() {
            part_start = Some(offset);
        }
        k += 1;
    }
    if let Some(p) = part_start {
        push_part(text, start + p, end, sentence, out);
    }
    s.chars()
        .rev()
        .find(|c| !matches!(c, '*' | '_' | '~' | '"' | '\'' | ')' | '”' | '’'))
        .is_some_and(ends_sentence)
}

/// Normalises one word-like part and appends it unless nothing is left.
fn push_part(text: &str, start: usize, end: usize, sentence: u32, out: &mut Vec<Token>) {
    let raw = &text[start..end];
    let has_letter = raw.chars().any(char::is_alphabetic);
    let mut norm = String::with_capacity(raw.len());
    let mut last: Option<char> = None;
    for c in raw.chars() {
        if is_invisible(c) || c == '\'' || c == '’' {
            continue;
        }
        let mapped = if c.is_alphabetic() {
            Some(fold(c))
        } else if c.is_ascii_digit() {
            if has_letter {
                leet(c)
            } else {
                Some(c)
            }
        } else if has_letter && matches!(c, '@' | '$' | '!') {
            leet(c)
        } else if let Some(word) = emoji_word(c).filter(|_| !has_letter) {
            // A lone emoji standing for a word: the word, as its own token.
            norm.push_str(word);
            last = None;
            continue;
        } else {
            // Any other symbol inside a word masks a letter: `anj*ng`, `f#ck`, an emoji.
            Some('*')
        };
        let Some(m) = mapped else { continue };
        // Collapse repeated letters; keep repeated digits (numbers) and masks (counted).
        if m.is_alphabetic() && last == Some(m) {
            continue;
        }
        norm.push(m);
        last = Some(m);
    }
    let trimmed = norm.trim_matches('*');
    if trimmed.is_empty() || !trimmed.chars().any(|c| c.is_alphanumeric()) {
        return;
    }
    let norm = if trimmed.len() == norm.len() {
        norm
    } else {
        trimmed.to_string()
    };
    // A trailing `2` after letters writes reduplication (`hati2` = `hati-hati`).
    let doubled = has_letter && raw.ends_with('2');
    if doubled {
        out.push(Token {
            norm: norm.clone(),
            start,
            end,
            sentence,
        });
    }
    out.push(Token {
        norm,
        start,
        end,
        sentence,
    });
}

/// Merges runs of single characters in one sentence (`a n j i n g`, `b a n g s 4 t`)
/// when at least two of them are letters; digits in such a run are read as leetspeak.
fn merge_spelled_out(tokens: Vec<Token>) -> Vec<Token> {
    if !tokens.iter().any(Token::is_single_letter) {
        return tokens;
    }
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut run: Vec<Token> = Vec::new();
    let flush = |run: &mut Vec<Token>, out: &mut Vec<Token>| {
        let letters = run.iter().filter(|t| t.is_single_letter()).count();
        if run.len() >= 2 && letters >= 2 {
            let mut norm = String::new();
            for t in run.iter() {
                let c = t.single_char().unwrap_or('*');
                let c = if c.is_ascii_digit() {
                    leet(c).unwrap_or(c)
                } else {
                    c
                };
                if !norm.ends_with(c) {
                    norm.push(c);
                }
            }
            out.push(Token {
                norm,
                start: run[0].start,
                end: run[run.len() - 1].end,
                sentence: run[0].sentence,
            });
            run.clear();
        } else {
            out.append(run);
        }
    };
    for t in tokens {
        let continues = run.last().is_none_or(|last| last.sentence == t.sentence);
        if !(t.is_spelling_piece() && continues) {
            flush(&mut run, &mut out);
        }
        if t.is_spelling_piece() {
            run.push(t);
        } else {
            out.push(t);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        tokenise(text).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn case_accents_and_repeated_letters_are_normalised() {
        assert_eq!(norms("ANJIIIING Bàyar"), ["anjing", "bayar"]);
    }

    #[test]
    fn leetspeak_is_read_inside_words_but_numbers_stay_numbers() {
        assert_eq!(
            norms("b4yar t0l0l 4nj1ng b@ngsat 2026"),
            ["bayar", "tolol", "anjing", "bangsat", "2026"]
        );
        assert_eq!(norms("hati2 ya"), ["hati", "hati", "ya"]);
    }

    #[test]
    fn masks_inside_a_word_are_kept_and_whatsapp_bold_is_stripped() {
        assert_eq!(norms("anj*ng *Bapak*"), ["anj*ng", "bapak"]);
        assert_eq!(norms("f**k"), ["f**k"]);
    }

    #[test]
    fn spelled_out_words_are_merged_with_their_whole_span() {
        let text = "dasar a n j i n g kamu";
        let tokens = tokenise(text);
        assert_eq!(tokens[1].norm, "anjing");
        assert_eq!(&text[tokens[1].start..tokens[1].end], "a n j i n g");
        assert_eq!(norms("a.n.j.i.n.g"), ["anjing"]);
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "Yth. Bapak, mohon b4yar!";
        let tokens = tokenise(text);
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["Yth", "Bapak", "mohon", "b4yar"]);
    }

    #[test]
    fn sentences_are_counted_at_full_stops_and_new_lines() {
        let tokens = tokenise("Satu dua. Tiga\nempat");
        let s: Vec<u32> = tokens.iter().map(|t| t.sentence).collect();
        assert_eq!(s, [0, 0, 1, 2]);
    }

    #[test]
    fn an_emoji_standing_for_a_word_is_read_as_the_word() {
        assert_eq!(norms("🐒 lu"), ["monyet", "lu"]);
        assert_eq!(norms("bayar 🙏"), ["bayar"]);
    }

    #[test]
    fn zero_width_characters_do_not_split_a_word() {
        assert_eq!(norms("anj\u{200B}ing"), ["anjing"]);
    }
}
