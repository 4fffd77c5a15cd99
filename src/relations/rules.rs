//! The schema of `ontology/relations.toml`: named cue lists, modality cues,
//! and the four kinds of rule (predicate frames, role nouns, bare genitives,
//! parentheticals). The rules are data; this module only says what they mean.
use std::collections::BTreeMap;

use serde::Deserialize;

use crate::document::{EntityType, ValueKind};
use crate::grammar::Particle;
use crate::vocabulary::Vocabulary;

/// The contents of `ontology/relations.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RelationRules {
    /// Named cue lists that rules refer to as `"@name"`.
    #[serde(default)]
    pub cues: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub modality: Modality,
    #[serde(rename = "rule", default)]
    pub rules: Vec<RelationRule>,
    #[serde(rename = "noun_rule", default)]
    pub noun_rules: Vec<NounRule>,
    #[serde(rename = "genitive_rule", default)]
    pub genitive_rules: Vec<GenitiveRule>,
    #[serde(rename = "paren_rule", default)]
    pub paren_rules: Vec<ParenRule>,
    /// Words that refer back to the topic as owner (自社開発の → the topic's).
    #[serde(default)]
    pub reflexives: Vec<String>,
    /// Prefixes that make a noun refer back (両大学, 同大学): such a topic is
    /// filled from the discourse, not a subject that names nothing.
    #[serde(default)]
    pub anaphor_prefixes: Vec<String>,
    /// Nouns that set a time or scene when they end a topic (現役時代は,
    /// 引退後は, 来季は): such a topic is no subject.
    #[serde(default)]
    pub scene_nouns: Vec<String>,
    /// Confidence of open facts (predicates no rule maps).
    #[serde(default = "default_open_confidence")]
    pub open_confidence: f32,
    /// Light verbs that never make an open fact on their own (する, なる…).
    #[serde(default)]
    pub open_skip: Vec<String>,
    /// How facts of the trained scorer are kept ([`super::model`]).
    #[serde(default)]
    pub model: super::model::ModelSettings,
}

fn default_open_confidence() -> f32 {
    0.4
}
fn default_confidence() -> f32 {
    0.8
}

/// Cues that make a statement negated or hypothetical (`asserted: false`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Modality {
    /// Nouns a predicate modifies that make it a plan or intention (計画, 方針…).
    #[serde(default)]
    pub hypothetical_nouns: Vec<String>,
    /// Predicates that, governing another clause, make it hypothetical (検討, 目指す…).
    #[serde(default)]
    pub hypothetical_predicates: Vec<String>,
    /// Auxiliaries and endings after a predicate that make it hypothetical (たい…).
    #[serde(default)]
    pub hypothetical_endings: Vec<String>,
}

/// A predicate rule: `predicates` with arguments in `subject` and `object`.
#[derive(Debug, Clone, Deserialize)]
pub struct RelationRule {
    pub id: String,
    pub relation: String,
    /// Predicate lemmas (verb dictionary forms or サ変 nouns); `@name` expands a cue list.
    pub predicates: Vec<String>,
    pub subject: Role,
    pub object: Role,
    /// Further arguments that must be present (本社を置く: を = 本社).
    #[serde(default)]
    pub requires: Vec<Role>,
    /// Swap subject and object in the fact.
    #[serde(default)]
    pub invert: bool,
    /// Conjoined subjects without an object relate pairwise (AとBが提携).
    #[serde(default)]
    pub symmetric: bool,
    #[serde(default = "default_confidence")]
    pub confidence: f32,
}

/// One role of a case frame. Particles are those of the active voice: in a
/// passive clause が/は fill を and に/によって fill が.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Role {
    #[serde(default)]
    pub particles: Vec<Particle>,
    /// Entity types the argument may have; empty means any.
    #[serde(default)]
    pub types: Vec<EntityType>,
    /// Role nouns the argument must be (責任者に, 傘下に, 株式に); the entity is
    /// then the noun's owner (Xの責任者 → X), and the noun becomes a `role` qualifier.
    #[serde(default)]
    pub cues: Vec<String>,
    /// Role nouns that may stand for their owner when the argument names no
    /// entity itself (Xのチーフサイエンティストとして参加 → joined X).
    #[serde(default)]
    pub owner_cues: Vec<String>,
    /// The argument is a value of this kind (founded_in ← 2013年に).
    #[serde(default)]
    pub literal: Option<ValueKind>,
}

/// A role noun rule: the holder of the role noun relates to its owner.
#[derive(Debug, Clone, Deserialize)]
pub struct NounRule {
    pub id: String,
    pub relation: String,
    pub cues: Vec<String>,
    /// Types of who or what holds the role (the person who is 社長).
    pub holder: Vec<EntityType>,
    /// Types of what the role belongs to (the company in 〜の社長).
    pub owner: Vec<EntityType>,
    /// The fact is owner → holder instead of holder → owner.
    #[serde(default)]
    pub invert: bool,
    #[serde(default = "default_confidence")]
    pub confidence: f32,
}

/// A bare `XのY` between two entities, decided by their types alone
/// (東京の会社Y → Y located_in 東京). The fact is head → modifier unless inverted.
#[derive(Debug, Clone, Deserialize)]
pub struct GenitiveRule {
    pub id: String,
    pub relation: String,
    /// Types of X, the modifier.
    pub modifier: Vec<EntityType>,
    /// Types of Y, the head noun.
    pub head: Vec<EntityType>,
    /// Endings the head's name must have when given (市, 県…): a word-form cue
    /// that keeps a mistyped name (a club named after its city) out.
    #[serde(default)]
    pub head_suffixes: Vec<String>,
    #[serde(default)]
    pub invert: bool,
    #[serde(default = "default_genitive_confidence")]
    pub confidence: f32,
}

/// `X(cue・Y)`: a name with a parenthetical that holds a cue noun and a
/// second name (X(本社・Y)). The fact is X → Y.
#[derive(Debug, Clone, Deserialize)]
pub struct ParenRule {
    pub id: String,
    pub relation: String,
    /// Cue nouns that must stand in the parenthetical before Y; `@name` expands.
    pub cues: Vec<String>,
    /// Types of X, the name before the parenthesis.
    pub subject: Vec<EntityType>,
    /// Types of Y, the name inside it.
    pub object: Vec<EntityType>,
    #[serde(default = "default_confidence")]
    pub confidence: f32,
}

fn default_genitive_confidence() -> f32 {
    0.5
}

impl RelationRules {
    /// Expands `@name` references to cue lists.
    pub fn expand<'a>(&'a self, words: &'a [String]) -> impl Iterator<Item = &'a str> + 'a {
        words.iter().flat_map(move |w| match w.strip_prefix('@') {
            Some(name) => self
                .cues
                .get(name)
                .map(|v| v.iter().map(String::as_str).collect::<Vec<_>>())
                .unwrap_or_default(),
            None => vec![w.as_str()],
        })
    }

    /// Every role-noun cue of every rule: the longest one found in a noun decides
    /// which rules see it (最高技術責任者 is not a 責任者 of the leader kind).
    pub fn all_cues(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .cues
            .values()
            .flatten()
            .map(String::as_str)
            .chain(self.noun_rules.iter().flat_map(|r| self.expand(&r.cues)))
            .chain(self.rules.iter().flat_map(|r| {
                self.expand(&r.subject.cues)
                    .chain(self.expand(&r.object.cues))
                    .chain(self.expand(&r.subject.owner_cues))
                    .chain(self.expand(&r.object.owner_cues))
                    .chain(r.requires.iter().flat_map(|q| self.expand(&q.cues)))
                    .collect::<Vec<_>>()
            }))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Checks that every `@name` refers to a cue list and every relation is
    /// defined by the vocabulary.
    pub fn validate(&self, vocabulary: &Vocabulary) -> Result<(), String> {
        let mut refs: Vec<&String> = Vec::new();
        for r in &self.rules {
            refs.extend(r.predicates.iter());
            for role in std::iter::once(&r.subject)
                .chain(std::iter::once(&r.object))
                .chain(r.requires.iter())
            {
                refs.extend(role.cues.iter());
                refs.extend(role.owner_cues.iter());
            }
            if !vocabulary.defines(&r.relation) {
                return Err(format!("rule {}: unknown relation {}", r.id, r.relation));
            }
        }
        for r in &self.noun_rules {
            refs.extend(r.cues.iter());
            if !vocabulary.defines(&r.relation) {
                return Err(format!(
                    "noun_rule {}: unknown relation {}",
                    r.id, r.relation
                ));
            }
        }
        let typed = self
            .genitive_rules
            .iter()
            .map(|r| ("genitive_rule", &r.id, &r.relation))
            .chain(
                self.paren_rules
                    .iter()
                    .map(|r| ("paren_rule", &r.id, &r.relation)),
            );
        for (kind, id, relation) in typed {
            if !vocabulary.defines(relation) {
                return Err(format!("{kind} {id}: unknown relation {relation}"));
            }
        }
        for r in &self.paren_rules {
            refs.extend(r.cues.iter());
        }
        for w in refs {
            if let Some(name) = w.strip_prefix('@') {
                if !self.cues.contains_key(name) {
                    return Err(format!("unknown cue list @{name}"));
                }
            }
        }
        Ok(())
    }
}
