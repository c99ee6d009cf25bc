//! The words of the letter batch page (`/surat`) and the outbox page (`/kotak-keluar`),
//! each written once with its translation beside it.

use sepakat_domain::template::Stage;

use super::Lang;

impl Lang {
    /// The letter and outbox pages' words of this language.
    pub fn letters(self) -> &'static LetterStrings {
        match self {
            Lang::Id => &ID,
            Lang::En => &EN,
        }
    }

    /// A letter stage's name.
    pub fn letter_stage(self, stage: Stage) -> &'static str {
        let (id, en) = match stage {
            Stage::Sp1 => ("SP1 (peringatan pertama)", "SP1 (first warning)"),
            Stage::Sp2 => ("SP2 (peringatan kedua)", "SP2 (second warning)"),
            Stage::Sp3 => ("SP3 (peringatan terakhir)", "SP3 (last warning)"),
            Stage::Somasi => ("Somasi", "Formal demand (somasi)"),
            _ => ("Bukan surat", "Not a letter"),
        };
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }
}

words! {
    LetterStrings;
    /// Nav and page title.
    letters_title: "Surat peringatan", "Warning letters";
    /// Nav and page title.
    outbox_title: "Kotak keluar", "Outbox";
    /// Card: choose and print.
    print_title: "Cetak surat", "Print letters";
    /// Field.
    stage: "Jenis surat", "Letter";
    /// Field.
    bucket: "Kelompok DPD", "DPD bucket";
    /// Any bucket.
    any: "Semua", "All";
    /// Field.
    min_dpd: "DPD minimal", "Minimum DPD";
    /// Field.
    accounts: "Atau tempel nomor akun (satu per baris)", "Or paste account numbers (one per line)";
    /// Field.
    deadline_days: "Tenggat (hari)", "Deadline (days)";
    /// Button: count the selection.
    count_button: "Hitung akun", "Count accounts";
    /// Button: print.
    print_button: "Cetak PDF", "Print PDF";
    /// The count, before the number.
    matching: "Akun yang cocok:", "Matching accounts:";
    /// The cap, before the number.
    cap: "batas per cetak", "limit per print";
    /// Card: recent letters.
    recent_title: "Surat terakhir", "Recent letters";
    /// Column.
    tracking: "No. lacak", "Tracking no.";
    /// Column.
    number: "Nomor surat", "Letter number";
    /// Column.
    account: "Akun", "Account";
    /// Column.
    status: "Status", "Status";
    /// Column.
    printed: "Dicetak", "Printed";
    /// Column.
    proof: "Bukti", "Proof";
    /// Button: handed to the post.
    mark_sent: "Tandai dikirim", "Mark sent";
    /// No letters yet.
    no_letters: "Belum ada surat.", "No letters yet.";
    /// Card: proof.
    proof_title: "Catat bukti terima atau surat kembali", "Record delivery proof or a return";
    /// Field.
    outcome: "Hasil", "Outcome";
    /// Outcome.
    delivered: "Diterima", "Delivered";
    /// Outcome.
    returned: "Dikembalikan", "Returned";
    /// Field.
    proof_date: "Tanggal", "Date";
    /// Field.
    received_by: "Diterima oleh", "Received by";
    /// Field.
    note: "Catatan", "Note";
    /// Field.
    proof_file: "Foto atau pindaian resi (JPEG, PNG, PDF)", "Photo or scan of the receipt (JPEG, PNG, PDF)";
    /// Button.
    proof_button: "Simpan bukti", "Save proof";
    /// Notice.
    proof_saved: "Bukti pengiriman surat tersimpan.", "The letter's delivery proof is saved.";
    /// Notice.
    sent_saved: "Surat ditandai sudah dikirim.", "The letter is marked as sent.";
    /// Timeline: a letter printed.
    ev_printed: "Surat dicetak", "Letter printed";
    /// Timeline: proof.
    ev_delivered: "Surat diterima", "Letter delivered";
    /// Timeline: return.
    ev_returned: "Surat dikembalikan", "Letter returned";
    /// Error: stage.
    err_stage: "Jenis surat tidak dikenal:", "Unknown letter:";
    /// Error: nothing chosen.
    err_empty: "Tidak ada akun yang dipilih. Pilih kelompok DPD, DPD minimal, atau tempel nomor akun.", "No accounts chosen. Choose a DPD bucket, a minimum DPD or paste account numbers.";
    /// Error: over the cap.
    err_cap: "Terlalu banyak akun untuk satu cetakan; batasnya", "Too many accounts for one print; the limit is";
    /// Error: unknown account.
    err_account: "Nomor akun tidak ditemukan:", "Account number not found:";
    /// Error: refused by the letter.
    err_refused: "Akun tidak bisa dicetak suratnya:", "No letter can be printed for account:";
    /// Error: a number field.
    err_number: "harus bilangan bulat:", "must be a whole number:";
    /// Error: a date.
    err_date: "Tanggal tidak valid (TTTT-BB-HH):", "Not a date (YYYY-MM-DD):";
    /// Error: future.
    err_future: "Tanggal tidak boleh di masa depan:", "The date may not be in the future:";
    /// Error: before printing.
    err_before: "Tanggal sebelum surat dicetak:", "The date is before the letter was printed:";
    /// Error: unknown tracking.
    err_tracking: "Nomor lacak tidak ditemukan:", "Tracking number not found:";
    /// Error: required.
    err_received_by: "Isi nama penerima.", "Fill in who received it.";
    /// Error: final.
    err_final: "Bukti surat ini sudah tercatat:", "This letter's proof is already recorded:";
    /// Error: file refused.
    err_file: "Berkas bukti ditolak:", "The proof file is refused:";
    /// Error: the outcome.
    err_outcome: "Pilih hasil: diterima atau dikembalikan.", "Choose the outcome: delivered or returned.";
    /// Error: a status filter.
    err_filter: "Saringan tidak dikenal:", "Unknown filter:";
    /// Column.
    channel: "Saluran", "Channel";
    /// Column.
    recipient: "Penerima", "Recipient";
    /// Column.
    next_allowed: "Boleh dikirim", "Allowed from";
    /// Column.
    rule: "Aturan", "Rule";
    /// Column.
    message: "Pesan", "Message";
    /// Filter button.
    filter_button: "Saring", "Filter";
    /// Status filter: waiting for the gate.
    waiting: "Menunggu waktu", "Waiting";
    /// Status filter: in doubt.
    in_doubt: "Tidak pasti", "In doubt";
    /// No messages.
    no_messages: "Tidak ada pesan.", "No messages.";
    /// Paging.
    previous: "Sebelumnya", "Previous";
    /// Paging.
    next: "Berikutnya", "Next";
    /// Paging: page.
    page_label: "Halaman", "Page";
    /// Total, before the number.
    total: "Jumlah:", "Total:";
}
