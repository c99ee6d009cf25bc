//! The words of the collector's pages (worklist, account workspace, team view), each
//! written once with its translation beside it: `field: "Bahasa Indonesia", "English";`.

use super::Lang;

impl Lang {
    /// The workbench words of this language.
    pub fn work(self) -> &'static WorkStrings {
        match self {
            Lang::Id => &ID,
            Lang::En => &EN,
        }
    }
}

words! {
    WorkStrings;
    /// Nav: the worklist.
    nav_work: "Kerja", "Work";
    /// Nav: the team view.
    nav_team: "Tim", "Team";
    /// Worklist title.
    worklist_title: "Daftar kerja hari ini", "Today's worklist";
    /// The next-account button.
    next_account: "Ambil akun berikutnya", "Take the next account";
    /// Keyboard hint of the next-account button.
    next_account_hint: "Tekan n", "Press n";
    /// Nothing to do.
    worklist_empty: "Tidak ada pekerjaan yang jatuh waktu sekarang.", "Nothing is due now.";
    /// The queue is fully taken.
    worklist_all_taken: "Semua akun di daftar Anda sedang dikerjakan atau sudah selesai.", "Every account on your list is taken or done.";
    /// Why an account is on the list: the nightly allocation.
    source_allocated: "Alokasi hari ini", "Allocated today";
    /// Why: assigned to the collector.
    source_assigned: "Ditugaskan kepada Anda", "Assigned to you";
    /// Follow-up: call back.
    follow_up_call_back: "Hubungi kembali", "Call back";
    /// Follow-up: reminder before a promise date.
    follow_up_promise_reminder: "Pengingat janji bayar", "Promise reminder";
    /// Follow-up: call after a broken promise.
    follow_up_broken_promise: "Janji bayar terlewat", "Broken promise";
    /// Column: why.
    why: "Alasan", "Why";
    /// Column: due at.
    due_at: "Waktu", "Due";
    /// Column: held by.
    held_by: "Dipegang", "Held by";
    /// Column: priority rank.
    rank: "No.", "No.";
    /// "You" (holder column).
    you: "Anda", "You";
    /// Pending promise column.
    pending_promise: "Janji bayar aktif", "Pending promise";
    /// Claim banner: yours.
    claim_yours: "Akun ini Anda pegang sampai", "You hold this account until";
    /// Claim banner: someone else's.
    claim_other: "Akun ini sedang dikerjakan oleh", "This account is being worked by";
    /// Release button.
    release: "Lepaskan", "Release";
    /// Take-this-account button.
    take: "Ambil akun ini", "Take this account";
    /// Gate panel title.
    gate_title: "Boleh dihubungi sekarang?", "May the debtor be contacted now?";
    /// The debtor's local time.
    debtor_time: "Waktu debitur", "Debtor's local time";
    /// Allowed.
    allowed: "Boleh", "Allowed";
    /// Not allowed.
    not_allowed: "Tidak boleh", "Not allowed";
    /// Next allowed time.
    next_allowed: "berikutnya", "next";
    /// Paused banner.
    paused: "Penagihan dihentikan sementara", "Collection is paused";
    /// "until".
    until: "sampai", "until";
    /// Open-ended pause.
    until_lifted: "sampai dicabut", "until lifted";
    /// Script panel title.
    script_title: "Panduan percakapan", "Call script";
    /// Hint above the debt steps.
    script_verify_first: "Buka bagian ini setelah identitas debitur terverifikasi.", "Open this part only once the debtor's identity is confirmed.";
    /// Debt steps summary.
    script_debt_steps: "Setelah verifikasi: tujuan, alasan, pilihan, rekap", "After verification: purpose, reason, options, recap";
    /// Playbook title.
    playbook_title: "Panduan keberatan", "Objection playbook";
    /// Playbook: listen.
    listen: "Dengarkan", "Listen";
    /// Playbook: empathise.
    empathise: "Berempati", "Empathise";
    /// Playbook: questions.
    questions: "Pertanyaan", "Questions";
    /// Playbook: answers.
    answers: "Jawaban", "Answers";
    /// Playbook: closing.
    closing: "Penutup", "Closing";
    /// Log form title.
    log_title: "Catat kontak", "Log a contact";
    /// Field: direction.
    direction: "Arah", "Direction";
    /// Field: party reached.
    party: "Pihak yang dihubungi", "Party reached";
    /// Field: outcome.
    outcome: "Hasil", "Outcome";
    /// Field: delinquency reason.
    reason: "Alasan menunggak", "Reason for arrears";
    /// Field: notes.
    notes: "Catatan", "Notes";
    /// Field group: promise.
    promise_group: "Janji bayar (bila ada)", "Promise to pay (if any)";
    /// Field: promise amount.
    promise_amount: "Jumlah janji", "Amount promised";
    /// Field: promise date.
    promise_date: "Tanggal janji", "Date promised";
    /// Field: call back at.
    call_back_at: "Hubungi kembali pada (waktu debitur)", "Call back at (debtor's time)";
    /// Field: evidence.
    evidence: "Bukti (rekaman, tangkapan layar, foto kunjungan)", "Evidence (recording, screenshot, visit photo)";
    /// Evidence hint.
    evidence_hint: "MP3, OGG, WAV, M4A, JPG, PNG atau PDF; rekaman maks. 20 MB, lainnya maks. 10 MB.", "MP3, OGG, WAV, M4A, JPG, PNG or PDF; recordings up to 20 MB, others up to 10 MB.";
    /// Fields: GPS.
    gps: "Lokasi GPS (lintang, bujur)", "GPS location (latitude, longitude)";
    /// Choose option.
    choose: "— pilih —", "— choose —";
    /// Save button.
    save: "Simpan", "Save";
    /// Saved notice.
    contact_saved: "Kontak tersimpan.", "Contact saved.";
    /// Recap title.
    recap_title: "Rekap untuk dikirim ke debitur", "Recap to send to the debtor";
    /// Form error heading.
    form_error: "Belum tersimpan:", "Not saved:";
    /// Timeline title.
    timeline_title: "Riwayat", "History";
    /// Empty timeline.
    timeline_empty: "Belum ada riwayat.", "No history yet.";
    /// Timeline: contact.
    ev_interaction: "Kontak", "Contact";
    /// Timeline: correction.
    ev_correction: "Koreksi kontak", "Contact corrected";
    /// Timeline: promise made.
    ev_promise_made: "Janji bayar dibuat", "Promise made";
    /// Timeline: promise settled.
    ev_promise_settled: "Janji bayar selesai", "Promise settled";
    /// Timeline: payment.
    ev_payment: "Pembayaran", "Payment";
    /// Timeline: reversal.
    ev_reversal: "Pembatalan pembayaran", "Payment reversed";
    /// Timeline: pause.
    ev_pause: "Penagihan dihentikan sementara", "Collection paused";
    /// Timeline: other audited change.
    ev_audit: "Catatan sistem", "System record";
    /// Follow-ups title.
    follow_ups_title: "Tindak lanjut", "Follow-ups";
    /// Done.
    done: "Selesai", "Done";
    /// Button: mark a follow-up done.
    mark_done: "Tandai selesai", "Mark done";
    /// No open follow-ups.
    no_follow_ups: "Tidak ada tindak lanjut terbuka.", "No open follow-ups.";
    /// A follow-up's due time has passed.
    overdue: "lewat waktu", "overdue";
    /// Notice: a follow-up marked done.
    follow_up_done: "Tindak lanjut ditandai selesai.", "Follow-up marked done.";
    /// Pause form title.
    pause_title: "Hentikan penagihan sementara", "Pause collection";
    /// Pause reason.
    pause_reason: "Alasan", "Reason";
    /// Pause end.
    pause_until: "Sampai tanggal (kosong = sampai dicabut)", "Until (empty = until lifted)";
    /// Pause button.
    pause_button: "Hentikan sementara", "Pause";
    /// Pause saved.
    pause_saved: "Penagihan dihentikan sementara.", "Collection paused.";
    /// Payment form title.
    payment_title: "Catat pembayaran", "Post a payment";
    /// Payment received at.
    paid_at: "Diterima pada", "Received at";
    /// Payment button.
    payment_button: "Catat pembayaran", "Post payment";
    /// Payment saved.
    payment_saved: "Pembayaran tercatat.", "Payment posted.";
    /// Reverse button.
    reverse: "Batalkan", "Reverse";
    /// Reversal reason.
    reverse_reason: "Alasan pembatalan", "Reason for the reversal";
    /// Reversal done.
    reversed_saved: "Pembayaran dibatalkan.", "Payment reversed.";
    /// Reversal waits for approval.
    reversal_requested: "Pembatalan diajukan dan menunggu persetujuan pejabat lain.", "Reversal requested; it waits for another officer's approval.";
    /// The message card.
    message_title: "Kirim pesan ke debitur", "Message the debtor";
    /// Field.
    message_text: "Isi pesan", "Message";
    /// Field.
    message_subject: "Subjek (email)", "Subject (e-mail)";
    /// Button.
    message_send: "Masukkan ke antrean", "Queue the message";
    /// Hint under the text.
    message_hint: "Setiap pesan diperiksa: santun, benar, tanpa ancaman. Pesan dikirim pada waktu yang diizinkan.", "Every message is checked: polite, true, no threats. It goes at an allowed time.";
    /// Guard result: fine.
    guard_ok: "Bahasa pesan sesuai.", "The wording is fine.";
    /// Guard result: blocked.
    guard_blocked: "Pesan ini tidak boleh dikirim:", "This message may not be sent:";
    /// Notice.
    message_queued: "Pesan masuk antrean.", "The message is queued.";
    /// Refusal of a blocked message.
    message_blocked: "Pesan diblokir dan tidak akan dikirim. Tulis ulang dengan santun:", "The message is blocked and will not be sent. Rewrite it politely:";
    /// The messages list.
    messages_title: "Pesan", "Messages";
    /// Earliest send time.
    not_before: "paling cepat", "not before";
    /// Nav and title: the nightly run's reports.
    nav_runs: "Proses harian", "Nightly runs";
    /// Title.
    runs_title: "Laporan proses harian", "Nightly run reports";
    /// No runs.
    no_runs: "Belum ada proses harian. Jalankan sepakat run --as-of TANGGAL, atau atur [run] schedule di konfigurasi.", "No runs yet. Run sepakat run --as-of DATE, or set [run] schedule in the configuration.";
    /// Columns.
    run_date: "Tanggal rencana", "Planned for";
    /// Columns.
    run_status: "Status", "Status";
    /// Columns.
    run_started: "Mulai", "Started";
    /// Columns.
    run_accounts: "Rekening", "Accounts";
    /// Columns.
    run_actions: "Tindakan", "Actions";
    /// Columns.
    run_seconds: "Detik", "Seconds";
    /// The queue in force.
    in_force: "berlaku", "in force";
    /// Sections.
    by_action: "Tindakan per jenis", "Actions by kind";
    /// Sections.
    by_bucket: "Tindakan per kelompok DPD", "Actions by DPD bucket";
    /// Sections.
    by_rule: "Aturan strategi", "Strategy rules";
    /// Sections.
    refused_by_gate: "Ditolak gerbang kepatuhan", "Refused by the compliance gate";
    /// Sections.
    promise_outcomes: "Hasil janji bayar", "Promise outcomes";
    /// Tiles.
    allocated: "Dialokasikan ke kolektor", "Allocated to collectors";
    /// Tiles.
    unallocated: "Belum teralokasi", "Unallocated";
    /// Line.
    arrangements_line: "Rencana pembayaran", "Arrangements";
    /// Words of that line.
    tracked: "dipantau", "tracked";
    /// Words of that line.
    completed: "lunas", "completed";
    /// Words of that line.
    defaulted: "gagal", "defaulted";
    /// Words of that line.
    offers_expired: "penawaran kedaluwarsa", "offers expired";
    /// Status names.
    run_running: "Berjalan", "Running";
    /// Status names.
    run_done: "Selesai", "Done";
    /// Status names.
    run_abandoned: "Dibatalkan", "Abandoned";
    /// Verification: reached.
    verified_on: "Debitur terverifikasi pada kontak", "Debtor verified on the contact of";
    /// Verification: not yet.
    not_verified: "Belum terverifikasi: pastikan berbicara dengan debitur sendiri sebelum membahas tagihan.", "Not verified yet: make sure you speak to the debtor before any debt detail.";
    /// Label.
    verification: "Verifikasi", "Verification";
    /// The other contacts card.
    contacts_title: "Kontak lain (pihak terbatas)", "Other contacts (restricted parties)";
    /// The rule for them.
    contacts_rule: "Hanya untuk menanyakan keberadaan debitur. Jangan menyebut utang, jumlah, atau tagihan kepada mereka.", "Only to ask where the debtor can be reached. Never mention the debt, amounts or bills to them.";
    /// No contacts.
    no_contacts: "Belum ada kontak lain.", "No other contacts yet.";
    /// Fields.
    contact_name: "Nama", "Name";
    /// Fields.
    contact_relation: "Hubungan", "Relation";
    /// Fields.
    contact_phone: "Telepon", "Phone";
    /// Button.
    add_contact: "Tambah kontak", "Add contact";
    /// Notice.
    contact_added: "Kontak lain tersimpan.", "Contact saved.";
    /// Notice: a reversal request turned down.
    reversal_rejected: "Permintaan pembatalan ditolak; pembayaran tetap berlaku.", "Reversal request turned down; the payment stands.";
    /// The pending reversals card.
    reversals_title: "Pembatalan menunggu persetujuan", "Reversals waiting for approval";
    /// Column.
    requested_by: "Diajukan oleh", "Requested by";
    /// Field.
    decision_note: "Catatan keputusan", "Note on the decision";
    /// Button.
    approve_reversal: "Setujui pembatalan", "Approve the reversal";
    /// Button.
    reject_reversal: "Tolak", "Reject";
    /// The requester cannot decide.
    other_decides: "Diputuskan oleh pejabat lain.", "Another officer decides.";
    /// Team page title.
    team_title: "Tim hari ini", "Team today";
    /// Column: collector.
    collector: "Kolektor", "Collector";
    /// Column: team.
    team: "Tim", "Team";
    /// Column: worklist size.
    worklist_size: "Daftar kerja", "Worklist";
    /// Column: contacts.
    contacts: "Kontak", "Contacts";
    /// Column: right-party contacts.
    right_party: "Terhubung debitur", "Right-party contacts";
    /// Column: promises made.
    promises_made: "Janji dibuat", "Promises made";
    /// Column: promises kept.
    promises_kept: "Janji ditepati", "Promises kept";
    /// Reassign title.
    reassign_title: "Alihkan rekening", "Reassign accounts";
    /// Reassign field: accounts.
    reassign_accounts: "Nomor rekening (satu per baris)", "Account numbers (one per line)";
    /// Reassign field: collector.
    reassign_to: "Kepada kolektor", "To collector";
    /// Reassign button.
    reassign_button: "Alihkan", "Reassign";
    /// Reassigned notice (followed by the count).
    reassigned: "Rekening dialihkan:", "Accounts reassigned:";
    /// An account number not found.
    unknown_account: "Nomor rekening tidak ditemukan", "Account number not found";
    /// Workspace panel: the propensity score.
    score_title: "Peluang bayar", "Probability to pay";
    /// The score's model, before its version.
    score_model: "model", "model";
    /// After the horizon's number of days.
    score_days: "hari", "days";
    /// The score panel's explanation of what the number means.
    score_hint: "Peluang debitur membayar minimal satu angsuran dalam jangka waktu model, dari riwayat pembayaran, janji bayar dan kontak.", "The chance the debtor pays at least one instalment within the model's horizon, from the payment, promise and contact history.";
    /// Raises the probability.
    score_up: "menaikkan", "raises";
    /// Lowers the probability.
    score_down: "menurunkan", "lowers";
    /// Worklist column: why this account ranks where it does.
    score_why: "Mengapa di atas", "Why first";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_word() {
        assert_eq!(Lang::Id.work().next_account, "Ambil akun berikutnya");
        assert_eq!(Lang::En.work().next_account, "Take the next account");
    }
}
