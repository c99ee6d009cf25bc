//! Documents Sepakat prints: collection letters now, payment agreements next. Pages are laid
//! out here and written by a small PDF writer of our own (`pdf`), so a letter is a real PDF
//! file that any reader opens and `pdftotext` reads back.

pub mod agreement;
pub mod batch;
mod flow;
pub mod letter;
pub mod pdf;

use chrono::NaiveDate;
use sepakat_domain::template::{MessageContext, MessageTemplate, MissingValue, Salutation};
use sepakat_domain::Dpd;
use sepakat_store::{AccountDetail, Creditor};

use letter::{tracking_number, Letter, Signatory};

/// What a letter run needs besides the accounts.
#[derive(Debug, Clone)]
pub struct LetterOptions {
    /// Issue date (also the date DPD counts to).
    pub date: NaiveDate,
    /// Days the debtor is given from the issue date.
    pub deadline_days: u32,
    /// Who signs.
    pub signatory: Signatory,
    /// The creditor's official contact printed in the text.
    pub official_contact: String,
}

/// Why an account gets no letter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LetterError {
    /// A warning letter for an account with nothing overdue would state a falsehood.
    #[error("nothing is overdue on this account; no warning letter")]
    NothingOverdue,
    /// The template uses a value this account does not have.
    #[error(transparent)]
    Missing(#[from] MissingValue),
}

/// The letter for one account from an approved letter template.
pub fn collection_letter(
    creditor: &Creditor,
    account: &AccountDetail,
    template: &MessageTemplate,
    options: &LetterOptions,
) -> Result<Letter, LetterError> {
    let debtor = &account.debtor.data;
    let balance = &account.balance;
    if balance.total_overdue().is_zero() || balance.oldest_unpaid_due.is_none() {
        return Err(LetterError::NothingOverdue);
    }
    let number = format!(
        "{}/{}/{}/{}",
        template.stage.code().to_uppercase(),
        creditor.code,
        options.date.format("%Y/%m"),
        account.account_no
    );
    let salutation = Salutation::from_gender(debtor.gender);
    let context = MessageContext {
        salutation: Some(salutation),
        name: Some(debtor.name.clone()),
        creditor: Some(creditor.name.clone()),
        account_no: Some(account.account_no.clone()),
        overdue: Some(balance.total_overdue()),
        total_due: Some(balance.total_outstanding()),
        due_date: balance.oldest_unpaid_due,
        dpd: Some(Dpd::as_of(balance.oldest_unpaid_due, options.date).days()),
        deadline: Some(options.date + chrono::Duration::days(i64::from(options.deadline_days))),
        official_contact: Some(options.official_contact.clone()),
        letter_no: Some(number.clone()),
        date: Some(options.date),
        collector: Some(options.signatory.name.clone()),
        ..MessageContext::default()
    };
    let mut to = vec![format!("{} {}", salutation.word(), debtor.name)];
    to.extend(debtor.address.clone());
    to.extend(debtor.city.clone());
    Ok(Letter {
        stage: template.stage,
        tracking: tracking_number(
            &creditor.code,
            &account.account_no,
            template.stage,
            options.date,
        ),
        number,
        date: options.date,
        to,
        message: template.render(&context)?,
        signatory: options.signatory.clone(),
    })
}
