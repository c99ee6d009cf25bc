//! Which template a message or a letter uses: the creditor's approved version in force
//! for the stage and channel when there is one, otherwise the shipped default
//! (`Catalogue`). The outbox composer, `sepakat letter print` and the web pages all ask
//! here, so the choice is made in one place.

use sepakat_domain::compliance::Channel;
use sepakat_domain::template::{Catalogue, MessageTemplate, Stage};
use sepakat_store::{CreditorId, StoreResult, TemplateStore, TemplateVersionId};

/// Where the template in use comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateSource {
    /// The shipped default set.
    Default,
    /// The creditor's approved version.
    Version {
        /// The version's id.
        id: TemplateVersionId,
        /// Its number.
        number: u32,
    },
}

/// A template ready to render, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce {
    /// The template.
    pub template: MessageTemplate,
    /// Default or the creditor's version.
    pub source: TemplateSource,
}

impl InForce {
    /// The name recorded with a message or a letter: `early_whatsapp` for the default,
    /// `early_whatsapp@v3` for the creditor's third version.
    pub fn label(&self) -> String {
        match self.source {
            TemplateSource::Default => self.template.key.clone(),
            TemplateSource::Version { number, .. } => format!("{}@v{number}", self.template.key),
        }
    }
}

/// The template for `stage` and `channel`: the creditor's approved version in force, else
/// the catalogue's; None when neither has one.
pub fn template_in_force<S: TemplateStore + ?Sized>(
    store: &S,
    creditor: CreditorId,
    catalogue: &Catalogue,
    stage: Stage,
    channel: Channel,
) -> StoreResult<Option<InForce>> {
    if let Some(version) = store.template_in_force(creditor, stage, channel)? {
        let mut template = version.message_template()?;
        // Keep the catalogue's key when it has one for this stage and channel.
        if let Some(default) = catalogue.for_stage(stage, channel) {
            template.key = default.key.clone();
        }
        return Ok(Some(InForce {
            template,
            source: TemplateSource::Version {
                id: version.id,
                number: version.version,
            },
        }));
    }
    Ok(catalogue.for_stage(stage, channel).map(|t| InForce {
        template: t.clone(),
        source: TemplateSource::Default,
    }))
}

/// The stage and channel a template key names: the catalogue's entry, or a key written
/// `{stage}_{channel}` (`pre_due_email`) for a stage the catalogue has no default for.
pub fn stage_and_channel(catalogue: &Catalogue, key: &str) -> Option<(Stage, Channel)> {
    if let Some(t) = catalogue.get(key) {
        return Some((t.stage, t.channel));
    }
    let (stage, channel) = key.rsplit_once('_')?;
    Some((Stage::parse(stage).ok()?, Channel::parse(channel).ok()?))
}

/// The template a key names, as `template_in_force` decides for its stage and channel.
pub fn template_for_key<S: TemplateStore + ?Sized>(
    store: &S,
    creditor: CreditorId,
    catalogue: &Catalogue,
    key: &str,
) -> StoreResult<Option<InForce>> {
    match stage_and_channel(catalogue, key) {
        Some((stage, channel)) => template_in_force(store, creditor, catalogue, stage, channel),
        None => Ok(None),
    }
}
