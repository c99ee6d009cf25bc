//! Turning one row of an accounts file into an `AccountUpsert`: every cell through its
//! domain parser, then the checks across cells (documented in docs/import-format.md).

use chrono::{Datelike, Months, NaiveDate};
use sepakat_domain::compliance::Party;
use sepakat_domain::{
    Balance, Email, Gender, LoanTerms, Nik, Npwp, Phone, ProductType, Province, Rate,
    ScheduleMethod,
};
use sepakat_store::{AccountStatus, AccountUpsert, DebtorKind, DebtorUpsert, ImportedContact};

use super::column::Col;
use super::row::RowCtx;
use super::value::{not_future, parse_amount, parse_count, parse_date, plausible};

/// The longest DPD accepted (100 years): anything above is a typo.
const MAX_DPD: u32 = 36_500;

/// Validates a row of an accounts file; None when it has errors (recorded in `ctx`).
pub(crate) fn account_row(ctx: &mut RowCtx<'_>, today: NaiveDate) -> Option<AccountUpsert> {
    let xlsx = ctx.xlsx;
    let date = |t: &str| parse_date(t, xlsx).and_then(|d| plausible(d, today));
    let past_date = |t: &str| date(t).and_then(|d| not_future(d, today));

    let account_no = ctx.req(Col::AccountNo, |t| Ok(t.to_string()));
    let name = ctx.req(Col::Name, |t| Ok(t.to_string()));
    let nik = ctx.opt(Col::Nik, |t| Nik::parse(t).map_err(|e| e.to_string()));
    let npwp = ctx.opt(Col::Npwp, |t| Npwp::parse(t).map_err(|e| e.to_string()));
    let debtor_ref = ctx.opt(Col::DebtorRef, |t| Ok(t.to_string()));
    let kind = ctx.opt(Col::DebtorType, parse_kind);
    let gender = ctx.opt(Col::Gender, |t| {
        Gender::parse(t).ok_or_else(|| {
            format!("{t:?} is not a gender (L or P, laki-laki or perempuan, male or female)")
        })
    });
    let birth_date = ctx.opt(Col::BirthDate, past_date);
    let phone = ctx.opt(Col::Phone, |t| Phone::parse(t).map_err(|e| e.to_string()));
    let email = ctx.opt(Col::Email, |t| Email::parse(t).map_err(|e| e.to_string()));
    let address = ctx.opt(Col::Address, |t| Ok(t.to_string()));
    let city = ctx.opt(Col::City, |t| Ok(t.to_string()));
    let province = ctx.opt(Col::Province, |t| {
        Province::parse(t).map_err(|e| e.to_string())
    });
    let employer = ctx.opt(Col::Employer, |t| Ok(t.to_string()));
    let employer_phone = ctx.opt(Col::EmployerPhone, |t| {
        Phone::parse(t).map_err(|e| e.to_string())
    });
    let emergency_name = ctx.opt(Col::EmergencyName, |t| Ok(t.to_string()));
    let emergency_relation = ctx.opt(Col::EmergencyRelation, |t| Ok(t.to_string()));
    let emergency_phone = ctx.opt(Col::EmergencyPhone, |t| {
        Phone::parse(t).map_err(|e| e.to_string())
    });
    let product = ctx.req(Col::Product, |t| {
        ProductType::parse(t).ok_or_else(|| {
            format!(
                "{t:?} is not a product (kpr, kkb, kta, kartu_kredit, paylater, p2p_cash, \
                 multiguna, invoice)"
            )
        })
    });
    let principal = ctx.req(Col::Principal, |t| {
        let p = parse_amount(t)?;
        if p.is_zero() {
            return Err("must be more than 0".into());
        }
        Ok(p)
    });
    let annual_rate = ctx
        .opt(Col::AnnualRate, |t| {
            Rate::parse(t).map_err(|e| e.to_string())
        })
        .unwrap_or(Rate::ZERO);
    let tenor = ctx
        .opt(Col::TenorMonths, |t| parse_count(t, 1, 600))
        .unwrap_or(1);
    let method = ctx
        .opt(Col::Method, |t| {
            ScheduleMethod::parse(t)
                .ok_or_else(|| format!("{t:?} is not an interest method (annuity or flat)"))
        })
        .unwrap_or(ScheduleMethod::Annuity);
    let opened_on = ctx.req(Col::OpenedOn, past_date);
    let first_due = ctx.opt(Col::FirstDue, date);
    let instalment = ctx.opt(Col::Instalment, parse_amount);
    let outstanding = ctx.req(Col::OutstandingPrincipal, parse_amount);
    let arrears_principal = ctx.opt(Col::ArrearsPrincipal, parse_amount);
    let arrears_interest = ctx.opt(Col::ArrearsInterest, parse_amount);
    let penalty = ctx.opt(Col::Penalty, parse_amount).unwrap_or_default();
    let fees = ctx.opt(Col::Fees, parse_amount).unwrap_or_default();
    let oldest_due = ctx.opt(Col::OldestUnpaidDue, date);
    let dpd = ctx.opt(Col::Dpd, |t| parse_count(t, 0, MAX_DPD));
    let last_date = ctx.opt(Col::LastPaymentDate, past_date);
    let last_amount = ctx.opt(Col::LastPaymentAmount, |t| {
        let a = parse_amount(t)?;
        if a.is_zero() {
            return Err("must be more than 0".into());
        }
        Ok(a)
    });
    let status = ctx
        .opt(Col::Status, parse_status)
        .unwrap_or(AccountStatus::Open);

    // ----- across cells: the debtor

    let key = debtor_ref
        .clone()
        .or_else(|| nik.as_ref().map(|n| n.as_str().to_string()))
        .or_else(|| npwp.as_ref().map(|n| n.as_str().to_string()));
    let key_col = [Col::DebtorRef, Col::Nik, Col::Npwp]
        .into_iter()
        .find(|c| ctx.has_column(*c))
        .unwrap_or(Col::Nik);
    let key_failed = [Col::DebtorRef, Col::Nik, Col::Npwp]
        .iter()
        .any(|c| ctx.has_failed(*c));
    if key.is_none() && !key_failed {
        ctx.error(
            key_col,
            "a debtor key is required: fill debtor_ref, nik or npwp",
        );
    }
    let kind = kind.unwrap_or(if nik.is_none() && npwp.is_some() {
        DebtorKind::Company
    } else {
        DebtorKind::Person
    });
    let province = match (province, &nik) {
        (Some(p), _) => Some(p),
        (None, Some(n)) => Some(n.province()),
        (None, None) => {
            if !ctx.has_failed(Col::Province) {
                ctx.error(Col::Province, "a value is required (or a nik)");
            }
            None
        }
    };
    let mut gender = gender;
    let mut birth_date = birth_date;
    if let Some(nik) = &nik {
        match gender {
            Some(g) if g != nik.gender() => ctx.error(
                Col::Gender,
                format!(
                    "{:?} does not match the NIK, which says {}",
                    ctx.cell(Col::Gender).unwrap_or_default(),
                    nik.gender().code()
                ),
            ),
            _ => gender = Some(nik.gender()),
        }
        let from_nik = nik.birth_date(today);
        match (birth_date, from_nik) {
            (Some(given), Some(encoded))
                if (given.day(), given.month(), given.year() % 100)
                    != (encoded.day(), encoded.month(), encoded.year() % 100) =>
            {
                ctx.error(
                    Col::BirthDate,
                    format!("{given} does not match the NIK, which says {encoded}"),
                )
            }
            (None, encoded) => birth_date = encoded,
            _ => {}
        }
    }

    // ----- across cells: the debtor's other contacts

    let contacts = other_contacts(
        ctx,
        OtherContacts {
            debtor_phone: phone.as_ref(),
            employer: employer.as_deref(),
            employer_phone,
            emergency_name,
            emergency_relation,
            emergency_phone,
        },
    );

    // ----- across cells: the money

    if let (Some(principal), Some(outstanding), Some(product)) = (principal, outstanding, product) {
        // Revolving products report the credit limit as principal; the balance may pass it.
        let revolving = matches!(product, ProductType::KartuKredit | ProductType::Paylater);
        if !revolving && outstanding > principal {
            ctx.error(
                Col::OutstandingPrincipal,
                format!("{outstanding} is more than the principal ({principal})"),
            );
        }
    }
    let arrears_principal_v = arrears_principal.unwrap_or_default();
    let arrears_interest_v = arrears_interest.unwrap_or_default();
    if let (Some(ap), Some(outstanding)) = (arrears_principal, outstanding) {
        if ap > outstanding {
            ctx.error(
                Col::ArrearsPrincipal,
                format!("{ap} is more than the outstanding principal ({outstanding})"),
            );
        }
    }
    let in_arrears = arrears_principal_v.is_positive() || arrears_interest_v.is_positive();
    let oldest_unpaid_due = match (oldest_due, dpd) {
        (Some(due), _) if in_arrears && due > today => {
            ctx.error(
                Col::OldestUnpaidDue,
                format!("{due} is in the future, but the account has arrears"),
            );
            None
        }
        (Some(due), _) if !in_arrears && due < today => {
            ctx.error(
                Col::OldestUnpaidDue,
                format!("{due} is past, but the account has no arrears"),
            );
            None
        }
        (Some(due), _) => Some(due),
        (None, Some(0)) if !in_arrears => None,
        (None, Some(days)) if in_arrears => {
            today.checked_sub_signed(chrono::Duration::days(i64::from(days)))
        }
        (None, Some(days)) => {
            ctx.error(
                Col::Dpd,
                format!("{days} days past due, but the account has no arrears"),
            );
            None
        }
        (None, None) if in_arrears => {
            let col = if ctx.has_column(Col::Dpd) {
                Col::Dpd
            } else {
                Col::OldestUnpaidDue
            };
            if !ctx.has_failed(col) {
                ctx.error(col, "a value is required when there are arrears");
            }
            None
        }
        (None, None) => None,
    };
    if let (Some(opened), Some(due)) = (opened_on, first_due) {
        if due < opened {
            ctx.error(
                Col::FirstDue,
                format!("{due} is before the contract date ({opened})"),
            );
        }
    }
    if let (Some(opened), Some(due)) = (opened_on, oldest_unpaid_due) {
        if due < opened {
            let col = if ctx.has_column(Col::Dpd) {
                Col::Dpd
            } else {
                Col::OldestUnpaidDue
            };
            ctx.error(
                col,
                format!("the oldest unpaid due date {due} is before the contract date ({opened})"),
            );
        }
    }
    let last_payment = match (last_date, last_amount) {
        (Some(d), Some(a)) => {
            if opened_on.is_some_and(|o| d < o) {
                ctx.error(
                    Col::LastPaymentDate,
                    format!("{d} is before the contract date"),
                );
            }
            Some((d, a))
        }
        (Some(_), None) if ctx.cell(Col::LastPaymentAmount).is_none() => {
            ctx.error(
                Col::LastPaymentAmount,
                "a value is required when last_payment_date is given",
            );
            None
        }
        (None, Some(_)) if ctx.cell(Col::LastPaymentDate).is_none() => {
            ctx.error(
                Col::LastPaymentDate,
                "a value is required when last_payment_amount is given",
            );
            None
        }
        _ => None,
    };
    if status == AccountStatus::PaidOff {
        if let Some(o) = outstanding.filter(|o| o.is_positive()) {
            ctx.error(
                Col::Status,
                format!("the account is paid_off but its outstanding principal is {o}"),
            );
        }
    }

    if !ctx.errors.is_empty() {
        return None;
    }
    let opened_on = opened_on?;
    let first_due = match first_due {
        Some(d) => d,
        None => opened_on.checked_add_months(Months::new(1))?,
    };
    let terms = LoanTerms {
        principal: principal?,
        annual_rate,
        tenor_months: tenor,
        first_due,
        method,
    };
    let instalment = match instalment {
        Some(i) => i,
        None => match super::instalment_for(&terms) {
            Ok(i) => i,
            Err(message) => {
                ctx.error(Col::Principal, message);
                return None;
            }
        },
    };
    Some(AccountUpsert {
        row: ctx.row,
        account_no: account_no?,
        debtor: DebtorUpsert {
            key: key?,
            kind,
            name: name?,
            nik,
            npwp,
            gender,
            birth_date,
            phone,
            email,
            address,
            city,
            province: province?,
            employer,
        },
        product: product?,
        terms,
        instalment,
        opened_on,
        balance: Balance {
            outstanding_principal: outstanding?,
            arrears_principal: arrears_principal_v,
            arrears_interest: arrears_interest_v,
            penalty,
            fees,
            oldest_unpaid_due,
        },
        last_payment,
        status,
        contacts,
    })
}

/// The cells that name the debtor's other contacts.
struct OtherContacts<'a> {
    debtor_phone: Option<&'a Phone>,
    employer: Option<&'a str>,
    employer_phone: Option<Phone>,
    emergency_name: Option<String>,
    emergency_relation: Option<String>,
    emergency_phone: Option<Phone>,
}

/// The emergency contact and the employer's phone of a row, as restricted parties
/// (docs/import-format.md): an emergency contact needs a name, the employer's phone an
/// employer, and neither may be the debtor's own number.
fn other_contacts(ctx: &mut RowCtx<'_>, cells: OtherContacts<'_>) -> Vec<ImportedContact> {
    let mut contacts = Vec::new();
    let debtor_phone = cells.debtor_phone;
    let own_number = |ctx: &mut RowCtx<'_>, col: Col, phone: &Phone| {
        if Some(phone) == debtor_phone {
            ctx.error(
                col,
                format!(
                    "{} is the debtor's own phone; a restricted party must be someone else",
                    phone.masked()
                ),
            );
        }
    };
    if let Some(phone) = &cells.emergency_phone {
        own_number(ctx, Col::EmergencyPhone, phone);
    }
    match cells.emergency_name {
        Some(name) => contacts.push(ImportedContact {
            party: Party::EmergencyContact,
            name,
            relation: cells.emergency_relation.unwrap_or_default(),
            phone: cells.emergency_phone,
        }),
        None if (cells.emergency_phone.is_some() || cells.emergency_relation.is_some())
            && !ctx.has_failed(Col::EmergencyName) =>
        {
            ctx.error(
                Col::EmergencyName,
                "a value is required when emergency_phone or emergency_relation is given",
            );
        }
        None => {}
    }
    if let Some(phone) = cells.employer_phone {
        own_number(ctx, Col::EmployerPhone, &phone);
        match cells.employer {
            Some(employer) => contacts.push(ImportedContact {
                party: Party::Employer,
                name: employer.to_string(),
                relation: String::new(),
                phone: Some(phone),
            }),
            None if !ctx.has_failed(Col::Employer) => ctx.error(
                Col::Employer,
                "a value is required when employer_phone is given",
            ),
            None => {}
        }
    }
    contacts
}

fn parse_kind(text: &str) -> Result<DebtorKind, String> {
    match text.to_lowercase().replace([' ', '-'], "_").as_str() {
        "person" | "individual" | "perorangan" | "individu" | "pribadi" => Ok(DebtorKind::Person),
        "company" | "corporate" | "perusahaan" | "badan_usaha" | "badan" => Ok(DebtorKind::Company),
        _ => Err(format!(
            "{text:?} is not a debtor type (person/perorangan or company/perusahaan)"
        )),
    }
}

fn parse_status(text: &str) -> Result<AccountStatus, String> {
    match text.to_lowercase().replace([' ', '-'], "_").as_str() {
        "open" | "aktif" | "active" => Ok(AccountStatus::Open),
        "paid_off" | "lunas" | "closed" => Ok(AccountStatus::PaidOff),
        "written_off" | "hapus_buku" | "write_off" | "wo" => Ok(AccountStatus::WrittenOff),
        _ => Err(format!(
            "{text:?} is not a status (open/aktif, paid_off/lunas, written_off/hapus_buku)"
        )),
    }
}
