//! Collection data for the demo: per creditor a desk team and a field team with
//! collectors (the demo's own collector logins plus synthetic ones), sticky assignments
//! for part of the delinquent accounts, an interaction history of 1–4 entries for each
//! delinquent account, promises to pay in every state, a few pauses and consents.
//!
//! Deterministic: every account draws from its own stream of the seed, and promise
//! statuses come from `Promise::evaluate` over the payments the store actually holds.
//! Only the first `COLLECTION_UP_TO` accounts of each creditor are considered, so a
//! ten-million-account demo stays fast. Idempotent: an account that already has
//! interactions is left alone, teams and users are looked up before they are created,
//! and every interaction carries an idempotency key.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use sepakat_domain::compliance::{
    Channel, Consent, ConsentRecord, ConsentScope, Party, TimeWindow,
};
use sepakat_domain::interaction::{Direction, Outcome, PauseReason, Reason};
use sepakat_domain::{Dpd, Promise, PromiseStatus, Rupiah, Zone};
use sepakat_store::{
    AccountDetail, AccountId, Actor, CreditorId, NewInteraction, NewPause, NewPromise,
    PromiseResolution, Store, TeamId, UserId,
};

use super::generator::{account_no, accounts_of, stream, CREDITORS};
use super::staff::{staff, Crew};
use super::DemoOptions;

/// Only the first this many accounts of each creditor get collection data.
pub const COLLECTION_UP_TO: u64 = 1_500;

/// Grace days the demo judges promises with (`strategies/default.toml` says 0).
const GRACE_DAYS: u32 = 0;

/// What the collection seeding wrote (zero everywhere on a re-run).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CollectionSummary {
    /// Teams created.
    pub teams: u64,
    /// Collector users created.
    pub users: u64,
    /// Accounts assigned to a team.
    pub assigned: u64,
    /// Interactions logged.
    pub interactions: u64,
    /// Promises recorded, by final status code.
    pub promises: BTreeMap<String, u64>,
    /// Pauses recorded.
    pub pauses: u64,
    /// Consents recorded.
    pub consents: u64,
}

impl std::fmt::Display for CollectionSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let promises: Vec<String> = self
            .promises
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect();
        write!(
            f,
            "collection: {} teams, {} collector users, {} accounts assigned, {} interactions, \
             promises [{}], {} pauses, {} consents",
            self.teams,
            self.users,
            self.assigned,
            self.interactions,
            promises.join(", "),
            self.pauses,
            self.consents
        )
    }
}

/// Seeds collection data for the demo creditors that exist. `password_hash` is given to
/// the synthetic collector users (the demo password, so they can log in).
pub fn seed_collection(
    store: &dyn Store,
    options: &DemoOptions,
    password_hash: &str,
) -> anyhow::Result<CollectionSummary> {
    let actor = Actor::system("system:demo");
    let mut summary = CollectionSummary::default();
    for (c, spec) in CREDITORS.iter().enumerate() {
        let Some(creditor) = store.creditor_by_code(spec.code)? else {
            continue;
        };
        let staff = staff(
            store,
            creditor.id,
            c,
            password_hash,
            options,
            &actor,
            &mut summary,
        )
        .with_context(|| format!("demo teams of {}", spec.code))?;
        let count = accounts_of(c, options.accounts).min(COLLECTION_UP_TO);
        let mut batches: BTreeMap<(TeamId, Option<UserId>), Vec<AccountId>> = BTreeMap::new();
        for index in 0..count {
            let Some(detail) = store.account_by_number(creditor.id, &account_no(c, index))? else {
                continue;
            };
            let dpd = Dpd::as_of(detail.balance.oldest_unpaid_due, options.today).days();
            if dpd == 0 || !store.interactions(creditor.id, detail.id)?.is_empty() {
                continue;
            }
            let mut rng = stream(options.seed ^ 0xC011_EC71, c, index);
            let field = (61..=180).contains(&dpd);
            let team = if field { &staff.field } else { &staff.desk };
            let sticky = rng.gen_ratio(1, 6).then(|| team.pick(&mut rng, &detail));
            batches
                .entry((team.id, sticky))
                .or_default()
                .push(detail.id);
            history(
                store,
                creditor.id,
                &detail,
                dpd,
                field,
                team,
                &mut rng,
                options,
                &actor,
                &mut summary,
            )
            .with_context(|| format!("demo history of {}", detail.account_no))?;
        }
        for ((team, collector), accounts) in batches {
            summary.assigned += store.assign_accounts(
                creditor.id,
                team,
                collector,
                &accounts,
                noon(options.today),
                &actor,
            )?;
        }
    }
    Ok(summary)
}

/// Noon (WIB) of `day`: when the demo's assignments and settlements happen.
pub(super) fn noon(day: NaiveDate) -> DateTime<Utc> {
    Zone::Wib
        .offset()
        .from_local_datetime(
            &day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN)),
        )
        .single()
        .map_or_else(Utc::now, |t| t.to_utc())
}

/// Short notes per outcome, in Bahasa Indonesia.
fn note(outcome: Outcome, rng: &mut StdRng) -> &'static str {
    let options: &[&str] = match outcome {
        Outcome::NoAnswer => &["Telepon tidak diangkat.", "Nada sambung, tidak ada jawaban.", "Tidak aktif, coba lagi besok."],
        Outcome::Busy => &["Nomor sedang sibuk.", "Dialihkan, sibuk."],
        Outcome::WrongNumber => &["Nomor bukan milik debitur, perlu verifikasi data kontak."],
        Outcome::ThirdParty => &["Diterima keluarga, debitur sedang bekerja; hanya ditanyakan waktu yang tepat untuk menghubungi."],
        Outcome::RightPartyContact => &["Debitur mengakui tunggakan, akan mengecek dana.", "Sudah dijelaskan rincian tunggakan dan denda."],
        Outcome::CallBack => &["Debitur sedang di jalan, minta ditelepon sore hari.", "Debitur sedang emosi, dijadwalkan telepon ulang."],
        Outcome::PromiseToPay => &["Debitur berjanji bayar sesuai tanggal, rekap dikirim via WhatsApp.", "Sepakat pembayaran sebagian, konfirmasi tertulis dikirim."],
        Outcome::Refused => &["Debitur menolak membayar, tetap sopan; dicatat untuk tindak lanjut supervisor."],
        Outcome::Dispute => &["Debitur menyanggah jumlah tagihan, minta rincian pembayaran."],
        Outcome::HardshipDeclared => &["Debitur terkena PHK, minta keringanan dan restrukturisasi.", "Debitur sakit, usaha berhenti sementara."],
        Outcome::Paid => &["Debitur mengaku sudah transfer, bukti diminta."],
    };
    options.choose(rng).copied().unwrap_or("")
}

fn reason_for(outcome: Outcome, rng: &mut StdRng) -> Option<Reason> {
    match outcome {
        Outcome::HardshipDeclared => [
            Reason::JobLoss,
            Reason::Illness,
            Reason::BusinessDownturn,
            Reason::Disaster,
        ]
        .choose(rng)
        .copied(),
        Outcome::Dispute => Some(Reason::Dispute),
        Outcome::Refused => [Reason::OverIndebted, Reason::Evasive].choose(rng).copied(),
        Outcome::PromiseToPay | Outcome::RightPartyContact | Outcome::CallBack => [
            Some(Reason::Forgot),
            Some(Reason::BusinessDownturn),
            Some(Reason::JobLoss),
            None,
        ]
        .choose(rng)
        .copied()
        .flatten(),
        _ => None,
    }
}

/// A moment on `day` between 08.00 and 19.00 in the debtor's zone.
fn during(day: NaiveDate, zone: Zone, rng: &mut StdRng) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(rng.gen_range(8..19), rng.gen_range(0..60), 0)
        .unwrap_or(NaiveTime::MIN);
    zone.offset()
        .from_local_datetime(&day.and_time(time))
        .single()
        .map_or_else(Utc::now, |t| t.to_utc())
}

/// Logs one interaction with its idempotency key `demo:<account>:<n>`.
#[allow(clippy::too_many_arguments)]
fn log(
    store: &dyn Store,
    creditor: CreditorId,
    detail: &AccountDetail,
    n: usize,
    at: DateTime<Utc>,
    user: UserId,
    channel: Channel,
    outcome: Outcome,
    rng: &mut StdRng,
    actor: &Actor,
    summary: &mut CollectionSummary,
) -> anyhow::Result<sepakat_store::InteractionId> {
    let party = if outcome == Outcome::ThirdParty {
        Party::Family
    } else {
        Party::Debtor
    };
    summary.interactions += 1;
    Ok(store.record_interaction(
        creditor,
        &NewInteraction {
            account: detail.id,
            at,
            user: Some(user),
            channel,
            direction: if rng.gen_ratio(1, 10) {
                Direction::Inbound
            } else {
                Direction::Outbound
            },
            party,
            outcome,
            reason: reason_for(outcome, rng),
            notes: note(outcome, rng).to_string(),
            corrects: None,
            idempotency_key: Some(format!("demo:{}:{n}", detail.account_no)),
        },
        at,
        actor,
    )?)
}

/// The interaction history, promises, pauses and consents of one delinquent account.
#[allow(clippy::too_many_arguments)]
fn history(
    store: &dyn Store,
    creditor: CreditorId,
    detail: &AccountDetail,
    dpd: u32,
    field: bool,
    team: &Crew,
    rng: &mut StdRng,
    options: &DemoOptions,
    actor: &Actor,
    summary: &mut CollectionSummary,
) -> anyhow::Result<()> {
    let today = options.today;
    let zone = detail.debtor.data.province.zone();
    let collector = team.pick(rng, detail);
    let outstanding = detail.balance.total_outstanding();
    let overdue = detail.balance.total_overdue().max(Rupiah::new(10_000));
    let payments: Vec<(DateTime<Utc>, Rupiah)> = store
        .payments(creditor, detail.id)?
        .into_iter()
        .filter(|p| p.amount.is_positive())
        .map(|p| (p.paid_at, p.amount))
        .collect();
    let window = i64::from(dpd.min(45)).max(2);
    let entries = rng.gen_range(1..=4usize);
    let mut days: Vec<i64> = (0..entries).map(|_| rng.gen_range(1..=window)).collect();
    days.sort_unstable_by(|a, b| b.cmp(a));
    let contact_channel = |rng: &mut StdRng| {
        if field && rng.gen_ratio(1, 2) {
            Channel::FieldVisit
        } else {
            *[
                Channel::Call,
                Channel::Call,
                Channel::Whatsapp,
                Channel::Sms,
            ]
            .choose(rng)
            .unwrap_or(&Channel::Call)
        }
    };
    let mut n = 0;
    // A historic promise around a real part-payment: kept if it asked for what was paid,
    // partially kept if it asked for more.
    if let Some(&(paid_at, amount)) = payments.last() {
        let made = paid_at - Duration::days(rng.gen_range(2..=5));
        if made.date_naive() < today && rng.gen_ratio(2, 3) {
            let id = log(
                store,
                creditor,
                detail,
                n,
                made,
                collector,
                Channel::Call,
                Outcome::PromiseToPay,
                rng,
                actor,
                summary,
            )?;
            n += 1;
            let asked = if rng.gen_bool(0.5) {
                amount
            } else {
                amount.mul_ratio(2, 1)
            };
            promise(
                store,
                creditor,
                detail,
                id,
                asked.min(outstanding),
                zone.local(paid_at).date(),
                made,
                &payments,
                zone,
                options,
                actor,
                summary,
            )?;
        }
    }
    let mut pending = false;
    for (i, back) in days.iter().enumerate() {
        let day = today - Duration::days(*back);
        let at = during(day, zone, rng);
        let last = i + 1 == days.len();
        let outcome = if last && rng.gen_ratio(2, 5) {
            Outcome::PromiseToPay
        } else {
            *[
                Outcome::NoAnswer,
                Outcome::NoAnswer,
                Outcome::Busy,
                Outcome::RightPartyContact,
                Outcome::CallBack,
                Outcome::ThirdParty,
                Outcome::Refused,
                Outcome::HardshipDeclared,
                Outcome::Dispute,
                Outcome::WrongNumber,
            ]
            .choose(rng)
            .unwrap_or(&Outcome::NoAnswer)
        };
        let channel = contact_channel(rng);
        let id = log(
            store, creditor, detail, n, at, collector, channel, outcome, rng, actor, summary,
        )?;
        n += 1;
        if outcome == Outcome::PromiseToPay {
            // Recent: a date in the coming days (pending); older: judged on the payments.
            let on = if *back <= 3 {
                today + Duration::days(rng.gen_range(1..=7))
            } else {
                day + Duration::days(rng.gen_range(1..=3))
            };
            let amount = overdue
                .mul_ratio(rng.gen_range(30..=100), 100)
                .min(outstanding);
            let amount = Rupiah::new((amount.value() / 1_000).max(1) * 1_000).min(outstanding);
            let status = promise(
                store, creditor, detail, id, amount, on, at, &payments, zone, options, actor,
                summary,
            )?;
            pending |= status == Some(PromiseStatus::Pending);
        }
        if outcome == Outcome::RightPartyContact && rng.gen_ratio(1, 4) {
            consent(
                store,
                creditor,
                detail,
                at,
                team.name_of(collector),
                channel,
                rng,
                actor,
                summary,
            )?;
        }
        if last
            && !pending
            && matches!(outcome, Outcome::Dispute | Outcome::HardshipDeclared)
            && rng.gen_ratio(1, 2)
        {
            let (reason, note, ends_on) = if outcome == Outcome::Dispute {
                (
                    PauseReason::Dispute,
                    "Sanggahan tagihan sedang diverifikasi.",
                    None,
                )
            } else {
                (
                    PauseReason::Hardship,
                    "Keringanan waktu 30 hari karena kesulitan keuangan.",
                    Some(day + Duration::days(30)),
                )
            };
            summary.pauses += 1;
            store.pause_account(
                creditor,
                &NewPause {
                    account: detail.id,
                    reason,
                    note: note.to_string(),
                    starts_on: day,
                    ends_on,
                },
                at,
                actor,
            )?;
        }
    }
    Ok(())
}

/// Records a promise made at `made` and settles it as `Promise::evaluate` says, given the
/// payments since. Returns its status (None if the store refused it, e.g. a pending one
/// already exists).
#[allow(clippy::too_many_arguments)]
fn promise(
    store: &dyn Store,
    creditor: CreditorId,
    detail: &AccountDetail,
    interaction: sepakat_store::InteractionId,
    amount: Rupiah,
    promised_on: NaiveDate,
    made: DateTime<Utc>,
    payments: &[(DateTime<Utc>, Rupiah)],
    zone: Zone,
    options: &DemoOptions,
    actor: &Actor,
    summary: &mut CollectionSummary,
) -> anyhow::Result<Option<PromiseStatus>> {
    let made_on = zone.local(made).date();
    let promised_on = promised_on.max(made_on);
    let new = NewPromise {
        account: detail.id,
        interaction: Some(interaction),
        amount,
        promised_on,
        channel: Channel::Call,
    };
    let id = match store.create_promise(creditor, &new, made_on, made, actor) {
        Ok(id) => id,
        Err(sepakat_store::StoreError::Conflict(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let facts = Promise {
        amount,
        promised_on,
        paid: Rupiah::ZERO,
        zone,
    };
    let deadline = facts.deadline(GRACE_DAYS);
    let paid = payments
        .iter()
        .filter(|(at, _)| *at >= made && *at < deadline)
        .fold(Rupiah::ZERO, |sum, (_, a)| sum + *a);
    let now = noon(options.today);
    let status = Promise { paid, ..facts }.evaluate(now, GRACE_DAYS);
    if status != PromiseStatus::Pending {
        store.resolve_promise(
            creditor,
            id,
            &PromiseResolution {
                status,
                paid,
                at: deadline.min(now),
            },
            actor,
        )?;
    }
    *summary
        .promises
        .entry(status.code().to_string())
        .or_default() += 1;
    Ok(Some(status))
}

/// A consent to be reached by WhatsApp or phone outside the regular window.
#[allow(clippy::too_many_arguments)]
fn consent(
    store: &dyn Store,
    creditor: CreditorId,
    detail: &AccountDetail,
    at: DateTime<Utc>,
    recorded_by: &str,
    via: Channel,
    rng: &mut StdRng,
    actor: &Actor,
    summary: &mut CollectionSummary,
) -> anyhow::Result<()> {
    let (days, start, end) = if rng.gen_bool(0.5) {
        (vec![Weekday::Sun], (9, 0), (12, 0))
    } else {
        (
            vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            (20, 0),
            (21, 0),
        )
    };
    let time = |(h, m): (u32, u32)| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
    let via = if via == Channel::FieldVisit {
        Channel::Call
    } else {
        via
    };
    let consent = Consent::new(ConsentRecord {
        recorded_by: recorded_by.to_string(),
        recorded_via: via,
        granted_at: at,
        expires_at: at + Duration::days(90),
        revoked_at: None,
        channels: vec![Channel::Whatsapp, Channel::Call],
        scope: ConsentScope {
            days,
            window: TimeWindow {
                start: time(start),
                end: time(end),
            },
            holidays: false,
        },
    })?;
    store.record_consent(creditor, detail.debtor.id, &consent, at, actor)?;
    summary.consents += 1;
    Ok(())
}
