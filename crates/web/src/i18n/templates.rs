//! The words of the template pages (the list, the editor, the approval), each written
//! once with its translation beside it.

use super::Lang;

impl Lang {
    /// The template pages' words of this language.
    pub fn templates(self) -> &'static TemplateStrings {
        match self {
            Lang::Id => &ID,
            Lang::En => &EN,
        }
    }
}

words! {
    TemplateStrings;
    /// Nav and list title.
    nav_templates: "Templat", "Templates";
    /// The list's title.
    list_title: "Templat pesan dan surat", "Message and letter templates";
    /// The list's introduction.
    list_intro: "Setiap tahap penagihan dan saluran memakai versi yang disetujui kepatuhan; tanpa versi kreditur, Sepakat memakai templat bawaan.", "Each stage and channel uses the version compliance approved; without one of the creditor's own, Sepakat uses its default.";
    /// Column: stage.
    stage: "Tahap", "Stage";
    /// Column: channel.
    channel: "Saluran", "Channel";
    /// Column: version in force.
    in_force: "Berlaku", "In force";
    /// Column: versions waiting.
    pending: "Menunggu persetujuan", "Awaiting approval";
    /// The shipped default in force.
    default_in_force: "Bawaan Sepakat", "Sepakat default";
    /// No template at all for this slot.
    none_in_force: "Belum ada", "None yet";
    /// "Version" before a number.
    version: "Versi", "Version";
    /// Link to the editor.
    open: "Buka", "Open";
    /// The editor's title prefix.
    editor_title: "Templat", "Template";
    /// Heading of the new-version form.
    new_version: "Versi baru", "New version";
    /// Heading of the text in force (for readers who do not write).
    text_in_force: "Teks yang berlaku", "Text in force";
    /// Hint of the new-version form.
    new_version_hint: "Mulai dari teks yang berlaku. Versi baru dipakai setelah disetujui kepatuhan.", "Start from the text in force. A new version is used once compliance approves it.";
    /// Field: subject / perihal.
    subject: "Perihal / subjek", "Subject";
    /// Field: body.
    body: "Isi", "Text";
    /// Field: note.
    note: "Catatan perubahan", "Change note";
    /// Button: submit for approval.
    submit: "Ajukan untuk persetujuan", "Submit for approval";
    /// Preview heading.
    preview: "Pratinjau dengan data contoh", "Preview with sample data";
    /// The preview passes.
    preview_ok: "Lolos pemeriksaan: santun dan tanpa ancaman.", "Passes the check: polite, no threats.";
    /// The preview is blocked.
    preview_blocked: "Tidak dapat diajukan: ada kata atau hal yang harus diubah.", "Cannot be submitted: something must be rewritten.";
    /// Variables heading.
    variables: "Variabel yang dapat dipakai", "Variables you can use";
    /// Versions heading.
    versions: "Riwayat versi", "Versions";
    /// Column: status.
    status: "Status", "Status";
    /// Column: author.
    author: "Penulis", "Author";
    /// Column: written.
    written: "Ditulis", "Written";
    /// Column: decided.
    decided: "Diputuskan", "Decided";
    /// Column / field: reason.
    reason: "Alasan", "Reason";
    /// Button: approve.
    approve: "Setujui", "Approve";
    /// Button: reject.
    reject: "Tolak", "Reject";
    /// No versions yet.
    no_versions: "Belum ada versi kreditur; yang berlaku adalah templat bawaan.", "No versions of the creditor yet; the default is in force.";
    /// Own version: may not decide.
    own_version: "Versi Anda sendiri: diputuskan oleh petugas kepatuhan lain.", "Your own version: another compliance officer decides it.";
    /// Notice after a submission.
    submitted: "Versi baru diajukan dan menunggu persetujuan kepatuhan.", "The new version was submitted and awaits compliance approval.";
    /// Notice after an approval.
    approved: "Versi disetujui dan kini berlaku.", "The version was approved and is now in force.";
    /// Notice after a rejection.
    rejected: "Versi ditolak.", "The version was rejected.";
    /// The form failed.
    form_error: "Belum dapat disimpan:", "Not saved:";
    /// An unknown variable.
    unknown_variable: "Variabel tidak dikenal", "unknown variable";
    /// Line.
    line: "baris", "line";
    /// Column.
    column: "kolom", "column";
    /// A required field.
    required: "wajib diisi", "is required";
    /// No subject on this channel.
    no_subject: "tidak dipakai untuk saluran ini; kosongkan", "is not used on this channel; leave it empty";
    /// Unclosed braces.
    unclosed: "«{{» tidak ditutup dengan «}}»", "«{{» is not closed with «}}»";
    /// Stray close.
    stray_close: "«}}» tanpa pembuka «{{»", "«}}» without an opening «{{»";
    /// Blocked by the guard.
    guard_blocked: "ditolak pemeriksa pesan", "blocked by the message guard";
    /// Rejection without a reason.
    reason_required: "Alasan penolakan wajib diisi.", "A rejection needs a reason.";
    /// Not pending any more.
    not_pending: "Versi ini sudah diputuskan.", "This version has already been decided.";
}
