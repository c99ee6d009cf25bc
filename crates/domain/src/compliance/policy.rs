//! The contact policy a creditor configures: contact days and hours, per-channel windows,
//! frequency caps, and the switches the regulations leave to the company. Every field has
//! the default documented in `docs/compliance.md`; callers load it (JSON/TOML) and pass it in.

use std::collections::BTreeMap;

use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use super::channel::Channel;

/// A local time-of-day window, start included, end excluded (`08:00–20:00` allows
/// 19:59:59 and refuses 20:00:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeWindow {
    /// The first allowed local time.
    pub start: NaiveTime,
    /// The first local time no longer allowed.
    pub end: NaiveTime,
}

impl TimeWindow {
    /// A window from `start` (included) to `end` (excluded); `start` must be before `end`.
    pub fn new(start: NaiveTime, end: NaiveTime) -> Result<TimeWindow, PolicyError> {
        let w = TimeWindow { start, end };
        w.check("window")?;
        Ok(w)
    }

    /// A window from whole hours, e.g. `hours(8, 20)`; `end` may be 24 (midnight).
    pub fn hours(start: u32, end: u32) -> Result<TimeWindow, PolicyError> {
        let time = |h: u32| {
            if h == 24 {
                // The last representable instant of the day stands in for 24:00.
                NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999)
            } else {
                NaiveTime::from_hms_opt(h, 0, 0)
            }
        };
        match (time(start), time(end)) {
            (Some(s), Some(e)) => TimeWindow::new(s, e),
            _ => Err(PolicyError(format!("hours {start}–{end} are not 0–24"))),
        }
    }

    /// Whether a local time falls inside the window.
    pub fn contains(&self, t: NaiveTime) -> bool {
        self.start <= t && t < self.end
    }

    fn check(&self, what: &str) -> Result<(), PolicyError> {
        if self.start < self.end {
            Ok(())
        } else {
            Err(PolicyError(format!(
                "{what}: start {} is not before end {}",
                self.start, self.end
            )))
        }
    }
}

/// A contact policy that cannot be used; the text names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid contact policy: {0}")]
pub struct PolicyError(pub String);

/// The rules for one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChannelRule {
    /// Whether the creditor uses this channel at all.
    pub enabled: bool,
    /// Whether contact days, hours and holidays apply (false for posted letters).
    pub time_gated: bool,
    /// A window replacing the policy's general window for this channel.
    pub window: Option<TimeWindow>,
    /// At most this many attempts per debtor-local day; `None` = no daily cap.
    pub per_day: Option<u32>,
    /// At most this many attempts per debtor-local week (Monday–Sunday); `None` = no cap.
    pub per_week: Option<u32>,
}

impl Default for ChannelRule {
    fn default() -> ChannelRule {
        ChannelRule {
            enabled: true,
            time_gated: true,
            window: None,
            per_day: None,
            per_week: None,
        }
    }
}

impl ChannelRule {
    /// The shipped rule for a channel (see `docs/compliance.md` for the reasons).
    pub fn default_for(channel: Channel) -> ChannelRule {
        let capped = |per_day, per_week| ChannelRule {
            per_day: Some(per_day),
            per_week: Some(per_week),
            ..ChannelRule::default()
        };
        match channel {
            Channel::Call => capped(3, 10),
            Channel::Whatsapp => capped(1, 3),
            Channel::Sms => capped(1, 3),
            Channel::Email => capped(1, 3),
            Channel::FieldVisit => ChannelRule {
                // AFPI's code of conduct lets field visits start at 07.00 (verify).
                window: TimeWindow::hours(7, 20).ok(),
                ..capped(1, 2)
            },
            // A posted letter reaches the debtor whenever the post delivers it, so the
            // hour it is posted disturbs no one; caps and pauses still apply.
            Channel::Letter => ChannelRule {
                time_gated: false,
                ..capped(1, 2)
            },
        }
    }
}

/// How, when and how often a creditor may contact debtors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactPolicy {
    /// Weekdays on which contact is allowed (default Monday–Saturday).
    pub contact_days: Vec<Weekday>,
    /// The general local-time window (default 08:00–20:00).
    pub window: TimeWindow,
    /// Per-channel rules; a channel missing here uses `ChannelRule::default_for`.
    pub channels: BTreeMap<Channel, ChannelRule>,
    /// Whether cuti bersama days are blocked like national holidays (default true).
    pub block_cuti_bersama: bool,
    /// Whether a guarantor may be told about the debt like the debtor (default false).
    pub guarantor_is_obligor: bool,
}

impl Default for ContactPolicy {
    fn default() -> ContactPolicy {
        ContactPolicy {
            contact_days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
            ],
            window: TimeWindow {
                start: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN),
                end: NaiveTime::from_hms_opt(20, 0, 0).unwrap_or(NaiveTime::MIN),
            },
            channels: Channel::ALL
                .iter()
                .map(|&c| (c, ChannelRule::default_for(c)))
                .collect(),
            block_cuti_bersama: true,
            guarantor_is_obligor: false,
        }
    }
}

impl ContactPolicy {
    /// The rule in force for a channel.
    pub fn channel(&self, channel: Channel) -> ChannelRule {
        self.channels
            .get(&channel)
            .copied()
            .unwrap_or_else(|| ChannelRule::default_for(channel))
    }

    /// The local window in force for a channel.
    pub fn window_for(&self, channel: Channel) -> TimeWindow {
        self.channel(channel).window.unwrap_or(self.window)
    }

    /// Checks that the policy can be enforced: windows non-empty, at least one contact day.
    pub fn validate(&self) -> Result<(), PolicyError> {
        self.window.check("window")?;
        if self.contact_days.is_empty() {
            return Err(PolicyError("contact_days is empty".to_string()));
        }
        for (channel, rule) in &self.channels {
            if let Some(w) = rule.window {
                w.check(&format!("channels.{channel}.window"))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32, s: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, s).unwrap()
    }

    #[test]
    fn the_default_policy_is_monday_to_saturday_eight_to_eight() {
        let p = ContactPolicy::default();
        assert!(p.validate().is_ok());
        assert_eq!(p.contact_days.len(), 6);
        assert!(!p.contact_days.contains(&Weekday::Sun));
        let w = p.window_for(Channel::Call);
        assert!(!w.contains(t(7, 59, 59)));
        assert!(w.contains(t(8, 0, 0)));
        assert!(w.contains(t(19, 59, 59)));
        assert!(!w.contains(t(20, 0, 0)));
        assert!(p.window_for(Channel::FieldVisit).contains(t(7, 0, 0)));
        assert!(!p.channel(Channel::Letter).time_gated);
        assert_eq!(p.channel(Channel::Call).per_day, Some(3));
        assert_eq!(p.channel(Channel::Whatsapp).per_day, Some(1));
        assert!(p.block_cuti_bersama);
    }

    #[test]
    fn a_channel_missing_from_the_configuration_keeps_its_default() {
        let mut p = ContactPolicy::default();
        p.channels.clear();
        assert_eq!(
            p.channel(Channel::Call),
            ChannelRule::default_for(Channel::Call)
        );
    }

    #[test]
    fn empty_or_inverted_windows_are_refused() {
        assert!(TimeWindow::hours(20, 8).is_err());
        assert!(TimeWindow::hours(8, 8).is_err());
        assert!(TimeWindow::hours(8, 25).is_err());
        assert!(TimeWindow::hours(0, 24).unwrap().contains(t(23, 59, 59)));
        let mut p = ContactPolicy::default();
        p.channels.insert(
            Channel::Sms,
            ChannelRule {
                window: Some(TimeWindow {
                    start: t(21, 0, 0),
                    end: t(9, 0, 0),
                }),
                ..ChannelRule::default()
            },
        );
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "invalid contact policy: channels.sms.window: start 21:00:00 is not before end 09:00:00"
        );
        let p = ContactPolicy {
            contact_days: vec![],
            ..ContactPolicy::default()
        };
        assert!(p.validate().is_err());
    }
}
