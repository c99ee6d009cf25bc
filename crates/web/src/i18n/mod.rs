//! The UI's words, in Bahasa Indonesia (default) and English: one table per language.
//!
//! Every string a page shows comes from a [`Strings`] table, so a word is written once per
//! language and a missing translation is a compile error rather than a blank on screen.

/// A table of words, each written once with its translation beside it:
/// `words! { Name; field: "Bahasa Indonesia", "English"; … }` makes the struct `Name` and
/// the statics `ID` and `EN` of the calling module.
macro_rules! words {
    ($strings:ident; $($(#[$doc:meta])* $field:ident: $id:literal, $en:literal;)*) => {
        /// Every word of these pages in one language.
        #[derive(Debug)]
        pub struct $strings { $($(#[$doc])* pub $field: &'static str,)* }

        static ID: $strings = $strings { $($field: $id,)* };
        static EN: $strings = $strings { $($field: $en,)* };
    };
}

mod codes;
mod desk;
mod letters;
mod templates;
mod work;

pub use codes::Named;
pub use desk::DeskStrings;
pub use letters::LetterStrings;
pub use templates::TemplateStrings;
pub use work::WorkStrings;

use sepakat_domain::{Kolektibilitas, ProductType, Role};
use sepakat_store::AccountStatus;

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Bahasa Indonesia (default).
    #[default]
    Id,
    /// English.
    En,
}

impl Lang {
    /// `id` or `en`: the cookie value, the URL segment and the HTML `lang` attribute.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// Parses `id` or `en`.
    pub fn parse(text: &str) -> Option<Lang> {
        match text {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch link.
    pub const fn other(self) -> Lang {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }

    /// This language's table.
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Id => &ID,
            Lang::En => &EN,
        }
    }

    /// A product's name.
    pub fn product(self, p: ProductType) -> &'static str {
        match self {
            Lang::Id => p.label(),
            Lang::En => match p {
                ProductType::Kpr => "Mortgage (KPR)",
                ProductType::Kkb => "Vehicle loan",
                ProductType::Kta => "Personal loan (KTA)",
                ProductType::KartuKredit => "Credit card",
                ProductType::Paylater => "Paylater",
                ProductType::P2pCash => "Online loan (P2P)",
                ProductType::Multiguna => "Multipurpose financing",
                ProductType::Invoice => "Invoice",
            },
        }
    }

    /// A kolektibilitas class as `2 – Dalam Perhatian Khusus`.
    pub fn kolektibilitas(self, k: Kolektibilitas) -> String {
        let label = self.strings().kol_labels[usize::from(k.class() - 1)];
        format!("{} – {}", k.class(), label)
    }

    /// A role's name.
    pub fn role(self, r: Role) -> &'static str {
        match self {
            Lang::Id => r.label(),
            Lang::En => match r {
                Role::Collector => "Collector",
                Role::Supervisor => "Supervisor",
                Role::Manager => "Manager",
                Role::Compliance => "Compliance",
                Role::Admin => "Admin",
            },
        }
    }

    /// An account status.
    pub fn status(self, s: AccountStatus) -> &'static str {
        let t = self.strings();
        match s {
            AccountStatus::Open => t.status_open,
            AccountStatus::PaidOff => t.status_paid_off,
            AccountStatus::WrittenOff => t.status_written_off,
        }
    }

    /// A DPD bucket label; `current` is translated, ranges are numbers.
    pub fn bucket(self, label: &str) -> String {
        if label == "current" {
            self.strings().bucket_current.to_string()
        } else {
            label.to_string()
        }
    }
}

/// Every word of the UI in one language.
#[derive(Debug)]
pub struct Strings {
    /// Product name.
    pub app_name: &'static str,
    /// Skip link for keyboard users.
    pub skip_to_content: &'static str,
    /// Nav: portfolio.
    pub nav_portfolio: &'static str,
    /// Nav: accounts.
    pub nav_accounts: &'static str,
    /// Log out button.
    pub logout: &'static str,
    /// Name of the other language, shown on the switch.
    pub other_language: &'static str,
    /// Active creditor label.
    pub creditor: &'static str,
    /// Switch creditor button.
    pub switch: &'static str,
    /// Search box label.
    pub search_label: &'static str,
    /// Search box hint.
    pub search_placeholder: &'static str,
    /// Search button.
    pub search: &'static str,
    /// Keyboard hint for `/`.
    pub search_hint: &'static str,
    /// Login page title.
    pub login_title: &'static str,
    /// Username label.
    pub username: &'static str,
    /// Password label.
    pub password: &'static str,
    /// Login button.
    pub login_button: &'static str,
    /// Generic login failure (same for unknown user and wrong password).
    pub login_failed: &'static str,
    /// Lock-out message, followed by the time it ends.
    pub login_locked: &'static str,
    /// Portfolio page title.
    pub portfolio_title: &'static str,
    /// "As of" before a date.
    pub as_of: &'static str,
    /// Number of accounts.
    pub accounts: &'static str,
    /// Outstanding amount.
    pub outstanding: &'static str,
    /// Kolektibilitas.
    pub kolektibilitas: &'static str,
    /// Table heading: by kolektibilitas.
    pub by_kolektibilitas: &'static str,
    /// Table heading: by DPD bucket.
    pub by_bucket: &'static str,
    /// Product.
    pub product: &'static str,
    /// Total.
    pub total: &'static str,
    /// Kolektibilitas regime.
    pub regime: &'static str,
    /// Empty portfolio.
    pub no_open_accounts: &'static str,
    /// The current (0 DPD) bucket.
    pub bucket_current: &'static str,
    /// TWP90 explanation.
    pub twp90: &'static str,
    /// Kolektibilitas class names 1..5.
    pub kol_labels: [&'static str; 5],
    /// Account search title.
    pub accounts_title: &'static str,
    /// Product filter: all.
    pub all_products: &'static str,
    /// Account number.
    pub account_no: &'static str,
    /// Debtor.
    pub debtor: &'static str,
    /// NIK.
    pub nik: &'static str,
    /// Phone.
    pub phone: &'static str,
    /// DPD.
    pub dpd: &'static str,
    /// Status.
    pub status: &'static str,
    /// No search results.
    pub no_results: &'static str,
    /// Previous page.
    pub previous: &'static str,
    /// Next page.
    pub next: &'static str,
    /// Status: open.
    pub status_open: &'static str,
    /// Status: paid off.
    pub status_paid_off: &'static str,
    /// Status: written off.
    pub status_written_off: &'static str,
    /// Account detail title.
    pub account_title: &'static str,
    /// Name.
    pub name: &'static str,
    /// Address.
    pub address: &'static str,
    /// City.
    pub city: &'static str,
    /// Province.
    pub province: &'static str,
    /// E-mail.
    pub email: &'static str,
    /// Terms section.
    pub terms: &'static str,
    /// Principal lent.
    pub principal: &'static str,
    /// Interest rate.
    pub rate: &'static str,
    /// Tenor.
    pub tenor: &'static str,
    /// "months".
    pub months: &'static str,
    /// First due date.
    pub first_due: &'static str,
    /// Schedule method.
    pub method: &'static str,
    /// Annuity.
    pub annuity: &'static str,
    /// Flat.
    pub flat: &'static str,
    /// Instalment.
    pub instalment: &'static str,
    /// Contract date.
    pub opened_on: &'static str,
    /// Balance section.
    pub balance: &'static str,
    /// Outstanding principal.
    pub outstanding_principal: &'static str,
    /// Principal arrears.
    pub arrears_principal: &'static str,
    /// Interest arrears.
    pub arrears_interest: &'static str,
    /// Penalty.
    pub penalty: &'static str,
    /// Fees.
    pub fees: &'static str,
    /// Total owed.
    pub total_outstanding: &'static str,
    /// Total overdue.
    pub total_overdue: &'static str,
    /// Oldest unpaid due date.
    pub oldest_unpaid_due: &'static str,
    /// DPD bucket.
    pub bucket: &'static str,
    /// Last payment.
    pub last_payment: &'static str,
    /// Payments section.
    pub payments: &'static str,
    /// Date.
    pub date: &'static str,
    /// Amount.
    pub amount: &'static str,
    /// Reference.
    pub reference: &'static str,
    /// Channel.
    pub channel: &'static str,
    /// Interest (allocation column).
    pub interest: &'static str,
    /// Marks a reversal.
    pub reversal: &'static str,
    /// Marks a reversed payment.
    pub reversed: &'static str,
    /// No payments yet.
    pub no_payments: &'static str,
    /// Audit trail section.
    pub audit_trail: &'static str,
    /// Time.
    pub time: &'static str,
    /// Who.
    pub actor: &'static str,
    /// Action.
    pub action: &'static str,
    /// No audit entries.
    pub no_audit: &'static str,
    /// Schedule section.
    pub schedule: &'static str,
    /// Instalment number.
    pub seq: &'static str,
    /// Due date.
    pub due_date: &'static str,
    /// Instalment paid.
    pub paid: &'static str,
    /// Instalment overdue.
    pub overdue: &'static str,
    /// Instalment not yet due.
    pub upcoming: &'static str,
    /// "none" / dash text.
    pub none: &'static str,
    /// 404 title.
    pub not_found_title: &'static str,
    /// 404 text.
    pub not_found_text: &'static str,
    /// 403 title.
    pub forbidden_title: &'static str,
    /// 403 text.
    pub forbidden_text: &'static str,
    /// CSRF failure text.
    pub csrf_text: &'static str,
    /// 400 title.
    pub bad_request_title: &'static str,
    /// 400 text.
    pub bad_request_text: &'static str,
    /// 500 title.
    pub internal_title: &'static str,
    /// 500 text.
    pub internal_text: &'static str,
    /// Back-home link.
    pub back_home: &'static str,
    /// Month abbreviations for dates.
    pub months_short: [&'static str; 12],
}

/// Bahasa Indonesia.
pub static ID: Strings = Strings {
    app_name: "Sepakat",
    skip_to_content: "Lewati ke konten",
    nav_portfolio: "Portofolio",
    nav_accounts: "Rekening",
    logout: "Keluar",
    other_language: "English",
    creditor: "Kreditur",
    switch: "Ganti",
    search_label: "Cari rekening",
    search_placeholder: "Nama, no. rekening, NIK, atau telepon",
    search: "Cari",
    search_hint: "Tekan / untuk mencari",
    login_title: "Masuk",
    username: "Nama pengguna",
    password: "Kata sandi",
    login_button: "Masuk",
    login_failed: "Nama pengguna atau kata sandi salah",
    login_locked: "Akun Anda dikunci sementara karena terlalu banyak percobaan masuk yang gagal. Silakan coba lagi setelah",
    portfolio_title: "Ikhtisar Portofolio",
    as_of: "Per tanggal",
    accounts: "Rekening",
    outstanding: "Baki debet",
    kolektibilitas: "Kolektibilitas",
    by_kolektibilitas: "Kolektibilitas per produk",
    by_bucket: "Hari tunggakan (DPD) per produk",
    product: "Produk",
    total: "Total",
    regime: "Rezim",
    no_open_accounts: "Belum ada rekening aktif.",
    bucket_current: "Belum menunggak",
    twp90: "TWP90 (baki debet > 90 DPD ÷ total)",
    kol_labels: ["Lancar", "Dalam Perhatian Khusus", "Kurang Lancar", "Diragukan", "Macet"],
    accounts_title: "Cari Rekening",
    all_products: "Semua produk",
    account_no: "No. rekening",
    debtor: "Debitur",
    nik: "NIK",
    phone: "Telepon",
    dpd: "DPD",
    status: "Status",
    no_results: "Tidak ada rekening yang cocok.",
    previous: "Sebelumnya",
    next: "Berikutnya",
    status_open: "Aktif",
    status_paid_off: "Lunas",
    status_written_off: "Hapus buku",
    account_title: "Rekening",
    name: "Nama",
    address: "Alamat",
    city: "Kota/Kabupaten",
    province: "Provinsi",
    email: "Email",
    terms: "Ketentuan kredit",
    principal: "Plafon",
    rate: "Suku bunga per tahun",
    tenor: "Tenor",
    months: "bulan",
    first_due: "Jatuh tempo pertama",
    method: "Metode",
    annuity: "Anuitas",
    flat: "Flat",
    instalment: "Angsuran",
    opened_on: "Tanggal akad",
    balance: "Saldo",
    outstanding_principal: "Sisa pokok",
    arrears_principal: "Tunggakan pokok",
    arrears_interest: "Tunggakan bunga",
    penalty: "Denda",
    fees: "Biaya",
    total_outstanding: "Total kewajiban",
    total_overdue: "Total tunggakan",
    oldest_unpaid_due: "Jatuh tempo tertunggak tertua",
    bucket: "Kelompok DPD",
    last_payment: "Pembayaran terakhir",
    payments: "Riwayat pembayaran",
    date: "Tanggal",
    amount: "Jumlah",
    reference: "Referensi",
    channel: "Kanal",
    interest: "Bunga",
    reversal: "Pembatalan",
    reversed: "Dibatalkan",
    no_payments: "Belum ada pembayaran.",
    audit_trail: "Jejak audit",
    time: "Waktu",
    actor: "Oleh",
    action: "Aksi",
    no_audit: "Belum ada catatan audit.",
    schedule: "Jadwal angsuran",
    seq: "Ke-",
    due_date: "Jatuh tempo",
    paid: "Lunas",
    overdue: "Tertunggak",
    upcoming: "Belum jatuh tempo",
    none: "–",
    not_found_title: "Tidak ditemukan",
    not_found_text: "Data yang Anda cari tidak ada atau bukan milik kreditur yang aktif.",
    forbidden_title: "Akses ditolak",
    forbidden_text: "Anda tidak berwenang membuka halaman ini.",
    csrf_text: "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.",
    bad_request_title: "Permintaan tidak valid",
    bad_request_text: "Periksa kembali isian Anda.",
    internal_title: "Terjadi kesalahan",
    internal_text: "Maaf, terjadi kesalahan pada sistem. Silakan coba lagi nanti.",
    back_home: "Kembali ke beranda",
    months_short: [
        "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
    ],
};

/// English.
pub static EN: Strings = Strings {
    app_name: "Sepakat",
    skip_to_content: "Skip to content",
    nav_portfolio: "Portfolio",
    nav_accounts: "Accounts",
    logout: "Log out",
    other_language: "Bahasa Indonesia",
    creditor: "Creditor",
    switch: "Switch",
    search_label: "Search accounts",
    search_placeholder: "Name, account no., NIK or phone",
    search: "Search",
    search_hint: "Press / to search",
    login_title: "Log in",
    username: "Username",
    password: "Password",
    login_button: "Log in",
    login_failed: "Wrong username or password",
    login_locked:
        "Your account is locked for a while after too many failed logins. Please try again after",
    portfolio_title: "Portfolio Overview",
    as_of: "As of",
    accounts: "Accounts",
    outstanding: "Outstanding",
    kolektibilitas: "Kolektibilitas (credit quality)",
    by_kolektibilitas: "Kolektibilitas by product",
    by_bucket: "Days past due (DPD) by product",
    product: "Product",
    total: "Total",
    regime: "Regime",
    no_open_accounts: "No open accounts yet.",
    bucket_current: "Current",
    twp90: "TWP90 (outstanding > 90 DPD ÷ total)",
    kol_labels: [
        "Current",
        "Special mention",
        "Substandard",
        "Doubtful",
        "Loss",
    ],
    accounts_title: "Search Accounts",
    all_products: "All products",
    account_no: "Account no.",
    debtor: "Debtor",
    nik: "NIK",
    phone: "Phone",
    dpd: "DPD",
    status: "Status",
    no_results: "No matching accounts.",
    previous: "Previous",
    next: "Next",
    status_open: "Open",
    status_paid_off: "Paid off",
    status_written_off: "Written off",
    account_title: "Account",
    name: "Name",
    address: "Address",
    city: "City/Regency",
    province: "Province",
    email: "Email",
    terms: "Credit terms",
    principal: "Principal",
    rate: "Annual interest rate",
    tenor: "Tenor",
    months: "months",
    first_due: "First due date",
    method: "Method",
    annuity: "Annuity",
    flat: "Flat",
    instalment: "Instalment",
    opened_on: "Contract date",
    balance: "Balance",
    outstanding_principal: "Outstanding principal",
    arrears_principal: "Principal arrears",
    arrears_interest: "Interest arrears",
    penalty: "Penalty",
    fees: "Fees",
    total_outstanding: "Total owed",
    total_overdue: "Total overdue",
    oldest_unpaid_due: "Oldest unpaid due date",
    bucket: "DPD bucket",
    last_payment: "Last payment",
    payments: "Payments",
    date: "Date",
    amount: "Amount",
    reference: "Reference",
    channel: "Channel",
    interest: "Interest",
    reversal: "Reversal",
    reversed: "Reversed",
    no_payments: "No payments yet.",
    audit_trail: "Audit trail",
    time: "Time",
    actor: "By",
    action: "Action",
    no_audit: "No audit entries yet.",
    schedule: "Instalment schedule",
    seq: "No.",
    due_date: "Due date",
    paid: "Paid",
    overdue: "Overdue",
    upcoming: "Not yet due",
    none: "–",
    not_found_title: "Not found",
    not_found_text:
        "What you are looking for does not exist or does not belong to the active creditor.",
    forbidden_title: "Access denied",
    forbidden_text: "You are not allowed to open this page.",
    csrf_text: "The form has expired or is invalid. Reload the page and try again.",
    bad_request_title: "Invalid request",
    bad_request_text: "Please check what you entered.",
    internal_title: "Something went wrong",
    internal_text: "Sorry, the system ran into an error. Please try again later.",
    back_home: "Back to the start page",
    months_short: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_is_the_default_and_codes_parse_back() {
        assert_eq!(Lang::default(), Lang::Id);
        for l in [Lang::Id, Lang::En] {
            assert_eq!(Lang::parse(l.code()), Some(l));
        }
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::Id.other(), Lang::En);
    }

    #[test]
    fn kolektibilitas_is_named_in_each_language() {
        let k = Kolektibilitas::new(2).unwrap();
        assert_eq!(Lang::Id.kolektibilitas(k), "2 – Dalam Perhatian Khusus");
        assert_eq!(Lang::En.kolektibilitas(k), "2 – Special mention");
    }

    #[test]
    fn the_login_failure_is_the_generic_indonesian_message() {
        assert_eq!(ID.login_failed, "Nama pengguna atau kata sandi salah");
    }

    #[test]
    fn bucket_labels_translate_only_current() {
        assert_eq!(Lang::Id.bucket("current"), "Belum menunggak");
        assert_eq!(Lang::En.bucket("31-60"), "31-60");
    }
}
