//! The guard's lexicon and rules as data (TOML), and their compiled, matchable form.
//!
//! The file has named word groups and rules. A rule lists patterns; a pattern is one or
//! more elements joined by `~` (all must occur in one sentence, within `window` words of
//! each other, in any order); an element is a sequence of adjacent items; an item is a
//! word or `@group`; a group may include another (`@family`). Words are written as a person would and normalised like a message,
//! so `hati-hati` or `kantor polisi` are sequences. A word written `=mati` matches only
//! that exact form, not `matikan` (no affix stripping). See `docs/guard.md`.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use super::normalise::tokenise;

/// Whether a finding stops the message or only warns the collector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The message may not be sent until rewritten.
    Block,
    /// The message may be sent, but the collector is told how to make it more polite.
    Warn,
}

/// What a rule is, for screens and documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// Stable code, e.g. `threat_violence`.
    pub code: String,
    /// Name in Bahasa Indonesia.
    pub name_id: String,
    /// Name in English.
    pub name_en: String,
    /// Block or warn.
    pub severity: Severity,
    /// Polite advice, in Bahasa Indonesia, on how to rewrite a message this rule stops.
    pub reason: String,
}

/// A lexicon the guard cannot use; the message names the rule, pattern or group.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LexiconError {
    /// The text is not TOML of the expected shape.
    #[error("guard lexicon is not valid: {0}")]
    Syntax(String),
    /// A `version` this build does not understand.
    #[error("guard lexicon version {0} is not supported (expected 1)")]
    Version(u32),
    /// `window` is zero.
    #[error("guard lexicon: window must be at least 1 word")]
    Window,
    /// No `[[rule]]` at all.
    #[error("guard lexicon has no rules")]
    NoRules,
    /// Two rules with one code.
    #[error("guard lexicon: rule code {0:?} appears twice")]
    DuplicateRule(String),
    /// A pattern or group names a group that does not exist.
    #[error("guard lexicon: {place}, {written:?}: unknown group @{group}")]
    UnknownGroup {
        /// The rule or group it is in.
        place: String,
        /// The pattern or member as written.
        written: String,
        /// The missing group's name.
        group: String,
    },
    /// Groups that include each other.
    #[error("guard lexicon: group {0:?} includes itself")]
    GroupCycle(String),
    /// A pattern with an empty element (`a ~ ~ b`, or nothing at all).
    #[error("guard lexicon: rule {rule:?}, pattern {pattern:?} has an empty element")]
    EmptyPattern {
        /// The rule's code.
        rule: String,
        /// The pattern as written.
        pattern: String,
    },
    /// A word with nothing left after normalisation (only punctuation).
    #[error("guard lexicon: {place}: {word:?} has no letters or digits")]
    EmptyWord {
        /// The group or rule it is in.
        place: String,
        /// The word as written.
        word: String,
    },
    /// A group without words.
    #[error("guard lexicon: group {0:?} is empty")]
    EmptyGroup(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    version: u32,
    window: usize,
    negation: NegationFile,
    groups: BTreeMap<String, Vec<String>>,
    rule: Vec<RuleFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NegationFile {
    words: Vec<String>,
    skip: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    code: String,
    name_id: String,
    name_en: String,
    severity: Severity,
    #[serde(default)]
    negatable: bool,
    reason: String,
    patterns: Vec<String>,
}

/// Index of a distinct (normalised word, exact-only) pair.
pub(crate) type WordId = u32;
/// Index of a group (named, internal, or a single literal word).
pub(crate) type GroupId = u32;

/// FNV-1a: the keys are short words, where SipHash's setup cost dominates.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A word in the vocabulary and whether it matches only its exact form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordRef {
    pub id: WordId,
    pub exact: bool,
}

/// A pattern compiled to group sequences.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub rule: usize,
    pub elements: Vec<Vec<GroupId>>,
}

/// A rule with what matching needs beside its public description.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub info: RuleInfo,
    pub negatable: bool,
}

/// The lexicon compiled for matching: built once, read by every check.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub window: usize,
    pub vocab: HashMap<Box<str>, Vec<WordRef>, BuildHasherDefault<Fnv>>,
    /// Words that block or warn on their own: the only ones tried against masked tokens
    /// and against two short tokens joined (`anj ing`).
    pub standalone: Vec<bool>,
    pub standalone_words: Vec<(Box<str>, WordId)>,
    /// For each word, the (group, member) pairs whose member starts with it.
    pub first_of: Vec<Vec<(GroupId, u32)>>,
    /// Group members as word sequences.
    pub members: Vec<Vec<Vec<WordId>>>,
    pub negator: GroupId,
    pub negation_skip: GroupId,
    pub patterns: Vec<Pattern>,
    /// For each group, the patterns whose first item it is.
    pub by_anchor: Vec<Vec<u32>>,
    pub rules: Vec<Rule>,
}

struct Builder {
    words: HashMap<(String, bool), WordId>,
    word_text: Vec<(String, bool)>,
    members: Vec<Vec<Vec<WordId>>>,
    named: HashMap<String, GroupId>,
    literal: HashMap<(String, bool), GroupId>,
}

impl Builder {
    fn word(&mut self, norm: &str, exact: bool) -> WordId {
        let key = (norm.to_string(), exact);
        if let Some(&id) = self.words.get(&key) {
            return id;
        }
        let id = self.word_text.len() as WordId;
        self.word_text.push(key.clone());
        self.words.insert(key, id);
        id
    }

    /// Normalises a written word or phrase into word ids (`=` marks exact forms).
    fn phrase(&mut self, place: &str, written: &str) -> Result<Vec<WordId>, LexiconError> {
        let (exact, text) = match written.trim().strip_prefix('=') {
            Some(rest) => (true, rest),
            None => (false, written.trim()),
        };
        let tokens = tokenise(text);
        if tokens.is_empty() {
            return Err(LexiconError::EmptyWord {
                place: place.to_string(),
                word: written.to_string(),
            });
        }
        Ok(tokens.iter().map(|t| self.word(&t.norm, exact)).collect())
    }

    fn new_group(&mut self, members: Vec<Vec<WordId>>) -> GroupId {
        self.members.push(members);
        (self.members.len() - 1) as GroupId
    }

    /// Compiles a group's members; `@other` includes another group's members.
    fn members_of(
        &mut self,
        name: &str,
        words: &[String],
        all: &BTreeMap<String, Vec<String>>,
        visiting: &mut Vec<String>,
    ) -> Result<Vec<Vec<WordId>>, LexiconError> {
        if words.is_empty() {
            return Err(LexiconError::EmptyGroup(name.to_string()));
        }
        let place = format!("group {name:?}");
        let mut members = Vec::with_capacity(words.len());
        for written in words {
            if let Some(other) = written.trim().strip_prefix('@') {
                let g = self
                    .named_group(other, all, visiting)
                    .map_err(|e| match e {
                        LexiconError::UnknownGroup { group, .. } if group == other => {
                            LexiconError::UnknownGroup {
                                place: place.clone(),
                                written: written.clone(),
                                group,
                            }
                        }
                        e => e,
                    })?;
                members.extend(self.members[g as usize].clone());
            } else {
                members.push(self.phrase(&place, written)?);
            }
        }
        Ok(members)
    }

    /// The id of a named group, compiling it (and the groups it includes) on first use.
    fn named_group(
        &mut self,
        name: &str,
        all: &BTreeMap<String, Vec<String>>,
        visiting: &mut Vec<String>,
    ) -> Result<GroupId, LexiconError> {
        if let Some(&g) = self.named.get(name) {
            return Ok(g);
        }
        let words = all.get(name).ok_or_else(|| LexiconError::UnknownGroup {
            place: "groups".to_string(),
            written: format!("@{name}"),
            group: name.to_string(),
        })?;
        if visiting.iter().any(|v| v == name) {
            return Err(LexiconError::GroupCycle(name.to_string()));
        }
        visiting.push(name.to_string());
        let members = self.members_of(name, words, all, visiting)?;
        visiting.pop();
        let g = self.new_group(members);
        self.named.insert(name.to_string(), g);
        Ok(g)
    }

    fn literal_group(&mut self, word: WordId) -> GroupId {
        let key = self.word_text[word as usize].clone();
        if let Some(&g) = self.literal.get(&key) {
            return g;
        }
        let g = self.new_group(vec![vec![word]]);
        self.literal.insert(key, g);
        g
    }

    fn pattern(
        &mut self,
        rule: &RuleFile,
        written: &str,
    ) -> Result<Vec<Vec<GroupId>>, LexiconError> {
        let empty = || LexiconError::EmptyPattern {
            rule: rule.code.clone(),
            pattern: written.to_string(),
        };
        let mut elements = Vec::new();
        for element in written.split('~') {
            let mut items = Vec::new();
            for item in element.split_whitespace() {
                if let Some(name) = item.strip_prefix('@') {
                    let g = *self
                        .named
                        .get(name)
                        .ok_or_else(|| LexiconError::UnknownGroup {
                            place: format!("rule {:?}", rule.code),
                            written: written.to_string(),
                            group: name.to_string(),
                        })?;
                    items.push(g);
                } else {
                    let place = format!("rule {:?}", rule.code);
                    for w in self.phrase(&place, item)? {
                        items.push(self.literal_group(w));
                    }
                }
            }
            if items.is_empty() {
                return Err(empty());
            }
            elements.push(items);
        }
        Ok(elements)
    }
}

impl Compiled {
    /// Parses and compiles lexicon TOML.
    pub(crate) fn from_toml(text: &str) -> Result<Compiled, LexiconError> {
        let file: LexiconFile =
            toml::from_str(text).map_err(|e| LexiconError::Syntax(e.to_string()))?;
        if file.version != 1 {
            return Err(LexiconError::Version(file.version));
        }
        if file.window == 0 {
            return Err(LexiconError::Window);
        }
        if file.rule.is_empty() {
            return Err(LexiconError::NoRules);
        }
        let mut b = Builder {
            words: HashMap::new(),
            word_text: Vec::new(),
            members: Vec::new(),
            named: HashMap::new(),
            literal: HashMap::new(),
        };
        for name in file.groups.keys() {
            b.named_group(name, &file.groups, &mut Vec::new())?;
        }
        let negators = b.members_of(
            "negation.words",
            &file.negation.words,
            &file.groups,
            &mut Vec::new(),
        )?;
        let negator = b.new_group(negators);
        let skips = b.members_of(
            "negation.skip",
            &file.negation.skip,
            &file.groups,
            &mut Vec::new(),
        )?;
        let negation_skip = b.new_group(skips);

        let mut rules = Vec::with_capacity(file.rule.len());
        let mut patterns = Vec::new();
        for (index, rule) in file.rule.iter().enumerate() {
            if rules.iter().any(|r: &Rule| r.info.code == rule.code) {
                return Err(LexiconError::DuplicateRule(rule.code.clone()));
            }
            if rule.patterns.is_empty() {
                return Err(LexiconError::EmptyPattern {
                    rule: rule.code.clone(),
                    pattern: String::new(),
                });
            }
            for written in &rule.patterns {
                let elements = b.pattern(rule, written)?;
                patterns.push(Pattern {
                    rule: index,
                    elements,
                });
            }
            rules.push(Rule {
                info: RuleInfo {
                    code: rule.code.clone(),
                    name_id: rule.name_id.clone(),
                    name_en: rule.name_en.clone(),
                    severity: rule.severity,
                    reason: rule.reason.clone(),
                },
                negatable: rule.negatable,
            });
        }

        let word_count = b.word_text.len();
        let mut vocab: HashMap<Box<str>, Vec<WordRef>, BuildHasherDefault<Fnv>> =
            HashMap::default();
        for (id, (norm, exact)) in b.word_text.iter().enumerate() {
            vocab
                .entry(norm.as_str().into())
                .or_default()
                .push(WordRef {
                    id: id as WordId,
                    exact: *exact,
                });
        }
        let mut first_of = vec![Vec::new(); word_count];
        for (g, members) in b.members.iter().enumerate() {
            for (m, member) in members.iter().enumerate() {
                first_of[member[0] as usize].push((g as GroupId, m as u32));
            }
        }
        let mut standalone = vec![false; word_count];
        let mut by_anchor = vec![Vec::new(); b.members.len()];
        for (p, pattern) in patterns.iter().enumerate() {
            by_anchor[pattern.elements[0][0] as usize].push(p as u32);
            if let [element] = pattern.elements.as_slice() {
                if let [g] = element.as_slice() {
                    for member in &b.members[*g as usize] {
                        if let [w] = member.as_slice() {
                            standalone[*w as usize] = true;
                        }
                    }
                }
            }
        }
        let standalone_words = b
            .word_text
            .iter()
            .enumerate()
            .filter(|(id, _)| standalone[*id])
            .map(|(id, (norm, _))| (norm.as_str().into(), id as WordId))
            .collect();
        Ok(Compiled {
            window: file.window,
            vocab,
            standalone,
            standalone_words,
            first_of,
            members: b.members,
            negator,
            negation_skip,
            patterns,
            by_anchor,
            rules,
        })
    }
}
