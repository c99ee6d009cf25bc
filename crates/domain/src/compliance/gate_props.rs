//! Property tests of the gate: it never allows outside the window, on a holiday or on a
//! Sunday without consent; the next allowed time is allowed and minimal; caps hold.

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc, Weekday};
use proptest::prelude::*;

use super::*;
use crate::region::Zone;

const ZONES: [Zone; 3] = [Zone::Wib, Zone::Wita, Zone::Wit];
const TIMED: [Channel; 5] = [
    Channel::Call,
    Channel::Whatsapp,
    Channel::Sms,
    Channel::Email,
    Channel::FieldVisit,
];

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 2024-01-01 to 2027-12-20, so most searches stay inside the shipped calendar.
    let from = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
        .unwrap()
        .timestamp();
    let to = DateTime::parse_from_rfc3339("2027-12-20T00:00:00Z")
        .unwrap()
        .timestamp();
    (from..to).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
}

fn zone() -> impl Strategy<Value = Zone> {
    prop::sample::select(ZONES.to_vec())
}

fn channel() -> impl Strategy<Value = Channel> {
    prop::sample::select(TIMED.to_vec())
}

fn consent() -> impl Strategy<Value = Consent> {
    (
        instant(),
        1i64..(30 * 24 * 60),
        prop::sample::subsequence(TIMED.to_vec(), 1..=5),
        prop::sample::subsequence(
            vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun,
            ],
            1..=7,
        ),
        0u32..23,
        1u32..=6,
        any::<bool>(),
    )
        .prop_map(|(granted, minutes, channels, days, start, len, holidays)| {
            Consent::new(ConsentRecord {
                recorded_by: "prop".into(),
                recorded_via: Channel::Call,
                granted_at: granted,
                expires_at: granted + Duration::minutes(minutes),
                revoked_at: None,
                channels,
                scope: ConsentScope {
                    days,
                    window: TimeWindow::hours(start, (start + len).min(24)).unwrap(),
                    holidays,
                },
            })
            .unwrap()
        })
}

/// The request as it would stand at `t`, with counts reset at local day and week changes.
fn moved<'a>(req: &ContactRequest<'a>, t: DateTime<Utc>) -> ContactRequest<'a> {
    let (d0, d1) = (req.zone.local(req.at).date(), req.zone.local(t).date());
    let mut out = *req;
    out.at = t;
    if d1 != d0 {
        out.attempts_today = 0;
    }
    if d1.iso_week() != d0.iso_week() {
        out.attempts_this_week = 0;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn without_consent_nothing_is_allowed_outside_the_window_or_on_holidays_or_sundays(
        t in instant(), zone in zone(), channel in channel(),
    ) {
        let gate = Gate::shipped();
        let d = gate.check(&ContactRequest::new(t, zone, channel));
        let local = zone.local(t);
        let window = gate.policy().window_for(channel);
        let holiday = gate.calendar().kind_on(local.date());
        if d.allowed {
            prop_assert_eq!(d.rule, Rule::Allowed);
            prop_assert_ne!(local.weekday(), Weekday::Sun);
            prop_assert_eq!(holiday, None);
            prop_assert!(window.contains(local.time()));
            let earliest = if channel == Channel::FieldVisit { 7 } else { 8 };
            prop_assert!(local.time() >= NaiveTime::from_hms_opt(earliest, 0, 0).unwrap());
            prop_assert!(local.time() < NaiveTime::from_hms_opt(20, 0, 0).unwrap());
            prop_assert_eq!(d.next_allowed_at, Some(t));
        } else {
            prop_assert!(!d.rule.allows());
        }
    }

    #[test]
    fn without_consent_the_rule_named_is_the_one_broken(
        t in instant(), zone in zone(), channel in channel(),
    ) {
        let gate = Gate::shipped();
        let d = gate.check(&ContactRequest::new(t, zone, channel));
        let local = zone.local(t);
        let expected = if local.weekday() == Weekday::Sun {
            Rule::NonWorkingDay
        } else {
            match gate.calendar().kind_on(local.date()) {
                Some(HolidayKind::LiburNasional) => Rule::NationalHoliday,
                Some(HolidayKind::CutiBersama) => Rule::CutiBersama,
                None if !gate.policy().window_for(channel).contains(local.time()) => {
                    Rule::OutsideHours
                }
                None => Rule::Allowed,
            }
        };
        prop_assert_eq!(d.rule, expected);
    }

    #[test]
    fn consent_only_allows_what_it_covers(
        t in instant(), zone in zone(), channel in channel(), c in consent(),
    ) {
        let gate = Gate::shipped();
        let consents = [c];
        let mut req = ContactRequest::new(t, zone, channel);
        req.consents = &consents;
        let d = gate.check(&req);
        if d.rule == Rule::AllowedByConsent {
            let local = zone.local(t);
            let holiday = gate.calendar().kind_on(local.date());
            prop_assert!(consents[0].covers(channel, t, local, holiday));
            let plain = gate.check(&ContactRequest::new(t, zone, channel));
            prop_assert!(!plain.allowed);
        }
    }

}

proptest! {
    // Fewer cases: each one probes thousands of instants.
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn the_next_allowed_time_is_allowed_and_nothing_earlier_is(
        t in instant(), zone in zone(), channel in channel(),
        today in 0u32..4, extra in 0u32..4, with_consent in any::<bool>(), c in consent(),
        cuti in any::<bool>(),
    ) {
        let policy = ContactPolicy { block_cuti_bersama: cuti, ..ContactPolicy::default() };
        let gate = Gate::new(policy, HolidayCalendar::shipped()).unwrap();
        let consents = [c];
        let mut req = ContactRequest::new(t, zone, channel);
        if with_consent {
            req.consents = &consents;
        }
        req.attempts_today = today;
        req.attempts_this_week = today + extra;
        let d = gate.check(&req);
        let Some(next) = d.next_allowed_at else {
            // Only the end of the calendar stops the search here.
            prop_assert!(zone.local(t).date() >= chrono::NaiveDate::from_ymd_opt(2027, 12, 10).unwrap());
            return Ok(());
        };
        prop_assert!(next >= t);
        prop_assert!(gate.check(&moved(&req, next)).allowed);
        if next > t {
            prop_assert!(!d.allowed);
            // One second earlier is refused: boundaries are exact.
            prop_assert!(!gate.check(&moved(&req, next - Duration::seconds(1))).allowed);
            // Nothing allowed in between: every minute of the first day, every ten minutes
            // after (all policy and consent windows start on whole hours), and the exact
            // instants a consent starts and ends.
            let mut probes = vec![consents[0].granted_at(), consents[0].record().expires_at - Duration::seconds(1)];
            let mut probe = t;
            while probe < next {
                probes.push(probe);
                probe += if probe < t + Duration::hours(26) {
                    Duration::minutes(1)
                } else {
                    Duration::minutes(10)
                };
            }
            for probe in probes.into_iter().filter(|p| *p >= t && *p < next) {
                prop_assert!(!gate.check(&moved(&req, probe)).allowed, "allowed at {}", probe);
            }
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn following_the_gate_never_exceeds_the_caps(
        t in instant(), zone in zone(), channel in channel(),
    ) {
        let gate = Gate::shipped();
        let rule = gate.policy().channel(channel);
        let mut history: Vec<(Channel, DateTime<Utc>)> = Vec::new();
        let mut now = t;
        let end = t + Duration::days(15);
        while now < end {
            let (today, week) = count_attempts(zone, channel, now, history.iter().copied());
            let mut req = ContactRequest::new(now, zone, channel);
            req.attempts_today = today;
            req.attempts_this_week = week;
            let d = gate.check(&req);
            let Some(next) = d.next_allowed_at else { break };
            if d.allowed {
                history.push((channel, now));
                // An eager collector tries again a minute later.
                now += Duration::minutes(1);
            } else {
                prop_assert!(next > now);
                now = next;
            }
        }
        prop_assert!(!history.is_empty() || zone.local(t).date().year() == 2027);
        for &(_, at) in &history {
            let (today, week) = count_attempts(zone, channel, at, history.iter().copied());
            prop_assert!(today <= rule.per_day.unwrap_or(u32::MAX));
            prop_assert!(week <= rule.per_week.unwrap_or(u32::MAX));
        }
    }

    #[test]
    fn holiday_csv_round_trips(
        rows in prop::collection::btree_map(
            (2024i32..2030, 1u32..366),
            ("[A-Za-z ,\"]{1,20}", any::<bool>(), any::<bool>()),
            0..30,
        ),
    ) {
        let mut cal = HolidayCalendar::empty();
        for ((year, ordinal), (name, national, tentative)) in rows {
            let Some(date) = chrono::NaiveDate::from_yo_opt(year, ordinal) else { continue };
            let name = name.trim().to_string();
            if name.is_empty() || name.starts_with('#') {
                continue;
            }
            let kind = if national { HolidayKind::LiburNasional } else { HolidayKind::CutiBersama };
            cal.insert(Holiday { date, name, kind, tentative }).unwrap();
        }
        prop_assert_eq!(HolidayCalendar::from_csv(&cal.to_csv()).unwrap(), cal);
    }
}

/// Every hour of every listed holiday and every Sunday of 2024–2027, in every zone and on
/// every time-gated channel: refused without consent, by the holiday or day rule.
#[test]
fn every_hour_of_every_holiday_and_sunday_is_refused_without_consent() {
    let gate = Gate::shipped();
    let first = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let last = chrono::NaiveDate::from_ymd_opt(2027, 12, 31).unwrap();
    let days: Vec<chrono::NaiveDate> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| d.weekday() == Weekday::Sun || gate.calendar().kind_on(*d).is_some())
        .collect();
    assert!(days.len() > 250, "{} days", days.len());
    let mut checked = 0;
    for date in days {
        for zone in ZONES {
            for hour in 0..24 {
                let local = date.and_hms_opt(hour, 30, 0).unwrap();
                let at = (local - Duration::hours(i64::from(zone.utc_offset_hours()))).and_utc();
                for channel in TIMED {
                    let d = gate.check(&ContactRequest::new(at, zone, channel));
                    assert!(!d.allowed, "{date} {hour}:30 {zone} {channel}");
                    assert!(
                        matches!(
                            d.rule,
                            Rule::NonWorkingDay | Rule::NationalHoliday | Rule::CutiBersama
                        ),
                        "{date} {hour}:30 {zone} {channel}: {}",
                        d.rule
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 90_000, "{checked} checks");
}
