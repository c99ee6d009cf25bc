//! The variables a message template may use: a closed list, so a typo in a template is an
//! error at writing time, never a `{{nama}}` sent to a debtor.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::compliance::channel::{coded_enum, CodeError};

coded_enum! {
    /// A value a template can insert. Codes are Bahasa Indonesia, as collectors write them.
    Variable, "template variable" {
        /// Salutation with the name: `Bapak Budi Santoso`, `Ibu Siti Aminah`.
        Sapaan => "sapaan",
        /// The debtor's name as registered.
        Nama => "nama",
        /// The creditor's name (the lender the debt is owed to).
        Kreditur => "kreditur",
        /// The account or contract number.
        NomorAkun => "nomor_akun",
        /// The overdue amount now: `Rp1.250.000`.
        Tunggakan => "tunggakan",
        /// The overdue amount in words: `satu juta dua ratus lima puluh ribu rupiah`.
        TunggakanTerbilang => "tunggakan_terbilang",
        /// Everything owed now (outstanding principal, interest, penalty, fees).
        TotalKewajiban => "total_kewajiban",
        /// Everything owed, in words.
        TotalKewajibanTerbilang => "total_kewajiban_terbilang",
        /// The next or oldest unpaid due date: `5 Desember 2026`.
        JatuhTempo => "jatuh_tempo",
        /// Days past due.
        HariTunggakan => "hari_tunggakan",
        /// The deadline this message sets (a letter's or a reminder's): `12 Desember 2026`.
        BatasWaktu => "batas_waktu",
        /// The amount of the promise to pay.
        JumlahJanji => "jumlah_janji",
        /// The date of the promise to pay.
        TanggalJanji => "tanggal_janji",
        /// The link where the debtor can pay or see the options.
        TautanPembayaran => "tautan_pembayaran",
        /// The collector's name.
        Petugas => "petugas",
        /// The creditor's official contact number or address for questions.
        KontakResmi => "kontak_resmi",
        /// A letter's number (`SP1/BSN/2026/000123`).
        NomorSurat => "nomor_surat",
        /// The date the message or letter is issued.
        Tanggal => "tanggal",
    }
}

impl Variable {
    /// What the variable holds, for the template editor (Bahasa Indonesia).
    pub const fn description(self) -> &'static str {
        match self {
            Variable::Sapaan => "Sapaan dan nama (Bapak/Ibu …)",
            Variable::Nama => "Nama debitur",
            Variable::Kreditur => "Nama kreditur",
            Variable::NomorAkun => "Nomor akun / kontrak",
            Variable::Tunggakan => "Jumlah tunggakan",
            Variable::TunggakanTerbilang => "Jumlah tunggakan dengan huruf",
            Variable::TotalKewajiban => "Total kewajiban",
            Variable::TotalKewajibanTerbilang => "Total kewajiban dengan huruf",
            Variable::JatuhTempo => "Tanggal jatuh tempo",
            Variable::HariTunggakan => "Jumlah hari keterlambatan",
            Variable::BatasWaktu => "Batas waktu pembayaran",
            Variable::JumlahJanji => "Jumlah janji bayar",
            Variable::TanggalJanji => "Tanggal janji bayar",
            Variable::TautanPembayaran => "Tautan pembayaran",
            Variable::Petugas => "Nama petugas",
            Variable::KontakResmi => "Kontak resmi kreditur",
            Variable::NomorSurat => "Nomor surat",
            Variable::Tanggal => "Tanggal surat / pesan",
        }
    }
}
