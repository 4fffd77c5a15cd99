//! Stage 3: mentions. Finds the spans that name people, organisations, products,
//! places and events, and typed values (money, percent, dates, counts).
use serde::Deserialize;
use std::collections::BTreeMap;

use crate::document::{AnalyzedSentence, EntityType, Mention, MentionKind, ValueMention};

/// Cues read from `ontology/entities.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct NerRules {
    pub person_suffixes: Vec<String>,
    pub organization_suffixes: Vec<String>,
    pub place_suffixes: Vec<String>,
    pub person_pronouns: Vec<String>,
    pub anaphors: BTreeMap<String, EntityType>,
}

/// Finds entity mentions and value mentions in an article's sentences.
pub fn recognize(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
) -> (Vec<Mention>, Vec<ValueMention>) {
    let mut mentions = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        let mut i = 0;
        while i < s.tokens.len() {
            let t = &s.tokens[i];
            if rules.person_pronouns.contains(&t.surface) {
                mentions.push(mention(
                    s,
                    si,
                    i..i + 1,
                    EntityType::Person,
                    MentionKind::Pronoun,
                ));
                i += 1;
                continue;
            }
            if let Some(ty) = rules.anaphors.get(&t.surface) {
                mentions.push(mention(s, si, i..i + 1, *ty, MentionKind::Anaphor));
                i += 1;
                continue;
            }
            let is_name = |t: &crate::tokens::Token| {
                t.is_noun() && (t.is_proper() || t.unknown) && t.surface.chars().count() > 1
            };
            if is_name(t) {
                let mut j = i + 1;
                while j < s.tokens.len() && is_name(&s.tokens[j]) {
                    j += 1;
                }
                let ty = match s.tokens[j - 1].pos[2].as_str() {
                    "人名" => EntityType::Person,
                    "地域" => EntityType::Place,
                    _ => EntityType::Organization,
                };
                mentions.push(mention(s, si, i..j, ty, MentionKind::Name));
                i = j;
                continue;
            }
            i += 1;
        }
    }
    (mentions, Vec::new())
}

fn mention(
    s: &AnalyzedSentence,
    sentence: usize,
    tokens: std::ops::Range<usize>,
    etype: EntityType,
    kind: MentionKind,
) -> Mention {
    let surface: String = s.tokens[tokens.clone()]
        .iter()
        .map(|t| t.surface.as_str())
        .collect();
    Mention {
        sentence,
        start: s.tokens[tokens.start].start,
        end: s.tokens[tokens.end - 1].end,
        name: surface.clone(),
        surface,
        tokens,
        etype,
        kind,
        confidence: 0.5,
    }
}
