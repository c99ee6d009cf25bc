//! The outbox as supervisors and compliance read it: the creditor's messages, newest
//! first, filtered by status and channel and paged; each with its account (number and the
//! debtor's zone, for the next allowed time in local time). The page `/kotak-keluar` and
//! `GET /api/v1/outbox` both read it here, so the two never disagree.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sepakat_domain::compliance::Channel;
use sepakat_domain::Zone;
use sepakat_store::{AccountId, CreditorId, Message, MessageStatus, Store, StoreResult};

/// Messages per page.
pub const PER_PAGE: usize = 50;

/// What the status filter offers: the stored statuses, with `queued` split into due now
/// (`queued`) and waiting for a later allowed time or a retry's backoff (`waiting`), and
/// `sending` shown as `in_doubt` (a provider call started and not yet settled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Queued and due.
    Queued,
    /// Queued for a later time.
    Waiting,
    /// Accepted by the provider.
    Sent,
    /// Delivered.
    Delivered,
    /// Given up.
    Failed,
    /// Blocked by the guard or the gate.
    Blocked,
    /// A provider call started and not settled (sending, or interrupted by a crash).
    InDoubt,
}

impl StatusFilter {
    /// Every filter, in the order the page lists them.
    pub const ALL: [StatusFilter; 7] = [
        StatusFilter::Queued,
        StatusFilter::Waiting,
        StatusFilter::Sent,
        StatusFilter::Delivered,
        StatusFilter::Failed,
        StatusFilter::Blocked,
        StatusFilter::InDoubt,
    ];

    /// The code in the query string.
    pub const fn code(self) -> &'static str {
        match self {
            StatusFilter::Queued => "queued",
            StatusFilter::Waiting => "waiting",
            StatusFilter::Sent => "sent",
            StatusFilter::Delivered => "delivered",
            StatusFilter::Failed => "failed",
            StatusFilter::Blocked => "blocked",
            StatusFilter::InDoubt => "in_doubt",
        }
    }

    /// Parses a code; empty is no filter.
    pub fn parse(text: &str) -> Result<Option<StatusFilter>, String> {
        match text.trim() {
            "" => Ok(None),
            t => StatusFilter::ALL
                .into_iter()
                .find(|f| f.code() == t)
                .map(Some)
                .ok_or_else(|| {
                    let all: Vec<&str> = StatusFilter::ALL.iter().map(|f| f.code()).collect();
                    format!("{t:?} is not a status; use {}", all.join(", "))
                }),
        }
    }

    /// The filter a message falls under at `now`.
    pub fn of(m: &Message, now: DateTime<Utc>) -> StatusFilter {
        match m.status {
            MessageStatus::Queued if m.data.not_before > now => StatusFilter::Waiting,
            MessageStatus::Queued => StatusFilter::Queued,
            MessageStatus::Sending => StatusFilter::InDoubt,
            MessageStatus::Sent => StatusFilter::Sent,
            MessageStatus::Delivered => StatusFilter::Delivered,
            MessageStatus::Failed => StatusFilter::Failed,
            MessageStatus::Blocked => StatusFilter::Blocked,
        }
    }
}

/// The channels the outbox carries.
pub const CHANNELS: [Channel; 3] = [Channel::Whatsapp, Channel::Sms, Channel::Email];

/// Parses a channel filter; empty is no filter.
pub fn parse_channel(text: &str) -> Result<Option<Channel>, String> {
    match text.trim() {
        "" => Ok(None),
        t => CHANNELS
            .into_iter()
            .find(|c| c.code() == t)
            .map(Some)
            .ok_or_else(|| format!("{t:?} is not an outbox channel; use whatsapp, sms or email")),
    }
}

/// A query of the outbox.
#[derive(Debug, Clone, Copy)]
pub struct Query {
    /// Only this status.
    pub status: Option<StatusFilter>,
    /// Only this channel.
    pub channel: Option<Channel>,
    /// 1-based page.
    pub page: usize,
}

/// One message with its account.
#[derive(Debug, Clone)]
pub struct Item {
    /// The message.
    pub message: Message,
    /// Its status as the filter names it.
    pub filter: StatusFilter,
    /// The account number.
    pub account_no: String,
    /// The debtor's zone.
    pub zone: Zone,
}

/// A page of the outbox.
#[derive(Debug, Clone)]
pub struct OutboxPage {
    /// The messages of this page, newest first.
    pub items: Vec<Item>,
    /// How many match in all.
    pub total: usize,
    /// This page (1-based).
    pub page: usize,
}

impl OutboxPage {
    /// Whether a later page exists.
    pub fn has_next(&self) -> bool {
        self.page * PER_PAGE < self.total
    }
}

/// Reads one page of the creditor's outbox.
pub fn page(
    store: &dyn Store,
    creditor: CreditorId,
    query: Query,
    now: DateTime<Utc>,
) -> StoreResult<OutboxPage> {
    let mut all: Vec<(Message, StatusFilter)> = store
        .messages(creditor, None)?
        .into_iter()
        .map(|m| {
            let f = StatusFilter::of(&m, now);
            (m, f)
        })
        .filter(|(m, f)| {
            query.status.is_none_or(|s| s == *f)
                && query.channel.is_none_or(|c| c == m.data.channel)
        })
        .collect();
    all.reverse();
    let total = all.len();
    let page = query.page.max(1);
    let mut accounts: HashMap<AccountId, (String, Zone)> = HashMap::new();
    let mut items = Vec::new();
    for (m, filter) in all.into_iter().skip((page - 1) * PER_PAGE).take(PER_PAGE) {
        let id = m.data.account;
        if let std::collections::hash_map::Entry::Vacant(e) = accounts.entry(id) {
            let found = store.account(creditor, id)?;
            e.insert(found.map_or((String::new(), Zone::Wib), |a| {
                (a.account_no, a.debtor.data.province.zone())
            }));
        }
        let (account_no, zone) = accounts[&id].clone();
        items.push(Item {
            message: m,
            filter,
            account_no,
            zone,
        });
    }
    Ok(OutboxPage { items, total, page })
}
