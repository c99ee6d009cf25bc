//! A template's text: literal parts and `{{variable}}` slots, parsed once.
//!
//! The syntax is deliberately small: `{{ name }}` inserts a variable (spaces inside the
//! braces allowed); nothing else is special. An unknown variable, an unclosed `{{` or a
//! stray `}}` is an error naming the line and column, so a template that parses can only
//! fail to render for a value the context does not know.

use std::collections::BTreeSet;

use super::context::MessageContext;
use super::variable::Variable;

/// Why a template text does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// `{{…}}` names no known variable.
    #[error("line {line}, column {column}: unknown variable {name:?}; known: {known}")]
    UnknownVariable {
        /// The name as written.
        name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column (characters).
        column: usize,
        /// The known variable codes, comma-separated.
        known: String,
    },
    /// `{{` without its `}}`.
    #[error("line {line}, column {column}: \"{{{{\" is not closed with \"}}}}\"")]
    Unclosed {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// `}}` without an opening `{{`.
    #[error("line {line}, column {column}: \"}}}}\" without an opening \"{{{{\"")]
    StrayClose {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The text is empty or only spaces.
    #[error("the text is empty")]
    Empty,
}

/// A value a template needs that the context does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no value for {{{{{}}}}} ({})", .0.code(), .0.description())]
pub struct MissingValue(pub Variable);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Slot(Variable),
}

/// A parsed template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateText {
    source: String,
    parts: Vec<Part>,
}

impl TemplateText {
    /// Parses `text`.
    pub fn parse(text: &str) -> Result<TemplateText, TemplateError> {
        if text.trim().is_empty() {
            return Err(TemplateError::Empty);
        }
        let mut parts = Vec::new();
        let mut rest = text;
        let mut offset = 0;
        while let Some(open) = rest.find("{{") {
            if let Some(close) = rest[..open].find("}}") {
                let (line, column) = position(text, offset + close);
                return Err(TemplateError::StrayClose { line, column });
            }
            if open > 0 {
                parts.push(Part::Literal(rest[..open].to_string()));
            }
            let inner_start = open + 2;
            let Some(len) = rest[inner_start..].find("}}") else {
                let (line, column) = position(text, offset + open);
                return Err(TemplateError::Unclosed { line, column });
            };
            let name = rest[inner_start..inner_start + len].trim();
            let variable = Variable::parse(name).map_err(|e| {
                let (line, column) = position(text, offset + open);
                TemplateError::UnknownVariable {
                    name: name.to_string(),
                    line,
                    column,
                    known: e.expected,
                }
            })?;
            parts.push(Part::Slot(variable));
            let consumed = inner_start + len + 2;
            rest = &rest[consumed..];
            offset += consumed;
        }
        if let Some(close) = rest.find("}}") {
            let (line, column) = position(text, offset + close);
            return Err(TemplateError::StrayClose { line, column });
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_string()));
        }
        Ok(TemplateText {
            source: text.to_string(),
            parts,
        })
    }

    /// The text as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The variables used, each once, in code order.
    pub fn variables(&self) -> BTreeSet<Variable> {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Slot(v) => Some(*v),
                Part::Literal(_) => None,
            })
            .collect()
    }

    /// The literal text only (what the author wrote, without any value), for checks that
    /// must not depend on sample data.
    pub fn literal_text(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Literal(s) => s.as_str(),
                Part::Slot(_) => " ",
            })
            .collect()
    }

    /// Fills every slot from `context`; names the first variable it has no value for.
    pub fn render(&self, context: &MessageContext) -> Result<String, MissingValue> {
        let mut out = String::with_capacity(self.source.len() + 64);
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Slot(v) => out.push_str(&context.value(*v).ok_or(MissingValue(*v))?),
            }
        }
        Ok(out)
    }
}

impl TemplateText {
    /// Fills every slot it has a value for and writes the others as `[variable]`: for
    /// texts a person reads before using them (the call script), never for a message.
    pub fn render_or_mark(&self, context: &MessageContext) -> String {
        let mut out = String::with_capacity(self.source.len() + 64);
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Slot(v) => match context.value(*v) {
                    Some(value) => out.push_str(&value),
                    None => {
                        out.push('[');
                        out.push_str(v.code());
                        out.push(']');
                    }
                },
            }
        }
        out
    }
}

/// 1-based line and character column of a byte offset.
fn position(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}
