//! An organisation's organ written onto its name (X党中央委員会, X連盟執行部):
//! news names the organ where it means the organisation (the general secretary
//! of the party's central committee leads the party), so the mention names the
//! organisation. The span keeps the organ, so that a title written after it
//! (X党中央委員会総書記) still follows the name.
use super::rules::NerRules;
use crate::document::{EntityType, Mention, MentionKind};

/// Names an organisation mention that ends in an organ (`organization_bodies`)
/// after the organisation's own ending (`organization_suffixes`: 党, 連盟) by
/// the organisation alone.
pub(super) fn name_organisations_of_bodies(rules: &NerRules, mentions: &mut [Mention]) {
    for m in mentions
        .iter_mut()
        .filter(|m| m.kind == MentionKind::Name && m.etype == EntityType::Organization)
    {
        if let Some(name) = organisation_of_body(&m.name, rules) {
            m.name = name;
        }
    }
}

/// The organisation's name in `name` when it ends in one of its organs; the
/// longest organ wins (X党中央委員会政治局 is X党's).
fn organisation_of_body(name: &str, rules: &NerRules) -> Option<String> {
    let body = rules
        .organization_bodies
        .iter()
        .filter(|b| name.ends_with(b.as_str()))
        .max_by_key(|b| b.len())?;
    let rest = name[..name.len() - body.len()].trim_end();
    let ends_like_organisation = rules
        .organization_suffixes
        .iter()
        .any(|s| rest.len() > s.len() && rest.ends_with(s.as_str()));
    ends_like_organisation.then(|| rest.to_string())
}
