//! The words of the negotiation desk (the negotiation page, an offer, the approval queue),
//! each written once with its translation beside it.

use sepakat_domain::negotiation::{AbilityFlag, Limit, OfferFlag};

use super::Lang;

impl Lang {
    /// The negotiation desk's words of this language.
    pub fn desk(self) -> &'static DeskStrings {
        match self {
            Lang::Id => &ID,
            Lang::En => &EN,
        }
    }
}

words! {
    DeskStrings;
    /// Nav: the approval queue.
    nav_approvals: "Persetujuan", "Approvals";
    /// The workspace's card and the page title.
    title: "Negosiasi", "Negotiation";
    /// The workspace's button to the desk.
    open_desk: "Buka meja negosiasi", "Open the negotiation desk";
    /// The assessment card.
    ability_title: "Kemampuan bayar debitur", "The debtor's ability to pay";
    /// Field.
    income: "Penghasilan per bulan", "Monthly income";
    /// Field.
    expenses: "Pengeluaran pokok per bulan", "Essential monthly expenses";
    /// Field.
    other_debt: "Cicilan utang lain per bulan", "Other debt payments per month";
    /// Field.
    dependants: "Jumlah tanggungan", "Dependants";
    /// Field.
    hardship: "Kesulitan yang disampaikan", "Hardship declared";
    /// No hardship.
    no_hardship: "Tidak ada", "None";
    /// Field.
    evidence: "Bukti kesulitan (nomor/uraian dokumen)", "Hardship evidence (document number or description)";
    /// The optional terms.
    request_title: "Permintaan debitur (boleh kosong)", "What the debtor asks for (optional)";
    /// Field.
    tenor: "Tenor (bulan)", "Tenor (months)";
    /// Field.
    down_payment: "Uang muka (%)", "Down payment (%)";
    /// Field.
    first_payment: "Pembayaran pertama", "First payment";
    /// The compute button.
    compute: "Hitung opsi", "Compute the options";
    /// The result.
    living_cost: "Biaya hidup dihitung", "Living cost used";
    /// The result.
    disposable: "Sisa penghasilan", "Disposable income";
    /// The result.
    recommended: "Cicilan realistis per bulan", "Realistic monthly payment";
    /// The result.
    keep_probability: "Peluang menepati (riwayat janji)", "Probability of keeping (promise history)";
    /// The result.
    owed: "Kewajiban saat ini", "Owed now";
    /// The options grid.
    options_title: "Opsi pembayaran", "Payment options";
    /// Option heading.
    option: "Opsi", "Option";
    /// Option line.
    total_paid: "Total dibayar", "Total paid";
    /// Option line.
    upfront: "Uang muka / sekaligus", "Down payment / lump sum";
    /// Option line.
    monthly: "Cicilan per bulan", "Monthly payment";
    /// Option line.
    months: "bulan", "months";
    /// Option line.
    discount: "Keringanan", "Discount";
    /// Option line.
    expected: "Perkiraan pemulihan", "Expected recovery";
    /// Option line.
    period: "Jangka waktu", "Period";
    /// Authority badge.
    within_authority: "Dalam wewenang Anda", "Within your authority";
    /// Authority badge.
    needs_approval: "Perlu persetujuan", "Needs approval by";
    /// Nobody may approve it.
    no_approver: "di luar wewenang siapa pun (kebijakan harus diubah)", "beyond anyone's authority (the policy must change)";
    /// Exceeded limit: allowed.
    allowed: "boleh", "allowed";
    /// Exceeded limit: asked.
    asked: "diminta", "asked";
    /// The schedule of an option.
    schedule: "Jadwal pembayaran", "Payment schedule";
    /// The offer button.
    offer: "Tawarkan opsi ini", "Offer this option";
    /// The account's offers.
    offers_title: "Penawaran untuk akun ini", "Offers on this account";
    /// No offers yet.
    no_offers: "Belum ada penawaran.", "No offers yet.";
    /// An offer page title.
    offer_title: "Penawaran", "Offer";
    /// Offer fields.
    status: "Status", "Status";
    /// Offer fields.
    made_by: "Dibuat oleh", "Made by";
    /// Offer fields.
    made_at: "Dibuat", "Made";
    /// Offer fields.
    expires: "Berlaku sampai", "Open until";
    /// Offer fields.
    decided_by: "Diputuskan oleh", "Decided by";
    /// Offer fields.
    decision_reason: "Alasan keputusan", "Reason for the decision";
    /// Offer fields.
    approvers: "Dapat disetujui oleh", "May be approved by";
    /// Waiting for approval.
    waiting: "Menunggu persetujuan atasan sebelum ditawarkan kepada debitur.", "Waiting for approval before it is offered to the debtor.";
    /// Decide buttons.
    approve: "Setujui", "Approve";
    /// Decide buttons.
    reject: "Tolak", "Reject";
    /// The acceptance card.
    accept_title: "Debitur menyetujui", "The debtor accepts";
    /// Field.
    place: "Tempat penandatanganan", "Place of signing";
    /// Button.
    accept: "Catat persetujuan dan buat surat pernyataan", "Record the acceptance and make the agreement";
    /// The agreement link.
    agreement: "Unduh Surat Pernyataan Kesanggupan Pembayaran (PDF)", "Download the payment agreement (PDF)";
    /// No agreement PDF without a NIK or NPWP.
    company_agreement: "Debitur tanpa NIK maupun NPWP: lengkapi identitas debitur sebelum membuat surat pernyataan.", "The debtor has neither a NIK nor an NPWP: complete the identity before making the agreement.";
    /// The recap card.
    recap_title: "Rekap kesepakatan untuk dikirim ke debitur", "Recap of the agreement to send to the debtor";
    /// The arrangement.
    arrangement_title: "Rencana pembayaran berjalan", "The payment arrangement";
    /// Instalment columns.
    seq: "Ke", "No.";
    /// Instalment columns.
    due: "Jatuh tempo", "Due";
    /// Instalment columns.
    amount: "Jumlah", "Amount";
    /// Instalment columns.
    paid: "Dibayar", "Paid";
    /// The queue page.
    approvals_title: "Antrean persetujuan penawaran", "Offers waiting for approval";
    /// Empty queue.
    approvals_empty: "Tidak ada penawaran yang menunggu persetujuan.", "No offers are waiting for approval.";
    /// Queue column.
    exceeded: "Melebihi wewenang", "Beyond authority";
    /// Queue link.
    review: "Tinjau", "Review";
    /// Notice after an offer.
    offered_notice: "Penawaran tersimpan.", "The offer is saved.";
    /// Notice after a decision.
    decided_notice: "Keputusan tersimpan.", "The decision is saved.";
    /// Notice after an acceptance.
    accepted_notice: "Persetujuan debitur tercatat; rencana pembayaran dibuat.", "The debtor's acceptance is recorded; the arrangement is made.";
    /// Back to the account.
    back_to_account: "Kembali ke akun", "Back to the account";
}

impl Lang {
    /// What an option's flag tells the collector.
    pub fn offer_flag(self, flag: OfferFlag) -> &'static str {
        let (id, en) = match flag {
            OfferFlag::InstalmentAboveAbility => (
                "Cicilan di atas kemampuan bayar yang dinilai",
                "Instalment above the assessed ability",
            ),
            OfferFlag::LumpSumAboveAbility => (
                "Pembayaran sekaligus di atas kemampuan debitur",
                "Lump sum above what the debtor can raise",
            ),
            OfferFlag::ContractInstalmentsIncluded => (
                "Termasuk angsuran kontrak yang belum jatuh tempo",
                "Includes the contract's instalments not yet due",
            ),
            OfferFlag::ClampedToAuthority => (
                "Keringanan dibatasi sesuai wewenang Anda",
                "Discount limited to your authority",
            ),
            OfferFlag::Requested => ("Sesuai permintaan debitur", "As the debtor asked"),
        };
        self.pick(id, en)
    }

    /// A limit of the authority matrix.
    pub fn limit(self, limit: Limit) -> &'static str {
        let (id, en) = match limit {
            Limit::NoAuthority => (
                "Wewenang untuk produk dan kolektibilitas ini",
                "Authority for this product and class",
            ),
            Limit::MaxPenaltyDiscount => ("Keringanan denda", "Penalty discount"),
            Limit::MaxInterestDiscount => ("Keringanan bunga", "Interest discount"),
            Limit::MaxPrincipalDiscount => ("Keringanan pokok", "Principal discount"),
            Limit::MaxTenorMonths => ("Tenor", "Tenor"),
            Limit::MinDownPayment => ("Uang muka minimum", "Minimum down payment"),
            Limit::MaxDaysToFirstPayment => (
                "Hari sampai pembayaran pertama",
                "Days to the first payment",
            ),
            Limit::MayRestructure => ("Restrukturisasi", "Restructuring"),
        };
        self.pick(id, en)
    }

    /// What the assessment noticed.
    pub fn ability_flag(self, flag: AbilityFlag) -> &'static str {
        let (id, en) = match flag {
            AbilityFlag::ExpensesAboveIncome => (
                "Pengeluaran dan cicilan lain melebihi penghasilan",
                "Expenses and other debts exceed the income",
            ),
            AbilityFlag::LivingAllowanceApplied => (
                "Pengeluaran di bawah biaya hidup minimum; batas minimum dipakai",
                "Expenses below the living allowance; the allowance was used",
            ),
            AbilityFlag::DebtServiceLimited => (
                "Dibatasi rasio cicilan terhadap penghasilan",
                "Limited by the debt-service ratio",
            ),
            AbilityFlag::ZeroCapacity => (
                "Belum ada kemampuan bayar saat ini",
                "No capacity to pay now",
            ),
            AbilityFlag::HardshipDeclared => {
                ("Debitur menyampaikan kesulitan", "Hardship declared")
            }
            AbilityFlag::HardshipWithoutEvidence => (
                "Kesulitan belum disertai bukti",
                "The hardship has no evidence yet",
            ),
        };
        self.pick(id, en)
    }

    fn pick(self, id: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }
}
