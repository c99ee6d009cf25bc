//! The names of the domain's codes (channel, outcome, reason, …) in each UI language. The
//! codes themselves are the domain's (`sepakat_domain::interaction`, `compliance`); a
//! missing name is a compile error here, never a raw code on screen.

use sepakat_domain::compliance::{Channel, Party, Rule};
use sepakat_domain::interaction::{Direction, Outcome, PauseReason, Reason};
use sepakat_domain::strategy::Action;
use sepakat_domain::template::Stage;
use sepakat_domain::PromiseStatus;
use sepakat_store::{
    ArrangementStatus, InstalmentStatus, LetterStatus, MessageStatus, OfferStatus, TemplateStatus,
};

use super::Lang;

/// A code with a name in Bahasa Indonesia and English.
pub trait Named: Copy + 'static {
    /// Every value, in the order forms list them.
    fn all() -> &'static [Self];
    /// The stable code (the form value).
    fn code(self) -> &'static str;
    /// The names: (Bahasa Indonesia, English).
    fn names(self) -> (&'static str, &'static str);
}

impl Lang {
    /// A code's name in this language.
    pub fn name<T: Named>(self, value: T) -> &'static str {
        let (id, en) = value.names();
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }
}

macro_rules! named {
    ($ty:ty { $($variant:ident => $id:literal, $en:literal;)* }) => {
        impl Named for $ty {
            fn all() -> &'static [Self] {
                <$ty>::ALL
            }
            fn code(self) -> &'static str {
                <$ty>::code(self)
            }
            fn names(self) -> (&'static str, &'static str) {
                match self { $(<$ty>::$variant => ($id, $en),)* }
            }
        }
    };
}

named!(OfferStatus {
    Proposed => "Ditawarkan", "Offered";
    PendingApproval => "Menunggu persetujuan", "Waiting for approval";
    Approved => "Disetujui", "Approved";
    Rejected => "Ditolak", "Rejected";
    Accepted => "Diterima debitur", "Accepted by the debtor";
    Expired => "Kedaluwarsa", "Expired";
});

named!(LetterStatus {
    Printed => "Dicetak", "Printed";
    Sent => "Dikirim", "Sent";
    Delivered => "Diterima", "Delivered";
    Returned => "Dikembalikan", "Returned";
});

named!(MessageStatus {
    Queued => "Dalam antrean", "Queued";
    Sending => "Sedang dikirim", "Sending";
    Sent => "Terkirim", "Sent";
    Delivered => "Diterima", "Delivered";
    Failed => "Gagal", "Failed";
    Blocked => "Diblokir", "Blocked";
});

named!(ArrangementStatus {
    Active => "Berjalan", "Active";
    Completed => "Lunas", "Completed";
    Defaulted => "Gagal (kembali ke penagihan)", "Defaulted (back to collection)";
});

named!(InstalmentStatus {
    Pending => "Belum jatuh tempo", "Pending";
    Paid => "Dibayar", "Paid";
    Late => "Dibayar terlambat", "Paid late";
    Missed => "Terlewat", "Missed";
});

named!(Action {
    None => "Tanpa tindakan", "No action";
    Call => "Telepon", "Call";
    Whatsapp => "WhatsApp", "WhatsApp";
    Sms => "SMS", "SMS";
    Email => "Email", "Email";
    LetterSp1 => "Surat SP1", "SP1 letter";
    LetterSp2 => "Surat SP2", "SP2 letter";
    LetterSp3 => "Surat SP3", "SP3 letter";
    LetterSomasi => "Somasi", "Somasi";
    FieldVisit => "Kunjungan lapangan", "Field visit";
    Agency => "Penempatan agensi", "Agency placement";
    LegalReview => "Kajian hukum", "Legal review";
});

named!(Channel {
    Call => "Telepon", "Phone call";
    Whatsapp => "WhatsApp", "WhatsApp";
    Sms => "SMS", "SMS";
    Email => "Email", "Email";
    FieldVisit => "Kunjungan lapangan", "Field visit";
    Letter => "Surat", "Letter";
});

named!(Stage {
    PreDue => "Sebelum jatuh tempo", "Before the due date";
    Early => "Tunggakan awal (1–30 hari)", "Early arrears (1–30 days)";
    Mid => "Tunggakan menengah (31–90 hari)", "Mid arrears (31–90 days)";
    Late => "Tunggakan lanjut (> 90 hari)", "Late arrears (> 90 days)";
    PromiseRecap => "Ringkasan janji bayar", "Promise recap";
    PromiseReminder => "Pengingat janji bayar", "Promise reminder";
    PromiseBroken => "Janji bayar tidak ditepati", "Broken promise";
    Sp1 => "Surat peringatan 1 (SP1)", "Warning letter 1 (SP1)";
    Sp2 => "Surat peringatan 2 (SP2)", "Warning letter 2 (SP2)";
    Sp3 => "Surat peringatan 3 (SP3)", "Warning letter 3 (SP3)";
    Somasi => "Somasi", "Formal demand (somasi)";
});

named!(TemplateStatus {
    Draft => "Draf", "Draft";
    Pending => "Menunggu persetujuan", "Awaiting approval";
    Approved => "Disetujui", "Approved";
    Rejected => "Ditolak", "Rejected";
});

named!(Party {
    Debtor => "Debitur", "Debtor";
    EmergencyContact => "Kontak darurat", "Emergency contact";
    Family => "Keluarga", "Family";
    Employer => "Tempat kerja", "Employer";
    Guarantor => "Penjamin", "Guarantor";
});

named!(Direction {
    Outbound => "Keluar (kami menghubungi)", "Outbound";
    Inbound => "Masuk (debitur menghubungi)", "Inbound";
});

named!(Outcome {
    RightPartyContact => "Terhubung dengan debitur", "Right-party contact";
    ThirdParty => "Pihak ketiga", "Third party";
    NoAnswer => "Tidak diangkat", "No answer";
    Busy => "Sibuk", "Busy";
    WrongNumber => "Nomor salah", "Wrong number";
    PromiseToPay => "Janji bayar", "Promise to pay";
    Refused => "Menolak membayar", "Refused";
    Dispute => "Sengketa tagihan", "Dispute";
    CallBack => "Minta dihubungi kembali", "Call back";
    Paid => "Sudah membayar", "Paid";
    HardshipDeclared => "Menyatakan kesulitan", "Hardship declared";
});

named!(Reason {
    JobLoss => "Kehilangan pekerjaan (PHK)", "Job loss";
    Illness => "Sakit", "Illness";
    BusinessDownturn => "Usaha sepi", "Business downturn";
    Disaster => "Bencana", "Disaster";
    Forgot => "Lupa", "Forgot";
    Dispute => "Tagihan tidak sesuai", "Dispute";
    OverIndebted => "Terlalu banyak utang", "Over-indebted";
    Fraud => "Penipuan / pencurian identitas", "Fraud or identity theft";
    Deceased => "Meninggal dunia", "Deceased";
    Evasive => "Tanpa alasan / menghindar", "No reason / evasive";
});

named!(PauseReason {
    Dispute => "Sengketa", "Dispute";
    Hardship => "Kesulitan keuangan", "Hardship";
    Deceased => "Meninggal dunia", "Deceased";
    Legal => "Proses hukum", "Legal";
    Complaint => "Pengaduan", "Complaint";
});

named!(PromiseStatus {
    Pending => "Menunggu", "Pending";
    Kept => "Ditepati", "Kept";
    PartiallyKept => "Ditepati sebagian", "Partially kept";
    Broken => "Diingkari", "Broken";
    Cancelled => "Dibatalkan", "Cancelled";
});

named!(Rule {
    Allowed => "Dalam jam kontak", "Within contact hours";
    AllowedByConsent => "Dengan persetujuan debitur", "With the debtor's consent";
    Paused => "Penagihan dihentikan sementara", "Collection is paused";
    ThirdPartyDebtDetails => "Pihak ketiga tidak boleh diberi tahu soal utang", "A third party may not hear of the debt";
    ChannelDisabled => "Saluran tidak dipakai kreditur", "Channel not used by the creditor";
    NoHolidayCalendar => "Kalender libur tahun ini belum ada", "No holiday calendar for this year";
    NonWorkingDay => "Bukan hari kontak (Minggu)", "Not a contact day (Sunday)";
    NationalHoliday => "Hari libur nasional", "National holiday";
    CutiBersama => "Cuti bersama", "Collective leave";
    OutsideHours => "Di luar jam kontak (08.00–20.00 waktu debitur)", "Outside contact hours (08.00–20.00 debtor time)";
    DailyCap => "Batas kontak harian tercapai", "Daily contact cap reached";
    WeeklyCap => "Batas kontak mingguan tercapai", "Weekly contact cap reached";
});

/// The audited changes the timeline names: (action, Bahasa Indonesia, English).
const ACTIONS: &[(&str, &str, &str)] = &[
    ("account.assigned", "Akun dialihkan", "Account reassigned"),
    (
        "account.paused",
        "Penagihan dihentikan sementara",
        "Collection paused",
    ),
    (
        "account.returned_to_collection",
        "Akun kembali ke penagihan",
        "Account back in collection",
    ),
    (
        "assessment.saved",
        "Penilaian kemampuan bayar disimpan",
        "Ability-to-pay assessment saved",
    ),
    ("offer.created", "Penawaran dibuat", "Offer made"),
    ("offer.approved", "Penawaran disetujui", "Offer approved"),
    ("offer.rejected", "Penawaran ditolak", "Offer rejected"),
    (
        "offer.accepted",
        "Penawaran diterima debitur",
        "Offer accepted by the debtor",
    ),
    ("offer.expired", "Penawaran kedaluwarsa", "Offer expired"),
    (
        "arrangement.created",
        "Rencana pembayaran dibuat",
        "Arrangement made",
    ),
    (
        "arrangement.completed",
        "Rencana pembayaran lunas",
        "Arrangement completed",
    ),
    (
        "arrangement.defaulted",
        "Rencana pembayaran gagal",
        "Arrangement defaulted",
    ),
    (
        "arrangement.reactivated",
        "Rencana pembayaran berjalan lagi",
        "Arrangement active again",
    ),
    (
        "instalment.paid",
        "Cicilan rencana dibayar",
        "Arrangement instalment paid",
    ),
    (
        "instalment.part_paid",
        "Cicilan rencana dibayar sebagian",
        "Arrangement instalment part-paid",
    ),
    (
        "instalment.late",
        "Cicilan rencana dibayar terlambat",
        "Arrangement instalment paid late",
    ),
    (
        "instalment.missed",
        "Cicilan rencana terlewat",
        "Arrangement instalment missed",
    ),
    (
        "instalment.pending",
        "Cicilan rencana menunggu",
        "Arrangement instalment pending",
    ),
    ("letter.printed", "Surat dicetak", "Letter printed"),
    (
        "template.drafted",
        "Versi templat ditulis",
        "Template version written",
    ),
    (
        "template.submitted",
        "Versi templat diajukan",
        "Template version submitted",
    ),
    (
        "template.approved",
        "Versi templat disetujui kepatuhan",
        "Template version approved by compliance",
    ),
    (
        "template.rejected",
        "Versi templat ditolak kepatuhan",
        "Template version rejected by compliance",
    ),
    (
        "letter.reprinted",
        "Surat dicetak ulang",
        "Letter reprinted",
    ),
    ("letter.sent", "Surat dikirim", "Letter sent"),
    ("letter.delivered", "Surat diterima", "Letter delivered"),
    ("letter.returned", "Surat dikembalikan", "Letter returned"),
    ("message.queued", "Pesan masuk antrean", "Message queued"),
    (
        "message.deferred",
        "Pesan menunggu waktu yang diizinkan",
        "Message waits for an allowed time",
    ),
    ("message.blocked", "Pesan diblokir", "Message blocked"),
    ("message.sending", "Pesan sedang dikirim", "Message sending"),
    ("message.sent", "Pesan terkirim", "Message sent"),
    ("message.delivered", "Pesan diterima", "Message delivered"),
    ("message.failed", "Pesan gagal", "Message failed"),
    (
        "message.retry",
        "Pesan akan dicoba lagi",
        "Message will be retried",
    ),
    (
        "reversal.requested",
        "Pembatalan pembayaran diajukan",
        "Payment reversal requested",
    ),
    (
        "reversal.approved",
        "Pembatalan pembayaran disetujui",
        "Payment reversal approved",
    ),
    (
        "reversal.rejected",
        "Pembatalan pembayaran ditolak",
        "Payment reversal turned down",
    ),
];

impl Lang {
    /// An audited action's name; the code itself for one the table does not name.
    pub fn action(self, code: &str) -> &str {
        match ACTIONS.iter().find(|(c, _, _)| *c == code) {
            Some((_, id, en)) => match self {
                Lang::Id => id,
                Lang::En => en,
            },
            None => code,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distinct<T: Named>() {
        for lang in [Lang::Id, Lang::En] {
            let names: Vec<&str> = T::all().iter().map(|v| lang.name(*v)).collect();
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "{names:?}");
        }
    }

    #[test]
    fn every_code_has_a_distinct_name_in_each_language() {
        distinct::<Channel>();
        distinct::<Stage>();
        distinct::<TemplateStatus>();
        distinct::<Party>();
        distinct::<Direction>();
        distinct::<Outcome>();
        distinct::<Reason>();
        distinct::<PauseReason>();
        distinct::<PromiseStatus>();
        distinct::<Rule>();
    }

    #[test]
    fn indonesian_is_what_collectors_read() {
        assert_eq!(Lang::Id.name(Outcome::PromiseToPay), "Janji bayar");
        assert_eq!(Lang::En.name(Channel::FieldVisit), "Field visit");
    }
}
