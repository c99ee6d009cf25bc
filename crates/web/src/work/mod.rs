//! The collector's work flows that the UI and the API share: the recap of a promise, and
//! (with the workbench store) claiming, logging contacts through the compliance gate,
//! follow-ups and payments. Handlers parse and draw; the rules live here once.

use sepakat_domain::template::{Catalogue, MessageContext, Salutation};
use sepakat_store::{AccountDetail, StoredPromise};

/// The shipped template of a promise recap.
const RECAP_TEMPLATE: &str = "promise_recap_whatsapp";

/// The recap of a promise for the collector to send ("Terima kasih Bapak/Ibu …, sesuai
/// pembicaraan kita …"). A value Sepakat does not know (the payment link, when none is
/// configured) stays as `[variable]` for the collector to fill before sending.
pub fn recap(
    account: &AccountDetail,
    promise: &StoredPromise,
    collector: &str,
    creditor: &str,
) -> String {
    let d = &account.debtor.data;
    let context = MessageContext {
        salutation: Some(Salutation::from_gender(d.gender)),
        name: Some(d.name.clone()),
        creditor: Some(creditor.to_string()),
        account_no: Some(account.account_no.clone()),
        promise_amount: Some(promise.data.amount),
        promise_date: Some(promise.data.promised_on),
        collector: Some(collector.to_string()),
        ..MessageContext::default()
    };
    let catalogue = Catalogue::shipped();
    let template = catalogue
        .get(RECAP_TEMPLATE)
        .expect("the shipped catalogue has the promise recap (tested in domain)");
    template.body.render_or_mark(&context).trim().to_string()
}
