//! What a strategy rule decides for an account: one action for the day (a contact on a
//! channel, a warning letter, a field visit, an agency placement, a legal review, or
//! nothing), optionally with the message or letter template to use.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::compliance::Channel;

/// The action a strategy plans for an account on the run's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Nothing today.
    None,
    /// A desk call.
    Call,
    /// A WhatsApp message.
    Whatsapp,
    /// An SMS.
    Sms,
    /// An email.
    Email,
    /// First warning letter (surat peringatan 1).
    LetterSp1,
    /// Second warning letter.
    LetterSp2,
    /// Third warning letter.
    LetterSp3,
    /// Formal demand (somasi, KUHPerdata art. 1238).
    LetterSomasi,
    /// A field collector's visit.
    FieldVisit,
    /// Placement with an external collection agency.
    Agency,
    /// Hand the file to the legal team for review.
    LegalReview,
}

/// A text that is not an action code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an action; expected one of: {list}", list = Action::codes())]
pub struct ActionError(pub String);

/// Who works an action that needs a person: a desk collector or a field collector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectorKind {
    /// Calls from the office.
    Desk,
    /// Visits addresses.
    Field,
}

impl CollectorKind {
    /// Parses `desk` or `field`.
    pub fn parse(text: &str) -> Option<CollectorKind> {
        match text {
            "desk" => Some(CollectorKind::Desk),
            "field" => Some(CollectorKind::Field),
            _ => None,
        }
    }
}

impl Action {
    /// Every action, in declaration order (reports index by position).
    pub const ALL: &'static [Action] = &[
        Action::None,
        Action::Call,
        Action::Whatsapp,
        Action::Sms,
        Action::Email,
        Action::LetterSp1,
        Action::LetterSp2,
        Action::LetterSp3,
        Action::LetterSomasi,
        Action::FieldVisit,
        Action::Agency,
        Action::LegalReview,
    ];

    /// The stable code stored in the queue and written in strategy files.
    pub const fn code(self) -> &'static str {
        match self {
            Action::None => "none",
            Action::Call => "call",
            Action::Whatsapp => "whatsapp",
            Action::Sms => "sms",
            Action::Email => "email",
            Action::LetterSp1 => "letter_sp1",
            Action::LetterSp2 => "letter_sp2",
            Action::LetterSp3 => "letter_sp3",
            Action::LetterSomasi => "letter_somasi",
            Action::FieldVisit => "field_visit",
            Action::Agency => "agency",
            Action::LegalReview => "legal_review",
        }
    }

    /// Parses a code.
    pub fn parse(text: &str) -> Result<Action, ActionError> {
        Action::ALL
            .iter()
            .copied()
            .find(|a| a.code() == text)
            .ok_or_else(|| ActionError(text.to_string()))
    }

    /// The position in `ALL`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The channel through which this action reaches the debtor, for the compliance gate;
    /// `None` for internal tasks (agency placement, legal review) and for no action.
    pub const fn channel(self) -> Option<Channel> {
        match self {
            Action::Call => Some(Channel::Call),
            Action::Whatsapp => Some(Channel::Whatsapp),
            Action::Sms => Some(Channel::Sms),
            Action::Email => Some(Channel::Email),
            Action::LetterSp1 | Action::LetterSp2 | Action::LetterSp3 | Action::LetterSomasi => {
                Some(Channel::Letter)
            }
            Action::FieldVisit => Some(Channel::FieldVisit),
            Action::None | Action::Agency | Action::LegalReview => None,
        }
    }

    /// Which kind of collector must be allocated to it, if any.
    pub const fn collector(self) -> Option<CollectorKind> {
        match self {
            Action::Call => Some(CollectorKind::Desk),
            Action::FieldVisit => Some(CollectorKind::Field),
            _ => None,
        }
    }

    fn codes() -> String {
        Action::ALL
            .iter()
            .map(|a| a.code())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_codes_round_trip_and_unknown_codes_list_the_known_ones() {
        for (i, a) in Action::ALL.iter().enumerate() {
            assert_eq!(Action::parse(a.code()), Ok(*a));
            assert_eq!(a.index(), i);
        }
        let err = Action::parse("pigeon").unwrap_err().to_string();
        assert!(err.starts_with("\"pigeon\" is not an action; expected one of: none, call"));
    }

    #[test]
    fn letters_go_by_post_and_only_calls_and_visits_need_a_collector() {
        assert_eq!(Action::LetterSomasi.channel(), Some(Channel::Letter));
        assert_eq!(Action::Agency.channel(), None);
        assert_eq!(Action::Call.collector(), Some(CollectorKind::Desk));
        assert_eq!(Action::FieldVisit.collector(), Some(CollectorKind::Field));
        assert_eq!(Action::Whatsapp.collector(), None);
    }
}
