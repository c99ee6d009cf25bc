//! Propensity scores on the pages and over the API: the creditor's active model, loaded
//! once per version and shared, and an account's probability to pay with its reasons
//! (`sepakat_engine::scoring`), shown on the workspace and as "why first" on the worklist.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use sepakat_domain::scoring::Direction;
use sepakat_engine::scoring::{account_row, Explained, Scoring};
use sepakat_store::{AccountDetail, CreditorId, ModelInfo, Store, StoreError};

use crate::i18n::Lang;

/// How many reasons the workspace shows.
pub const REASONS: usize = 4;

/// The active model per creditor, reloaded when another version becomes active.
#[derive(Debug, Default)]
pub struct Models {
    loaded: Mutex<HashMap<CreditorId, Arc<Scoring>>>,
}

fn other(e: anyhow::Error) -> StoreError {
    StoreError::Other(format!("{e:#}"))
}

impl Models {
    /// The creditor's active model, if it has one.
    pub fn active(
        &self,
        store: &dyn Store,
        creditor: CreditorId,
    ) -> Result<Option<Arc<Scoring>>, StoreError> {
        let Some(active) = store.models(creditor)?.into_iter().find(|m| m.active) else {
            return Ok(None);
        };
        let cached = self
            .loaded
            .lock()
            .ok()
            .and_then(|m| m.get(&creditor).cloned())
            .filter(|s| s.info().version == active.version);
        if let Some(s) = cached {
            return Ok(Some(s));
        }
        let Some(fresh) = Scoring::load(store, creditor).map_err(other)? else {
            return Ok(None);
        };
        let fresh = Arc::new(fresh);
        if let Ok(mut m) = self.loaded.lock() {
            m.insert(creditor, fresh.clone());
        }
        Ok(Some(fresh))
    }

    /// An account's probability to pay on `date`, when the creditor has a model.
    pub fn probability(
        &self,
        store: &dyn Store,
        account: &AccountDetail,
        date: NaiveDate,
    ) -> Result<Option<f64>, StoreError> {
        let Some(scoring) = self.active(store, account.creditor)? else {
            return Ok(None);
        };
        let row = account_row(store, account, date).map_err(other)?;
        Ok(Some(scoring.scorer().score(&row)))
    }

    /// An account's score on `date` with the `top` reasons, when the creditor has a model.
    pub fn explain(
        &self,
        store: &dyn Store,
        account: &AccountDetail,
        date: NaiveDate,
        top: usize,
    ) -> Result<Option<(ModelInfo, Explained)>, StoreError> {
        let Some(scoring) = self.active(store, account.creditor)? else {
            return Ok(None);
        };
        let row = account_row(store, account, date).map_err(other)?;
        let explained = scoring.scorer().explain(&row, top);
        Ok(Some((scoring.info().clone(), explained)))
    }
}

/// One reason, in the reader's language.
pub struct ReasonView {
    /// The sentence.
    pub text: String,
    /// Whether it raises the probability.
    pub up: bool,
}

/// A score for a page.
pub struct ScoreView {
    /// `72%`.
    pub percent: String,
    /// `model v3 (gbt), 30 hari`.
    pub model: String,
    /// The reasons, strongest first.
    pub reasons: Vec<ReasonView>,
}

/// `72%`, or `0,4%` below ten percent (one decimal, in the language's decimal mark), so
/// a low probability is not shown as a flat zero.
fn percent(lang: Lang, p: f64) -> String {
    let pct = (p * 100.0).clamp(0.0, 100.0);
    if pct >= 9.95 {
        format!("{pct:.0}%")
    } else {
        let text = format!("{pct:.1}%");
        match lang {
            Lang::Id => text.replace('.', ","),
            Lang::En => text,
        }
    }
}

impl ScoreView {
    /// The view of a score.
    pub fn new(lang: Lang, info: &ModelInfo, explained: &Explained) -> ScoreView {
        ScoreView {
            percent: percent(lang, explained.probability),
            model: format!(
                "{} v{} ({}), {} {}",
                lang.work().score_model,
                info.version,
                info.algorithm,
                info.horizon_days,
                lang.work().score_days
            ),
            reasons: explained
                .reasons
                .iter()
                .map(|r| ReasonView {
                    text: match lang {
                        Lang::Id => r.text_id(),
                        Lang::En => r.text_en(),
                    },
                    up: r.direction() == Direction::Up,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_probabilities_keep_a_decimal_in_the_readers_notation() {
        assert_eq!(percent(Lang::Id, 0.724), "72%");
        assert_eq!(percent(Lang::Id, 0.0042), "0,4%");
        assert_eq!(percent(Lang::En, 0.0042), "0.4%");
        assert_eq!(percent(Lang::Id, 0.0), "0,0%");
        assert_eq!(percent(Lang::Id, 1.0), "100%");
    }
}
