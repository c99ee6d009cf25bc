//! Examples per rule: what each blocks (with the spelling games) and the firm, polite
//! notices it must let through.

use std::sync::OnceLock;

use super::*;

fn guard() -> &'static Guard {
    static GUARD: OnceLock<Guard> = OnceLock::new();
    GUARD.get_or_init(Guard::shipped)
}

/// The rules that block `text` (warnings left out).
fn blocking(text: &str) -> Vec<String> {
    guard()
        .check(text)
        .findings
        .into_iter()
        .filter(|f| f.severity == Severity::Block)
        .map(|f| f.rule)
        .collect()
}

#[track_caller]
fn blocks(rule: &str, texts: &[&str]) {
    for text in texts {
        let rules = blocking(text);
        assert!(
            rules.iter().any(|r| r == rule),
            "{text:?} should be blocked by {rule}, got {rules:?}"
        );
    }
}

#[track_caller]
fn allows(texts: &[&str]) {
    for text in texts {
        let verdict = guard().check(text);
        assert!(
            !verdict.blocked,
            "{text:?} should pass, got {:?}",
            verdict.findings
        );
    }
}

#[test]
fn the_shipped_lexicon_compiles_with_every_rule_named_in_both_languages() {
    let rules: Vec<&RuleInfo> = guard().rules().collect();
    assert_eq!(rules.len(), 9);
    for rule in rules {
        assert!(
            !rule.name_id.is_empty() && !rule.name_en.is_empty(),
            "{}",
            rule.code
        );
        assert!(rule.reason.len() > 40, "{}", rule.code);
    }
}

#[test]
fn threats_of_violence_are_blocked_in_any_spelling() {
    blocks(
        "threat_violence",
        &[
            "Kalau tidak bayar hari ini, kami bacok kamu",
            "Keluargamu akan kuhabisi satu per satu",
            "awas lu ya, gw tau rumah lu",
            "Siap-siap saja Anda, tunggu tanggal mainnya",
            "siap2 lu",
            "mati aja lu",
            "Kami akan datang ramai-ramai ke rumahmu",
            "Keluarga kamu tidak akan aman",
            "b4c0k",
            "We will find you and your family",
        ],
    );
}

#[test]
fn ordinary_words_near_threat_words_are_not_threats() {
    allows(&[
        "Masa berlaku penawaran untuk Anda habis pada 30 Nov 2026.",
        "Sepertinya telepon Anda mati, kami akan mencoba lagi besok.",
        "Kami menyesal atas ketidaknyamanan yang Anda alami.",
        "Silakan matikan notifikasi jika tidak diperlukan.",
        "Petugas kami akan berkunjung ke alamat Bapak pada Selasa, 24 Nov 2026 pukul 10.00 WIB dengan membawa surat tugas.",
    ]);
}

#[test]
fn spreading_personal_data_is_blocked() {
    blocks(
        "data_exposure",
        &[
            "Kalau tidak bayar, data kamu kami sebar ke semua kontak",
            "Foto KTP dan selfie kamu akan disebarkan",
            "Kami posting ke medsos biar viral",
            "siap-siap kami viralkan",
            "Kami akan buat grup WA berisi semua kontakmu",
            "Gue udah retas isi HP lu",
            "utang kamu kami umumkan di facebook",
        ],
    );
}

#[test]
fn privacy_assurances_and_upload_instructions_are_allowed() {
    allows(&[
        "Data pribadi Anda aman dan tidak akan kami sebarkan kepada siapa pun.",
        "Mohon unggah bukti transfer melalui aplikasi.",
        "Silakan kirimkan foto bukti pembayaran ke nomor ini.",
        "Cek status pembayaran Anda di aplikasi.",
        "Jangan bagikan kode OTP kepada siapa pun, termasuk keluarga.",
    ]);
}

#[test]
fn shaming_to_family_friends_and_employer_is_blocked() {
    blocks(
        "shaming",
        &[
            "Kami akan hubungi keluarga dan atasan kamu",
            "Biar semua teman kantor kamu tahu kamu punya utang",
            "Kami datangi tetangga dan pak RT",
            "Kamu akan dipermalukan",
            "kami kabarin hrd kantor lu",
        ],
    );
}

#[test]
fn polite_mentions_of_family_and_escalation_are_allowed() {
    allows(&[
        "Jangan sungkan atau malu untuk menghubungi kami jika ada kesulitan.",
        "Bila Bapak keberatan, silakan hubungi atasan saya di nomor 021-555-0100.",
        "Kami tidak akan menghubungi keluarga atau kantor Anda.",
        "Bayar tepat waktu untuk menjaga nama baik dan riwayat kredit Anda.",
        "Silakan diskusikan dengan keluarga untuk mencari solusi terbaik.",
    ]);
}

#[test]
fn false_legal_claims_are_blocked() {
    blocks(
        "false_legal_claim",
        &[
            "Anda akan dilaporkan ke polisi",
            "Siap-siap dipenjara",
            "Kami bawa ke kantor polisi",
            "Kasus ini pidana, pasal 378 KUHP penipuan",
            "kamu bakal ditangkap",
            "p0l1s1 sudah kami hubungi",
            "Kami akan sita rumah dan barang-barangmu",
            "NIK kamu akan diblokir",
        ],
    );
}

#[test]
fn civil_legal_process_and_credit_reporting_are_allowed() {
    allows(&[
        "Apabila tidak ada penyelesaian, kami akan menempuh proses hukum perdata sesuai perjanjian.",
        "Kami dapat mengajukan gugatan ke Pengadilan Negeri sesuai ketentuan yang berlaku.",
        "Keterlambatan pembayaran akan dilaporkan ke SLIK OJK.",
        "Keterlambatan membayar utang adalah perkara perdata, bukan pidana.",
        "Mohon kirimkan tangkapan layar bukti transfer.",
        "Denda keterlambatan sebesar Rp50.000 akan dikenakan setelah tanggal jatuh tempo.",
        "Bersama ini kami sampaikan Surat Peringatan Pertama (SP1) atas tunggakan Bapak.",
        "Ini adalah somasi terakhir sebelum kami mengajukan gugatan wanprestasi.",
    ]);
}

#[test]
fn impersonating_authorities_is_blocked() {
    blocks(
        "impersonation",
        &[
            "Saya petugas OJK, segera lunasi",
            "Jaksa sudah menerima berkas Anda",
            "Pengadilan sudah memutuskan Anda bersalah",
            "Ini surat dari kepolisian",
        ],
    );
}

#[test]
fn referring_to_the_ojk_complaint_line_is_allowed() {
    allows(&[
        "Jika ada keluhan, Bapak dapat menghubungi OJK di 157.",
        "Kami terdaftar dan diawasi oleh OJK.",
    ]);
}

#[test]
fn insults_are_blocked_through_spelling_games() {
    blocks(
        "insult",
        &[
            "dasar anjing",
            "ANJIIIING",
            "4nj1ng",
            "anj*ng",
            "a n j i n g",
            "a.n.j.i.n.g",
            "anj ing",
            "b@ngsat",
            "bgst",
            "kntl",
            "gblk",
            "t0l0l",
            "tlol",
            "dasar monyet",
            "babi lu",
            "f*ck you",
            "you are stupid",
            "idiot",
            "dasar penipu",
            "kamu miskin",
            "Hey, jongos",
            "Dasar tidak tahu malu",
        ],
    );
}

#[test]
fn innocent_words_holding_abusive_substrings_are_allowed() {
    allows(&[
        "Mohon memasukkan nomor kontrak dengan benar.",
        "Babinsa setempat mengadakan kegiatan.",
        "Terima kasih atas jasa Bapak.",
        "Kami tunggu di Pantai Kuta, santai saja.",
        "Diskon untuk pelunasan, hubungi kontak resmi kami.",
        "Waspada penipuan yang mengatasnamakan perusahaan kami.",
        "Jangan mau dibodohi oleh pihak yang meminta transfer ke rekening pribadi.",
        "Kepala Seksi Penagihan akan menghubungi Bapak.",
        "Mohon isi formulir di kantor cabang terdekat.",
        "Jalan tol menuju kantor kami sedang diperbaiki.",
    ]);
}

#[test]
fn sexual_harassment_is_blocked() {
    blocks(
        "sexual_harassment",
        &[
            "Bayar pakai badan saja",
            "Foto bugil kamu akan kami edit",
            "Open BO aja buat bayar utang",
            "mau tidur sama saya?",
        ],
    );
}

#[test]
fn collecting_through_third_parties_is_blocked() {
    blocks(
        "third_party_collection",
        &[
            "Nomor Anda tercatat sebagai kontak darurat dari nasabah kami yang menunggak tagihan.",
            "Tolong sampaikan ke dia untuk segera bayar utangnya",
            "Mohon kerja samanya menginfokan beliau untuk membayarkan tagihan",
            "Kamu harus ikut tanggung jawab",
            "Tolong bayarkan utang suamimu",
        ],
    );
}

#[test]
fn asking_a_contact_only_where_the_debtor_can_be_reached_is_allowed() {
    allows(&[
        "Mohon maaf mengganggu. Kami mencari Bapak Budi; mohon sampaikan agar beliau menghubungi kami di nomor ini.",
        "Apakah Ibu mengetahui nomor telepon Bapak Andi yang masih aktif?",
    ]);
}

#[test]
fn rude_pronouns_warn_but_do_not_block_alone() {
    let verdict = guard().check("Gue tunggu transferan lu hari ini ya");
    assert!(!verdict.blocked, "{verdict:?}");
    assert!(verdict.findings.iter().all(|f| f.rule == "rude_register"));
    assert_eq!(verdict.findings.len(), 2);
    assert_eq!(verdict.findings[0].severity, Severity::Warn);
}

#[test]
fn a_finding_names_the_words_as_written_and_their_span() {
    let text = "Yth. Bapak, dasar B@NGSAT!";
    let verdict = guard().check(text);
    assert!(verdict.blocked);
    let finding = &verdict.findings[0];
    assert_eq!(finding.rule, "insult");
    assert_eq!(finding.matched, "B@NGSAT");
    assert_eq!(&text[finding.span.clone()], "B@NGSAT");
    assert!(finding.reason.contains("Bapak/Ibu"), "{}", finding.reason);
}

#[test]
fn polite_collection_messages_pass_without_findings() {
    for text in [
        "Yth. Bapak Budi, angsuran Anda sebesar Rp1.250.000 jatuh tempo pada 24 Nov 2026. Mohon lakukan pembayaran melalui virtual account 8808123456.",
        "Selamat pagi Ibu Sari, kami dari PT Nusabank ingin menawarkan keringanan denda bila pelunasan dilakukan sebelum 30 Nov 2026.",
        "",
        "   ",
    ] {
        let verdict = guard().check(text);
        assert!(verdict.findings.is_empty(), "{text:?}: {:?}", verdict.findings);
    }
}

#[test]
fn a_lexicon_with_an_unknown_group_is_refused_naming_it() {
    let toml = r#"
version = 1
window = 8
[negation]
words = ["tidak"]
skip = ["akan"]
[groups]
a = ["satu"]
[[rule]]
code = "x"
name_id = "x"
name_en = "x"
severity = "block"
reason = "r"
patterns = ["@a ~ @missing"]
"#;
    let err = Guard::from_toml(toml).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"guard lexicon: rule "x", "@a ~ @missing": unknown group @missing"#
    );
}

#[test]
fn malformed_lexicons_are_refused_with_a_reason() {
    let base = |groups: &str, rules: &str| {
        format!(
            "version = 1\nwindow = 8\n[negation]\nwords = [\"tidak\"]\nskip = [\"akan\"]\n[groups]\n{groups}\n{rules}"
        )
    };
    let rule = |patterns: &str| {
        format!("[[rule]]\ncode = \"x\"\nname_id = \"x\"\nname_en = \"x\"\nseverity = \"block\"\nreason = \"r\"\npatterns = {patterns}\n")
    };
    let cases = [
        (base("", ""), "not valid"),
        (base("a = []", &rule("[\"@a\"]")), "group \"a\" is empty"),
        (
            base("a = [\"@b\"]\nb = [\"@a\"]", &rule("[\"@a\"]")),
            "includes itself",
        ),
        (base("", &rule("[\"satu ~ \"]")), "empty element"),
        (base("", &rule("[\"!!!\"]")), "has no letters"),
        (
            base("", &format!("{}{}", rule("[\"satu\"]"), rule("[\"dua\"]"))),
            "appears twice",
        ),
        (
            base("", &rule("[\"satu\"]")).replace("severity = \"block\"", "severity = \"loud\""),
            "not valid",
        ),
    ];
    for (toml, expected) in cases {
        let err = Guard::from_toml(&toml).unwrap_err().to_string();
        assert!(err.contains(expected), "{err}\n--\n{toml}");
    }
}
