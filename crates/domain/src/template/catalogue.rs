//! A set of templates read from TOML: the shipped default set
//! (`data/templates/default.toml`) and any creditor's file in the same shape.

use serde::Deserialize;

use super::message::{MessageTemplate, MessageTemplateError, Stage};
use crate::compliance::Channel;

const SHIPPED_TOML: &str = include_str!("../../data/templates/default.toml");

/// Why a template file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    /// The file is not valid TOML of the expected shape.
    #[error("templates file: {0}")]
    Toml(String),
    /// One template is invalid.
    #[error("template {key:?}: {source}")]
    Template {
        /// The template's key.
        key: String,
        /// What is wrong.
        source: MessageTemplateError,
    },
    /// Two templates share a key.
    #[error("template {0:?} appears twice")]
    DuplicateKey(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRow {
    key: String,
    stage: Stage,
    channel: Channel,
    subject: Option<String>,
    body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    template: Vec<FileRow>,
}

/// Templates by key, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    templates: Vec<MessageTemplate>,
}

impl Catalogue {
    /// The default set shipped with Sepakat.
    pub fn shipped() -> Catalogue {
        Catalogue::from_toml(SHIPPED_TOML).expect("the shipped templates are valid")
    }

    /// Reads a templates file.
    pub fn from_toml(text: &str) -> Result<Catalogue, CatalogueError> {
        let file: File = toml::from_str(text).map_err(|e| CatalogueError::Toml(e.to_string()))?;
        let mut templates: Vec<MessageTemplate> = Vec::with_capacity(file.template.len());
        for row in file.template {
            if templates.iter().any(|t| t.key == row.key) {
                return Err(CatalogueError::DuplicateKey(row.key));
            }
            // TOML multi-line strings keep the newline after `"""`; templates do not want it.
            let body = row.body.trim_start_matches('\n');
            let template = MessageTemplate::new(
                &row.key,
                row.stage,
                row.channel,
                row.subject.as_deref(),
                body,
            )
            .map_err(|source| CatalogueError::Template {
                key: row.key.clone(),
                source,
            })?;
            templates.push(template);
        }
        Ok(Catalogue { templates })
    }

    /// Every template, in file order.
    pub fn templates(&self) -> &[MessageTemplate] {
        &self.templates
    }

    /// The template with this key.
    pub fn get(&self, key: &str) -> Option<&MessageTemplate> {
        self.templates.iter().find(|t| t.key == key)
    }

    /// The first template for a stage and channel.
    pub fn for_stage(&self, stage: Stage, channel: Channel) -> Option<&MessageTemplate> {
        self.templates
            .iter()
            .find(|t| t.stage == stage && t.channel == channel)
    }
}
