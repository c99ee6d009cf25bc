//! Who is contacted, how, and why: the channels, parties and purposes the gate reasons
//! about. Codes are the stable snake_case names used in configuration, the CLI and logs.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A text that names no known channel, party or purpose.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a {what}; expected one of: {expected}")]
pub struct CodeError {
    /// What was being parsed (`channel`, `party`, `purpose`).
    pub what: &'static str,
    /// The rejected text.
    pub text: String,
    /// The accepted codes, comma-separated.
    pub expected: String,
}

macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $code:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable snake_case code.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }

            /// Parses a code, case-insensitive, accepting `-` or space for `_`.
            pub fn parse(text: &str) -> Result<$name, CodeError> {
                let norm = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == norm)
                    .ok_or_else(|| CodeError {
                        what: $what,
                        text: text.to_string(),
                        expected: $name::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", "),
                    })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $name {
            type Err = CodeError;
            fn from_str(text: &str) -> Result<$name, CodeError> {
                $name::parse(text)
            }
        }
    };
}

pub(crate) use coded_enum;

coded_enum! {
    /// A way of reaching a person.
    Channel, "channel" {
        /// A phone call attempt (answered or not).
        Call => "call",
        /// A WhatsApp message.
        Whatsapp => "whatsapp",
        /// An SMS.
        Sms => "sms",
        /// An email.
        Email => "email",
        /// A field collector's visit to the address.
        FieldVisit => "field_visit",
        /// A letter posted by mail (SP1–SP3, somasi).
        Letter => "letter",
    }
}

coded_enum! {
    /// The person contacted, relative to the debtor.
    Party, "party" {
        /// The debtor (nasabah / debitur) in person.
        Debtor => "debtor",
        /// An emergency contact (kontak darurat) the debtor named.
        EmergencyContact => "emergency_contact",
        /// A family member who is not the debtor.
        Family => "family",
        /// The debtor's employer.
        Employer => "employer",
        /// A guarantor (penjamin); a third party unless the policy says otherwise.
        Guarantor => "guarantor",
    }
}

coded_enum! {
    /// Why the contact is made; decides what may be said to a third party.
    Purpose, "purpose" {
        /// Collecting: the debt, its amount or arrears are discussed.
        Collection => "collection",
        /// The whereabouts script: only asks where the debtor can be reached; no debt details.
        Whereabouts => "whereabouts",
    }
}

impl Party {
    /// Whether this is someone other than the debtor.
    pub const fn is_third_party(self) -> bool {
        !matches!(self, Party::Debtor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_codes_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()), Ok(*c));
            assert_eq!(c.to_string().parse::<Channel>(), Ok(*c));
        }
        assert_eq!(Channel::parse(" Field-Visit "), Ok(Channel::FieldVisit));
        assert_eq!(Channel::parse("WhatsApp"), Ok(Channel::Whatsapp));
    }

    #[test]
    fn unknown_channel_names_the_accepted_codes() {
        let err = Channel::parse("pigeon").unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"pigeon\" is not a channel; expected one of: call, whatsapp, sms, email, field_visit, letter"
        );
        assert!(Channel::parse("").is_err());
    }

    #[test]
    fn only_the_debtor_is_not_a_third_party() {
        let third: Vec<Party> = Party::ALL
            .iter()
            .copied()
            .filter(|p| p.is_third_party())
            .collect();
        assert_eq!(third.len(), Party::ALL.len() - 1);
        assert!(!Party::Debtor.is_third_party());
        assert_eq!(
            Party::parse("emergency contact"),
            Ok(Party::EmergencyContact)
        );
        assert!(Purpose::parse("threaten").is_err());
    }
}
