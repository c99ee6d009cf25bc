//! The columns an import file may have, their Indonesian and English names, and the
//! mapping from a file's header row to them.
//!
//! Header names are matched case- and space-insensitively (`No Rekening` = `no_rekening`).
//! Anything the mapping cannot place is a file-level error, because a silently ignored
//! column is data the user believes was imported.

use super::{ImportError, ImportKind};

/// What a column holds, as far as the generic row checks care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Text {
    /// Free text a spreadsheet could run as a formula: leading `= + - @` is refused.
    Free,
    /// A typed value (number, date, code) parsed by a domain parser.
    Typed,
}

macro_rules! columns {
    ($($variant:ident => $kind:ident, $text:ident, $max:literal, [$($alias:literal),+];)*) => {
        /// One known column of an import file.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub(crate) enum Col { $($variant,)* }

        impl Col {
            /// Every column, in declaration order.
            pub(crate) const ALL: &'static [Col] = &[$(Col::$variant,)*];

            /// Names accepted in a header (normalised); the first is the canonical English name.
            pub(crate) const fn names(self) -> &'static [&'static str] {
                match self { $(Col::$variant => &[$($alias),+],)* }
            }

            /// Which import uses it (`Both` for columns shared by the two kinds).
            const fn used_in(self) -> Use {
                match self { $(Col::$variant => Use::$kind,)* }
            }

            /// Whether leading formula characters are refused.
            pub(crate) const fn text(self) -> Text {
                match self { $(Col::$variant => Text::$text,)* }
            }

            /// The longest value accepted, in characters.
            pub(crate) const fn max_chars(self) -> usize {
                match self { $(Col::$variant => $max,)* }
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Accounts,
    Payments,
    Both,
}

columns! {
    AccountNo => Both, Free, 100, ["account_no", "no_rekening", "account_number", "nomor_rekening", "no_kontrak"];
    Name => Accounts, Free, 200, ["name", "nama", "nama_debitur", "debtor_name", "nama_lengkap"];
    Nik => Accounts, Typed, 100, ["nik", "no_ktp"];
    Npwp => Accounts, Typed, 100, ["npwp"];
    DebtorRef => Accounts, Free, 100, ["debtor_ref", "no_nasabah", "cif", "customer_no"];
    DebtorType => Accounts, Typed, 100, ["debtor_type", "jenis_debitur"];
    Gender => Accounts, Typed, 100, ["gender", "jenis_kelamin", "sex"];
    BirthDate => Accounts, Typed, 100, ["birth_date", "tanggal_lahir", "date_of_birth"];
    Phone => Accounts, Typed, 100, ["phone", "telepon", "no_hp", "no_telepon", "mobile"];
    Email => Accounts, Typed, 254, ["email", "surel", "e_mail"];
    Address => Accounts, Free, 1000, ["address", "alamat"];
    City => Accounts, Free, 200, ["city", "kota", "kota_kabupaten", "kabupaten_kota"];
    Province => Accounts, Typed, 100, ["province", "provinsi"];
    Employer => Accounts, Free, 200, ["employer", "tempat_kerja", "kantor"];
    EmployerPhone => Accounts, Typed, 100, ["employer_phone", "telepon_kantor", "telepon_tempat_kerja"];
    EmergencyName => Accounts, Free, 200, ["emergency_name", "nama_kontak_darurat", "kontak_darurat", "emergency_contact"];
    EmergencyRelation => Accounts, Free, 200, ["emergency_relation", "hubungan_kontak_darurat", "hubungan_darurat"];
    EmergencyPhone => Accounts, Typed, 100, ["emergency_phone", "telepon_kontak_darurat", "hp_kontak_darurat", "telepon_darurat"];
    Product => Accounts, Typed, 100, ["product", "produk", "jenis_produk"];
    Principal => Accounts, Typed, 100, ["principal", "plafon", "pokok_awal"];
    AnnualRate => Accounts, Typed, 100, ["annual_rate", "suku_bunga", "bunga_tahunan", "interest_rate"];
    TenorMonths => Accounts, Typed, 100, ["tenor_months", "tenor", "jangka_waktu"];
    Method => Accounts, Typed, 100, ["method", "metode_bunga", "interest_method"];
    OpenedOn => Accounts, Typed, 100, ["opened_on", "tanggal_akad", "tanggal_pencairan"];
    FirstDue => Accounts, Typed, 100, ["first_due", "jatuh_tempo_pertama", "first_due_date"];
    Instalment => Accounts, Typed, 100, ["instalment", "angsuran", "cicilan", "installment"];
    OutstandingPrincipal => Accounts, Typed, 100, ["outstanding_principal", "sisa_pokok", "os_pokok"];
    ArrearsPrincipal => Accounts, Typed, 100, ["arrears_principal", "tunggakan_pokok"];
    ArrearsInterest => Accounts, Typed, 100, ["arrears_interest", "tunggakan_bunga"];
    Penalty => Accounts, Typed, 100, ["penalty", "denda"];
    Fees => Accounts, Typed, 100, ["fees", "biaya"];
    OldestUnpaidDue => Accounts, Typed, 100, ["oldest_unpaid_due", "tanggal_tunggakan"];
    Dpd => Accounts, Typed, 100, ["dpd", "hari_tunggakan"];
    LastPaymentDate => Accounts, Typed, 100, ["last_payment_date", "tanggal_bayar_terakhir"];
    LastPaymentAmount => Accounts, Typed, 100, ["last_payment_amount", "jumlah_bayar_terakhir"];
    Status => Accounts, Typed, 100, ["status", "status_rekening"];
    PaidAt => Payments, Typed, 100, ["paid_at", "tanggal_bayar", "payment_date"];
    Amount => Payments, Typed, 100, ["amount", "jumlah", "jumlah_bayar", "nominal"];
    Reference => Payments, Free, 100, ["reference", "referensi", "no_referensi"];
    Channel => Payments, Typed, 100, ["channel", "kanal", "saluran"];
}

impl Col {
    /// The canonical English name (`account_no`).
    pub(crate) const fn canonical(self) -> &'static str {
        self.names()[0]
    }

    /// True if an import of `kind` accepts this column.
    pub(crate) fn allowed_in(self, kind: ImportKind) -> bool {
        matches!(
            (self.used_in(), kind),
            (Use::Both, _)
                | (Use::Accounts, ImportKind::Accounts)
                | (Use::Payments, ImportKind::Payments)
        )
    }

    fn required_in(self, kind: ImportKind) -> bool {
        match kind {
            ImportKind::Accounts => matches!(
                self,
                Col::AccountNo
                    | Col::Name
                    | Col::Product
                    | Col::Principal
                    | Col::OpenedOn
                    | Col::OutstandingPrincipal
            ),
            ImportKind::Payments => matches!(
                self,
                Col::AccountNo | Col::PaidAt | Col::Amount | Col::Reference
            ),
        }
    }

    /// Finds a column by a header name of an import of `kind`.
    fn find(normalised: &str, kind: ImportKind) -> Option<Col> {
        Col::ALL
            .iter()
            .copied()
            .filter(|c| c.allowed_in(kind))
            .find(|c| c.names().contains(&normalised))
    }
}

/// `" No. Rekening "` → `no_rekening`: lower case, runs of spaces, dots, dashes and
/// slashes become one `_`.
pub(crate) fn normalise(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for c in header.trim().trim_start_matches('\u{feff}').chars() {
        if c.is_whitespace() || matches!(c, '_' | '.' | '-' | '/') {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// Where each known column sits in the file, and its header as the user wrote it.
#[derive(Debug, Clone)]
pub(crate) struct ColumnMap {
    index: [Option<usize>; Col::ALL.len()],
    by_cell: Vec<Option<Col>>,
    headers: Vec<String>,
}

impl ColumnMap {
    /// Maps a header row; refuses unknown, duplicated and missing required columns.
    pub(crate) fn from_headers(headers: &[String], kind: ImportKind) -> Result<Self, ImportError> {
        let mut index: [Option<usize>; Col::ALL.len()] = [None; Col::ALL.len()];
        let mut unknown = Vec::new();
        let mut duplicated = Vec::new();
        let mut known = 0;
        for (i, header) in headers.iter().enumerate() {
            let norm = normalise(header);
            if norm.is_empty() {
                // Excel often exports trailing empty header cells; only data under them
                // makes them an error (checked per row).
                continue;
            }
            match Col::find(&norm, kind) {
                Some(col) => {
                    known += 1;
                    match index[col as usize] {
                        Some(first) => duplicated.push(format!(
                            "{:?} and {:?} (both are {})",
                            headers[first].trim(),
                            header.trim(),
                            col.canonical()
                        )),
                        None => index[col as usize] = Some(i),
                    }
                }
                None => unknown.push(header.trim().to_string()),
            }
        }
        if known == 0 {
            let first = headers.first().map(|h| h.trim()).unwrap_or_default();
            return Err(ImportError::MissingHeader {
                first_cell: first.to_string(),
                expected: required_names(kind),
            });
        }
        if !unknown.is_empty() {
            let described = unknown
                .iter()
                .map(|u| describe_unknown(u, kind))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(ImportError::UnknownColumns(described));
        }
        if !duplicated.is_empty() {
            return Err(ImportError::DuplicatedColumns(duplicated.join(", ")));
        }
        if let (Some(a), Some(b)) = (
            index[Col::OldestUnpaidDue as usize],
            index[Col::Dpd as usize],
        ) {
            return Err(ImportError::DuplicatedColumns(format!(
                "{:?} and {:?} (both give the oldest unpaid due date; keep one)",
                headers[a].trim(),
                headers[b].trim()
            )));
        }
        let missing: Vec<&str> = Col::ALL
            .iter()
            .filter(|c| c.allowed_in(kind) && c.required_in(kind) && index[**c as usize].is_none())
            .map(|c| c.canonical())
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns(missing.join(", ")));
        }
        if kind == ImportKind::Accounts
            && [Col::DebtorRef, Col::Nik, Col::Npwp]
                .iter()
                .all(|c| index[*c as usize].is_none())
        {
            return Err(ImportError::MissingColumns(
                "one of debtor_ref, nik or npwp (the debtor's key)".into(),
            ));
        }
        if kind == ImportKind::Accounts
            && index[Col::Province as usize].is_none()
            && index[Col::Nik as usize].is_none()
        {
            return Err(ImportError::MissingColumns(
                "province (or nik, whose first digits give the province)".into(),
            ));
        }
        let mut by_cell = vec![None; headers.len()];
        for col in Col::ALL {
            if let Some(i) = index[*col as usize] {
                by_cell[i] = Some(*col);
            }
        }
        Ok(ColumnMap {
            index,
            by_cell,
            headers: headers.iter().map(|h| h.trim().to_string()).collect(),
        })
    }

    /// The cell index of a column, if the file has it.
    #[inline]
    pub(crate) fn index(&self, col: Col) -> Option<usize> {
        self.index[col as usize]
    }

    /// The header of a column as written in the file (the canonical name if absent).
    pub(crate) fn header(&self, col: Col) -> &str {
        match self.index(col) {
            Some(i) => &self.headers[i],
            None => col.canonical(),
        }
    }

    /// The header at a cell index as written in the file.
    pub(crate) fn header_at(&self, i: usize) -> &str {
        self.headers.get(i).map(String::as_str).unwrap_or("")
    }

    /// The number of header cells.
    pub(crate) fn width(&self) -> usize {
        self.headers.len()
    }

    /// The known column at a cell index, if any.
    pub(crate) fn col_at(&self, i: usize) -> Option<Col> {
        self.by_cell.get(i).copied().flatten()
    }

    /// The header of the column a store names canonically (`account_no`).
    pub(crate) fn header_for_canonical<'a>(&'a self, name: &'a str) -> &'a str {
        match Col::ALL.iter().find(|c| c.canonical() == name) {
            Some(col) => self.header(*col),
            None => name,
        }
    }

    /// All headers as written.
    pub(crate) fn headers(&self) -> &[String] {
        &self.headers
    }
}

fn required_names(kind: ImportKind) -> String {
    Col::ALL
        .iter()
        .filter(|c| c.allowed_in(kind) && c.required_in(kind))
        .map(|c| c.canonical())
        .collect::<Vec<_>>()
        .join(",")
}

/// `"nama debitor" (did you mean "nama_debitur"?)`, or a hint that the column belongs to
/// the other kind of import.
fn describe_unknown(header: &str, kind: ImportKind) -> String {
    let norm = normalise(header);
    let other = match kind {
        ImportKind::Accounts => ImportKind::Payments,
        ImportKind::Payments => ImportKind::Accounts,
    };
    if Col::find(&norm, other).is_some() {
        return format!("{header:?} (a column of {} imports)", other.noun());
    }
    let best = Col::ALL
        .iter()
        .filter(|c| c.allowed_in(kind))
        .flat_map(|c| c.names().iter())
        .map(|name| (levenshtein(&norm, name), *name))
        .min();
    match best {
        Some((distance, name)) if distance <= (norm.chars().count() / 3).max(2) => {
            format!("{header:?} (did you mean {name:?}?)")
        }
        _ => format!("{header:?}"),
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_match_case_and_space_insensitively() {
        assert_eq!(normalise(" No. Rekening "), "no_rekening");
        assert_eq!(normalise("\u{feff}Tanggal  Akad"), "tanggal_akad");
        assert_eq!(normalise("Sisa-Pokok"), "sisa_pokok");
    }

    #[test]
    fn every_name_is_unique_and_already_normalised() {
        let mut seen = std::collections::HashSet::new();
        for col in Col::ALL {
            for name in col.names() {
                assert_eq!(normalise(name), *name);
                assert!(seen.insert(*name), "{name} listed twice");
            }
        }
    }

    #[test]
    fn unknown_columns_get_a_suggestion() {
        let err = ColumnMap::from_headers(
            &headers(&["no_rekening", "nama debitor", "produk"]),
            ImportKind::Accounts,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown column(s): \"nama debitor\" (did you mean \"nama_debitur\"?)"
        );
    }

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("same", "same"), 0);
    }
}
