//! What every page's layout needs: language, title, and the signed-in user's navigation
//! (name, role, active creditor, the creditor switcher and the CSRF token for its forms).

use askama::Template;
use axum::response::Html;

use crate::i18n::{DeskStrings, Lang, LetterStrings, Strings, TemplateStrings, WorkStrings};
use crate::session::CurrentUser;
use crate::ui::error::UiError;

/// The layout's data, embedded in every page template.
#[derive(Debug, Clone)]
pub struct Page {
    /// The language.
    pub lang: Lang,
    /// Its words.
    pub s: &'static Strings,
    /// Its words of the workbench pages.
    pub w: &'static WorkStrings,
    /// Its words of the negotiation desk.
    pub n: &'static DeskStrings,
    /// Its words of the template pages.
    pub t: &'static TemplateStrings,
    /// Its words of the letter and outbox pages.
    pub l: &'static LetterStrings,
    /// The page title.
    pub title: String,
    /// The signed-in user, if any.
    pub nav: Option<Nav>,
    /// Show the search box in the header (the search page has its own).
    pub header_search: bool,
}

/// The header of a signed-in user.
#[derive(Debug, Clone)]
pub struct Nav {
    /// Display name.
    pub full_name: String,
    /// Role name in the page language.
    pub role: &'static str,
    /// CSRF token for the logout and switch forms.
    pub csrf_token: String,
    /// Active creditor's name.
    pub creditor_name: String,
    /// Creditors for the switcher; empty for single-creditor users.
    pub creditors: Vec<CreditorOption>,
    /// Show the portfolio link.
    pub sees_portfolio: bool,
    /// Show the worklist link.
    pub works_accounts: bool,
    /// Show the team link.
    pub supervises: bool,
    /// Show the templates link.
    pub sees_templates: bool,
    /// Show the letters link.
    pub prints_letters: bool,
    /// Show the outbox link.
    pub reads_outbox: bool,
}

/// One entry of the creditor switcher.
#[derive(Debug, Clone)]
pub struct CreditorOption {
    /// Creditor code (the form value).
    pub code: String,
    /// Display name.
    pub name: String,
    /// The session's active creditor.
    pub active: bool,
}

impl Page {
    /// A page for a signed-in user.
    pub fn new(lang: Lang, title: impl Into<String>, user: &CurrentUser) -> Page {
        let creditors = if user.creditors.len() > 1 {
            user.creditors
                .iter()
                .map(|c| CreditorOption {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    active: c.id == user.creditor.id,
                })
                .collect()
        } else {
            Vec::new()
        };
        Page {
            lang,
            s: lang.strings(),
            w: lang.work(),
            n: lang.desk(),
            t: lang.templates(),
            l: lang.letters(),
            title: title.into(),
            nav: Some(Nav {
                full_name: user.user.full_name.clone(),
                role: lang.role(user.role()),
                csrf_token: user.csrf_token.clone(),
                creditor_name: user.creditor.name.clone(),
                creditors,
                sees_portfolio: user.role().sees_portfolio(),
                works_accounts: user.role().works_accounts(),
                supervises: user.role().supervises(),
                sees_templates: crate::template_desk::may_see(user.role()),
                prints_letters: user.role().prints_letters(),
                reads_outbox: user.role().reads_outbox(),
            }),
            header_search: true,
        }
    }

    /// A page without a signed-in user (login, errors).
    pub fn anonymous(lang: Lang, title: impl Into<String>) -> Page {
        Page {
            lang,
            s: lang.strings(),
            w: lang.work(),
            n: lang.desk(),
            t: lang.templates(),
            l: lang.letters(),
            title: title.into(),
            nav: None,
            header_search: false,
        }
    }
}

/// Renders a template into an HTML response.
pub fn render(template: &impl Template) -> Result<Html<String>, UiError> {
    Ok(Html(template.render()?))
}
