//! The portfolio overview: open accounts and outstanding by kolektibilitas (under the
//! creditor's regime) and by DPD bucket, per product. Pure: the store groups by DPD,
//! this classifies; the UI and the API both show the result.

use chrono::NaiveDate;
use sepakat_domain::{BucketSet, Dpd, Kolektibilitas, ProductType, Regime, Rupiah};
use sepakat_store::PortfolioGroup;

/// A count of accounts and their outstanding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    /// Open accounts.
    pub accounts: u64,
    /// Their total outstanding.
    pub outstanding: Rupiah,
}

impl Cell {
    fn add(&mut self, accounts: u64, outstanding: Rupiah) {
        self.accounts += accounts;
        self.outstanding += outstanding;
    }
}

/// One row of a breakdown: a product (None for the total row) and a cell per column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The product, or None for the totals row.
    pub product: Option<ProductType>,
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// The row's total.
    pub total: Cell,
}

impl Row {
    fn new(product: Option<ProductType>, columns: usize) -> Row {
        Row {
            product,
            cells: vec![Cell::default(); columns],
            total: Cell::default(),
        }
    }

    fn add(&mut self, column: usize, accounts: u64, outstanding: Rupiah) {
        self.cells[column].add(accounts, outstanding);
        self.total.add(accounts, outstanding);
    }
}

/// Products × columns, with a totals row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    /// One row per product present, in product order.
    pub rows: Vec<Row>,
    /// Column totals.
    pub total: Row,
}

impl Breakdown {
    fn new(columns: usize) -> Breakdown {
        Breakdown {
            rows: Vec::new(),
            total: Row::new(None, columns),
        }
    }

    fn add(&mut self, product: ProductType, column: usize, accounts: u64, outstanding: Rupiah) {
        let columns = self.total.cells.len();
        let at = match self
            .rows
            .binary_search_by_key(&Some(product), |r| r.product)
        {
            Ok(i) => i,
            Err(i) => {
                self.rows.insert(i, Row::new(Some(product), columns));
                i
            }
        };
        self.rows[at].add(column, accounts, outstanding);
        self.total.add(column, accounts, outstanding);
    }
}

/// The whole overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The date DPD was computed for.
    pub as_of: NaiveDate,
    /// The regime's name (`bank`, `p2p`).
    pub regime: String,
    /// Columns of `by_kolektibilitas`: classes 1..5.
    pub classes: Vec<Kolektibilitas>,
    /// Columns of `by_bucket`: the bucket labels.
    pub buckets: Vec<String>,
    /// Products × kolektibilitas.
    pub by_kolektibilitas: Breakdown,
    /// Products × DPD bucket.
    pub by_bucket: Breakdown,
    /// Outstanding over 90 DPD (numerator of TWP90).
    pub over_90: Rupiah,
}

impl Summary {
    /// Everything open.
    pub fn total(&self) -> Cell {
        self.by_bucket.total.total
    }
}

/// Classifies the store's groups under a regime and a bucket set.
pub fn summarise(
    groups: &[PortfolioGroup],
    regime: &Regime,
    buckets: &BucketSet,
    as_of: NaiveDate,
) -> Summary {
    let classes = Kolektibilitas::ALL.to_vec();
    let labels = buckets.labels().to_vec();
    let mut by_kol = Breakdown::new(classes.len());
    let mut by_bucket = Breakdown::new(labels.len());
    let mut over_90 = Rupiah::ZERO;
    for g in groups {
        let dpd = Dpd(g.dpd);
        let class = usize::from(regime.classify(dpd).class() - 1);
        by_kol.add(g.product, class, g.accounts, g.outstanding);
        by_bucket.add(
            g.product,
            buckets.classify(dpd).index,
            g.accounts,
            g.outstanding,
        );
        if g.dpd > 90 {
            over_90 += g.outstanding;
        }
    }
    Summary {
        as_of,
        regime: regime.name.clone(),
        classes,
        buckets: labels,
        by_kolektibilitas: by_kol,
        by_bucket,
        over_90,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(product: ProductType, dpd: u32, accounts: u64, outstanding: i64) -> PortfolioGroup {
        PortfolioGroup {
            product,
            dpd,
            accounts,
            outstanding: Rupiah::new(outstanding),
        }
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn groups_fall_into_classes_and_buckets_per_product() {
        let groups = [
            group(ProductType::Kta, 0, 2, 1_000),
            group(ProductType::Kta, 95, 1, 500),
            group(ProductType::Kpr, 200, 1, 9_000),
        ];
        let s = summarise(&groups, &Regime::bank(), &BucketSet::default(), day());
        assert_eq!(
            s.total(),
            Cell {
                accounts: 4,
                outstanding: Rupiah::new(10_500)
            }
        );
        // Products in product order: KPR before KTA.
        let kpr = &s.by_kolektibilitas.rows[0];
        assert_eq!(kpr.product, Some(ProductType::Kpr));
        assert_eq!(kpr.cells[4].outstanding, Rupiah::new(9_000));
        let kta = &s.by_kolektibilitas.rows[1];
        assert_eq!(kta.cells[0].accounts, 2);
        assert_eq!(kta.cells[2].accounts, 1, "95 DPD is class 3 for banks");
        assert_eq!(s.by_bucket.total.cells[0].accounts, 2);
        assert_eq!(
            s.by_bucket.total.cells[4].accounts, 1,
            "95 DPD is in 91-180"
        );
        assert_eq!(s.by_bucket.total.cells[5].accounts, 1, "200 DPD is in 180+");
        assert_eq!(s.over_90, Rupiah::new(9_500));
    }

    #[test]
    fn the_regime_decides_the_class() {
        let groups = [group(ProductType::P2pCash, 45, 1, 100)];
        let bank = summarise(&groups, &Regime::bank(), &BucketSet::default(), day());
        let p2p = summarise(&groups, &Regime::p2p(), &BucketSet::default(), day());
        assert_eq!(bank.by_kolektibilitas.total.cells[1].accounts, 1);
        assert_eq!(p2p.by_kolektibilitas.total.cells[2].accounts, 1);
    }

    #[test]
    fn an_empty_portfolio_has_zero_totals() {
        let s = summarise(&[], &Regime::bank(), &BucketSet::default(), day());
        assert!(s.by_bucket.rows.is_empty());
        assert_eq!(s.total(), Cell::default());
        assert_eq!(s.by_bucket.total.cells.len(), 6);
    }
}
