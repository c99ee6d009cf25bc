//! `GET /`: the portfolio overview for supervisors and up (collectors go to `/akun`).

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::Router;

use crate::format;
use crate::i18n::Lang;
use crate::portfolio::{summarise, Breakdown, Cell, Row, Summary};
use crate::session::CurrentUser;
use crate::ui::error::UiError;
use crate::ui::page::{render, Page};
use crate::AppState;

/// `GET /` (the caller puts the portfolio role layer on it).
pub fn router() -> Router<AppState> {
    Router::new().route("/", get(overview))
}

#[derive(Template)]
#[template(path = "portfolio.html")]
struct PortfolioPage {
    page: Page,
    as_of: String,
    regime: String,
    accounts: u64,
    outstanding: String,
    twp90: String,
    /// (heading, table): by kolektibilitas, then by DPD bucket.
    tables: Vec<(String, Table)>,
}

/// A breakdown as the template shows it.
struct Table {
    columns: Vec<String>,
    rows: Vec<TableRow>,
    total: TableRow,
}

struct TableRow {
    label: String,
    cells: Vec<TableCell>,
    total: TableCell,
}

struct TableCell {
    accounts: u64,
    outstanding: String,
}

impl From<Cell> for TableCell {
    fn from(c: Cell) -> Self {
        TableCell {
            accounts: c.accounts,
            outstanding: format::rupiah(c.outstanding),
        }
    }
}

impl Table {
    fn new(lang: Lang, columns: Vec<String>, b: &Breakdown) -> Table {
        let row = |r: &Row| TableRow {
            label: match r.product {
                Some(p) => lang.product(p).to_string(),
                None => lang.strings().total.to_string(),
            },
            cells: r.cells.iter().copied().map(TableCell::from).collect(),
            total: r.total.into(),
        };
        Table {
            columns,
            rows: b.rows.iter().map(row).collect(),
            total: row(&b.total),
        }
    }
}

impl PortfolioPage {
    fn new(lang: Lang, user: &CurrentUser, s: &Summary) -> PortfolioPage {
        let t = lang.strings();
        let total = s.total();
        let classes = s.classes.iter().map(|k| lang.kolektibilitas(*k)).collect();
        let buckets = s.buckets.iter().map(|b| lang.bucket(b)).collect();
        PortfolioPage {
            page: Page::new(lang, lang.strings().portfolio_title, user),
            as_of: format::date(lang, s.as_of),
            regime: s.regime.clone(),
            accounts: total.accounts,
            outstanding: format::rupiah(total.outstanding),
            twp90: format::share(s.over_90, total.outstanding),
            tables: vec![
                (
                    t.by_kolektibilitas.to_string(),
                    Table::new(lang, classes, &s.by_kolektibilitas),
                ),
                (
                    t.by_bucket.to_string(),
                    Table::new(lang, buckets, &s.by_bucket),
                ),
            ],
        }
    }
}

#[tracing::instrument(skip_all, fields(user = user.user.id.0, creditor = user.creditor.id.0))]
async fn overview(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> Result<Html<String>, UiError> {
    let today = state.today();
    let creditor = user.creditor.id;
    let groups = state
        .store(move |s| s.portfolio_by_dpd(creditor, today))
        .await?;
    let summary = summarise(
        &groups,
        &user.creditor.regime,
        &state.config().buckets,
        today,
    );
    render(&PortfolioPage::new(lang, &user, &summary))
}
