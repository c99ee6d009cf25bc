//! The call script: the order of a collection call as the seeds teach it — greet, verify
//! the right party before any debt detail, state the purpose with empathy, ask the
//! reason, offer options within authority, recap and agree a deadline.
//!
//! The text is data (`data/call_script.toml`, replaceable per creditor); each line is a
//! [`TemplateText`], so it uses the same closed variable list as messages and is rendered
//! for the account on screen.

use serde::Deserialize;

use crate::template::{MessageContext, TemplateError, TemplateText};

/// One stage of the call.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Short code (`salam`, `verifikasi`, …).
    pub code: String,
    /// Heading.
    pub title: String,
    /// What the collector says, as templates.
    pub say: Vec<TemplateText>,
    /// Guidance for the collector (not said aloud).
    pub note: String,
    /// Whether the step speaks about the debt (only after the right party is confirmed).
    pub debt_details: bool,
}

/// A step with its lines rendered for one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedStep {
    /// Short code.
    pub code: String,
    /// Heading.
    pub title: String,
    /// The lines; a line whose value is unknown for this account keeps its variable
    /// names in brackets (`[tunggakan]`), so the collector sees what to look up.
    pub say: Vec<String>,
    /// Guidance.
    pub note: String,
    /// Speaks about the debt.
    pub debt_details: bool,
}

/// The whole script.
#[derive(Debug, Clone, PartialEq)]
pub struct CallScript {
    /// The steps, in call order.
    pub steps: Vec<Step>,
}

/// A script file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    /// Not valid TOML of the expected shape.
    #[error("call script: {0}")]
    Format(String),
    /// A line is not a valid template.
    #[error("call script, step {step}, line {line}: {error}")]
    Line {
        /// The step's code.
        step: String,
        /// 1-based line of `say`.
        line: usize,
        /// What is wrong.
        error: TemplateError,
    },
    /// A rule of the script's shape is broken.
    #[error("call script: {0}")]
    Shape(String),
}

#[derive(Deserialize)]
struct File {
    step: Vec<RawStep>,
}

#[derive(Deserialize)]
struct RawStep {
    code: String,
    title: String,
    say: Vec<String>,
    note: String,
    debt_details: bool,
}

const SHIPPED: &str = include_str!("../data/call_script.toml");

impl CallScript {
    /// The script shipped with Sepakat.
    pub fn shipped() -> CallScript {
        CallScript::from_toml(SHIPPED).expect("the shipped call script is valid (tested)")
    }

    /// Parses and checks a script: unique codes, no blank text, every line a valid
    /// template, and no step about the debt before the first step that is not.
    pub fn from_toml(text: &str) -> Result<CallScript, ScriptError> {
        let file: File = toml::from_str(text).map_err(|e| ScriptError::Format(e.to_string()))?;
        if file.step.is_empty() {
            return Err(ScriptError::Shape("it has no steps".into()));
        }
        if file.step[0].debt_details {
            return Err(ScriptError::Shape(format!(
                "the first step ({}) speaks about the debt; the right party must be confirmed first",
                file.step[0].code
            )));
        }
        let mut steps: Vec<Step> = Vec::with_capacity(file.step.len());
        for raw in file.step {
            if steps.iter().any(|s| s.code == raw.code) {
                return Err(ScriptError::Shape(format!(
                    "{}: code appears twice",
                    raw.code
                )));
            }
            if raw.title.trim().is_empty() || raw.note.trim().is_empty() || raw.say.is_empty() {
                return Err(ScriptError::Shape(format!(
                    "{}: title, note and at least one line are needed",
                    raw.code
                )));
            }
            let say = raw
                .say
                .iter()
                .enumerate()
                .map(|(i, line)| {
                    TemplateText::parse(line).map_err(|error| ScriptError::Line {
                        step: raw.code.clone(),
                        line: i + 1,
                        error,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            steps.push(Step {
                code: raw.code,
                title: raw.title,
                say,
                note: raw.note,
                debt_details: raw.debt_details,
            });
        }
        Ok(CallScript { steps })
    }

    /// The steps rendered for one account.
    pub fn render(&self, context: &MessageContext) -> Vec<RenderedStep> {
        self.steps
            .iter()
            .map(|step| RenderedStep {
                code: step.code.clone(),
                title: step.title.clone(),
                say: step.say.iter().map(|t| t.render_or_mark(context)).collect(),
                note: step.note.clone(),
                debt_details: step.debt_details,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn the_shipped_script_verifies_before_it_speaks_of_the_debt() {
        let script = CallScript::shipped();
        let codes: Vec<&str> = script.steps.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(
            codes,
            ["salam", "verifikasi", "tujuan", "alasan", "opsi", "rekap"]
        );
        let first_debt = script.steps.iter().position(|s| s.debt_details).unwrap();
        let verify = script
            .steps
            .iter()
            .position(|s| s.code == "verifikasi")
            .unwrap();
        assert!(verify < first_debt);
    }

    #[test]
    fn lines_render_for_the_account_and_mark_what_is_unknown() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let mut context = MessageContext::sample(today);
        let steps = CallScript::shipped().render(&context);
        assert!(steps[0].say[0].contains("Rina Wulandari dari PT Bank Sejahtera Nusantara"));
        assert!(steps[0].say[0].contains("Bapak Budi Santoso"));
        context.overdue = None;
        let steps = CallScript::shipped().render(&context);
        let purpose = &steps[2].say[0];
        assert!(purpose.contains("[tunggakan]"), "{purpose}");
        assert!(purpose.contains("KPR-000123"), "{purpose}");
    }

    #[test]
    fn a_script_that_opens_with_the_debt_is_refused() {
        let text = "[[step]]\ncode = \"a\"\ntitle = \"A\"\nsay = [\"Tagihan {{tunggakan}}\"]\nnote = \"n\"\ndebt_details = true\n";
        let err = CallScript::from_toml(text).unwrap_err();
        assert!(err.to_string().contains("right party"), "{err}");
    }

    #[test]
    fn an_unknown_variable_names_the_step_and_line() {
        let text = "[[step]]\ncode = \"a\"\ntitle = \"A\"\nsay = [\"ok\", \"Halo {{nama_lengkap}}\"]\nnote = \"n\"\ndebt_details = false\n";
        let err = CallScript::from_toml(text).unwrap_err();
        assert!(
            matches!(err, ScriptError::Line { ref step, line: 2, .. } if step == "a"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_codes_and_blank_steps_are_refused() {
        let step = "[[step]]\ncode = \"a\"\ntitle = \"A\"\nsay = [\"ok\"]\nnote = \"n\"\ndebt_details = false\n";
        assert!(CallScript::from_toml(&format!("{step}{step}")).is_err());
        let blank = "[[step]]\ncode = \"a\"\ntitle = \" \"\nsay = [\"ok\"]\nnote = \"n\"\ndebt_details = false\n";
        assert!(CallScript::from_toml(blank).is_err());
        assert!(CallScript::from_toml("step = []").is_err());
    }
}
