//! The objection playbook: for each common reason a debtor gives for not paying, what to
//! ask and what to answer, in Bahasa Indonesia, following the seeds: listen, empathise,
//! focus on interests, offer options, agree a deadline. Polite, never threatening.
//!
//! The library is data (`crates/domain/data/playbook.toml`, embedded); a creditor may load
//! its own file with the same shape. Entries are keyed by a `ReasonCode`, the delinquency
//! reason the collector picks in the workspace.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::offer::OfferKind;

/// A delinquency reason code: 1–40 characters of `a-z`, `0-9` and `_` (`kena_phk`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReasonCode(String);

impl ReasonCode {
    /// Parses a code.
    pub fn parse(text: &str) -> Result<ReasonCode, PlaybookError> {
        let ok = (1..=40).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if ok {
            Ok(ReasonCode(text.to_string()))
        } else {
            Err(PlaybookError(format!(
                "{text:?} is not a reason code (1-40 of a-z, 0-9, _)"
            )))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ReasonCode {
    type Error = PlaybookError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ReasonCode::parse(&value)
    }
}

impl From<ReasonCode> for String {
    fn from(value: ReasonCode) -> String {
        value.0
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One objection and how to handle it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objection {
    /// The reason code.
    pub code: ReasonCode,
    /// What the debtor says, as the collector would pick it ("Belum gajian").
    pub label: String,
    /// Listen: what to find out before answering.
    pub listen: String,
    /// Empathise: a sentence that acknowledges the debtor's situation.
    pub empathise: String,
    /// Questions that uncover the debtor's interests and tell honest hardship from evasion.
    pub questions: Vec<String>,
    /// Answers that focus on interests and propose a way forward.
    pub answers: Vec<String>,
    /// The option kinds worth offering first.
    pub options: Vec<OfferKind>,
    /// How to close: the deadline or next contact to agree.
    pub deadline: String,
    /// The delinquency reasons (as logged with an interaction) this objection usually
    /// comes with; the workspace opens it when the collector picks one of them.
    #[serde(default)]
    pub reasons: Vec<crate::interaction::Reason>,
}

/// The library of objections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    /// The objections, in the order the workspace lists them.
    #[serde(rename = "objection")]
    pub objections: Vec<Objection>,
}

/// A playbook file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("playbook: {0}")]
pub struct PlaybookError(pub String);

const SHIPPED: &str = include_str!("../../data/playbook.toml");

impl Playbook {
    /// The playbook shipped with Sepakat.
    pub fn shipped() -> Playbook {
        Playbook::from_toml(SHIPPED).expect("the shipped playbook is valid (tested)")
    }

    /// Parses and checks a playbook: unique codes, nothing left blank.
    pub fn from_toml(text: &str) -> Result<Playbook, PlaybookError> {
        let book: Playbook = toml::from_str(text).map_err(|e| PlaybookError(e.to_string()))?;
        for (i, o) in book.objections.iter().enumerate() {
            if book.objections[..i].iter().any(|p| p.code == o.code) {
                return Err(PlaybookError(format!("{}: code appears twice", o.code)));
            }
            let blank = |s: &String| s.trim().is_empty();
            if blank(&o.label) || blank(&o.listen) || blank(&o.empathise) || blank(&o.deadline) {
                return Err(PlaybookError(format!("{}: a text is blank", o.code)));
            }
            if o.questions.is_empty() || o.answers.is_empty() || o.options.is_empty() {
                return Err(PlaybookError(format!(
                    "{}: questions, answers and options need at least one entry",
                    o.code
                )));
            }
            if o.questions.iter().chain(&o.answers).any(blank) {
                return Err(PlaybookError(format!(
                    "{}: a question or answer is blank",
                    o.code
                )));
            }
        }
        Ok(book)
    }

    /// The entry for a reason.
    pub fn get(&self, code: &ReasonCode) -> Option<&Objection> {
        self.objections.iter().find(|o| &o.code == code)
    }

    /// The entries that come with a delinquency reason, in playbook order.
    pub fn for_reason(
        &self,
        reason: crate::interaction::Reason,
    ) -> impl Iterator<Item = &Objection> + '_ {
        self.objections
            .iter()
            .filter(move |o| o.reasons.contains(&reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_playbook_covers_the_objections_the_issue_names() {
        let book = Playbook::shipped();
        for code in [
            "belum_gajian",
            "usaha_sepi",
            "kena_phk",
            "sedang_sakit",
            "tagihan_tidak_sesuai",
            "sudah_bayar",
            "nanti_saja",
        ] {
            let code = ReasonCode::parse(code).unwrap();
            assert!(book.get(&code).is_some(), "{code} missing");
        }
        assert!(book.objections.len() >= 10);
    }

    #[test]
    fn the_shipped_playbook_never_threatens_or_shames() {
        // Words a polite, lawful collector never uses (POJK 22/2023 art. 62). The message
        // guard checks sent messages; this keeps the library itself clean.
        let forbidden = [
            "ancam",
            "penjara",
            "polisi",
            "sebarkan",
            "viral",
            "malu",
            "bodoh",
            "tolol",
            "preman",
            "sita paksa",
            "kurung",
            "pidana",
        ];
        let book = Playbook::shipped();
        for o in &book.objections {
            let text = [&o.label, &o.listen, &o.empathise, &o.deadline]
                .into_iter()
                .chain(&o.questions)
                .chain(&o.answers)
                .map(|s| s.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ");
            for word in forbidden {
                assert!(!text.contains(word), "{}: contains {word:?}", o.code);
            }
        }
    }

    #[test]
    fn every_reason_a_debtor_can_talk_about_opens_an_entry() {
        use crate::interaction::Reason;
        let book = Playbook::shipped();
        for reason in Reason::ALL {
            // A death is handled with the family and a pause, not with objection answers.
            if *reason == Reason::Deceased {
                assert_eq!(book.for_reason(*reason).count(), 0);
                continue;
            }
            assert!(
                book.for_reason(*reason).count() > 0,
                "no playbook entry for {reason}"
            );
        }
    }

    #[test]
    fn every_entry_follows_the_seed_steps() {
        for o in &Playbook::shipped().objections {
            assert!(o.questions.iter().any(|q| q.ends_with('?')), "{}", o.code);
            assert!(!o.answers.is_empty(), "{}", o.code);
        }
    }

    #[test]
    fn duplicate_codes_and_blank_texts_are_refused() {
        let entry = r#"
[[objection]]
code = "lupa"
label = "Lupa"
listen = "Dengarkan."
empathise = "Saya mengerti."
questions = ["Kapan bisa?"]
answers = ["Kita atur."]
options = ["full_payoff"]
deadline = "Hari ini."
"#;
        assert!(Playbook::from_toml(entry).is_ok());
        let twice = format!("{entry}{entry}");
        assert_eq!(
            Playbook::from_toml(&twice).unwrap_err().to_string(),
            "playbook: lupa: code appears twice"
        );
        let blank = entry.replace("Saya mengerti.", " ");
        assert_eq!(
            Playbook::from_toml(&blank).unwrap_err().to_string(),
            "playbook: lupa: a text is blank"
        );
        let bad_code = entry.replace("\"lupa\"", "\"Lupa Bayar\"");
        assert!(Playbook::from_toml(&bad_code).is_err());
    }
}
