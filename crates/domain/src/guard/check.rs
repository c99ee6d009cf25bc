//! The guard itself: one pass over a message's tokens, then the candidate patterns.
//!
//! Per message: tokenise once; look each token (and its candidate roots) up in one hash
//! map of normalised words; expand word hits to group hits; gather only the patterns whose
//! first item was hit; evaluate those. No regex, no per-rule scan of the text.

use std::ops::Range;

use serde::Serialize;

use super::lexicon::{Compiled, GroupId, LexiconError, RuleInfo, Severity, WordId};
use super::normalise::{tokenise, Token};
use super::stem::for_each_root;

/// The lexicon shipped with Sepakat (`data/guard/lexicon.toml`).
const SHIPPED_TOML: &str = include_str!("../../data/guard/lexicon.toml");

/// Tokens longer than this are never joined with a neighbour (`anj ing` → `anjing`).
const MAX_JOIN_PART: usize = 4;
/// How many filler words (`akan`, `kami`) may stand between a negator and what it negates.
const MAX_NEGATION_SKIP: usize = 4;

/// Checks outgoing text against the lexicon; build once, share freely (`Send + Sync`).
#[derive(Debug, Clone)]
pub struct Guard {
    lexicon: Compiled,
}

/// What the guard found in one text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// True if any finding has severity `block`: the text may not be sent.
    pub blocked: bool,
    /// Every finding, in text order.
    pub findings: Vec<Finding>,
}

/// One rule that matched, where, and how to rewrite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's code, e.g. `insult`.
    pub rule: String,
    /// Block or warn.
    pub severity: Severity,
    /// The words as written in the text (the text at `span`).
    pub matched: String,
    /// Byte range of the match in the original text.
    pub span: Range<usize>,
    /// Polite advice in Bahasa Indonesia on how to rewrite.
    pub reason: String,
}

/// A word found at a token, possibly spanning two tokens (`anj ing`).
#[derive(Clone, Copy)]
struct Hit {
    start: u32,
    end: u32,
    id: u32,
}

impl Guard {
    /// The guard with the shipped lexicon.
    pub fn shipped() -> Guard {
        // The shipped file is checked by a unit test, so a failure here is a build defect.
        Guard::from_toml(SHIPPED_TOML).expect("the shipped guard lexicon compiles")
    }

    /// The text of the shipped lexicon, to start a local override from.
    pub fn shipped_toml() -> &'static str {
        SHIPPED_TOML
    }

    /// A guard from lexicon TOML (the format of `data/guard/lexicon.toml`).
    pub fn from_toml(text: &str) -> Result<Guard, LexiconError> {
        Ok(Guard {
            lexicon: Compiled::from_toml(text)?,
        })
    }

    /// The rules, in lexicon order.
    pub fn rules(&self) -> impl Iterator<Item = &RuleInfo> {
        self.lexicon.rules.iter().map(|r| &r.info)
    }

    /// Checks one text.
    pub fn check(&self, text: &str) -> Verdict {
        let tokens = tokenise(text);
        let words = self.word_hits(&tokens);
        let groups = self.group_hits(&words);
        let mut candidates: Vec<u32> = groups
            .iter()
            .flat_map(|h| self.lexicon.by_anchor[h.id as usize].iter().copied())
            .collect();
        candidates.sort_unstable();
        candidates.dedup();

        let scan = Scan {
            tokens: &tokens,
            groups: &groups,
            lexicon: &self.lexicon,
        };
        let mut matches: Vec<(usize, usize, usize)> = Vec::new();
        for p in candidates {
            let pattern = &self.lexicon.patterns[p as usize];
            for (start, end) in scan.pattern_matches(pattern) {
                let overlaps = matches
                    .iter()
                    .any(|&(r, s, e)| r == pattern.rule && s < end && start < e);
                if !overlaps {
                    matches.push((pattern.rule, start, end));
                }
            }
        }
        matches.sort_by_key(|&(rule, start, _)| (start, rule));
        let findings: Vec<Finding> = matches
            .into_iter()
            .map(|(rule, start, end)| {
                let info = &self.lexicon.rules[rule].info;
                let span = tokens[start].start..tokens[end - 1].end;
                Finding {
                    rule: info.code.clone(),
                    severity: info.severity,
                    matched: text[span.clone()].to_string(),
                    span,
                    reason: info.reason.clone(),
                }
            })
            .collect();
        Verdict {
            blocked: findings.iter().any(|f| f.severity == Severity::Block),
            findings,
        }
    }

    /// Lexicon words at each token, in token order.
    fn word_hits(&self, tokens: &[Token]) -> Vec<Hit> {
        let lex = &self.lexicon;
        let mut hits = Vec::with_capacity(tokens.len());
        for (i, token) in tokens.iter().enumerate() {
            let first = hits.len();
            let at = i as u32;
            let push = |id: WordId, end: u32, hits: &mut Vec<Hit>| {
                if !hits[first..]
                    .iter()
                    .any(|h: &Hit| h.id == id && h.end == end)
                {
                    hits.push(Hit { start: at, end, id });
                }
            };
            if let Some(refs) = lex.vocab.get(token.norm.as_str()) {
                for r in refs {
                    push(r.id, at + 1, &mut hits);
                }
            }
            if token.is_number() {
                continue;
            }
            if token.is_masked() {
                let try_masked = |form: &str, hits: &mut Vec<Hit>| {
                    for (word, id) in &lex.standalone_words {
                        if masked_matches(form, word) {
                            push(*id, at + 1, hits);
                        }
                    }
                };
                try_masked(&token.norm, &mut hits);
                let mut roots = Vec::new();
                for_each_root(&token.norm, |r| roots.push(r.to_string()));
                for r in roots {
                    try_masked(&r, &mut hits);
                }
                continue;
            }
            for_each_root(&token.norm, |root| {
                if let Some(refs) = lex.vocab.get(root) {
                    for r in refs.iter().filter(|r| !r.exact) {
                        push(r.id, at + 1, &mut hits);
                    }
                }
            });
            if let Some(next) = tokens.get(i + 1) {
                if joinable(token, next) {
                    let joined = format!("{}{}", token.norm, next.norm);
                    if let Some(refs) = lex.vocab.get(joined.as_str()) {
                        for r in refs.iter().filter(|r| lex.standalone[r.id as usize]) {
                            push(r.id, at + 2, &mut hits);
                        }
                    }
                }
            }
        }
        hits
    }

    /// Group hits (a group member matched from a token), in token order.
    fn group_hits(&self, words: &[Hit]) -> Vec<Hit> {
        let lex = &self.lexicon;
        let mut out = Vec::with_capacity(words.len() * 2);
        for w in words {
            for &(g, m) in &lex.first_of[w.id as usize] {
                let member = &lex.members[g as usize][m as usize];
                if let Some(end) = member_end(words, &member[1..], w.end) {
                    out.push(Hit {
                        start: w.start,
                        end,
                        id: g,
                    });
                }
            }
        }
        out
    }
}

/// Where a member's remaining words end if they follow from token `at`.
fn member_end(words: &[Hit], rest: &[WordId], at: u32) -> Option<u32> {
    let Some((&next, tail)) = rest.split_first() else {
        return Some(at);
    };
    words
        .iter()
        .filter(|h| h.start == at && h.id == next)
        .find_map(|h| member_end(words, tail, h.end))
}

/// Two short alphabetic tokens in one sentence that may be one word split by a space.
fn joinable(a: &Token, b: &Token) -> bool {
    let short =
        |t: &Token| t.norm.len() <= MAX_JOIN_PART && t.norm.bytes().all(|c| c.is_ascii_lowercase());
    a.sentence == b.sentence && short(a) && short(b) && a.norm.len() + b.norm.len() >= 5
}

/// Whether a masked form (`anj*ng`, `f**k`) can be `word`: each run of k masks stands
/// for 1 to k+1 letters, and at least two letters, and no fewer letters than masks, show.
fn masked_matches(form: &str, word: &str) -> bool {
    let shown = form.bytes().filter(|&b| b != b'*').count();
    let masks = form.len() - shown;
    if shown < 2 || shown < masks || form.len() > word.len() + 1 || word.len() > form.len() + masks
    {
        return false;
    }
    glob(form.as_bytes(), word.as_bytes())
}

fn glob(form: &[u8], word: &[u8]) -> bool {
    match form.split_first() {
        None => word.is_empty(),
        Some((b'*', _)) => {
            let run = form.iter().take_while(|&&b| b == b'*').count();
            let rest = &form[run..];
            (1..=(run + 1).min(word.len())).any(|n| glob(rest, &word[n..]))
        }
        Some((&c, rest)) => word.first() == Some(&c) && glob(rest, &word[1..]),
    }
}

/// One message's tokens and group hits, for evaluating patterns.
struct Scan<'a> {
    tokens: &'a [Token],
    groups: &'a [Hit],
    lexicon: &'a Compiled,
}

impl Scan<'_> {
    fn has_group(&self, token: usize, group: GroupId) -> bool {
        self.groups
            .iter()
            .any(|h| h.start as usize == token && h.id == group)
    }

    /// Where a sequence of groups matches starting at `at`.
    fn sequence_end(&self, items: &[GroupId], at: u32) -> Option<u32> {
        let Some((&g, rest)) = items.split_first() else {
            return Some(at);
        };
        self.groups
            .iter()
            .filter(|h| h.start == at && h.id == g)
            .find_map(|h| self.sequence_end(rest, h.end))
    }

    fn occurrences(&self, items: &[GroupId]) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        for h in self.groups.iter().filter(|h| h.id == items[0]) {
            if let Some(end) = self.sequence_end(&items[1..], h.end) {
                if !out.iter().any(|&(s, _)| s == h.start as usize) {
                    out.push((h.start as usize, end as usize));
                }
            }
        }
        out
    }

    /// A negator (`tidak`, `jangan`) just before `start`, past at most a few fillers.
    fn negated(&self, start: usize) -> bool {
        let sentence = self.tokens[start].sentence;
        let mut skipped = 0;
        let mut j = start;
        while j > 0 {
            j -= 1;
            if self.tokens[j].sentence != sentence {
                return false;
            }
            if self.has_group(j, self.lexicon.negator) {
                return true;
            }
            if skipped < MAX_NEGATION_SKIP && self.has_group(j, self.lexicon.negation_skip) {
                skipped += 1;
                continue;
            }
            return false;
        }
        false
    }

    /// Token ranges where every element occurs in one sentence within the window.
    fn pattern_matches(&self, pattern: &super::lexicon::Pattern) -> Vec<(usize, usize)> {
        let rule = &self.lexicon.rules[pattern.rule];
        let occurrences: Vec<Vec<(usize, usize)>> = pattern
            .elements
            .iter()
            .map(|items| self.occurrences(items))
            .collect();
        if occurrences.iter().any(Vec::is_empty) {
            return Vec::new();
        }
        let window = self.lexicon.window;
        let mut out = Vec::new();
        'first: for &(s0, e0) in &occurrences[0] {
            let sentence = self.tokens[s0].sentence;
            let (mut lo, mut hi, mut end) = (s0, s0, e0);
            let mut chosen = vec![(s0, e0)];
            for occ in &occurrences[1..] {
                let best = occ
                    .iter()
                    .filter(|&&(s, _)| self.tokens[s].sentence == sentence)
                    .min_by_key(|&&(s, _)| hi.max(s) - lo.min(s));
                let Some(&(s, e)) = best else { continue 'first };
                lo = lo.min(s);
                hi = hi.max(s);
                end = end.max(e);
                chosen.push((s, e));
            }
            if hi - lo > window {
                continue;
            }
            if rule.negatable && chosen.iter().any(|&(s, _)| self.negated(s)) {
                continue;
            }
            out.push((lo, end));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_stand_for_a_few_letters_only() {
        assert!(masked_matches("anj*ng", "anjing"));
        assert!(masked_matches("f*ck", "fuck"));
        assert!(masked_matches("k*nt*l", "kontol"));
        assert!(!masked_matches("****", "anjing"));
        assert!(!masked_matches("a*", "anjing"));
        assert!(!masked_matches("anj*ng", "anjingan"));
    }

    #[test]
    fn the_guard_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Guard>();
    }
}
