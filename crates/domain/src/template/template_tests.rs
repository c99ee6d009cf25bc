use chrono::NaiveDate;

use super::*;
use crate::compliance::Channel;
use crate::guard::Guard;
use crate::money::Rupiah;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

#[test]
fn a_template_fills_every_slot_in_order() {
    let text = TemplateText::parse(
        "Yth. {{sapaan}}, tunggakan {{ tunggakan }} ({{tunggakan_terbilang}}).",
    )
    .unwrap();
    let context = MessageContext {
        salutation: Some(Salutation::Ibu),
        name: Some("Siti Aminah".into()),
        overdue: Some(Rupiah::new(1_250_000)),
        ..MessageContext::default()
    };
    assert_eq!(
        text.render(&context).unwrap(),
        "Yth. Ibu Siti Aminah, tunggakan Rp1.250.000 (satu juta dua ratus lima puluh ribu rupiah)."
    );
    let used: Vec<_> = text.variables().into_iter().collect();
    assert_eq!(
        used,
        vec![
            Variable::Sapaan,
            Variable::Tunggakan,
            Variable::TunggakanTerbilang
        ]
    );
}

#[test]
fn an_unknown_variable_is_named_with_its_line_and_column() {
    let err = TemplateText::parse("Halo.\nYth. {{nama_lengkap}}").unwrap_err();
    match &err {
        TemplateError::UnknownVariable {
            name,
            line,
            column,
            known,
        } => {
            assert_eq!(name, "nama_lengkap");
            assert_eq!((*line, *column), (2, 6));
            assert!(known.contains("sapaan"));
        }
        other => panic!("expected an unknown variable, got {other:?}"),
    }
    assert!(err
        .to_string()
        .starts_with("line 2, column 6: unknown variable \"nama_lengkap\""));
}

#[test]
fn unbalanced_braces_and_empty_texts_are_refused() {
    assert_eq!(
        TemplateText::parse("Yth. {{sapaan").unwrap_err(),
        TemplateError::Unclosed { line: 1, column: 6 }
    );
    assert_eq!(
        TemplateText::parse("Yth. sapaan}} {{nama}}").unwrap_err(),
        TemplateError::StrayClose {
            line: 1,
            column: 12
        }
    );
    assert_eq!(
        TemplateText::parse("{{nama}} lalu }}").unwrap_err(),
        TemplateError::StrayClose {
            line: 1,
            column: 15
        }
    );
    assert_eq!(
        TemplateText::parse("  \n ").unwrap_err(),
        TemplateError::Empty
    );
}

#[test]
fn a_value_the_context_lacks_is_an_error_not_a_blank() {
    let text = TemplateText::parse("Bayar sebelum {{batas_waktu}}.").unwrap();
    assert_eq!(
        text.render(&MessageContext::default()).unwrap_err(),
        MissingValue(Variable::BatasWaktu)
    );
}

#[test]
fn dates_are_written_as_in_letters() {
    assert_eq!(long_date(today()), "2 Desember 2026");
    assert_eq!(
        long_date(NaiveDate::from_ymd_opt(2027, 1, 15).unwrap()),
        "15 Januari 2027"
    );
}

#[test]
fn channels_decide_whether_a_subject_is_needed() {
    let body = "Yth. {{sapaan}}";
    assert!(MessageTemplate::new("a", Stage::Early, Channel::Whatsapp, None, body).is_ok());
    assert_eq!(
        MessageTemplate::new("a", Stage::Early, Channel::Email, None, body).unwrap_err(),
        MessageTemplateError::SubjectRequired(Channel::Email)
    );
    assert_eq!(
        MessageTemplate::new("a", Stage::Early, Channel::Sms, Some("Perihal"), body).unwrap_err(),
        MessageTemplateError::SubjectNotAllowed(Channel::Sms)
    );
    assert_eq!(
        MessageTemplate::new("a", Stage::Early, Channel::Call, None, body).unwrap_err(),
        MessageTemplateError::NotAMessageChannel(Channel::Call)
    );
    let err = MessageTemplate::new("a", Stage::Sp1, Channel::Letter, Some("SP1 {{x}}"), body)
        .unwrap_err();
    assert!(err
        .to_string()
        .starts_with("subject: line 1, column 5: unknown variable \"x\""));
}

#[test]
fn every_shipped_template_passes_its_own_review() {
    let guard = Guard::shipped();
    let catalogue = Catalogue::shipped();
    assert!(catalogue.templates().len() >= 15);
    for template in catalogue.templates() {
        let review = template.review(&guard, today());
        assert!(
            !review.blocked,
            "{}: {:?} {:?}",
            template.key, review.findings, review.problems
        );
        assert!(!review.preview.body.contains("{{"), "{}", template.key);
        assert!(!review.preview.body.starts_with('\n'), "{}", template.key);
    }
}

#[test]
fn the_shipped_set_covers_every_stage() {
    let catalogue = Catalogue::shipped();
    for stage in Stage::ALL {
        assert!(
            catalogue.templates().iter().any(|t| t.stage == *stage),
            "no template for {stage}"
        );
    }
    for stage in [Stage::Sp1, Stage::Sp2, Stage::Sp3, Stage::Somasi] {
        assert!(
            catalogue.for_stage(stage, Channel::Letter).is_some(),
            "{stage}"
        );
    }
}

#[test]
fn a_threatening_template_is_blocked_at_review() {
    let guard = Guard::shipped();
    let template = MessageTemplate::new(
        "bad",
        Stage::Late,
        Channel::Whatsapp,
        None,
        "{{sapaan}}, bayar {{tunggakan}} hari ini atau kami laporkan ke polisi dan sebar data anda ke keluarga.",
    )
    .unwrap();
    let review = template.review(&guard, today());
    assert!(review.blocked);
    assert!(!review.findings.is_empty());
}

#[test]
fn an_sms_longer_than_three_segments_is_blocked_at_review() {
    let long = format!(
        "{{{{sapaan}}}} {}",
        "mohon segera melakukan pembayaran. ".repeat(14)
    );
    let template = MessageTemplate::new("long", Stage::Early, Channel::Sms, None, &long).unwrap();
    let review = template.review(&Guard::shipped(), today());
    assert!(review.blocked);
    assert!(review.problems[0].starts_with("SMS terlalu panjang"));
}

#[test]
fn a_templates_file_names_the_bad_template() {
    let text = r#"
[[template]]
key = "ok"
stage = "early"
channel = "sms"
body = "Yth. {{sapaan}}"

[[template]]
key = "broken"
stage = "early"
channel = "email"
body = "Yth. {{sapaan}}"
"#;
    let err = Catalogue::from_toml(text).unwrap_err();
    assert_eq!(
        err.to_string(),
        "template \"broken\": subject: email templates need a subject"
    );
    let dup = text.replace("\"broken\"", "\"ok\"");
    assert_eq!(
        Catalogue::from_toml(&dup).unwrap_err(),
        CatalogueError::DuplicateKey("ok".into())
    );
}
