//! Stage 5: facts. Matches the relation rules of `ontology/relations.toml`
//! against each sentence's predicates and the particles that mark their arguments.
use serde::Deserialize;

use crate::document::{
    AnalyzedSentence, EntityType, Fact, Mention, Object, Resolution, ValueMention,
};

#[derive(Debug, Clone, Deserialize)]
pub struct RelationRules {
    #[serde(rename = "rule", default)]
    pub rules: Vec<RelationRule>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RelationRule {
    pub id: String,
    pub relation: String,
    /// Predicate lemmas (verb dictionary forms or サ変 nouns) that trigger the rule.
    pub predicates: Vec<String>,
    pub subject: Argument,
    pub object: Argument,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Argument {
    /// Particles that mark this argument (が, を, に…).
    pub particles: Vec<String>,
    /// Entity types the argument may have; empty means any.
    #[serde(default)]
    pub types: Vec<EntityType>,
}

/// Extracts facts from the sentences of one article.
pub fn extract(
    sentences: &[AnalyzedSentence],
    mentions: &[Mention],
    _values: &[ValueMention],
    resolution: &Resolution,
    rules: &RelationRules,
) -> Vec<Fact> {
    let mut facts = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        // Mentions of this sentence with the particle right after them.
        let args: Vec<(usize, usize, &str)> = mentions
            .iter()
            .enumerate()
            .filter(|(_, m)| m.sentence == si)
            .filter_map(|(mi, m)| {
                let entity = resolution.mention_entity[mi]?;
                let next = s.tokens.get(m.tokens.end)?;
                next.is_particle()
                    .then_some((entity, m.tokens.end, next.surface.as_str()))
            })
            .collect();
        for (pi, tok) in s.tokens.iter().enumerate() {
            for rule in rules
                .rules
                .iter()
                .filter(|r| r.predicates.contains(&tok.base))
            {
                let pick = |arg: &Argument| {
                    args.iter().rev().find(|(e, at, p)| {
                        *at < pi
                            && arg.particles.iter().any(|x| x == p)
                            && (arg.types.is_empty()
                                || arg.types.contains(&resolution.entities[*e].etype))
                    })
                };
                if let (Some(subj), Some(obj)) = (pick(&rule.subject), pick(&rule.object)) {
                    if subj.0 != obj.0 {
                        facts.push(Fact {
                            subject: subj.0,
                            relation: rule.relation.clone(),
                            object: Object::Entity(obj.0),
                            open: false,
                            asserted: true,
                            sentence: si,
                            start: s.sentence.start,
                            end: s.sentence.end,
                            rule: rule.id.clone(),
                            confidence: 0.7,
                            qualifiers: Vec::new(),
                        });
                    }
                }
            }
        }
    }
    facts
}
