//! The instalment schedule on the account page, with each instalment's state today.
//!
//! Placeholder until the domain's schedule generator is merged: no rows.

use chrono::NaiveDate;
use sepakat_store::AccountDetail;

use crate::i18n::Lang;
use crate::ui::account_detail::ScheduleRow;

/// The schedule rows of an account (empty while no generator is available).
pub(crate) fn rows(_lang: Lang, _account: &AccountDetail, _today: NaiveDate) -> Vec<ScheduleRow> {
    Vec::new()
}
