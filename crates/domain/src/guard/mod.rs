//! The message guard: checks every outgoing text before it can be sent.
//!
//! POJK 22/2023 art. 62 forbids collecting with threats, violence, humiliation, physical or
//! verbal pressure, and from anyone other than the debtor; the seeds say it plainly:
//! "TIDAK PERNAH menagih secara kasar atau mengancam". The guard blocks threats of violence,
//! spreading personal data, shaming to contacts, family or employer, false legal claims
//! (police or jail for a civil debt), impersonating authorities or courts, insults, sexual
//! harassment and collecting through third parties, through Indonesian slang, abbreviations
//! and spelling games. It lets firm, polite notices through: penalties, SLIK OJK reporting,
//! civil legal process, warning letters, announced visits. Each finding names the rule, the
//! words as written and a polite suggestion, so the collector can rewrite.
//!
//! The lexicon and rules are data (`data/guard/lexicon.toml`, the team's own); a `Guard`
//! compiles them once and then checks any number of texts from any thread. See
//! `docs/guard.md` for the rules, the normalisation and the evaluation figures.

mod check;
mod lexicon;
mod normalise;
mod stem;

#[cfg(test)]
mod guard_props;
#[cfg(test)]
mod guard_tests;

pub use check::{Finding, Guard, Verdict};
pub use lexicon::{LexiconError, RuleInfo, Severity};
