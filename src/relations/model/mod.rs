//! The trained relation scorer: facts the rules do not state.
//!
//! The rules of `relations.toml` read the constructions they were written for
//! and nothing else; on encyclopedic or news prose they were not written for,
//! they find few facts. The scorer instead learns from annotated text
//! (`musubi train-re`) which pairs stand in which relation. It sees every pair
//! of things a sentence speaks of ([`features`]): two names, a name and a
//! pronoun or 同社 resolved to an entity, a person and a date, or a name and
//! the topic the sentence continues without naming it. The same two entities
//! may meet in several sentences; the pair's best score counts.
//!
//! Rules and model work together: every rule fact stays as it is, with its
//! rule id; the model adds facts for what no rule stated, with rule `model`
//! and its calibrated score as confidence. A fact at or above its relation's
//! threshold under `[model]` in `relations.toml` (chosen by `musubi train-re`
//! on held-out folds of the training data) is asserted; one between `floor`
//! and it is kept with `asserted: false`, so that a user can still query it,
//! and is not counted as a prediction when scoring. A pair a rule relates is
//! left to the rule.
use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::document::{AnalyzedSentence, Fact, Mention, Object, Resolution, ValueMention};
use crate::mentions::NameLexicon;

pub mod features;
mod sent;
pub mod train;
mod weights;

pub use features::{candidates, Arg, Candidate};
pub use weights::{RelationClass, RelationModel};

/// The rule id of facts the model states.
pub const RULE_ID: &str = "model";

/// The file name of the model in an ontology folder.
pub const FILE_NAME: &str = "re-model.bin";

/// `[model]` in `relations.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelSettings {
    /// Use the trained scorer at all.
    #[serde(default = "default_enabled")]
    pub enabled: bool,
    /// Confidence from which a model fact is asserted.
    #[serde(default = "default_threshold")]
    pub threshold: f32,
    /// Confidence from which a model fact is kept, unasserted.
    #[serde(default = "default_floor")]
    pub floor: f32,
    /// Per relation, the confidence from which its facts are asserted, where
    /// it differs from `threshold` (1 asserts none).
    #[serde(default)]
    pub thresholds: BTreeMap<String, f32>,
}

impl ModelSettings {
    /// The confidence from which a model fact of `relation` is asserted.
    pub fn threshold_of(&self, relation: &str) -> f32 {
        self.thresholds
            .get(relation)
            .copied()
            .unwrap_or(self.threshold)
    }

    /// The lowest confidence a model fact is kept at.
    pub fn lowest(&self) -> f32 {
        let lowest_threshold = self
            .thresholds
            .values()
            .fold(self.threshold, |a, &b| a.min(b));
        self.floor.min(lowest_threshold)
    }
}

fn default_enabled() -> bool {
    true
}
fn default_threshold() -> f32 {
    0.5
}
fn default_floor() -> f32 {
    0.3
}

impl Default for ModelSettings {
    fn default() -> Self {
        ModelSettings {
            enabled: default_enabled(),
            threshold: default_threshold(),
            floor: default_floor(),
            thresholds: BTreeMap::new(),
        }
    }
}

/// The scorer trained on the shipped data (see ontology/re-model.NOTICE.md).
const BUILTIN_MODEL: &[u8] = include_bytes!("../../../ontology/re-model.bin");

/// The embedded scorer, decoded once; None when the embedded file is empty.
pub fn builtin_model() -> Option<&'static RelationModel> {
    static MODEL: OnceLock<Option<RelationModel>> = OnceLock::new();
    MODEL
        .get_or_init(|| RelationModel::from_bytes(BUILTIN_MODEL).ok())
        .as_ref()
}

/// A model fact before it becomes a [`Fact`]: the best of its candidates.
#[derive(Debug, Clone)]
pub struct Scored {
    pub subject: usize,
    /// Index into the model's classes.
    pub class: usize,
    pub object: Arg,
    pub sentence: usize,
    /// The margin over "no relation", and its calibrated confidence.
    pub margin: f32,
    pub confidence: f32,
    pub negated: bool,
}

/// What one (subject, relation, object) is keyed by: a symmetric relation
/// with its lower entity first, a date by its value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Entity(usize),
    Value(String),
}

/// The best-scored candidate of each (subject, relation, object), with a
/// confidence of at least `floor`, in a fixed order.
pub fn score(
    model: &RelationModel,
    candidates: &[Candidate],
    values: &[ValueMention],
    floor: f32,
) -> Vec<Scored> {
    let mut best: BTreeMap<(usize, usize, Key), Scored> = BTreeMap::new();
    let mut margins = Vec::new();
    for c in candidates {
        model.margins(&c.features, &mut margins);
        // One relation per pair: the best one its object can take.
        let literal = matches!(c.object, Arg::Value(_));
        let top = (0..margins.len())
            .filter(|&k| model.classes[k].literal == literal)
            .max_by(|&a, &b| margins[a].total_cmp(&margins[b]).then(b.cmp(&a)));
        if let Some(k) = top {
            let m = margins[k];
            let class = &model.classes[k];
            let confidence = model.confidence(k, m);
            if confidence < floor {
                continue;
            }
            let (mut s, mut o) = (c.subject, c.object);
            if let (true, Arg::Entity(e)) = (class.symmetric, o) {
                if e < s {
                    (s, o) = (e, Arg::Entity(s));
                }
            }
            let key = match o {
                Arg::Entity(e) => Key::Entity(e),
                Arg::Value(v) => Key::Value(values[v].value.clone()),
            };
            let scored = Scored {
                subject: s,
                class: k,
                object: o,
                sentence: c.sentence,
                margin: m,
                confidence,
                negated: c.negated,
            };
            best.entry((s, k, key))
                .and_modify(|b| {
                    if confidence > b.confidence {
                        *b = scored.clone();
                    }
                })
                .or_insert(scored);
        }
    }
    // A relation that does not hold both ways holds one way: of (a, r, b) and
    // (b, r, a), the better-scored stands.
    let beaten: Vec<(usize, usize, Key)> = best
        .iter()
        .filter_map(|((s, k, o), x)| {
            let Key::Entity(o) = o else { return None };
            let other = best.get(&(*o, *k, Key::Entity(*s)))?;
            let worse = other.confidence > x.confidence
                || other.confidence == x.confidence && (*o, *s) < (*s, *o);
            worse.then_some((*s, *k, Key::Entity(*o)))
        })
        .collect();
    for key in beaten {
        best.remove(&key);
    }
    best.into_values().collect()
}

/// A trained scorer with what it is run with: its `[model]` settings and the
/// name lexicon its features read.
#[derive(Clone, Copy)]
pub struct Scorer<'a> {
    pub model: &'a RelationModel,
    pub settings: &'a ModelSettings,
    pub lexicon: Option<&'a NameLexicon>,
}

/// Adds the model's facts to the rules' `facts`: for each (subject, relation,
/// object) between two things no rule relates, the best candidate at or above
/// the floor; asserted from its relation's threshold.
pub fn add_facts(
    sentences: &[AnalyzedSentence],
    mentions: &[Mention],
    values: &[ValueMention],
    res: &Resolution,
    scorer: Scorer<'_>,
    facts: &mut Vec<Fact>,
) {
    let Scorer {
        model,
        settings,
        lexicon,
    } = scorer;
    let cands = candidates(sentences, mentions, values, res, lexicon);
    let scored = score(model, &cands, values, settings.lowest());
    let span = |i: usize| sentences.get(i).map(|s| (s.sentence.start, s.sentence.end));
    let threshold = |relation: &str| settings.threshold_of(relation);
    facts.extend(to_facts(model, &scored, span, values, &threshold, facts));
}

/// Model facts for `scored`, leaving out pairs `rule_facts` already relate.
pub fn to_facts(
    model: &RelationModel,
    scored: &[Scored],
    sentence_span: impl Fn(usize) -> Option<(usize, usize)>,
    values: &[ValueMention],
    threshold: &dyn Fn(&str) -> f32,
    rule_facts: &[Fact],
) -> Vec<Fact> {
    let object_of = |a: Arg| match a {
        Arg::Entity(e) => Object::Entity(e),
        Arg::Value(v) => Object::Literal {
            value: values[v].value.clone(),
            kind: values[v].kind,
        },
    };
    let mut out = Vec::new();
    for s in scored {
        let class = &model.classes[s.class];
        let object = object_of(s.object);
        // A pair a rule relates (any typed relation, either way) is settled:
        // the rule read the construction that joins them, and a second
        // relation from the model for the same pair (社長 heads, and the model's
        // member_of) is more often wrong than right.
        let settled = rule_facts.iter().any(|f| {
            !f.open
                && (f.subject == s.subject && f.object == object
                    || Object::Entity(f.subject) == object && f.object == Object::Entity(s.subject))
        });
        if settled {
            continue;
        }
        let Some((start, end)) = sentence_span(s.sentence) else {
            continue;
        };
        out.push(Fact {
            subject: s.subject,
            relation: class.relation.clone(),
            object,
            open: false,
            asserted: s.confidence >= threshold(&class.relation) && !s.negated,
            sentence: s.sentence,
            start,
            end,
            rule: RULE_ID.to_string(),
            confidence: s.confidence,
            qualifiers: Vec::new(),
        });
    }
    out
}
