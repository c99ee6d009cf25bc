//! The API's wire views: what JSON clients see, separate from domain and store types.
//! Money travels as integer rupiah with a formatted string beside it; NIK, phone and
//! e-mail only ever masked.

use chrono::{DateTime, NaiveDate, Utc};
use sepakat_domain::{Rupiah, ScheduleMethod};
use sepakat_store::{AccountDetail, AccountListItem, AuditEntry, Payment};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::format;
use crate::portfolio::{Breakdown, Cell, Row, Summary};
use crate::standing::Standing;

/// An amount: whole rupiah and its display form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Money {
    /// Whole rupiah.
    #[schema(example = 1250000)]
    pub amount: i64,
    /// `Rp1.250.000`.
    #[schema(example = "Rp1.250.000")]
    pub formatted: String,
}

impl From<Rupiah> for Money {
    fn from(r: Rupiah) -> Self {
        Money {
            amount: r.value(),
            formatted: format::rupiah(r),
        }
    }
}

/// A count of accounts and their outstanding.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CellView {
    /// Open accounts.
    pub accounts: u64,
    /// Their outstanding.
    pub outstanding: Money,
}

impl From<Cell> for CellView {
    fn from(c: Cell) -> Self {
        CellView {
            accounts: c.accounts,
            outstanding: c.outstanding.into(),
        }
    }
}

/// One product's row (or the totals row, `product` null).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RowView {
    /// Product code, null for totals.
    pub product: Option<String>,
    /// One cell per column.
    pub cells: Vec<CellView>,
    /// Row total.
    pub total: CellView,
}

impl From<&Row> for RowView {
    fn from(r: &Row) -> Self {
        RowView {
            product: r.product.map(|p| p.code().to_string()),
            cells: r.cells.iter().copied().map(CellView::from).collect(),
            total: r.total.into(),
        }
    }
}

/// Products × columns.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BreakdownView {
    /// Column keys: kolektibilitas classes `1`..`5`, or bucket labels.
    pub columns: Vec<String>,
    /// Rows per product.
    pub rows: Vec<RowView>,
    /// Totals.
    pub total: RowView,
}

impl BreakdownView {
    fn new(columns: Vec<String>, b: &Breakdown) -> BreakdownView {
        BreakdownView {
            columns,
            rows: b.rows.iter().map(RowView::from).collect(),
            total: (&b.total).into(),
        }
    }
}

/// The portfolio overview.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PortfolioView {
    /// The date DPD was computed for (today in WIB).
    pub as_of: NaiveDate,
    /// The creditor's kolektibilitas regime.
    pub regime: String,
    /// All open accounts.
    pub total: CellView,
    /// Outstanding over 90 DPD.
    pub over_90: Money,
    /// By kolektibilitas class.
    pub by_kolektibilitas: BreakdownView,
    /// By DPD bucket.
    pub by_bucket: BreakdownView,
}

impl From<&Summary> for PortfolioView {
    fn from(s: &Summary) -> Self {
        PortfolioView {
            as_of: s.as_of,
            regime: s.regime.clone(),
            total: s.total().into(),
            over_90: s.over_90.into(),
            by_kolektibilitas: BreakdownView::new(
                s.classes.iter().map(|k| k.class().to_string()).collect(),
                &s.by_kolektibilitas,
            ),
            by_bucket: BreakdownView::new(s.buckets.clone(), &s.by_bucket),
        }
    }
}

/// An account's standing today.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StandingView {
    /// Days past due.
    pub dpd: u32,
    /// Kolektibilitas class 1..5.
    pub kolektibilitas: u8,
    /// Its Indonesian name.
    pub kolektibilitas_label: String,
    /// DPD bucket label.
    pub bucket: String,
}

impl From<Standing> for StandingView {
    fn from(s: Standing) -> Self {
        StandingView {
            dpd: s.dpd.days(),
            kolektibilitas: s.kolektibilitas.class(),
            kolektibilitas_label: s.kolektibilitas.label().to_string(),
            bucket: s.bucket,
        }
    }
}

/// A search result.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountSummaryView {
    /// Id.
    pub id: i64,
    /// Account number.
    pub account_no: String,
    /// Debtor name.
    pub debtor_name: String,
    /// Masked NIK.
    pub nik_masked: Option<String>,
    /// Masked phone.
    pub phone_masked: Option<String>,
    /// Province name.
    pub province: String,
    /// Product code.
    pub product: String,
    /// Total outstanding.
    pub outstanding: Money,
    /// Oldest unpaid due date.
    pub oldest_unpaid_due: Option<NaiveDate>,
    /// Standing today.
    pub standing: StandingView,
    /// `open`, `paid_off`, `written_off`.
    pub status: String,
}

impl AccountSummaryView {
    /// A list item with its standing.
    pub fn new(item: AccountListItem, standing: Standing) -> Self {
        AccountSummaryView {
            id: item.id.0,
            account_no: item.account_no,
            debtor_name: item.debtor_name,
            nik_masked: item.nik_masked,
            phone_masked: item.phone_masked,
            province: item.province.name().to_string(),
            product: item.product.code().to_string(),
            outstanding: item.outstanding.into(),
            oldest_unpaid_due: item.oldest_unpaid_due,
            standing: standing.into(),
            status: item.status.code().to_string(),
        }
    }
}

/// A page of search results.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountListView {
    /// The results.
    pub items: Vec<AccountSummaryView>,
    /// The limit applied.
    pub limit: u32,
    /// The offset applied.
    pub offset: u32,
}

/// The debtor, masked.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DebtorView {
    /// Id.
    pub id: i64,
    /// `person` or `company`.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Masked NIK.
    pub nik_masked: Option<String>,
    /// NPWP, formatted.
    pub npwp: Option<String>,
    /// Masked phone.
    pub phone_masked: Option<String>,
    /// Masked e-mail.
    pub email_masked: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Province name.
    pub province: String,
    /// `WIB`, `WITA` or `WIT`.
    pub zone: String,
}

/// Contract terms.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TermsView {
    /// Amount lent.
    pub principal: Money,
    /// Annual rate in parts per million (12,5% = 125000).
    pub annual_rate_ppm: u32,
    /// Annual rate as shown (`12,5%`).
    pub annual_rate: String,
    /// Months.
    pub tenor_months: u32,
    /// First due date.
    pub first_due: NaiveDate,
    /// `annuity` or `flat`.
    pub method: String,
}

/// The balance by component.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BalanceView {
    /// Unpaid principal, due or not.
    pub outstanding_principal: Money,
    /// Overdue principal.
    pub arrears_principal: Money,
    /// Overdue interest.
    pub arrears_interest: Money,
    /// Penalty.
    pub penalty: Money,
    /// Fees.
    pub fees: Money,
    /// Everything owed.
    pub total_outstanding: Money,
    /// Everything overdue.
    pub total_overdue: Money,
    /// Oldest unpaid due date.
    pub oldest_unpaid_due: Option<NaiveDate>,
}

/// One account in full.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountView {
    /// Id.
    pub id: i64,
    /// Account number.
    pub account_no: String,
    /// Product code.
    pub product: String,
    /// Status code.
    pub status: String,
    /// Debtor.
    pub debtor: DebtorView,
    /// Terms.
    pub terms: TermsView,
    /// Contractual instalment.
    pub instalment: Money,
    /// Contract date.
    pub opened_on: NaiveDate,
    /// Balance.
    pub balance: BalanceView,
    /// Standing today.
    pub standing: StandingView,
}

impl AccountView {
    /// An account with its standing.
    pub fn new(a: AccountDetail, standing: Standing) -> Self {
        let d = a.debtor.data;
        let b = a.balance;
        let t = a.terms;
        AccountView {
            id: a.id.0,
            account_no: a.account_no,
            product: a.product.code().to_string(),
            status: a.status.code().to_string(),
            debtor: DebtorView {
                id: a.debtor.id.0,
                kind: match d.kind {
                    sepakat_store::DebtorKind::Person => "person",
                    sepakat_store::DebtorKind::Company => "company",
                }
                .to_string(),
                name: d.name,
                nik_masked: d.nik.map(|n| n.masked()),
                npwp: d.npwp.map(|n| n.formatted()),
                phone_masked: d.phone.map(|p| p.masked()),
                email_masked: d.email.map(|e| e.masked()),
                address: d.address,
                city: d.city,
                province: d.province.name().to_string(),
                zone: d.province.zone().label().to_string(),
            },
            terms: TermsView {
                principal: t.principal.into(),
                annual_rate_ppm: t.annual_rate.ppm(),
                annual_rate: t.annual_rate.to_string(),
                tenor_months: t.tenor_months,
                first_due: t.first_due,
                method: match t.method {
                    ScheduleMethod::Annuity => "annuity",
                    ScheduleMethod::Flat => "flat",
                }
                .to_string(),
            },
            instalment: a.instalment.into(),
            opened_on: a.opened_on,
            balance: BalanceView {
                outstanding_principal: b.outstanding_principal.into(),
                arrears_principal: b.arrears_principal.into(),
                arrears_interest: b.arrears_interest.into(),
                penalty: b.penalty.into(),
                fees: b.fees.into(),
                total_outstanding: b.total_outstanding().into(),
                total_overdue: b.total_overdue().into(),
                oldest_unpaid_due: b.oldest_unpaid_due,
            },
            standing: standing.into(),
        }
    }
}

/// How a payment was split.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AllocationView {
    /// To fees.
    pub fees: Money,
    /// To penalty.
    pub penalty: Money,
    /// To interest.
    pub interest: Money,
    /// To principal.
    pub principal: Money,
    /// Left over.
    pub excess: Money,
}

/// A payment or reversal.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PaymentView {
    /// Id.
    pub id: i64,
    /// Account id.
    pub account_id: i64,
    /// When received.
    pub paid_at: DateTime<Utc>,
    /// Amount (negative for a reversal).
    pub amount: Money,
    /// Reference.
    pub reference: String,
    /// Channel.
    pub channel: String,
    /// Split.
    pub allocation: AllocationView,
    /// Overdue instalments cleared.
    pub instalments_cleared: u32,
    /// For a reversal: the payment it reverses.
    pub reverses: Option<i64>,
    /// For a reversed payment: its reversal.
    pub reversed_by: Option<i64>,
    /// Reversal reason.
    pub reason: Option<String>,
}

impl From<Payment> for PaymentView {
    fn from(p: Payment) -> Self {
        let a = p.allocation;
        PaymentView {
            id: p.id.0,
            account_id: p.account.0,
            paid_at: p.paid_at,
            amount: p.amount.into(),
            reference: p.reference,
            channel: p.channel,
            allocation: AllocationView {
                fees: a.fees.into(),
                penalty: a.penalty.into(),
                interest: a.interest.into(),
                principal: a.principal.into(),
                excess: a.excess.into(),
            },
            instalments_cleared: p.instalments_cleared,
            reverses: p.reverses.map(|id| id.0),
            reversed_by: p.reversed_by.map(|id| id.0),
            reason: p.reason,
        }
    }
}

/// An audit entry.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEntryView {
    /// Sequence number.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (username or system name).
    pub actor: String,
    /// The acting user's id, if a person.
    pub actor_user_id: Option<i64>,
    /// What happened.
    pub action: String,
    /// Entity kind.
    pub entity_kind: String,
    /// Entity id.
    pub entity_id: String,
    /// Details (never unmasked personal data).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        AuditEntryView {
            id: e.id,
            at: e.entry.at,
            actor: e.entry.actor.name,
            actor_user_id: e.entry.actor.user.map(|u| u.0),
            action: e.entry.action,
            entity_kind: e.entry.entity.kind,
            entity_id: e.entry.entity.id,
            detail: e.entry.detail,
        }
    }
}

/// A payment to post (`POST /api/v1/accounts/{id}/payments`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PaymentRequest {
    /// Whole rupiah, > 0 (an integer, or a string such as `"Rp1.250.000"`).
    #[schema(example = 1250000)]
    pub amount: i64,
    /// When the money was received: RFC 3339, not in the future.
    pub paid_at: DateTime<Utc>,
    /// Bank or payer reference, unique per creditor (1–64 printable characters).
    pub reference: String,
    /// `transfer`, `va`, `teller`, `qris`, `ewallet`, `autodebet`, `other`.
    pub channel: String,
}
