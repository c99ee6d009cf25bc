//! Boundary and scenario tests of the gate against the shipped calendar.

use chrono::{DateTime, Utc, Weekday};

use super::*;
use crate::region::Zone;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .to_utc()
}

fn check(gate: &Gate, req: &ContactRequest<'_>) -> (bool, &'static str, Option<String>) {
    let v = gate.check(req).view(req.zone);
    (v.allowed, v.rule, v.next_allowed_at)
}

fn call(text: &str, zone: Zone) -> (bool, &'static str, Option<String>) {
    check(
        &Gate::shipped(),
        &ContactRequest::new(at(text), zone, Channel::Call),
    )
}

fn refused(rule: &'static str, next: &str) -> (bool, &'static str, Option<String>) {
    (false, rule, Some(next.to_string()))
}

fn allowed(text: &str) -> (bool, &'static str, Option<String>) {
    (true, "allowed", Some(text.to_string()))
}

#[test]
fn the_window_opens_at_eight_and_closes_at_twenty_local_in_every_zone() {
    // Wednesday 6 May 2026 is an ordinary working day.
    for (zone, off) in [
        (Zone::Wib, "+07:00"),
        (Zone::Wita, "+08:00"),
        (Zone::Wit, "+09:00"),
    ] {
        let t = |time: &str| format!("2026-05-06T{time}{off}");
        assert_eq!(
            call(&t("07:59:59"), zone),
            refused("outside_hours", &t("08:00:00")),
            "{zone}"
        );
        assert_eq!(
            call(&t("08:00:00"), zone),
            allowed(&t("08:00:00")),
            "{zone}"
        );
        assert_eq!(
            call(&t("19:59:59"), zone),
            allowed(&t("19:59:59")),
            "{zone}"
        );
        assert_eq!(
            call(&t("20:00:00"), zone),
            refused("outside_hours", &format!("2026-05-07T08:00:00{off}")),
            "{zone}"
        );
    }
}

#[test]
fn the_same_instant_is_inside_the_window_in_one_zone_and_outside_in_another() {
    // 12:30 UTC is 19:30 WIB, 20:30 WITA, 21:30 WIT.
    let t = "2026-05-06T12:30:00Z";
    assert!(call(t, Zone::Wib).0);
    assert_eq!(call(t, Zone::Wita).1, "outside_hours");
    assert_eq!(call(t, Zone::Wit).1, "outside_hours");
}

#[test]
fn saturday_is_allowed_and_sunday_rolls_to_monday_eight() {
    assert_eq!(
        call("2026-05-09T10:00:00+07:00", Zone::Wib),
        allowed("2026-05-09T10:00:00+07:00")
    );
    assert_eq!(
        call("2026-05-09T20:00:00+08:00", Zone::Wita),
        refused("outside_hours", "2026-05-11T08:00:00+08:00")
    );
    assert_eq!(
        call("2026-05-10T10:00:00+09:00", Zone::Wit),
        refused("non_working_day", "2026-05-11T08:00:00+09:00")
    );
}

#[test]
fn the_idul_fitri_2026_chain_rolls_forward_to_the_first_working_day() {
    // 18 Mar cuti Nyepi, 19 Nyepi, 20 cuti, 21–22 Idul Fitri, 23–24 cuti → Wed 25 Mar.
    assert_eq!(
        call("2026-03-17T20:30:00+07:00", Zone::Wib),
        refused("outside_hours", "2026-03-25T08:00:00+07:00")
    );
    assert_eq!(
        call("2026-03-18T10:00:00+07:00", Zone::Wib),
        refused("cuti_bersama", "2026-03-25T08:00:00+07:00")
    );
    assert_eq!(
        call("2026-03-19T10:00:00+08:00", Zone::Wita),
        refused("national_holiday", "2026-03-25T08:00:00+08:00")
    );
    assert_eq!(
        call("2026-03-22T10:00:00+09:00", Zone::Wit),
        refused("non_working_day", "2026-03-25T08:00:00+09:00")
    );
}

#[test]
fn a_saturday_inside_the_idul_fitri_2025_chain_is_a_contact_day() {
    // 28 Mar cuti, 29 Nyepi, 30 Sun, 31 Mar–1 Apr Idul Fitri, 2–4 Apr cuti, 5 Apr a
    // plain Saturday, 6 Sun, 7 cuti.
    assert_eq!(
        call("2025-03-27T20:00:00+07:00", Zone::Wib),
        refused("outside_hours", "2025-04-05T08:00:00+07:00")
    );
    assert_eq!(
        call("2025-04-05T20:00:00+07:00", Zone::Wib),
        refused("outside_hours", "2025-04-08T08:00:00+07:00")
    );
}

#[test]
fn switching_cuti_bersama_off_opens_collective_leave_days_only() {
    let policy = ContactPolicy {
        block_cuti_bersama: false,
        ..ContactPolicy::default()
    };
    let gate = Gate::new(policy, HolidayCalendar::shipped()).unwrap();
    let req = |t: &str| ContactRequest::new(at(t), Zone::Wib, Channel::Call);
    assert_eq!(
        check(&gate, &req("2026-03-18T10:00:00+07:00")),
        allowed("2026-03-18T10:00:00+07:00")
    );
    assert_eq!(
        check(&gate, &req("2026-03-19T10:00:00+07:00")),
        refused("national_holiday", "2026-03-20T08:00:00+07:00")
    );
    assert_eq!(
        check(&gate, &req("2026-03-21T10:00:00+07:00")),
        refused("national_holiday", "2026-03-23T08:00:00+07:00")
    );
}

#[test]
fn field_visits_may_start_at_seven() {
    let gate = Gate::shipped();
    let visit = |t: &str| {
        check(
            &gate,
            &ContactRequest::new(at(t), Zone::Wib, Channel::FieldVisit),
        )
    };
    assert_eq!(
        visit("2026-05-06T06:59:59+07:00"),
        refused("outside_hours", "2026-05-06T07:00:00+07:00")
    );
    assert!(visit("2026-05-06T07:00:00+07:00").0);
    assert_eq!(visit("2026-05-06T20:00:00+07:00").1, "outside_hours");
}

#[test]
fn posted_letters_ignore_the_clock_but_not_pauses_or_caps() {
    let gate = Gate::shipped();
    let sunday_night = at("2026-03-22T23:00:00+07:00");
    let mut req = ContactRequest::new(sunday_night, Zone::Wib, Channel::Letter);
    assert_eq!(check(&gate, &req), allowed("2026-03-22T23:00:00+07:00"));
    req.attempts_today = 1;
    assert_eq!(
        check(&gate, &req),
        refused("daily_cap", "2026-03-23T00:00:00+07:00")
    );
    req.paused = true;
    assert_eq!(check(&gate, &req), (false, "paused", None));
}

fn evening_whatsapp_consent() -> Consent {
    Consent::new(ConsentRecord {
        recorded_by: "agent-17".into(),
        recorded_via: Channel::Call,
        granted_at: at("2026-05-04T10:00:00+07:00"),
        expires_at: at("2026-05-13T00:00:00+07:00"),
        revoked_at: None,
        channels: vec![Channel::Whatsapp],
        scope: ConsentScope {
            days: vec![Weekday::Tue, Weekday::Sun],
            window: TimeWindow::hours(20, 22).unwrap(),
            holidays: false,
        },
    })
    .unwrap()
}

#[test]
fn consent_opens_only_its_channel_days_hours_and_period() {
    let gate = Gate::shipped();
    let consents = [evening_whatsapp_consent()];
    let wa = |t: &str, channel: Channel| {
        let mut req = ContactRequest::new(at(t), Zone::Wib, channel);
        req.consents = &consents;
        check(&gate, &req)
    };
    assert_eq!(
        wa("2026-05-05T20:30:00+07:00", Channel::Whatsapp),
        (
            true,
            "allowed_by_consent",
            Some("2026-05-05T20:30:00+07:00".into())
        )
    );
    assert_eq!(
        wa("2026-05-10T21:00:00+07:00", Channel::Whatsapp).1,
        "allowed_by_consent"
    );
    // Inside the regular window the consent is not needed.
    assert_eq!(
        wa("2026-05-05T19:00:00+07:00", Channel::Whatsapp).1,
        "allowed"
    );
    // Another channel, another day, after the consent's hours, after expiry.
    assert_eq!(
        wa("2026-05-05T20:30:00+07:00", Channel::Call),
        refused("outside_hours", "2026-05-06T08:00:00+07:00")
    );
    assert_eq!(
        wa("2026-05-06T20:30:00+07:00", Channel::Whatsapp),
        refused("outside_hours", "2026-05-07T08:00:00+07:00")
    );
    assert_eq!(
        wa("2026-05-05T22:00:00+07:00", Channel::Whatsapp),
        refused("outside_hours", "2026-05-06T08:00:00+07:00")
    );
    assert!(
        wa("2026-05-12T20:30:00+07:00", Channel::Whatsapp).0,
        "still in force on the last Tuesday"
    );
    assert_eq!(
        wa("2026-05-17T20:30:00+07:00", Channel::Whatsapp),
        refused("non_working_day", "2026-05-18T08:00:00+07:00")
    );
    // Sunday morning: the consent's next opening is Sunday 20:00.
    assert_eq!(
        wa("2026-05-10T09:00:00+07:00", Channel::Whatsapp),
        refused("non_working_day", "2026-05-10T20:00:00+07:00")
    );
}

#[test]
fn consent_granted_mid_evening_opens_at_the_grant() {
    let mut record = evening_whatsapp_consent().record().clone();
    record.granted_at = at("2026-05-05T20:45:00+07:00");
    let consents = [Consent::new(record).unwrap()];
    let mut req = ContactRequest::new(
        at("2026-05-05T20:10:00+07:00"),
        Zone::Wib,
        Channel::Whatsapp,
    );
    req.consents = &consents;
    assert_eq!(
        check(&Gate::shipped(), &req),
        refused("outside_hours", "2026-05-05T20:45:00+07:00")
    );
}

#[test]
fn consent_without_holidays_does_not_open_a_holiday() {
    let mut record = evening_whatsapp_consent().record().clone();
    record.granted_at = at("2026-03-01T00:00:00+07:00");
    record.expires_at = at("2026-04-01T00:00:00+07:00");
    let consents = [Consent::new(record.clone()).unwrap()];
    let mut req = ContactRequest::new(
        at("2026-03-24T20:30:00+07:00"),
        Zone::Wib,
        Channel::Whatsapp,
    );
    req.consents = &consents;
    assert_eq!(Gate::shipped().check(&req).rule, Rule::CutiBersama);
    record.scope.holidays = true;
    let consents = [Consent::new(record).unwrap()];
    req.consents = &consents;
    assert_eq!(Gate::shipped().check(&req).rule, Rule::AllowedByConsent);
}

#[test]
fn caps_refuse_and_point_to_the_next_day_or_week() {
    let gate = Gate::shipped();
    let mut req = ContactRequest::new(at("2026-05-06T10:00:00+07:00"), Zone::Wib, Channel::Call);
    req.attempts_today = 2;
    req.attempts_this_week = 2;
    assert!(check(&gate, &req).0);
    req.attempts_today = 3;
    req.attempts_this_week = 3;
    assert_eq!(
        check(&gate, &req),
        refused("daily_cap", "2026-05-07T08:00:00+07:00")
    );
    req.attempts_today = 0;
    req.attempts_this_week = 10;
    assert_eq!(
        check(&gate, &req),
        refused("weekly_cap", "2026-05-11T08:00:00+07:00")
    );
    // A Saturday at the daily cap waits for Monday.
    let mut wa = ContactRequest::new(
        at("2026-05-09T09:00:00+07:00"),
        Zone::Wib,
        Channel::Whatsapp,
    );
    wa.attempts_today = 1;
    wa.attempts_this_week = 1;
    assert_eq!(
        check(&gate, &wa),
        refused("daily_cap", "2026-05-11T08:00:00+07:00")
    );
}

#[test]
fn a_week_count_below_todays_count_is_raised_to_it() {
    let gate = Gate::shipped();
    let mut req = ContactRequest::new(at("2026-05-06T10:00:00+07:00"), Zone::Wib, Channel::Sms);
    req.attempts_today = 0;
    req.attempts_this_week = 3;
    assert_eq!(check(&gate, &req).1, "weekly_cap");
    req.attempts_this_week = 0;
    req.attempts_today = 1;
    assert_eq!(check(&gate, &req).1, "daily_cap");
}

#[test]
fn paused_accounts_get_no_contact_at_all() {
    let gate = Gate::shipped();
    for &channel in Channel::ALL {
        let mut req = ContactRequest::new(at("2026-05-06T10:00:00+07:00"), Zone::Wib, channel);
        req.paused = true;
        assert_eq!(check(&gate, &req), (false, "paused", None), "{channel}");
        assert_eq!(gate.next_allowed(&req), None);
    }
}

#[test]
fn third_parties_only_hear_the_whereabouts_script_in_the_window() {
    let gate = Gate::shipped();
    let consents = [Consent::blanket(
        Channel::Call,
        "agent-17",
        at("2026-01-01T00:00:00Z"),
        at("2027-01-01T00:00:00Z"),
    )
    .unwrap()];
    for party in [
        Party::EmergencyContact,
        Party::Family,
        Party::Employer,
        Party::Guarantor,
    ] {
        let mut req =
            ContactRequest::new(at("2026-05-06T10:00:00+07:00"), Zone::Wib, Channel::Call);
        req.party = party;
        assert_eq!(
            check(&gate, &req),
            (false, "third_party_debt_details", None),
            "{party}"
        );
        req.purpose = Purpose::Whereabouts;
        assert!(check(&gate, &req).0, "{party}");
        // The debtor's consent does not reach other people.
        req.at = at("2026-05-06T21:00:00+07:00");
        req.consents = &consents;
        assert_eq!(check(&gate, &req).1, "outside_hours", "{party}");
    }
    let policy = ContactPolicy {
        guarantor_is_obligor: true,
        ..ContactPolicy::default()
    };
    let gate = Gate::new(policy, HolidayCalendar::shipped()).unwrap();
    let mut req = ContactRequest::new(at("2026-05-06T10:00:00+07:00"), Zone::Wib, Channel::Call);
    req.party = Party::Guarantor;
    assert!(check(&gate, &req).0);
}

#[test]
fn a_disabled_channel_is_refused_by_name() {
    let mut policy = ContactPolicy::default();
    policy.channels.insert(
        Channel::FieldVisit,
        ChannelRule {
            enabled: false,
            ..ChannelRule::default_for(Channel::FieldVisit)
        },
    );
    let gate = Gate::new(policy, HolidayCalendar::shipped()).unwrap();
    let req = ContactRequest::new(
        at("2026-05-06T10:00:00+07:00"),
        Zone::Wib,
        Channel::FieldVisit,
    );
    assert_eq!(check(&gate, &req), (false, "channel_disabled", None));
}

#[test]
fn a_year_without_calendar_data_is_refused_not_guessed() {
    assert_eq!(
        call("2028-05-03T10:00:00+07:00", Zone::Wib),
        (false, "no_holiday_calendar", None)
    );
    // The last evening of 2027 cannot roll into an unknown 2028.
    assert_eq!(
        call("2027-12-31T20:00:00+07:00", Zone::Wib),
        (false, "outside_hours", None)
    );
    let gate = Gate::new(ContactPolicy::default(), HolidayCalendar::empty()).unwrap();
    let req = ContactRequest::new(at("2026-05-06T10:00:00+07:00"), Zone::Wib, Channel::Call);
    assert_eq!(gate.check(&req).rule, Rule::NoHolidayCalendar);
}

#[test]
fn an_unenforceable_policy_is_refused_at_construction() {
    let policy = ContactPolicy {
        contact_days: vec![],
        ..ContactPolicy::default()
    };
    assert!(Gate::new(policy, HolidayCalendar::shipped()).is_err());
}

#[test]
fn attempts_are_counted_per_local_day_and_monday_to_sunday_week() {
    let now = at("2026-05-06T10:00:00+07:00"); // Wednesday
    let history = [
        (Channel::Call, at("2026-05-06T00:30:00+07:00")),
        (Channel::Call, at("2026-05-05T23:30:00+07:00")), // Tuesday local
        (Channel::Call, at("2026-05-04T00:00:00+07:00")), // Monday 00:00
        (Channel::Call, at("2026-05-03T23:59:59+07:00")), // last week
        (Channel::Sms, at("2026-05-06T09:00:00+07:00")),
        (Channel::Call, at("2026-05-06T10:00:01+07:00")), // after now
    ];
    assert_eq!(
        count_attempts(Zone::Wib, Channel::Call, now, history),
        (1, 3)
    );
    // In WITA, 23:30 WIB Tuesday is 00:30 Wednesday and 23:59:59 WIB Sunday is 00:59:59
    // Monday: the day and week follow the debtor's zone.
    assert_eq!(
        count_attempts(Zone::Wita, Channel::Call, now, history),
        (2, 4)
    );
    assert_eq!(
        count_attempts(Zone::Wib, Channel::Sms, now, history),
        (1, 1)
    );
}

#[test]
fn the_cli_view_prints_the_local_offset_or_null() {
    let gate = Gate::shipped();
    let req = ContactRequest::new(at("2026-05-06T12:30:00Z"), Zone::Wita, Channel::Call);
    assert_eq!(
        gate.check(&req).view(Zone::Wita),
        DecisionView {
            allowed: false,
            rule: "outside_hours",
            next_allowed_at: Some("2026-05-07T08:00:00+08:00".into()),
        }
    );
}
