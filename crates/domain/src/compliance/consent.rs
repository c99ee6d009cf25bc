//! The debtor's recorded consent to be contacted outside the regular window.
//!
//! POJK 22/2023 art. 62 allows collection outside Monday–Saturday 08.00–20.00 only with
//! the debtor's prior agreement. A consent says who recorded it, when and over which
//! channel the debtor gave it, for which channels, days and hours it holds, and when it
//! ends. It widens the time rules only: caps, pauses and the third-party rules still apply,
//! and it never covers anyone but the debtor.

use chrono::{DateTime, Datelike, NaiveDateTime, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

use super::channel::Channel;
use super::holiday::HolidayKind;
use super::policy::TimeWindow;

/// The fields of a consent as recorded or stored, before checking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    /// Who recorded the consent (user id or name of the collector/agent).
    pub recorded_by: String,
    /// The channel over which the debtor gave it (e.g. `call`, `whatsapp`).
    pub recorded_via: Channel,
    /// When the debtor gave it; it covers no contact before this instant.
    pub granted_at: DateTime<Utc>,
    /// When it ends (excluded).
    pub expires_at: DateTime<Utc>,
    /// When the debtor withdrew it, if they did.
    #[serde(default)]
    pub revoked_at: Option<DateTime<Utc>>,
    /// The channels it covers.
    pub channels: Vec<Channel>,
    /// The debtor-local days and hours it covers.
    pub scope: ConsentScope,
}

/// The debtor-local days and hours a consent covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentScope {
    /// Weekdays covered (e.g. only Sunday, or every day).
    pub days: Vec<Weekday>,
    /// Local hours covered on those days, e.g. 20:00–21:00.
    pub window: TimeWindow,
    /// Whether it also covers national holidays and cuti bersama on those days.
    pub holidays: bool,
}

/// A consent that cannot be used as recorded; the text says what is missing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid consent: {0}")]
pub struct ConsentError(pub String);

/// A checked consent (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ConsentRecord", into = "ConsentRecord")]
pub struct Consent(ConsentRecord);

impl TryFrom<ConsentRecord> for Consent {
    type Error = ConsentError;

    fn try_from(record: ConsentRecord) -> Result<Consent, ConsentError> {
        Consent::new(record)
    }
}

impl From<Consent> for ConsentRecord {
    fn from(consent: Consent) -> ConsentRecord {
        consent.0
    }
}

impl Consent {
    /// Checks a record: a recorder, an expiry after the grant, channels, days and hours.
    pub fn new(record: ConsentRecord) -> Result<Consent, ConsentError> {
        let fail = |what: &str| Err(ConsentError(what.to_string()));
        if record.recorded_by.trim().is_empty() {
            return fail("recorded_by is empty: a consent names who recorded it");
        }
        if record.expires_at <= record.granted_at {
            return fail("expires_at is not after granted_at");
        }
        if record.channels.is_empty() {
            return fail("channels is empty");
        }
        if record.scope.days.is_empty() {
            return fail("scope.days is empty");
        }
        if record.scope.window.start >= record.scope.window.end {
            return fail("scope.window: start is not before end");
        }
        if record.revoked_at.is_some_and(|r| r < record.granted_at) {
            return fail("revoked_at is before granted_at");
        }
        Ok(Consent(record))
    }

    /// A consent for one channel at any day and hour, holidays included, between two
    /// instants: what `sepakat gate check --consent` assumes.
    pub fn blanket(
        channel: Channel,
        recorded_by: &str,
        granted_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<Consent, ConsentError> {
        let all_day = TimeWindow {
            start: NaiveTime::MIN,
            end: NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999).unwrap_or(NaiveTime::MIN),
        };
        Consent::new(ConsentRecord {
            recorded_by: recorded_by.to_string(),
            recorded_via: channel,
            granted_at,
            expires_at,
            revoked_at: None,
            channels: vec![channel],
            scope: ConsentScope {
                days: vec![
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri,
                    Weekday::Sat,
                    Weekday::Sun,
                ],
                window: all_day,
                holidays: true,
            },
        })
    }

    /// The recorded fields.
    pub fn record(&self) -> &ConsentRecord {
        &self.0
    }

    /// Withdraws the consent from `at` on (never before it was granted).
    pub fn revoke(&mut self, at: DateTime<Utc>) {
        let at = at.max(self.0.granted_at);
        self.0.revoked_at = Some(self.0.revoked_at.map_or(at, |r| r.min(at)));
    }

    /// Whether the consent is in force at an instant (granted, not expired, not revoked).
    pub fn in_force(&self, at: DateTime<Utc>) -> bool {
        self.0.granted_at <= at
            && at < self.0.expires_at
            && self.0.revoked_at.is_none_or(|r| at < r)
    }

    /// Whether it covers a contact on `channel` at `at`, whose debtor-local time is
    /// `local`, on a day that is the given kind of holiday (or none).
    pub fn covers(
        &self,
        channel: Channel,
        at: DateTime<Utc>,
        local: NaiveDateTime,
        holiday: Option<HolidayKind>,
    ) -> bool {
        let scope = &self.0.scope;
        self.in_force(at)
            && self.0.channels.contains(&channel)
            && scope.days.contains(&local.weekday())
            && scope.window.contains(local.time())
            && (holiday.is_none() || scope.holidays)
    }

    /// When the debtor gave it; the gate searches from here for the next allowed time.
    pub fn granted_at(&self) -> DateTime<Utc> {
        self.0.granted_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn evening_whatsapp() -> ConsentRecord {
        ConsentRecord {
            recorded_by: "agent-17".into(),
            recorded_via: Channel::Call,
            granted_at: at("2026-05-04T10:00:00+07:00"),
            expires_at: at("2026-05-18T00:00:00+07:00"),
            revoked_at: None,
            channels: vec![Channel::Whatsapp],
            scope: ConsentScope {
                days: vec![Weekday::Mon, Weekday::Tue],
                window: TimeWindow::hours(20, 22).unwrap(),
                holidays: false,
            },
        }
    }

    fn local(text: &str) -> NaiveDateTime {
        crate::region::Zone::Wib.local(at(text))
    }

    #[test]
    fn consent_covers_only_its_channel_days_hours_and_period() {
        let c = Consent::new(evening_whatsapp()).unwrap();
        let ok = "2026-05-05T20:30:00+07:00";
        assert!(c.covers(Channel::Whatsapp, at(ok), local(ok), None));
        assert!(!c.covers(Channel::Call, at(ok), local(ok), None));
        assert!(!c.covers(
            Channel::Whatsapp,
            at(ok),
            local(ok),
            Some(HolidayKind::CutiBersama)
        ));
        let wed = "2026-05-06T20:30:00+07:00";
        assert!(!c.covers(Channel::Whatsapp, at(wed), local(wed), None));
        let late = "2026-05-05T22:00:00+07:00";
        assert!(!c.covers(Channel::Whatsapp, at(late), local(late), None));
        let expired = "2026-05-18T20:30:00+07:00";
        assert!(!c.covers(Channel::Whatsapp, at(expired), local(expired), None));
        let before = "2026-05-04T09:59:59+07:00";
        assert!(!c.in_force(at(before)));
    }

    #[test]
    fn a_revoked_consent_stops_covering_at_revocation() {
        let mut c = Consent::new(evening_whatsapp()).unwrap();
        c.revoke(at("2026-05-11T12:00:00+07:00"));
        assert!(c.in_force(at("2026-05-11T11:59:59+07:00")));
        assert!(!c.in_force(at("2026-05-11T12:00:00+07:00")));
        // A later revocation does not revive it.
        c.revoke(at("2026-05-12T12:00:00+07:00"));
        assert!(!c.in_force(at("2026-05-11T13:00:00+07:00")));
    }

    #[test]
    fn incomplete_consents_are_refused() {
        let check = |f: fn(&mut ConsentRecord), msg: &str| {
            let mut r = evening_whatsapp();
            f(&mut r);
            assert_eq!(
                Consent::new(r).unwrap_err().to_string(),
                format!("invalid consent: {msg}")
            );
        };
        check(
            |r| r.recorded_by = "  ".into(),
            "recorded_by is empty: a consent names who recorded it",
        );
        check(
            |r| r.expires_at = r.granted_at,
            "expires_at is not after granted_at",
        );
        check(|r| r.channels.clear(), "channels is empty");
        check(|r| r.scope.days.clear(), "scope.days is empty");
        check(
            |r| {
                r.scope.window = TimeWindow {
                    start: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
                    end: NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
                }
            },
            "scope.window: start is not before end",
        );
        check(
            |r| r.revoked_at = Some(r.granted_at - chrono::Duration::seconds(1)),
            "revoked_at is before granted_at",
        );
    }

    #[test]
    fn a_blanket_consent_covers_every_hour_and_holiday_for_its_channel() {
        let c = Consent::blanket(
            Channel::Call,
            "cli",
            at("2026-01-01T00:00:00Z"),
            at("2027-01-01T00:00:00Z"),
        )
        .unwrap();
        let t = "2026-03-22T23:59:59+07:00";
        assert!(c.covers(
            Channel::Call,
            at(t),
            local(t),
            Some(HolidayKind::LiburNasional)
        ));
        assert!(!c.covers(Channel::Sms, at(t), local(t), None));
    }
}
