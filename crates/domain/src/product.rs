//! The product types Sepakat collects on: bank and multifinance loans, cards, online
//! lending and B2B invoices.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kind of debt an account is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductType {
    /// Kredit Pemilikan Rumah (mortgage).
    Kpr,
    /// Kredit Kendaraan Bermotor (vehicle loan, multifinance or bank).
    Kkb,
    /// Kredit Tanpa Agunan (unsecured personal loan).
    Kta,
    /// Kartu kredit (credit card balance).
    KartuKredit,
    /// Paylater (buy now, pay later).
    Paylater,
    /// Pinjaman daring (P2P cash loan).
    P2pCash,
    /// Pembiayaan multiguna (multifinance consumer financing).
    Multiguna,
    /// Faktur (a business's unpaid B2B invoice).
    Invoice,
}

impl ProductType {
    /// Every product type.
    pub const ALL: &'static [ProductType] = &[
        ProductType::Kpr,
        ProductType::Kkb,
        ProductType::Kta,
        ProductType::KartuKredit,
        ProductType::Paylater,
        ProductType::P2pCash,
        ProductType::Multiguna,
        ProductType::Invoice,
    ];

    /// The stable code used in files, URLs and the database (`kpr`, `kartu_kredit`, …).
    pub const fn code(self) -> &'static str {
        match self {
            ProductType::Kpr => "kpr",
            ProductType::Kkb => "kkb",
            ProductType::Kta => "kta",
            ProductType::KartuKredit => "kartu_kredit",
            ProductType::Paylater => "paylater",
            ProductType::P2pCash => "p2p_cash",
            ProductType::Multiguna => "multiguna",
            ProductType::Invoice => "invoice",
        }
    }

    /// The name shown to Indonesian users.
    pub const fn label(self) -> &'static str {
        match self {
            ProductType::Kpr => "KPR",
            ProductType::Kkb => "Kredit Kendaraan",
            ProductType::Kta => "KTA",
            ProductType::KartuKredit => "Kartu Kredit",
            ProductType::Paylater => "Paylater",
            ProductType::P2pCash => "Pinjaman Daring",
            ProductType::Multiguna => "Multiguna",
            ProductType::Invoice => "Faktur",
        }
    }

    /// Parses a code or a common name (`kartu kredit`, `credit_card`, `pinjol`, `faktur`).
    pub fn parse(text: &str) -> Option<ProductType> {
        let t = text.trim().to_lowercase().replace([' ', '-'], "_");
        let found = match t.as_str() {
            "kpr" | "mortgage" => ProductType::Kpr,
            "kkb" | "kredit_kendaraan" | "vehicle" | "auto" => ProductType::Kkb,
            "kta" | "personal_loan" => ProductType::Kta,
            "kartu_kredit" | "credit_card" | "cc" => ProductType::KartuKredit,
            "paylater" | "bnpl" => ProductType::Paylater,
            "p2p_cash" | "p2p" | "pinjaman_daring" | "pindar" | "pinjol" => ProductType::P2pCash,
            "multiguna" | "multipurpose" => ProductType::Multiguna,
            "invoice" | "faktur" => ProductType::Invoice,
            _ => return None,
        };
        Some(found)
    }
}

impl fmt::Display for ProductType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_back() {
        for p in ProductType::ALL {
            assert_eq!(ProductType::parse(p.code()), Some(*p));
        }
        assert_eq!(
            ProductType::parse("Kartu Kredit"),
            Some(ProductType::KartuKredit)
        );
        assert_eq!(ProductType::parse("pinjol"), Some(ProductType::P2pCash));
        assert_eq!(ProductType::parse("saham"), None);
    }
}
